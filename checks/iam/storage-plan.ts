import {
  planOffline,
  storagePlanOptions,
  type PlanJson,
  type PlanStore,
  type TerraformSetup,
} from '@berth/terraform-harness';

export interface StoragePlanInputs {
  accountId: string;
  region: string;
  /** owner/name of the repository whose jobs the roles trust. */
  repository: string;
}

/**
 * terraform/storage planned with the real AWS provider and no AWS account, for the given account, region and
 * repository: Terraform's own rendering of every role, policy and boundary an apply would create. With `store`,
 * a plan another process already made for the same configuration and inputs is reused.
 */
export async function planStorage(
  setup: TerraformSetup,
  repoRoot: string,
  inputs: StoragePlanInputs,
  options: { store?: PlanStore } = {},
): Promise<PlanJson> {
  const planOptions = storagePlanOptions(repoRoot, inputs);
  const { plan } = await (options.store ? options.store.plan(planOptions) : planOffline(setup, planOptions));
  return plan;
}
