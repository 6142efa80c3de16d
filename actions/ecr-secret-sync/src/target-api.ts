import type { GitHubClient } from '@berth/kit/github/client';
import { httpStatus } from '@berth/kit/github/errors';
import type { PublicKey } from '@berth/kit/github/seal';
import type { Target, Visibility } from './targets';

export type Kind = 'secret' | 'variable';

/** Organization-wide settings sent with every organization secret or variable. */
export interface OrganizationAccess {
  visibility: Visibility;
  selectedRepositoryIds: number[];
}

/** The GitHub calls for one target and kind, so the sync logic is the same for all of them. */
export interface TargetApi {
  getPublicKey(): Promise<PublicKey>;
  /** Whether the secret or variable exists already (a 404 means no). */
  exists(name: string): Promise<boolean>;
  /** PUT of a sealed secret: GitHub answers 201 when it created it, 204 when it replaced it. */
  putSecret(name: string, encryptedValue: string, keyId: string): Promise<'created' | 'updated'>;
  /** POST of a variable; `exists` when GitHub answers 409 because the name is taken. */
  createVariable(name: string, value: string): Promise<'created' | 'exists'>;
  updateVariable(name: string, value: string): Promise<void>;
}

export function targetApi(github: GitHubClient, target: Target, kind: Kind, access: OrganizationAccess): TargetApi {
  const actions = github.rest.actions;
  const orgFields = {
    visibility: access.visibility,
    ...(access.visibility === 'selected' ? { selected_repository_ids: access.selectedRepositoryIds } : {}),
  };
  const created = (status: number): 'created' | 'updated' => (status === 201 ? 'created' : 'updated');
  const probe = async (call: () => Promise<unknown>): Promise<boolean> => {
    try {
      await call();
      return true;
    } catch (error) {
      if (httpStatus(error) === 404) return false;
      throw error;
    }
  };
  const post = async (call: () => Promise<unknown>): Promise<'created' | 'exists'> => {
    try {
      await call();
      return 'created';
    } catch (error) {
      if (httpStatus(error) === 409) return 'exists';
      throw error;
    }
  };

  switch (target.kind) {
    case 'repository': {
      const repo = { owner: target.owner, repo: target.repo };
      return {
        getPublicKey: async () => (await actions.getRepoPublicKey(repo)).data,
        exists: (name) =>
          probe(() =>
            kind === 'secret'
              ? actions.getRepoSecret({ ...repo, secret_name: name })
              : actions.getRepoVariable({ ...repo, name }),
          ),
        putSecret: async (name, encrypted_value, key_id) =>
          created(
            (await actions.createOrUpdateRepoSecret({ ...repo, secret_name: name, encrypted_value, key_id })).status,
          ),
        createVariable: (name, value) => post(() => actions.createRepoVariable({ ...repo, name, value })),
        updateVariable: async (name, value) => void (await actions.updateRepoVariable({ ...repo, name, value })),
      };
    }
    case 'environment': {
      const env = { owner: target.owner, repo: target.repo, environment_name: target.environment };
      return {
        getPublicKey: async () => (await actions.getEnvironmentPublicKey(env)).data,
        exists: (name) =>
          probe(() =>
            kind === 'secret'
              ? actions.getEnvironmentSecret({ ...env, secret_name: name })
              : actions.getEnvironmentVariable({ ...env, name }),
          ),
        putSecret: async (name, encrypted_value, key_id) =>
          created(
            (await actions.createOrUpdateEnvironmentSecret({ ...env, secret_name: name, encrypted_value, key_id }))
              .status,
          ),
        createVariable: (name, value) => post(() => actions.createEnvironmentVariable({ ...env, name, value })),
        updateVariable: async (name, value) => void (await actions.updateEnvironmentVariable({ ...env, name, value })),
      };
    }
    case 'organization': {
      const org = { org: target.org };
      return {
        getPublicKey: async () => (await actions.getOrgPublicKey(org)).data,
        exists: (name) =>
          probe(() =>
            kind === 'secret'
              ? actions.getOrgSecret({ ...org, secret_name: name })
              : actions.getOrgVariable({ ...org, name }),
          ),
        putSecret: async (name, encrypted_value, key_id) =>
          created(
            (
              await actions.createOrUpdateOrgSecret({
                ...org,
                secret_name: name,
                encrypted_value,
                key_id,
                ...orgFields,
              })
            ).status,
          ),
        createVariable: (name, value) => post(() => actions.createOrgVariable({ ...org, name, value, ...orgFields })),
        updateVariable: async (name, value) =>
          void (await actions.updateOrgVariable({ ...org, name, value, ...orgFields })),
      };
    }
  }
}

/** The fine-grained permission a token needs to write `kind` to `target`. */
export function writePermission(target: Target, kind: Kind): string {
  if (target.kind === 'environment') return 'repository permission "Environments: write"';
  const scope = target.kind === 'organization' ? 'organization' : 'repository';
  return `${scope} permission "${kind === 'secret' ? 'Secrets' : 'Variables'}: write"`;
}
