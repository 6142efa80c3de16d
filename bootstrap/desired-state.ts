import {
  BOOTSTRAP_ENVIRONMENT,
  BUILD_ROLE_VARIABLE,
  DEPLOY_BRANCH,
  DEPLOY_ENVIRONMENTS,
  DEPLOY_ROLE_VARIABLE,
  ECR_URL_SECRETS,
  NOTIFIER_URL_VARIABLE,
  OIDC_SUBJECT_CLAIM_KEYS,
  PLAN_ENCRYPTION_KEY_SECRET,
  PLAN_ROLES_VARIABLE,
  REGION_VARIABLE,
  RELEASE_ENVIRONMENT,
  RELEASE_TAG_RULESET,
  RELEASE_TAGS,
  REPOSITORY_ADMIN_ROLE_ID,
  TERRAFORM_ROLE_VARIABLE,
  type DeployEnvironment,
  type ImageService,
} from './names.ts';
import type { DeploymentRef, RulesetBody } from './github-settings.ts';
import { newPlanEncryptionKey } from './plan-encryption-key.ts';
import type { StorageOutputs } from './storage-outputs.ts';

/**
 * An environment secret the bootstrap makes up: created with a fresh value where it is absent, never replaced
 * (GitHub never returns a secret's value, so an existing one cannot be compared, and others may rely on it).
 */
export interface GeneratedSecret {
  name: string;
  /** What the value is, for the plan, e.g. `a new random key`; never the value. */
  description: string;
  /** A fresh value; called only when the secret is written. */
  generate: () => string;
}

export interface DesiredEnvironment {
  name: string;
  /** Jobs here need an approval: the environment must have reviewers, and none may approve their own run. */
  reviewed?: boolean;
  /** Logins that must approve jobs; undefined leaves the environment's reviewers as they are. */
  reviewers?: readonly string[];
  /**
   * The branches and tags allowed to deploy (custom branch and tag policies); every other policy is deleted.
   * undefined leaves the branch rule as it is.
   */
  deploymentRefs?: readonly DeploymentRef[];
  variables: Readonly<Record<string, string>>;
  generatedSecrets?: readonly GeneratedSecret[];
}

/** How the repository's GitHub side should look. */
export interface DesiredState {
  environments: DesiredEnvironment[];
  repositoryVariables: Readonly<Record<string, string>>;
  repositorySecrets: Readonly<Record<string, string>>;
  /** The claim keys of the repository's OIDC subject template, in order. */
  oidcSubjectClaimKeys: readonly string[];
  /** The tag ruleset holding the release tags; found by its name. */
  tagRuleset: RulesetBody;
}

/**
 * Environments whose jobs need a human approval: staging and production, the one holding administrator
 * credentials, and the one that publishes releases.
 */
const REVIEWED = new Set<string>(['staging', 'prod', BOOTSTRAP_ENVIRONMENT, RELEASE_ENVIRONMENT]);

const MAIN_BRANCH: DeploymentRef = { name: DEPLOY_BRANCH, type: 'branch' };

/**
 * release.yml's publish job runs on the push of a release tag, never on a branch: GitHub matches a job started from
 * a tag against the tag policies only, so `release` needs the tag policy. No job of release.yml runs on main, so
 * no branch may deploy there: the environment holds RELEASE_TAG_TOKEN, an admin's token that moves release tags,
 * and with main allowed any workflow merged to main could ask for it. The tag ruleset lets only repository admins
 * create `v*` tags, so only a tag an admin pushed starts a job in `release`.
 */
const RELEASE_TAG: DeploymentRef = { name: RELEASE_TAGS, type: 'tag' };

/** terraform-apply.yml (run for dev, staging and prod) refuses to save a plan without this key. */
const PLAN_ENCRYPTION_KEY: GeneratedSecret = {
  name: PLAN_ENCRYPTION_KEY_SECRET,
  description: 'a new random key',
  generate: newPlanEncryptionKey,
};

/** Release tags may be created, moved or deleted by repository admins only. */
const TAG_RULESET: RulesetBody = {
  name: RELEASE_TAG_RULESET.name,
  target: 'tag',
  enforcement: 'active',
  bypass_actors: [{ actor_id: REPOSITORY_ADMIN_ROLE_ID, actor_type: 'RepositoryRole', bypass_mode: 'always' }],
  conditions: { ref_name: { include: [RELEASE_TAG_RULESET.tags], exclude: [] } },
  rules: [{ type: 'creation' }, { type: 'update' }, { type: 'deletion' }],
};

/** `{"dev":"arn…","staging":"arn…","prod":"arn…"}`: read with fromJSON(vars.AWS_PLAN_ROLE_ARNS)[environment]. */
function planRolesJson(roles: NonNullable<StorageOutputs['roles']>): string {
  return JSON.stringify(Object.fromEntries(DEPLOY_ENVIRONMENTS.map((name) => [name, roles.environments[name].plan])));
}

export function desiredState(
  storage: StorageOutputs,
  notifierUrls: Partial<Record<DeployEnvironment, string>>,
  reviewers: readonly string[] | undefined,
): DesiredState {
  const protection = (name: string): Pick<DesiredEnvironment, 'reviewed' | 'reviewers' | 'deploymentRefs'> => ({
    ...(REVIEWED.has(name) ? { reviewed: true } : {}),
    ...(REVIEWED.has(name) && reviewers !== undefined ? { reviewers } : {}),
    // Every environment's role or credentials can write, dev's included: only main may run jobs in any of them,
    // and only a release tag in release.
    deploymentRefs: name === RELEASE_ENVIRONMENT ? [RELEASE_TAG] : [MAIN_BRANCH],
  });
  const environments: DesiredEnvironment[] = DEPLOY_ENVIRONMENTS.map((name) => {
    const notifierUrl = notifierUrls[name];
    return {
      name,
      ...protection(name),
      variables: {
        ...(storage.roles === null
          ? {}
          : {
              [DEPLOY_ROLE_VARIABLE]: storage.roles.environments[name].deploy,
              [TERRAFORM_ROLE_VARIABLE]: storage.roles.environments[name].terraform,
            }),
        ...(notifierUrl === undefined ? {} : { [NOTIFIER_URL_VARIABLE]: notifierUrl }),
      },
      generatedSecrets: [PLAN_ENCRYPTION_KEY],
    };
  });
  environments.push({ name: BOOTSTRAP_ENVIRONMENT, ...protection(BOOTSTRAP_ENVIRONMENT), variables: {} });
  environments.push({ name: RELEASE_ENVIRONMENT, ...protection(RELEASE_ENVIRONMENT), variables: {} });
  const repositorySecrets: Record<string, string> = {};
  for (const [service, secret] of Object.entries(ECR_URL_SECRETS)) {
    repositorySecrets[secret] = storage.ecrRepositoryUrls[service as ImageService];
  }
  return {
    environments,
    repositoryVariables: {
      ...(storage.roles === null
        ? {}
        : {
            [BUILD_ROLE_VARIABLE]: storage.roles.build,
            [PLAN_ROLES_VARIABLE]: planRolesJson(storage.roles),
          }),
      [REGION_VARIABLE]: storage.awsRegion,
    },
    repositorySecrets,
    oidcSubjectClaimKeys: OIDC_SUBJECT_CLAIM_KEYS,
    tagRuleset: TAG_RULESET,
  };
}
