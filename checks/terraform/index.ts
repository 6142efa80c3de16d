export { startAwsReadServer, DEFAULT_ACCOUNT_ID, type AwsCall, type AwsReadServer } from './aws-read-server.ts';
export {
  repositoryChecks,
  startChecks,
  summarise,
  type CheckOutcome,
  type StartedChecks,
  type TerraformCheck,
} from './checks.ts';
export { createLimiter, type Limiter } from './limiter.ts';
export { createPlanStore, planKey, type PlanStore, type PlanStoreOptions } from './plan-store.ts';
export {
  platformPlanOptions,
  secretsPlanOptions,
  repositoryPlanStore,
  storagePlanOptions,
  TEST_TARGET,
  type PlanTarget,
} from './repository-plans.ts';
export { planOffline, OfflinePlanError, type OfflinePlan, type OfflinePlanOptions } from './offline-plan.ts';
export {
  plannedResources,
  readDataSources,
  resourceAt,
  resourcesOfType,
  type PlanJson,
  type PlanResource,
  type ResourceChange,
} from './plan-json.ts';
export { describeRun, runTerraform, type RunOptions, type RunResult } from './run.ts';
export {
  findProviderMirror,
  findTerraform,
  prepareTerraform,
  type TerraformSetup,
  type TerraformUnavailable,
} from './setup.ts';
export { skipWithoutTerraform, type SkippableContext } from './require-terraform.ts';
export {
  installedAwsProvider,
  startInstalledProvider,
  startSharedProvider,
  type SharedProvider,
} from './shared-provider.ts';
export { openOfflineWorkspace, type OfflineWorkspace, type OfflineWorkspaceOptions } from './offline-workspace.ts';
export {
  startSecretsManagerServer,
  type SecretsManagerCall,
  type SecretsManagerServer,
  type SecretsManagerServerOptions,
} from './secrets-manager-server.ts';
