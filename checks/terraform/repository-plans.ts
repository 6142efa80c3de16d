import { join } from 'node:path';
import type { OfflinePlanOptions } from './offline-plan.ts';
import { createPlanStore, type PlanStore } from './plan-store.ts';
import type { TerraformSetup } from './setup.ts';

/** The account, region and repository the repository's roots are planned for. */
export interface PlanTarget {
  accountId: string;
  region: string;
  /** owner/name whose workflow jobs the roles trust. */
  repository: string;
  /** Per environment, the id of its VPC once the platform made it (storage's environment_vpc_ids). */
  vpcIds?: Record<string, string>;
  /**
   * Per environment, the address its notifier sends from (storage's environment_sender_emails, the platform's
   * notifier_sender_email): an SES identity is account-wide, so each environment has its own.
   */
  senderEmails?: Record<string, string>;
}

/**
 * The one target every test plans for, so test files needing the same root get the same plan (and the plan store
 * makes it once per run).
 */
export const TEST_TARGET: PlanTarget = {
  accountId: '123456789012',
  region: 'eu-west-1',
  repository: 'acme/berth',
  vpcIds: { dev: 'vpc-0de0de0de0de0de01', staging: 'vpc-05a05a05a05a05a02', prod: 'vpc-0f0f0f0f0f0f0f003' },
  senderEmails: {
    dev: 'deploys-dev@example.com',
    staging: 'deploys-staging@example.com',
    prod: 'deploys-prod@example.com',
  },
};

/** terraform/storage: the state bucket, ECR repositories and every environment's roles. */
export function storagePlanOptions(root: string, target: PlanTarget): OfflinePlanOptions {
  return {
    dir: join(root, 'terraform', 'storage'),
    vars: {
      aws_region: target.region,
      github_repository: target.repository,
      ...(target.vpcIds === undefined ? {} : { environment_vpc_ids: target.vpcIds }),
      ...(target.senderEmails === undefined ? {} : { environment_sender_emails: target.senderEmails }),
    },
    accountId: target.accountId,
    region: target.region,
  };
}

/**
 * terraform/platform with `environments/<environment>.tfvars`. The notifier's addresses are placeholders and its
 * artifact is the modules' test fixture: a plan reads neither.
 */
export function platformPlanOptions(root: string, environment: string, target: PlanTarget): OfflinePlanOptions {
  return {
    dir: join(root, 'terraform', 'platform'),
    varFiles: [join(root, 'terraform', 'environments', `${environment}.tfvars`)],
    vars: {
      aws_region: target.region,
      notifier_artifact_path: join(root, 'terraform', 'modules', 'tests', 'fixtures', 'deploy-notifier.zip'),
      notifier_sender_email: target.senderEmails?.[environment] ?? 'deploys@example.com',
      notifier_recipient_emails: 'team@example.com',
    },
    accountId: target.accountId,
    region: target.region,
  };
}

/** terraform/secrets with `environments/<environment>.secrets.tfvars` (the secrets the platform looks up). */
export function secretsPlanOptions(root: string, environment: string, target: PlanTarget): OfflinePlanOptions {
  return {
    dir: join(root, 'terraform', 'secrets'),
    varFiles: [join(root, 'terraform', 'environments', `${environment}.secrets.tfvars`)],
    vars: { aws_region: target.region },
    accountId: target.accountId,
    region: target.region,
  };
}

/**
 * The plan store every test file of one checkout shares (under node_modules/.cache, so a clean clone starts
 * empty and `git clean` never leaves stale plans behind; keys are content hashes, so a kept plan is never stale).
 */
export function repositoryPlanStore(setup: TerraformSetup, root: string): PlanStore {
  return createPlanStore(setup, { dir: join(root, 'node_modules', '.cache', 'berth-terraform-plans') });
}
