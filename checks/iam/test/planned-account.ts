import { fileURLToPath } from 'node:url';
import {
  createLimiter,
  platformPlanOptions,
  repositoryPlanStore,
  TEST_TARGET,
  type PlanJson,
  type TerraformSetup,
} from '@berth/terraform-harness';
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
 * terraform/platform planned once per environment with its tfvars, all with the real provider and no network. The
 * plans come from the checkout's plan store, so other test files asking for the same ones share them.
 */

export const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));
export const at: ArnScope = {
  partition: 'aws',
  region: TEST_TARGET.region,
  accountId: TEST_TARGET.accountId,
  vpcIds: TEST_TARGET.vpcIds,
};
export const repository = TEST_TARGET.repository;

/** The address an environment's notifier sends from in the planned account (each environment its own). */
export function senderOf(environment: string): string {
  const address = TEST_TARGET.senderEmails?.[environment];
  if (address === undefined) throw new Error(`TEST_TARGET names no sender address for ${environment}`);
  return address;
}

export interface PlannedAccount {
  storage: Promise<PlanJson>;
  reports: Record<DeployEnvironment, Promise<EnvironmentReport>>;
  platforms: Record<DeployEnvironment, Promise<PlatformPlan>>;
}

/** `root`: the checkout whose terraform/ is planned (the repository's own by default). */
export function planAccount(setup: TerraformSetup, root: string = repoRoot): PlannedAccount {
  const limit = createLimiter(2);
  const store = repositoryPlanStore(setup, root);
  const storage = limit(() => planStorage(setup, root, TEST_TARGET, { store }));
  const byEnvironment = <T>(
    make: (environment: DeployEnvironment) => Promise<T>,
  ): Record<DeployEnvironment, Promise<T>> =>
    Object.fromEntries(DEPLOY_ENVIRONMENTS.map((environment) => [environment, make(environment)])) as Record<
      DeployEnvironment,
      Promise<T>
    >;
  const platforms = byEnvironment((environment) =>
    limit(async () => {
      const { plan } = await store.plan(platformPlanOptions(root, environment, TEST_TARGET));
      return platformPlan(plan);
    }),
  );
  const reports = byEnvironment((environment) => storage.then((plan) => environmentReport(plan, environment)));
  // Failures surface in the tests that await them, not as unhandled rejections.
  for (const promise of [storage, ...Object.values(platforms), ...Object.values(reports)])
    promise.catch(() => undefined);
  return { storage, reports, platforms };
}
