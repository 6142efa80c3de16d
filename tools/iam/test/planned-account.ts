import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createLimiter, planOffline, type PlanJson, type TerraformSetup } from '../../terraform/index.ts';
import { platformPlan, type PlatformPlan } from '../platform-plan.ts';
import {
  DEPLOY_ENVIRONMENTS,
  environmentReport,
  type DeployEnvironment,
  type EnvironmentReport,
} from '../role-report.ts';
import { planStorage } from '../storage-plan.ts';
import type { ArnScope } from '../terraform-calls.ts';

/**
 * One account as the simulator tests see it: terraform/storage planned once (every environment's roles), and
 * terraform/platform planned once per environment with its tfvars, all with the real provider and no network.
 */

export const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));
export const at: ArnScope = { partition: 'aws', region: 'eu-west-1', accountId: '123456789012' };
export const repository = 'acme/berth';

export interface PlannedAccount {
  storage: Promise<PlanJson>;
  reports: Record<DeployEnvironment, Promise<EnvironmentReport>>;
  platforms: Record<DeployEnvironment, Promise<PlatformPlan>>;
}

/** `root`: the checkout whose terraform/ is planned (the repository's own by default). */
export function planAccount(setup: TerraformSetup, root: string = repoRoot): PlannedAccount {
  const limit = createLimiter(2);
  const storage = limit(() => planStorage(setup, root, { accountId: at.accountId, region: at.region, repository }));
  const byEnvironment = <T>(
    make: (environment: DeployEnvironment) => Promise<T>,
  ): Record<DeployEnvironment, Promise<T>> =>
    Object.fromEntries(DEPLOY_ENVIRONMENTS.map((environment) => [environment, make(environment)])) as Record<
      DeployEnvironment,
      Promise<T>
    >;
  const platforms = byEnvironment((environment) =>
    limit(async () => {
      const { plan } = await planOffline(setup, {
        dir: join(root, 'terraform', 'platform'),
        varFiles: [join(root, 'terraform', 'environments', `${environment}.tfvars`)],
        vars: {
          aws_region: at.region,
          notifier_artifact_path: join(root, 'terraform', 'modules', 'tests', 'fixtures', 'deploy-notifier.zip'),
          notifier_sender_email: 'deploys@example.com',
          notifier_recipient_emails: 'team@example.com',
        },
        accountId: at.accountId,
        region: at.region,
      });
      return platformPlan(plan);
    }),
  );
  const reports = byEnvironment((environment) => storage.then((plan) => environmentReport(plan, environment)));
  // Failures surface in the tests that await them, not as unhandled rejections.
  for (const promise of [storage, ...Object.values(platforms), ...Object.values(reports)])
    promise.catch(() => undefined);
  return { storage, reports, platforms };
}
