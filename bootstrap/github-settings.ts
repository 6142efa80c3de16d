import type { GitHubClient } from '@berth/kit/github/client';
import { httpStatus } from '@berth/kit/github/errors';
import type { PublicKey } from '@berth/kit/github/seal';
import { explainGitHubFailure } from './github-failure.ts';
import type { Repository } from './options.ts';

export interface Reviewer {
  type: 'User' | 'Team';
  id: number;
  /** Login of a user, slug of a team: for the plan. */
  name: string;
}

export interface BranchRule {
  protected_branches: boolean;
  custom_branch_policies: boolean;
}

export interface EnvironmentSettings {
  waitTimer: number;
  preventSelfReview: boolean;
  reviewers: Reviewer[];
  /** null: every branch may deploy. */
  branchRule: BranchRule | null;
}

/**
 * A ref pattern that may deploy to an environment (GitHub's deployment branch or tag policy): a job started from a
 * branch is matched against the branch policies only, one started from a tag against the tag policies only.
 */
export interface DeploymentRef {
  /** An fnmatch pattern of the branch or tag name, e.g. `main`, `v*`. */
  name: string;
  type: 'branch' | 'tag';
}

export interface BranchPolicy extends DeploymentRef {
  id: number;
}

/** The body of PUT /repos/{owner}/{repo}/environments/{name}. Every field is sent so nothing is reset by omission. */
export interface EnvironmentBody {
  wait_timer: number;
  prevent_self_review: boolean;
  reviewers: { type: 'User' | 'Team'; id: number }[];
  deployment_branch_policy: BranchRule | null;
}

/** The repository's OIDC subject claim template; `claimKeys` is empty while GitHub's default is used. */
export interface OidcSubjectTemplate {
  useDefault: boolean;
  claimKeys: string[];
}

type CreateRulesetParameters = NonNullable<Parameters<GitHubApi['rest']['repos']['createRepoRuleset']>[0]>;
/** A ruleset rule, as GitHub's API types it (a union of every rule type). */
export type RulesetRule = NonNullable<CreateRulesetParameters['rules']>[number];
/** Who may bypass a ruleset; read back with `bypass_mode` always filled in (GitHub's default is `always`). */
export type BypassActor = Required<NonNullable<CreateRulesetParameters['bypass_actors']>[number]>;

/** The body of POST/PUT /repos/{owner}/{repo}/rulesets[/{id}]. Every field is sent so nothing is kept by omission. */
export interface RulesetBody {
  name: string;
  target: 'branch' | 'tag' | 'push';
  enforcement: 'disabled' | 'active' | 'evaluate';
  bypass_actors: BypassActor[];
  conditions: { ref_name: { include: string[]; exclude: string[] } };
  rules: RulesetRule[];
}

export interface Ruleset extends RulesetBody {
  id: number;
}

/** Where a variable lives: the repository, or one of its environments. */
export type VariableScope = { kind: 'repository' } | { kind: 'environment'; environment: string };

/**
 * The GitHub settings the bootstrap reads and writes. Every method throws a GitHubCallError whose message says
 * what failed, why and what to do.
 */
