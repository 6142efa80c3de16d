import { join } from 'node:path';
import { planOffline, type PlanJson, type TerraformSetup } from '../terraform/index.ts';

export interface StoragePlanInputs {
  accountId: string;
  region: string;
  /** owner/name of the repository whose jobs the roles trust. */
  repository: string;
}

/**
 * terraform/storage planned with the real AWS provider and no AWS account, for the given account, region and
 * repository: Terraform's own rendering of every role, policy and boundary an apply would create.
 */
export async function planStorage(
  setup: TerraformSetup,
  repoRoot: string,
  inputs: StoragePlanInputs,
  options: { reattach?: string } = {},
): Promise<PlanJson> {
  const { plan } = await planOffline(setup, {
    dir: join(repoRoot, 'terraform', 'storage'),
    vars: { aws_region: inputs.region, github_repository: inputs.repository },
    accountId: inputs.accountId,
    region: inputs.region,
    reattach: options.reattach,
  });
  return plan;
}
