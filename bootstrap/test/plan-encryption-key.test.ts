import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createStepRunner } from '../../test/workflows/run-step.ts';
import { jobsOf, loadSource, repoRoot, type StepView } from '../../test/workflows/workflow-files.ts';
import { startFakeGitHub, type FakeGitHub } from './fake-github.ts';
import { REPOSITORY, runAgainst, standardArgs } from './run-bootstrap.ts';

const SECRET = 'PLAN_ENCRYPTION_KEY';
const terraformApply = loadSource(join(repoRoot, '.github/workflows/terraform-apply.yml'), 'workflow');

/** The environments terraform-apply.yml can be run for: each needs its own key. */
const APPLIED_ENVIRONMENTS = (() => {
  const on = terraformApply.doc.on as { workflow_dispatch: { inputs: { environment: { options: string[] } } } };
  return on.workflow_dispatch.inputs.environment.options;
})();

function workflowStep(jobId: string, name: string): StepView {
  const found = jobsOf(terraformApply)
    .find((job) => job.id === jobId)
    ?.steps.find((step) => step.raw.name === name);
  if (!found?.run) throw new Error(`terraform-apply.yml has no run step "${name}" in job ${jobId}`);
  return found;
}

const steps = createStepRunner();
const work = mkdtempSync(join(tmpdir(), 'plan-encryption-key-'));
afterAll(() => {
  steps.dispose();
  rmSync(work, { recursive: true, force: true });
});

/**
 * Runs terraform-apply.yml's own "Encrypt the plan" (plan job) and "Decrypt the plan" (apply job) scripts, the
 * passphrase built as the workflow builds it: `<secret>:<run id>:<environment>`. Returns the decrypted plan, or the
 * failed step's stderr.
 */
function roundTrip(
  environment: string,
  encryptWith: string,
  decryptWith: string,
): { ok: true; plan: Buffer } | { ok: false; stderr: string } {
  const runId = '9876543210';
  const plan = randomBytes(4096);
  const planJob = join(work, `plan-${environment}-${randomBytes(4).toString('hex')}`);
  const applyJob = `${planJob}-apply`;
  mkdirSync(planJob, { recursive: true });
  mkdirSync(join(applyJob, 'plan'), { recursive: true });
  writeFileSync(join(planJob, 'platform.tfplan'), plan);
  const encrypted = steps.run(workflowStep('plan', 'Encrypt the plan'), {
    env: {
      RUNNER_TEMP: planJob,
      TARGET_ENVIRONMENT: environment,
      GITHUB_SHA: '0123456789abcdef0123456789abcdef01234567',
      PLAN_PASSPHRASE: `${encryptWith}:${runId}:${environment}`,
      PLAN_KEY_SET: 'true',
    },
  });
  if (encrypted.status !== 0) return { ok: false, stderr: `encrypt: ${encrypted.stderr}${encrypted.stdout}` };
  // The artifact, as download-artifact puts it in the apply job.
  copyFileSync(join(planJob, 'plan-artifact', 'platform.tfplan.enc'), join(applyJob, 'plan', 'platform.tfplan.enc'));
  const decrypted = steps.run(workflowStep('apply', 'Decrypt the plan'), {
    env: { RUNNER_TEMP: applyJob, PLAN_PASSPHRASE: `${decryptWith}:${runId}:${environment}` },
  });
  if (decrypted.status !== 0) return { ok: false, stderr: `decrypt: ${decrypted.stderr}` };
  const result = readFileSync(join(applyJob, 'plan', 'platform.tfplan'));
  expect(result.equals(plan), 'the decrypted plan is the plan').toBe(true);
  return { ok: true, plan: result };
}

let fake: FakeGitHub;

beforeEach(async () => {
  fake = await startFakeGitHub(REPOSITORY);
  fake.addUser('alice');
});

afterEach(async () => {
  expect(fake.violations).toEqual([]);
  await fake.close();
});

