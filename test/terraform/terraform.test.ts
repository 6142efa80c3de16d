import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { repositoryChecks, startChecks, type StartedChecks } from '../../checks/terraform/checks.ts';
import { createLimiter } from '../../checks/terraform/limiter.ts';
import type { OfflinePlan } from '../../checks/terraform/offline-plan.ts';
import { resourceAt } from '../../checks/terraform/plan-json.ts';
import { repositoryPlanStore, storagePlanOptions, TEST_TARGET } from '../../checks/terraform/repository-plans.ts';
import { prepareTerraform } from '../../checks/terraform/setup.ts';
import { skipWithoutTerraform } from '../../checks/terraform/require-terraform.ts';

/**
 * The repository's Terraform evaluated by Terraform: fmt, every `terraform test` suite (each validates its root)
 * (platform once per environment with its tfvars), and a plan with the real provider where a rendered policy matters.
 * Without terraform this is a visible skip on a developer machine and a failure under CI=true.
 */
const repoRoot = join(import.meta.dirname, '..', '..');
const setup = prepareTerraform();
const TIMEOUT = 300_000;

describe('Terraform, evaluated by Terraform', () => {
  if ('missing' in setup) {
    it('needs terraform and a provider mirror', (context) => skipWithoutTerraform(context, setup));
    return;
  }

  const limit = createLimiter(2);
  const checks = repositoryChecks(repoRoot);
  const started: StartedChecks = startChecks(setup, checks, { limiter: limit });
  // The IAM tests plan the same root for the same target: whichever file asks first plans it for both.
  const plans = repositoryPlanStore(setup, repoRoot);
  const storagePlan: Promise<OfflinePlan> = limit(() => plans.plan(storagePlanOptions(repoRoot, TEST_TARGET)));
  storagePlan.catch(() => undefined);

  afterAll(async () => {
    await started.close();
    await storagePlan.catch(() => undefined);
    rmSync(setup.workDir, { recursive: true, force: true });
  }, TIMEOUT);

  for (const check of checks) {
    it(
      check.name,
      async () => {
        const outcome = await started.outcomes.get(check.name)!;
        expect(outcome.ok, outcome.report).toBe(true);
      },
      TIMEOUT,
    );
  }

  it(
    'the state bucket policy, rendered by the real provider, denies every request made without TLS',
    async () => {
      const { plan, awsCalls } = await storagePlan;
      const policy = resourceAt(plan, 'module.state_bucket.aws_s3_bucket_policy.this').values.policy;
      expect(typeof policy, 'the bucket policy must be known at plan time').toBe('string');
      expect(JSON.parse(policy as string)).toEqual({
        Version: '2012-10-17',
        Statement: [
          {
            Sid: 'DenyInsecureTransport',
            Effect: 'Deny',
            Principal: '*',
            Action: 's3:*',
            Resource: ['arn:aws:s3:::berth-terraform-state/*', 'arn:aws:s3:::berth-terraform-state'],
            Condition: { Bool: { 'aws:SecureTransport': 'false' } },
          },
        ],
      });
      // The deploy role's account comes from data.aws_caller_identity, answered on loopback.
      expect(awsCalls).toContainEqual({ service: 'sts', action: 'GetCallerIdentity', region: TEST_TARGET.region });
    },
    TIMEOUT,
  );
});
