import type { PublicKey } from '@berth/kit/github/seal';
import type { DesiredState } from './desired-state.ts';
import { GitHubCallError } from './github-failure.ts';
import type {
  BranchPolicy,
  EnvironmentSettings,
  GitHubSettings,
  OidcSubjectTemplate,
  Ruleset,
} from './github-settings.ts';

export interface ObservedEnvironment {
  /** undefined: the environment does not exist. */
  settings: EnvironmentSettings | undefined;
  /** Only read where the bootstrap manages the deployment refs and the environment uses custom policies. */
  branchPolicies: BranchPolicy[];
  /** Value of each desired variable, undefined when it does not exist. */
  variables: Record<string, string | undefined>;
  /** Names of the environment's secrets; only read where it exists and the bootstrap generates secrets in it. */
  secretNames: string[];
}

/** The repository's GitHub side as it is now, for what the desired state covers. */
export interface ObservedState {
  environments: Map<string, ObservedEnvironment>;
  repositoryVariables: Record<string, string | undefined>;
  oidcSubject: OidcSubjectTemplate;
  /** The repository's ruleset with the desired tag ruleset's name; undefined when there is none. */
  tagRuleset: Ruleset | undefined;
  /** Whether each desired secret exists (GitHub never returns secret values). */
  secrets: Record<string, boolean>;
  /** The requested reviewers resolved to GitHub users; undefined when no reviewers were requested. */
  reviewers: { login: string; id: number }[] | undefined;
  publicKey: PublicKey;
}

export type Observation = { ok: true; state: ObservedState } | { ok: false; problems: string[] };

/**
 * Reads everything the plan compares, before anything is written. A failed read is recorded and reading goes on,
 * so one run names every missing permission; a fatal failure (bad token, no network) stops at once.
 */
export async function observe(
  github: GitHubSettings,
  desired: DesiredState,
  reviewerLogins: readonly string[] | undefined,
): Promise<Observation> {
  const problems: string[] = [];
  const read = async <T>(run: () => Promise<T>, fallback: T): Promise<T> => {
    try {
      return await run();
    } catch (error) {
      if (error instanceof GitHubCallError && error.fatal) throw error;
      problems.push(error instanceof Error ? error.message : String(error));
      return fallback;
    }
  };

  try {
    let reviewers: ObservedState['reviewers'];
    if (reviewerLogins !== undefined) {
      reviewers = [];
      for (const login of reviewerLogins) {
        const user = await read(() => github.findUser(login), null);
        if (user === undefined) {
          problems.push(`--reviewers: GitHub has no user "${login}"; check the spelling of the login`);
        } else if (user !== null) {
          reviewers.push(user);
        }
      }
    }

    const environments = new Map<string, ObservedEnvironment>();
    for (const environment of desired.environments) {
      const settings = await read(() => github.getEnvironment(environment.name), undefined);
      const branchPolicies =
        settings?.branchRule?.custom_branch_policies && environment.deploymentRefs !== undefined
          ? await read(() => github.listBranchPolicies(environment.name), [])
          : [];
      const variables: Record<string, string | undefined> = {};
      if (settings !== undefined) {
        for (const name of Object.keys(environment.variables)) {
          const scope = { kind: 'environment', environment: environment.name } as const;
          variables[name] = await read(() => github.getVariable(scope, name), undefined);
        }
      }
      const secretNames =
        settings !== undefined && (environment.generatedSecrets ?? []).length > 0
          ? await read(() => github.listEnvironmentSecretNames(environment.name), [])
          : [];
      environments.set(environment.name, { settings, branchPolicies, variables, secretNames });
    }

    const oidcSubject = await read(() => github.getOidcSubjectTemplate(), { useDefault: true, claimKeys: [] });
    const tagRuleset = await read(() => github.findRuleset(desired.tagRuleset.name), undefined);
    const repositoryVariables: Record<string, string | undefined> = {};
    for (const name of Object.keys(desired.repositoryVariables)) {
      repositoryVariables[name] = await read(() => github.getVariable({ kind: 'repository' }, name), undefined);
    }
    const secrets: Record<string, boolean> = {};
    for (const name of Object.keys(desired.repositorySecrets)) {
      secrets[name] = await read(() => github.secretExists(name), false);
    }
    const publicKey = await read(() => github.getPublicKey(), { key_id: '', key: '' });

    if (problems.length > 0) return { ok: false, problems };
    return {
      ok: true,
      state: { environments, oidcSubject, tagRuleset, repositoryVariables, secrets, reviewers, publicKey },
    };
  } catch (error) {
    return { ok: false, problems: [...problems, error instanceof Error ? error.message : String(error)] };
  }
}