describe('PLAN_ENCRYPTION_KEY', () => {
  it('terraform-apply.yml runs for dev, staging and prod', () => {
    expect(APPLIED_ENVIRONMENTS).toEqual(['dev', 'staging', 'prod']);
  });

  it("is created where it is absent, one per environment, and the workflow's encryption and decryption accept it", async () => {
    const result = await runAgainst(fake, standardArgs());

    expect(result.err).toBe('');
    expect(result.code).toBe(0);
    const keys = APPLIED_ENVIRONMENTS.map((environment) => {
      expect({ environment, secrets: fake.environmentSecretNames(environment) }).toEqual({
        environment,
        secrets: [SECRET],
      });
      return fake.openEnvironmentSecret(environment, SECRET);
    });
    for (const [i, environment] of APPLIED_ENVIRONMENTS.entries()) {
      const key = keys[i] ?? '';
      // What `openssl rand -base64 32` prints: 32 random bytes in base64.
      expect(key).toMatch(/^[A-Za-z0-9+/]{43}=$/);
      expect(Buffer.from(key, 'base64')).toHaveLength(32);
      expect(roundTrip(environment, key, key)).toMatchObject({ ok: true });
      expect(result.out).toContain(
        `created secret ${SECRET} (environment ${environment}): a new random key (value not shown), sealed with ` +
          'the environment key; never replaced',
      );
    }
    expect(new Set(keys).size, 'every environment has its own key').toBe(keys.length);
    // Only terraform-apply's environments: bootstrap and release run no plan.
    expect(fake.environmentSecretNames('bootstrap')).toEqual([]);
    expect(fake.environmentSecretNames('release')).toEqual([]);
  });

  it('the round trip is a real check: a plan encrypted with another key does not decrypt', async () => {
    expect((await runAgainst(fake, standardArgs())).code).toBe(0);
    const key = fake.openEnvironmentSecret('dev', SECRET);

    const other = randomBytes(32).toString('base64');
    const result = roundTrip('dev', other, key);

    expect(result.ok).toBe(false);
    expect(result).toMatchObject({ stderr: expect.stringContaining('bad decrypt') });
  });

  it('an existing key is never replaced: GitHub cannot show its value, so its name is enough', async () => {
    fake.seedEnvironment('prod', { reviewers: ['alice'] });
    fake.seedEnvironmentSecret('prod', SECRET, 'made-by-an-admin');

    const result = await runAgainst(fake, standardArgs());

    expect(result.code).toBe(0);
    expect(fake.openEnvironmentSecret('prod', SECRET)).toBe('made-by-an-admin');
    const prodSecretWrites = fake
      .writes()
      .filter((r) => r.path.startsWith(`/repos/${REPOSITORY}/environments/prod/secrets`));
    expect(prodSecretWrites).toEqual([]);
    expect(result.out).toMatch(/leave\s+secret PLAN_ENCRYPTION_KEY \(environment prod\)\s*\n/);
    expect(fake.environmentSecretNames('dev')).toEqual([SECRET]);
  });

  it('a second run writes no key: the ones it created are left as they are', async () => {
    expect((await runAgainst(fake, standardArgs())).code).toBe(0);
    const before = APPLIED_ENVIRONMENTS.map((environment) => fake.openEnvironmentSecret(environment, SECRET));
    const requestsBefore = fake.requests.length;

    const again = await runAgainst(fake, standardArgs());

    expect(again.code).toBe(0);
    const secretWrites = fake.requests
      .slice(requestsBefore)
      .filter((r) => r.method !== 'GET' && /\/environments\/[^/]+\/secrets\//.test(r.path));
    expect(secretWrites).toEqual([]);
    expect(APPLIED_ENVIRONMENTS.map((environment) => fake.openEnvironmentSecret(environment, SECRET))).toEqual(before);
  });

  it('a token without the Secrets permission is stopped before anything is written, naming both permissions', async () => {
    fake.seedEnvironment('dev');
    fake.addToken('github_pat_no_secrets', {
      actions: 'write',
      administration: 'write',
      environments: 'write',
      variables: 'write',
    });

    const result = await runAgainst(fake, standardArgs(), { GITHUB_TOKEN: 'github_pat_no_secrets' });

    expect(result.code).toBe(1);
    expect(fake.writes()).toEqual([]);
    expect(result.err).toContain(
      'the token may not list the secrets of environment dev (403 Resource not accessible by personal access ' +
        'token). GitHub says the call needs the repository permission "Secrets" (read) and "Environments" (read)',
    );
  });

  it('no key appears in the output, the plan, the job summary or any request but the sealed one', async () => {
    const dryRun = await runAgainst(fake, standardArgs('alice', '--dry-run'), { GITHUB_ACTIONS: 'true' });
    expect(dryRun.out).toMatch(/create\s+secret PLAN_ENCRYPTION_KEY \(environment dev\)\s+a new random key/);
    expect(fake.writes()).toEqual([]);

    const result = await runAgainst(fake, standardArgs(), { GITHUB_ACTIONS: 'true' });

    expect(result.code).toBe(0);
    const keys = APPLIED_ENVIRONMENTS.map((environment) => fake.openEnvironmentSecret(environment, SECRET));
    const requests = JSON.stringify(fake.requests.map(({ path, body }) => ({ path, body })));
    for (const key of keys) {
      for (const text of [dryRun.all, dryRun.summary, result.all, result.summary, requests]) {
        expect(text.includes(key), 'a plan encryption key was printed or sent unsealed').toBe(false);
      }
    }
  });
});