export interface GitHubSettings {
  getEnvironment(name: string): Promise<EnvironmentSettings | undefined>;
  putEnvironment(name: string, body: EnvironmentBody): Promise<void>;
  listBranchPolicies(environment: string): Promise<BranchPolicy[]>;
  createBranchPolicy(environment: string, ref: DeploymentRef): Promise<void>;
  deleteBranchPolicy(environment: string, policy: BranchPolicy): Promise<void>;
  /** The user's id and login as GitHub spells it; undefined when there is no such user. */
  findUser(login: string): Promise<{ id: number; login: string } | undefined>;
  getVariable(scope: VariableScope, name: string): Promise<string | undefined>;
  createVariable(scope: VariableScope, name: string, value: string): Promise<void>;
  updateVariable(scope: VariableScope, name: string, value: string): Promise<void>;
  /** The repository's own ruleset of that name (not one inherited from the organisation); undefined when none. */
  findRuleset(name: string): Promise<Ruleset | undefined>;
  createRuleset(body: RulesetBody): Promise<void>;
  updateRuleset(id: number, body: RulesetBody): Promise<void>;
  getOidcSubjectTemplate(): Promise<OidcSubjectTemplate>;
  /** Sets a custom template (use_default false) with these claim keys, in order. */
  putOidcSubjectTemplate(claimKeys: readonly string[]): Promise<void>;
  secretExists(name: string): Promise<boolean>;
  getPublicKey(): Promise<PublicKey>;
  putSecret(name: string, encryptedValue: string, keyId: string): Promise<'created' | 'updated'>;
  /** The names of the environment's secrets (GitHub never returns their values). */
  listEnvironmentSecretNames(environment: string): Promise<string[]>;
  /** The environment's own public key: its secrets are sealed with it, not with the repository's. */
  getEnvironmentPublicKey(environment: string): Promise<PublicKey>;
  putEnvironmentSecret(environment: string, name: string, encryptedValue: string, keyId: string): Promise<void>;
}

export function scopeLabel(scope: VariableScope): string {
  return scope.kind === 'repository' ? 'repository' : `environment ${scope.environment}`;
}

interface RawReviewer {
  type?: string;
  reviewer?: { id?: number; login?: string; slug?: string } | null;
}

interface RawProtectionRule {
  type: string;
  wait_timer?: number;
  prevent_self_review?: boolean;
  reviewers?: RawReviewer[];
}

/** Reads the protection rules GitHub returns for an environment into the settings the bootstrap compares. */
export function environmentSettings(data: {
  protection_rules?: RawProtectionRule[];
  deployment_branch_policy?: BranchRule | null;
}): EnvironmentSettings {
  const rules = data.protection_rules ?? [];
  const waitTimer = rules.find((rule) => rule.type === 'wait_timer')?.wait_timer ?? 0;
  const reviewerRule = rules.find((rule) => rule.type === 'required_reviewers');
  const reviewers: Reviewer[] = (reviewerRule?.reviewers ?? []).flatMap((entry) => {
    const id = entry.reviewer?.id;
    if (typeof id !== 'number' || (entry.type !== 'User' && entry.type !== 'Team')) return [];
    return [{ type: entry.type, id, name: entry.reviewer?.login ?? entry.reviewer?.slug ?? String(id) }];
  });
  return {
    waitTimer,
    preventSelfReview: reviewerRule?.prevent_self_review ?? false,
    reviewers,
    branchRule: data.deployment_branch_policy ?? null,
  };
}

/** The part of Octokit the bootstrap uses: the REST methods and pagination. */
export type GitHubApi = Pick<GitHubClient, 'rest' | 'paginate'>;

