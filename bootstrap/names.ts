/**
 * The GitHub names Berth's workflows read. The bootstrap command writes exactly these, so a fork's settings and
 * the workflows cannot disagree on a spelling.
 */

/** Environments the platform is deployed to; each has its own roles and, once applied, its own notifier. */
export const DEPLOY_ENVIRONMENTS = ['dev', 'staging', 'prod'] as const;
export type DeployEnvironment = (typeof DEPLOY_ENVIRONMENTS)[number];

/** The environment the storage apply and this bootstrap run in, holding the administrator credentials. */
export const BOOTSTRAP_ENVIRONMENT = 'bootstrap';

/** The environment release.yml's publishing job runs in: publishing moves the tags users pin to. */
export const RELEASE_ENVIRONMENT = 'release';

/** The only branch allowed to deploy to any environment whose role or credentials can write, release's excepted. */
export const DEPLOY_BRANCH = 'main';

/** Release tags (`v1`, `v1.2.3`), as a deployment tag policy names them: release.yml runs on their push. */
export const RELEASE_TAGS = 'v*';

/**
 * The repository's OIDC subject claim template: every job's token then names the workflow file and ref it runs
 * (`repo:O/N:environment:prod:job_workflow_ref:O/N/.github/workflows/deploy-environment.yml@refs/heads/main`),
 * so a role's trust policy can admit one workflow on main and nothing else.
 */
export const OIDC_SUBJECT_CLAIM_KEYS = ['repo', 'context', 'job_workflow_ref'] as const;

/**
 * The repository ruleset that holds release tags (`v1`, `v1.2.3`): only repository admins may create, move or delete
 * them, so `uses: …@v1` cannot be pointed at an unreviewed commit by anyone who can push.
 */
export const RELEASE_TAG_RULESET = { name: 'Berth release tags', tags: `refs/tags/${RELEASE_TAGS}` } as const;
/** The id GitHub gives the repository admin role in rulesets' RepositoryRole bypass actors. */
export const REPOSITORY_ADMIN_ROLE_ID = 5;

/** Variables of each deploy environment. */
export const DEPLOY_ROLE_VARIABLE = 'AWS_DEPLOY_ROLE_ARN';
export const TERRAFORM_ROLE_VARIABLE = 'AWS_TERRAFORM_ROLE_ARN';
export const NOTIFIER_URL_VARIABLE = 'NOTIFIER_URL';

/** Repository variables. */
export const BUILD_ROLE_VARIABLE = 'AWS_BUILD_ROLE_ARN';
export const REGION_VARIABLE = 'AWS_REGION';
/** JSON object environment → plan role ARN, for the plan-review and drift jobs, which run outside environments. */
export const PLAN_ROLES_VARIABLE = 'AWS_PLAN_ROLE_ARNS';

/**
 * Environment secret of each environment terraform-apply.yml runs in: the passphrase (with the run id and the
 * environment) its saved plan is encrypted with before it becomes an artifact. Created where it is absent.
 */
export const PLAN_ENCRYPTION_KEY_SECRET = 'PLAN_ENCRYPTION_KEY';

/** Repository secret per service image repository: key of the `ecr_repository_urls` output → secret name. */
export const ECR_URL_SECRETS = {
  'api-gateway': 'ECR_API_URL',
  'product-service': 'ECR_PRODUCT_URL',
  'inventory-service': 'ECR_INVENTORY_URL',
} as const;
export type ImageService = keyof typeof ECR_URL_SECRETS;

export function isDeployEnvironment(name: string): name is DeployEnvironment {
  return (DEPLOY_ENVIRONMENTS as readonly string[]).includes(name);
}