/** GitHubSettings over Octokit, for one repository. */
export function octokitSettings(github: GitHubApi, repository: Repository, apiUrl: string): GitHubSettings {
  const repo = { owner: repository.owner, repo: repository.repo };
  const fullName = `${repository.owner}/${repository.repo}`;
  const call = async <T>(action: string, permission: string | undefined, run: () => Promise<T>): Promise<T> => {
    try {
      return await run();
    } catch (error) {
      throw explainGitHubFailure(error, { action, permission, repository: fullName, apiUrl });
    }
  };
  /** A GET that answers 404 for "does not exist". */
  const find = async <T>(action: string, permission: string, run: () => Promise<T>): Promise<T | undefined> =>
    call(action, permission, async () => {
      try {
        return await run();
      } catch (error) {
        if (httpStatus(error) === 404) return undefined;
        throw error;
      }
    });
  const variableTarget = (scope: VariableScope): string =>
    scope.kind === 'repository' ? `repository ${fullName}` : `environment ${scope.environment}`;
  const variablePermission = (scope: VariableScope, level: 'read' | 'write'): string =>
    `${scope.kind === 'repository' ? 'Variables' : 'Environments'}: ${level}`;

  return {
    getEnvironment: (name) =>
      find(`read environment ${name}`, 'Actions: read', async () =>
        environmentSettings((await github.rest.repos.getEnvironment({ ...repo, environment_name: name })).data),
      ),
    putEnvironment: (name, body) =>
      call(`create or update environment ${name}`, 'Administration: write', async () => {
        await github.rest.repos.createOrUpdateEnvironment({ ...repo, environment_name: name, ...body });
      }),
    listBranchPolicies: (environment) =>
      call(`list the deployment branch policies of environment ${environment}`, 'Actions: read', async () => {
        const policies = await github.paginate(github.rest.repos.listDeploymentBranchPolicies, {
          ...repo,
          environment_name: environment,
          per_page: 100,
        });
        return policies.map((policy) => ({
          id: policy.id ?? 0,
          name: policy.name ?? '',
          type: policy.type === 'tag' ? ('tag' as const) : ('branch' as const),
        }));
      }),
    createBranchPolicy: (environment, ref) =>
      call(`add ${ref.type} policy ${ref.name} to environment ${environment}`, 'Administration: write', async () => {
        await github.rest.repos.createDeploymentBranchPolicy({
          ...repo,
          environment_name: environment,
          name: ref.name,
          type: ref.type,
        });
      }),
    deleteBranchPolicy: (environment, policy) =>
      call(
        `remove ${policy.type} policy ${policy.name} from environment ${environment}`,
        'Administration: write',
        async () => {
          await github.rest.repos.deleteDeploymentBranchPolicy({
            ...repo,
            environment_name: environment,
            branch_policy_id: policy.id,
          });
        },
      ),
    findUser: (login) =>
      call(`look up GitHub user ${login}`, undefined, async () => {
        try {
          const { data } = await github.rest.users.getByUsername({ username: login });
          return { id: data.id, login: data.login };
        } catch (error) {
          if (httpStatus(error) === 404) return undefined;
          throw error;
        }
      }),
    getVariable: (scope, name) =>
      find(`read variable ${name} of ${variableTarget(scope)}`, variablePermission(scope, 'read'), async () => {
        const { data } =
          scope.kind === 'repository'
            ? await github.rest.actions.getRepoVariable({ ...repo, name })
            : await github.rest.actions.getEnvironmentVariable({
                ...repo,
                environment_name: scope.environment,
                name,
              });
        return data.value;
      }),
    createVariable: (scope, name, value) =>
      call(`create variable ${name} in ${variableTarget(scope)}`, variablePermission(scope, 'write'), async () => {
        if (scope.kind === 'repository') await github.rest.actions.createRepoVariable({ ...repo, name, value });
        else
          await github.rest.actions.createEnvironmentVariable({
            ...repo,
            environment_name: scope.environment,
            name,
            value,
          });
      }),
    updateVariable: (scope, name, value) =>
      call(`update variable ${name} in ${variableTarget(scope)}`, variablePermission(scope, 'write'), async () => {
        if (scope.kind === 'repository') await github.rest.actions.updateRepoVariable({ ...repo, name, value });
        else
          await github.rest.actions.updateEnvironmentVariable({
            ...repo,
            environment_name: scope.environment,
            name,
            value,
          });
      }),
    findRuleset: (name) =>
      call(`read the rulesets of repository ${fullName}`, 'Metadata: read', async () => {
        const summaries = await github.paginate(github.rest.repos.getRepoRulesets, {
          ...repo,
          includes_parents: false,
          per_page: 100,
        });
        const summary = summaries.find((ruleset) => ruleset.name === name && ruleset.source_type !== 'Organization');
        if (summary === undefined) return undefined;
        // The list leaves out rules, conditions and bypass actors; the ruleset itself has them.
        const { data } = await github.rest.repos.getRepoRuleset({
          ...repo,
          ruleset_id: summary.id,
          includes_parents: false,
        });
        const refName = data.conditions && 'ref_name' in data.conditions ? data.conditions.ref_name : undefined;
        return {
          id: data.id,
          name: data.name,
          target: (data.target ?? 'branch') as Ruleset['target'],
          enforcement: data.enforcement,
          bypass_actors: (data.bypass_actors ?? []).map((actor) => ({
            actor_id: actor.actor_id ?? null,
            actor_type: actor.actor_type,
            bypass_mode: actor.bypass_mode ?? 'always',
          })),
          conditions: { ref_name: { include: refName?.include ?? [], exclude: refName?.exclude ?? [] } },
          // The rules GitHub returns are the rules it accepts.
          rules: (data.rules ?? []) as RulesetRule[],
        };
      }),
    createRuleset: (body) =>
      call(`create ${body.target} ruleset ${body.name}`, 'Administration: write', async () => {
        await github.rest.repos.createRepoRuleset({ ...repo, ...body });
      }),
    updateRuleset: (id, body) =>
      call(`update ${body.target} ruleset ${body.name}`, 'Administration: write', async () => {
        await github.rest.repos.updateRepoRuleset({ ...repo, ruleset_id: id, ...body });
      }),
    getOidcSubjectTemplate: () =>
      call(`read the OIDC subject claim template of repository ${fullName}`, 'Actions: read', async () => {
        const { data } = await github.rest.actions.getCustomOidcSubClaimForRepo(repo);
        return {
          useDefault: data.use_default,
          claimKeys: data.use_default ? [] : [...(data.include_claim_keys ?? [])],
        };
      }),
    putOidcSubjectTemplate: (claimKeys) =>
      call(`set the OIDC subject claim template of repository ${fullName}`, 'Actions: write', async () => {
        await github.rest.actions.setCustomOidcSubClaimForRepo({
          ...repo,
          use_default: false,
          include_claim_keys: [...claimKeys],
        });
      }),
    secretExists: async (name) =>
      (await find(`read secret ${name} of repository ${fullName}`, 'Secrets: read', async () => {
        await github.rest.actions.getRepoSecret({ ...repo, secret_name: name });
        return true;
      })) ?? false,
    getPublicKey: () =>
      call(`read the Actions public key of repository ${fullName}`, 'Secrets: read', async () => {
        const { data } = await github.rest.actions.getRepoPublicKey(repo);
        return { key_id: data.key_id, key: data.key };
      }),
    putSecret: (name, encrypted_value, key_id) =>
      call(`write secret ${name} of repository ${fullName}`, 'Secrets: write', async () => {
        const { status } = await github.rest.actions.createOrUpdateRepoSecret({
          ...repo,
          secret_name: name,
          encrypted_value,
          key_id,
        });
        return status === 201 ? 'created' : 'updated';
      }),
    listEnvironmentSecretNames: (environment) =>
      call(`list the secrets of environment ${environment}`, 'Secrets: read and Environments: read', async () => {
        const secrets = await github.paginate(github.rest.actions.listEnvironmentSecrets, {
          ...repo,
          environment_name: environment,
          per_page: 100,
        });
        return secrets.map((secret) => secret.name);
      }),
    getEnvironmentPublicKey: (environment) =>
      call(`read the public key of environment ${environment}`, 'Secrets: read and Environments: read', async () => {
        const { data } = await github.rest.actions.getEnvironmentPublicKey({ ...repo, environment_name: environment });
        return { key_id: data.key_id, key: data.key };
      }),
    putEnvironmentSecret: (environment, name, encrypted_value, key_id) =>
      call(`write secret ${name} of environment ${environment}`, 'Secrets: write and Environments: write', async () => {
        await github.rest.actions.createOrUpdateEnvironmentSecret({
          ...repo,
          environment_name: environment,
          secret_name: name,
          encrypted_value,
          key_id,
        });
      }),
  };
}
