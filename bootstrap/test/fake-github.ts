import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import sodium from 'libsodium-wrappers';
import { loadGitHubContract } from './openapi-contract.ts';

/**
 * A local GitHub REST API for one repository: environments with their protection rules, deployment branch and tag
 * policies, repository rulesets, the OIDC subject claim template, repository and environment variables, repository
 * and environment secrets (each with a real libsodium key pair, so a test can open what was sealed) and users.
 * Every operation it serves exists in GitHub's OpenAPI description, and every request body and response is
 * validated against it; a mismatch is answered 422 and recorded in `violations`. Tokens carry fine-grained
 * permissions: a call the token may not make is answered 403 with the X-Accepted-GitHub-Permissions header, as
 * GitHub does.
 */

export type Level = 'read' | 'write';
export type Permissions = Partial<
  Record<'actions' | 'administration' | 'environments' | 'secrets' | 'variables', Level>
>;

export const ALL_PERMISSIONS: Permissions = {
  actions: 'write',
  administration: 'write',
  environments: 'write',
  secrets: 'write',
  variables: 'write',
};

export interface RecordedRequest {
  method: string;
  path: string;
  /** The OpenAPI path template it matched, e.g. `/repos/{owner}/{repo}/environments/{environment_name}`. */
  template: string | undefined;
  headers: IncomingHttpHeaders;
  body: unknown;
  status: number;
}

interface FakeVariable {
  value: string;
  created_at: string;
  updated_at: string;
}

/** A repository ruleset as the API takes and returns it (the fields the fake keeps). */
export interface FakeRuleset {
  id: number;
  name: string;
  target: 'branch' | 'tag' | 'push';
  enforcement: 'disabled' | 'active' | 'evaluate';
  bypass_actors: { actor_id?: number | null; actor_type: string; bypass_mode?: string }[];
  conditions: { ref_name?: { include?: string[]; exclude?: string[] } } | null;
  rules: { type: string; parameters?: Record<string, unknown> }[];
}

/** Repository roles by the ids rulesets name them with (RepositoryRole bypass actors). */
export const REPOSITORY_ROLE_IDS = { maintain: 2, write: 4, admin: 5 } as const;
export type RepositoryRole = keyof typeof REPOSITORY_ROLE_IDS;

interface FakeEnvironment {
  id: number;
  name: string;
  waitTimer: number;
  preventSelfReview: boolean;
  reviewers: { type: 'User'; id: number }[];
  branchRule: { protected_branches: boolean; custom_branch_policies: boolean } | null;
  branchPolicies: { id: number; name: string; type: 'branch' | 'tag' }[];
  variables: Map<string, FakeVariable>;
  /** Each environment has its own key pair, as on GitHub: its secrets are sealed for it alone. */
  secretKey: { keyId: string; publicKey: Uint8Array; privateKey: Uint8Array };
  secrets: Map<string, FakeSecret>;
}

interface FakeSecret {
  encrypted_value: string;
  key_id: string;
}

export interface EnvironmentSeed {
  reviewers?: string[];
  waitTimer?: number;
  preventSelfReview?: boolean;
  branchRule?: { protected_branches: boolean; custom_branch_policies: boolean } | null;
  branchPolicies?: { name: string; type?: 'branch' | 'tag' }[];
  variables?: Record<string, string>;
}

/** The repository's OIDC subject claim template as GitHub stores it. */
export interface OidcSubjectTemplate {
  use_default: boolean;
  include_claim_keys?: string[];
}

export interface FakeGitHub {
  url: string;
  /** The token with every permission the bootstrap needs. */
  token: string;
  requests: RecordedRequest[];
  /** Requests or responses that did not match GitHub's OpenAPI description. */
  violations: string[];
  /** Requests that change something (anything but GET). */
  writes(): RecordedRequest[];
  addUser(login: string, options?: { collaborator?: boolean }): number;
  addToken(token: string, permissions: Permissions): void;
  seedEnvironment(name: string, seed?: EnvironmentSeed): void;
  seedVariable(environment: string | undefined, name: string, value: string): void;
  seedSecret(name: string, value: string): void;
  /** An environment secret sealed with the environment's key, as if an admin had made it in the settings. */
  seedEnvironmentSecret(environment: string, name: string, value: string): void;
  seedOidcSubject(template: OidcSubjectTemplate): void;
  seedRuleset(ruleset: Omit<FakeRuleset, 'id'>): number;
  rulesets(): FakeRuleset[];
  /**
   * Whether a user with `role` may create, move (update) or delete tag `tag`, by the repository's active tag
   * rulesets: a ruleset whose ref_name condition matches refs/tags/<tag> and that has the rule for the operation
   * refuses everyone but its bypass actors.
   */
  mayChangeTag(tag: string, operation: 'creation' | 'update' | 'deletion', role: RepositoryRole): boolean;
  /** The OIDC subject claim template the repository's jobs get tokens with. */
  oidcSubject(): OidcSubjectTemplate;
  /**
   * Whether GitHub would let a job started from `ref` (`refs/heads/<branch>` or `refs/tags/<tag>`) run in
   * `environment`, by the environment's deployment branch rule: no rule lets every ref; custom policies let a branch
   * whose name matches a `branch` policy and a tag whose name matches a `tag` policy (never the other type; `*` and
   * `?` within one path segment, `**` across them); "protected branches" lets none here, as the fake protects no
   * branch. A job naming an environment that does not exist creates it unprotected, so any ref may.
   */
  mayDeploy(environment: string, ref: string): boolean;
  environment(name: string):
    | {
        reviewers: string[];
        waitTimer: number;
        preventSelfReview: boolean;
        branchRule: FakeEnvironment['branchRule'];
        branchPolicies: string[];
      }
    | undefined;
  environmentNames(): string[];
  /** A variable's value; `environment` undefined for the repository. */
  variable(environment: string | undefined, name: string): string | undefined;
  variableNames(environment: string | undefined): string[];
  secretNames(): string[];
  /** Opens a stored secret with the repository's private key; throws when it was not sealed for it. */
  openSecret(name: string): string;
  environmentSecretNames(environment: string): string[];
  /** Opens an environment secret with that environment's private key; throws when it was not sealed for it. */
  openEnvironmentSecret(environment: string, name: string): string;
  close(): Promise<void>;
}

const NOW = '2025-01-02T03:04:05Z';

/**
 * A deployment branch policy's or a ruleset's ref name pattern (File.fnmatch as GitHub uses it): `*` and `?` within
 * a path segment, `**` across segments.
 */
function refNamePattern(pattern: string): RegExp {
  const source = pattern
    .split(/(\*\*|\*|\?)/)
    .map((part) =>
      part === '**'
        ? '.*'
        : part === '*'
          ? '[^/]*'
          : part === '?'
            ? '[^/]'
            : part.replace(/[.+?^${}()|[\]\\]/g, '\\$&'),
    )
    .join('');
  return new RegExp(`^${source}$`);
}

const DOCS = 'https://docs.github.com/rest';

function openSealed(secret: FakeSecret, key: { publicKey: Uint8Array; privateKey: Uint8Array }): string {
  const opened = sodium.crypto_box_seal_open(
    sodium.from_base64(secret.encrypted_value, sodium.base64_variants.ORIGINAL),
    key.publicKey,
    key.privateKey,
  );
  return sodium.to_string(opened);
}

type Send = (status: number, payload?: unknown, headers?: Record<string, string>) => void;
interface Needed {
  name: keyof Permissions;
  level: Level;
}
interface Route {
  method: string;
  template: string;
  /**
   * Fine-grained permission the call needs, as GitHub names it in X-Accepted-GitHub-Permissions; a list when it
   * needs every one of them (environment secrets: Secrets and Environments).
   */
  permission?: Needed | Needed[];
  handle: (params: Record<string, string>, body: Record<string, unknown> | null | undefined, send: Send) => void;
}

function userObject(login: string, id: number): Record<string, unknown> {
  const api = `https://api.github.com/users/${login}`;
  return {
    login,
    id,
    node_id: `U_${id}`,
    avatar_url: `https://avatars.githubusercontent.com/u/${id}?v=4`,
    gravatar_id: '',
    url: api,
    html_url: `https://github.com/${login}`,
    followers_url: `${api}/followers`,
    following_url: `${api}/following{/other_user}`,
    gists_url: `${api}/gists{/gist_id}`,
    starred_url: `${api}/starred{/owner}{/repo}`,
    subscriptions_url: `${api}/subscriptions`,
    organizations_url: `${api}/orgs`,
    repos_url: `${api}/repos`,
    events_url: `${api}/events{/privacy}`,
    received_events_url: `${api}/received_events`,
    type: 'User',
    site_admin: false,
    user_view_type: 'public',
  };
}

export async function startFakeGitHub(fullName: string): Promise<FakeGitHub> {
  await sodium.ready;
  const contract = loadGitHubContract();
  const [owner = '', repo = ''] = fullName.split('/');
  const token = 'github_pat_bootstrap_test_0123456789';
  const tokens = new Map<string, Permissions>([[token, ALL_PERMISSIONS]]);
  const keyPair = sodium.crypto_box_keypair();
  const keyId = '568250167242549743';
  const users = new Map<string, { login: string; id: number; collaborator: boolean }>();
  const environments = new Map<string, FakeEnvironment>();
  const variables = new Map<string, FakeVariable>();
  const secrets = new Map<string, FakeSecret>();
  let oidcSubject: OidcSubjectTemplate = { use_default: true };
  const requests: RecordedRequest[] = [];
  const violations: string[] = [];
  const rulesets = new Map<number, FakeRuleset>();
  let nextId = 1000;

  const userById = (id: number) => [...users.values()].find((u) => u.id === id);
  const environmentJson = (env: FakeEnvironment): Record<string, unknown> => {
    const rules: Record<string, unknown>[] = [];
    if (env.waitTimer > 0) {
      rules.push({ id: env.id * 10 + 1, node_id: `GA_${env.id}1`, type: 'wait_timer', wait_timer: env.waitTimer });
    }
    if (env.reviewers.length > 0) {
      rules.push({
        id: env.id * 10 + 2,
        node_id: `GA_${env.id}2`,
        type: 'required_reviewers',
        prevent_self_review: env.preventSelfReview,
        reviewers: env.reviewers.map((r) => {
          const user = userById(r.id);
          return { type: 'User', reviewer: userObject(user?.login ?? `user${r.id}`, r.id) };
        }),
      });
    }
    if (env.branchRule !== null) rules.push({ id: env.id * 10 + 3, node_id: `GA_${env.id}3`, type: 'branch_policy' });
    return {
      id: env.id,
      node_id: `EN_${env.id}`,
      name: env.name,
      url: `https://api.github.com/repos/${fullName}/environments/${encodeURIComponent(env.name)}`,
      html_url: `https://github.com/${fullName}/deployments/activity_log?environments_filter=${encodeURIComponent(env.name)}`,
      created_at: NOW,
      updated_at: NOW,
      protection_rules: rules,
      deployment_branch_policy: env.branchRule,
    };
  };
  const newEnvironment = (name: string): FakeEnvironment => ({
    id: nextId++,
    name,
    waitTimer: 0,
    preventSelfReview: false,
    reviewers: [],
    branchRule: null,
    branchPolicies: [],
    variables: new Map(),
    secretKey: { keyId: `env-key-${nextId}`, ...sodium.crypto_box_keypair() },
    secrets: new Map(),
  });
  const notFound = (send: Send): void => send(404, { message: 'Not Found', documentation_url: DOCS, status: '404' });
  const invalid = (send: Send, message: string): void => send(422, { message, documentation_url: DOCS, status: '422' });
  const variableJson = (name: string, variable: FakeVariable) => ({ name, ...variable });

  const repositoryRoute = (params: Record<string, string>): boolean =>
    params.owner?.toLowerCase() === owner.toLowerCase() && params.repo?.toLowerCase() === repo.toLowerCase();

  const rulesetSummary = (ruleset: FakeRuleset): Record<string, unknown> => ({
    id: ruleset.id,
    name: ruleset.name,
    target: ruleset.target,
    source_type: 'Repository',
    source: fullName,
    enforcement: ruleset.enforcement,
    node_id: `RRS_${ruleset.id}`,
    _links: {
      self: { href: `https://api.github.com/repos/${fullName}/rulesets/${ruleset.id}` },
      html: { href: `https://github.com/${fullName}/rules/${ruleset.id}` },
    },
    created_at: NOW,
    updated_at: NOW,
  });
  // The list answers summaries (no rules, conditions or bypass actors), as GitHub does; one ruleset has them all.
  const rulesetJson = (ruleset: FakeRuleset): Record<string, unknown> => ({
    ...rulesetSummary(ruleset),
    bypass_actors: ruleset.bypass_actors,
    current_user_can_bypass: 'always',
    conditions: ruleset.conditions,
    rules: ruleset.rules,
  });
  /** Applies a POST or PUT body; a problem GitHub would refuse with 422, else undefined. */
  const writeRuleset = (ruleset: FakeRuleset, body: Record<string, unknown>): string | undefined => {
    const name = typeof body.name === 'string' ? body.name : ruleset.name;
    if (name === '') return 'Name must not be empty.';
    if ([...rulesets.values()].some((other) => other.id !== ruleset.id && other.name === name)) {
      return 'Name must be unique';
    }
    const rules = (body.rules as FakeRuleset['rules'] | undefined) ?? ruleset.rules;
    if (new Set(rules.map((rule) => rule.type)).size !== rules.length) return 'Rules must be unique by type.';
    ruleset.name = name;
    ruleset.target = (body.target as FakeRuleset['target'] | undefined) ?? ruleset.target;
    ruleset.enforcement = (body.enforcement as FakeRuleset['enforcement'] | undefined) ?? ruleset.enforcement;
    ruleset.bypass_actors = (body.bypass_actors as FakeRuleset['bypass_actors'] | undefined) ?? ruleset.bypass_actors;
    ruleset.conditions = (body.conditions as FakeRuleset['conditions'] | undefined) ?? ruleset.conditions;
    ruleset.rules = rules;
    return undefined;
  };

  const routes: Route[] = [
    {
      method: 'GET',
      template: '/repos/{owner}/{repo}/environments/{environment_name}',
      permission: { name: 'actions', level: 'read' },
      handle: (p, _body, send) => {
        const env = environments.get(p.environment_name ?? '');
        if (!env) return notFound(send);
        send(200, environmentJson(env));
      },
    },
    {
      method: 'PUT',
      template: '/repos/{owner}/{repo}/environments/{environment_name}',
      permission: { name: 'administration', level: 'write' },
      handle: (p, body, send) => {
        const name = p.environment_name ?? '';
        const env = environments.get(name) ?? newEnvironment(name);
        const b = body ?? {};
        const reviewers = b.reviewers as { type: string; id: number }[] | null | undefined;
        if (Array.isArray(reviewers)) {
          if (reviewers.length > 6) return invalid(send, 'Only 6 reviewers are allowed per environment.');
          for (const reviewer of reviewers) {
            const user = reviewer.type === 'User' ? userById(reviewer.id) : undefined;
            // The fake knows no teams; GitHub requires every reviewer to have read access to the repository.
            if (!user) return invalid(send, `Reviewer ${reviewer.type} ${reviewer.id} could not be found.`);
            if (!user.collaborator) {
              return invalid(send, `Reviewer ${user.login} must have at least read access to the repository.`);
            }
          }
        }
        const rule = b.deployment_branch_policy as FakeEnvironment['branchRule'] | undefined;
        if (rule && rule.protected_branches === rule.custom_branch_policies) {
          return invalid(send, 'protected_branches and custom_branch_policies cannot have the same value.');
        }
        if (typeof b.wait_timer === 'number' && (b.wait_timer < 0 || b.wait_timer > 43200)) {
          return invalid(send, 'wait_timer must be between 0 and 43200.');
        }
        if (typeof b.wait_timer === 'number') env.waitTimer = b.wait_timer;
        if (typeof b.prevent_self_review === 'boolean') env.preventSelfReview = b.prevent_self_review;
        if (reviewers !== undefined) env.reviewers = (reviewers ?? []).map((r) => ({ type: 'User', id: r.id }));
        if (rule !== undefined) {
          // Leaving custom branch policies drops the policies, as GitHub does.
          if (!rule?.custom_branch_policies) env.branchPolicies = [];
          env.branchRule = rule;
        }
        environments.set(name, env);
        send(200, environmentJson(env));
      },
    },
    {
      method: 'GET',
      template: '/repos/{owner}/{repo}/environments/{environment_name}/deployment-branch-policies',
      permission: { name: 'actions', level: 'read' },
      handle: (p, _body, send) => {
        const env = environments.get(p.environment_name ?? '');
        if (!env) return notFound(send);
        const policies = env.branchPolicies.map((policy) => ({ ...policy, node_id: `BP_${policy.id}` }));
        send(200, { total_count: policies.length, branch_policies: policies });
      },
    },
    {
      method: 'POST',
      template: '/repos/{owner}/{repo}/environments/{environment_name}/deployment-branch-policies',
      permission: { name: 'administration', level: 'write' },
      handle: (p, body, send) => {
        const env = environments.get(p.environment_name ?? '');
        // GitHub: "Not Found or deployment_branch_policy.custom_branch_policies … is set to false".
        if (!env || !env.branchRule?.custom_branch_policies) return notFound(send);
        const name = String(body?.name ?? '');
        const type = body?.type === 'tag' ? 'tag' : 'branch';
        const existing = env.branchPolicies.find((policy) => policy.name === name && policy.type === type);
        if (existing) {
          const location = `/repos/${fullName}/environments/${env.name}/deployment-branch-policies/${existing.id}`;
          return send(303, undefined, { location });
        }
        const policy = { id: nextId++, name, type } as const;
        env.branchPolicies.push(policy);
        send(200, { ...policy, node_id: `BP_${policy.id}` });
      },
    },
    {
      method: 'DELETE',
      template: '/repos/{owner}/{repo}/environments/{environment_name}/deployment-branch-policies/{branch_policy_id}',
      permission: { name: 'administration', level: 'write' },
      handle: (p, _body, send) => {
        const env = environments.get(p.environment_name ?? '');
        const index = env?.branchPolicies.findIndex((policy) => String(policy.id) === p.branch_policy_id) ?? -1;
        if (!env || index < 0) return notFound(send);
        env.branchPolicies.splice(index, 1);
        send(204);
      },
    },
    {
      method: 'GET',
      template: '/users/{username}',
      handle: (p, _body, send) => {
        const user = users.get((p.username ?? '').toLowerCase());
        if (!user) return notFound(send);
        send(200, {
          ...userObject(user.login, user.id),
          name: null,
          company: null,
          blog: '',
          location: null,
          email: null,
          hireable: null,
          bio: null,
          public_repos: 1,
          public_gists: 0,
          followers: 0,
          following: 0,
          created_at: NOW,
          updated_at: NOW,
        });
      },
    },
    {
      method: 'GET',
      template: '/repos/{owner}/{repo}/actions/oidc/customization/sub',
      permission: { name: 'actions', level: 'read' },
      handle: (_p, _body, send) => send(200, oidcSubject),
    },
    {
      method: 'PUT',
      template: '/repos/{owner}/{repo}/actions/oidc/customization/sub',
      permission: { name: 'actions', level: 'write' },
      handle: (_p, body, send) => {
        const useDefault = body?.use_default === true;
        const keys = (body?.include_claim_keys as string[] | undefined) ?? [];
        if (!useDefault) {
          if (keys.length === 0)
            return invalid(send, 'include_claim_keys must not be empty when use_default is false.');
          if (keys.some((key) => !/^\w+$/.test(key)) || new Set(keys).size !== keys.length) {
            return invalid(send, 'include_claim_keys must be unique alphanumeric or underscore strings.');
          }
        }
        // With use_default true GitHub ignores the keys and returns none.
        oidcSubject = useDefault ? { use_default: true } : { use_default: false, include_claim_keys: [...keys] };
        send(201, {});
      },
    },
    {
      // Metadata (read), which every fine-grained token has.
      method: 'GET',
      template: '/repos/{owner}/{repo}/rulesets',
      handle: (_p, _body, send) => send(200, [...rulesets.values()].map(rulesetSummary)),
    },
    {
      method: 'GET',
      template: '/repos/{owner}/{repo}/rulesets/{ruleset_id}',
      handle: (p, _body, send) => {
        const ruleset = rulesets.get(Number(p.ruleset_id));
        if (!ruleset) return notFound(send);
        send(200, rulesetJson(ruleset));
      },
    },
    {
      method: 'POST',
      template: '/repos/{owner}/{repo}/rulesets',
      permission: { name: 'administration', level: 'write' },
      handle: (_p, body, send) => {
        const ruleset: FakeRuleset = {
          id: nextId++,
          name: '',
          target: 'branch',
          enforcement: 'disabled',
          bypass_actors: [],
          conditions: null,
          rules: [],
        };
        const problem = writeRuleset(ruleset, body ?? {});
        if (problem) return send(422, { message: 'Validation Failed', errors: [problem], documentation_url: DOCS });
        rulesets.set(ruleset.id, ruleset);
        send(201, rulesetJson(ruleset));
      },
    },
    {
      method: 'PUT',
      template: '/repos/{owner}/{repo}/rulesets/{ruleset_id}',
      permission: { name: 'administration', level: 'write' },
      handle: (p, body, send) => {
        const current = rulesets.get(Number(p.ruleset_id));
        if (!current) return notFound(send);
        const ruleset = structuredClone(current);
        const problem = writeRuleset(ruleset, body ?? {});
        if (problem) return send(422, { message: 'Validation Failed', errors: [problem], documentation_url: DOCS });
        rulesets.set(ruleset.id, ruleset);
        send(200, rulesetJson(ruleset));
      },
    },
    {
      method: 'GET',
      template: '/repos/{owner}/{repo}/environments/{environment_name}/secrets',
      permission: [
        { name: 'secrets', level: 'read' },
        { name: 'environments', level: 'read' },
      ],
      handle: (p, _body, send) => {
        const env = environments.get(p.environment_name ?? '');
        if (!env) return notFound(send);
        // Names only: GitHub never returns a secret's value.
        const listed = [...env.secrets.keys()].sort().map((name) => ({ name, created_at: NOW, updated_at: NOW }));
        send(200, { total_count: listed.length, secrets: listed });
      },
    },
    {
      method: 'GET',
      template: '/repos/{owner}/{repo}/environments/{environment_name}/secrets/public-key',
      permission: [
        { name: 'secrets', level: 'read' },
        { name: 'environments', level: 'read' },
      ],
      handle: (p, _body, send) => {
        const env = environments.get(p.environment_name ?? '');
        if (!env) return notFound(send);
        const key = sodium.to_base64(env.secretKey.publicKey, sodium.base64_variants.ORIGINAL);
        send(200, { key_id: env.secretKey.keyId, key });
      },
    },
    {
      method: 'PUT',
      template: '/repos/{owner}/{repo}/environments/{environment_name}/secrets/{secret_name}',
      permission: [
        { name: 'secrets', level: 'write' },
        { name: 'environments', level: 'write' },
      ],
      handle: (p, body, send) => {
        const env = environments.get(p.environment_name ?? '');
        if (!env) return notFound(send);
        const name = (p.secret_name ?? '').toUpperCase();
        if (body?.key_id !== env.secretKey.keyId) {
          return invalid(
            send,
            `Bad request - key_id ${String(body?.key_id)} is not the key of environment ${env.name}.`,
          );
        }
        const existed = env.secrets.has(name);
        env.secrets.set(name, { encrypted_value: String(body.encrypted_value), key_id: env.secretKey.keyId });
        if (existed) send(204);
        else send(201, {});
      },
    },
    ...variableRoutes('/repos/{owner}/{repo}/actions/variables', { name: 'variables' }, () => variables),
    ...variableRoutes(
      '/repos/{owner}/{repo}/environments/{environment_name}/variables',
      { name: 'environments' },
      (p) => environments.get(p.environment_name ?? '')?.variables,
    ),
    {
      method: 'GET',
      template: '/repos/{owner}/{repo}/actions/secrets/public-key',
      permission: { name: 'secrets', level: 'read' },
      handle: (_p, _body, send) =>
        send(200, { key_id: keyId, key: sodium.to_base64(keyPair.publicKey, sodium.base64_variants.ORIGINAL) }),
    },
    {
      method: 'GET',
      template: '/repos/{owner}/{repo}/actions/secrets/{secret_name}',
      permission: { name: 'secrets', level: 'read' },
      handle: (p, _body, send) => {
        const name = (p.secret_name ?? '').toUpperCase();
        if (!secrets.has(name)) return notFound(send);
        send(200, { name, created_at: NOW, updated_at: NOW });
      },
    },
    {
      method: 'PUT',
      template: '/repos/{owner}/{repo}/actions/secrets/{secret_name}',
      permission: { name: 'secrets', level: 'write' },
      handle: (p, body, send) => {
        const name = (p.secret_name ?? '').toUpperCase();
        if (body?.key_id !== keyId)
          return invalid(send, `Bad request - key_id ${String(body?.key_id)} is not the repository's key.`);
        const existed = secrets.has(name);
        secrets.set(name, { encrypted_value: String(body.encrypted_value), key_id: keyId });
        if (existed) send(204);
        else send(201, {});
      },
    },
  ];

  function variableRoutes(
    base: string,
    permission: { name: 'variables' | 'environments' },
    store: (params: Record<string, string>) => Map<string, FakeVariable> | undefined,
  ): Route[] {
    return [
      {
        method: 'GET',
        template: `${base}/{name}`,
        permission: { name: permission.name, level: 'read' },
        handle: (p, _body, send) => {
          const name = (p.name ?? '').toUpperCase();
          const variable = store(p)?.get(name);
          if (!variable) return notFound(send);
          send(200, variableJson(name, variable));
        },
      },
      {
        method: 'POST',
        template: base,
        permission: { name: permission.name, level: 'write' },
        handle: (p, body, send) => {
          const map = store(p);
          if (!map) return notFound(send);
          const name = String(body?.name ?? '').toUpperCase();
          if (map.has(name)) return send(409, { message: 'Already exists - Variable already exists', status: '409' });
          map.set(name, { value: String(body?.value ?? ''), created_at: NOW, updated_at: NOW });
          send(201, {});
        },
      },
      {
        method: 'PATCH',
        template: `${base}/{name}`,
        permission: { name: permission.name, level: 'write' },
        handle: (p, body, send) => {
          const name = (p.name ?? '').toUpperCase();
          const variable = store(p)?.get(name);
          if (!variable) return notFound(send);
          if (typeof body?.value === 'string') variable.value = body.value;
          send(204);
        },
      },
    ];
  }

  for (const route of routes) {
    if (!contract.hasOperation(route.method, route.template)) {
      throw new Error(`the fake serves ${route.method} ${route.template}, which GitHub's description does not have`);
    }
  }
  const matchers = routes.map((route) => {
    const names: string[] = [];
    const pattern = route.template.replace(/\{(\w+)\}/g, (_m, name: string) => {
      names.push(name);
      return '([^/]+)';
    });
    return { route, regex: new RegExp(`^${pattern}$`), names };
  });

  const allows = (granted: Permissions, needed: Needed): boolean => {
    const level = granted[needed.name];
    return level === 'write' || level === needed.level;
  };

  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const method = request.method ?? 'GET';
      const path = (request.url ?? '/').split('?')[0] ?? '/';
      const text = Buffer.concat(chunks).toString('utf8');
      let body: unknown;
      let unparsable = false;
      try {
        body = text === '' ? undefined : JSON.parse(text);
      } catch {
        unparsable = true;
      }
      const found = matchers
        .map((m) => ({ ...m, match: m.regex.exec(path) }))
        .find((m) => m.route.method === method && m.match !== null);
      const record: RecordedRequest = {
        method,
        path: decodeURIComponent(path),
        template: found?.route.template,
        headers: request.headers,
        body,
        status: 0,
      };
      requests.push(record);
      const send: Send = (status, payload, headers = {}) => {
        if (found) {
          const problems = contract.responseProblems(method, found.route.template, status, payload);
          violations.push(...problems.map((p) => `fake drifted from GitHub: ${p}`));
        }
        record.status = status;
        const json = payload === undefined ? '' : JSON.stringify(payload);
        response.writeHead(status, {
          ...(json ? { 'content-type': 'application/json; charset=utf-8' } : {}),
          'x-github-request-id': `FAKE:${requests.length}`,
          ...headers,
        });
        response.end(json);
      };

      const auth = request.headers.authorization ?? '';
      const presented = auth.replace(/^(token|Bearer) /, '');
      const granted = tokens.get(presented);
      if (!granted) {
        return send(401, { message: 'Bad credentials', documentation_url: DOCS, status: '401' });
      }
      if (!found) {
        violations.push(`the fake does not serve ${method} ${path}`);
        return notFound(send);
      }
      const params: Record<string, string> = {};
      found.names.forEach((name, i) => (params[name] = decodeURIComponent(found.match?.[i + 1] ?? '')));
      if ('owner' in params && !repositoryRoute(params)) return notFound(send);
      const needed = found.route.permission === undefined ? [] : [found.route.permission].flat();
      if (!needed.every((permission) => allows(granted, permission))) {
        // One set of permissions, all of them needed: `secrets=write,environments=write`.
        return send(
          403,
          { message: 'Resource not accessible by personal access token', documentation_url: DOCS, status: '403' },
          { 'x-accepted-github-permissions': needed.map(({ name, level }) => `${name}=${level}`).join(',') },
        );
      }
      const problems = unparsable
        ? [`${method} ${found.route.template}: the body is not JSON`]
        : contract.requestProblems(method, found.route.template, body);
      if (problems.length > 0) {
        violations.push(...problems);
        return send(422, { message: 'Invalid request.', documentation_url: DOCS, status: '422' });
      }
      found.route.handle(params, body as Record<string, unknown> | null | undefined, send);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  const environmentOf = (name: string): FakeEnvironment => {
    const env = environments.get(name);
    if (!env) throw new Error(`the fake has no environment ${name}`);
    return env;
  };
  const userId = (login: string): number => {
    const user = users.get(login.toLowerCase());
    if (!user) throw new Error(`the fake has no user ${login}`);
    return user.id;
  };

  return {
    url: `http://127.0.0.1:${port}`,
    token,
    requests,
    violations,
    writes: () => requests.filter((r) => r.method !== 'GET'),
    addUser(login, options = {}) {
      const id = 5000 + users.size;
      users.set(login.toLowerCase(), { login, id, collaborator: options.collaborator ?? true });
      return id;
    },
    addToken: (value, permissions) => void tokens.set(value, permissions),
    seedEnvironment(name, seed = {}) {
      const env = environments.get(name) ?? newEnvironment(name);
      env.reviewers = (seed.reviewers ?? []).map((login) => ({ type: 'User', id: userId(login) }));
      env.waitTimer = seed.waitTimer ?? 0;
      env.preventSelfReview = seed.preventSelfReview ?? false;
      env.branchRule = seed.branchRule ?? null;
      env.branchPolicies = (seed.branchPolicies ?? []).map((p) => ({
        id: nextId++,
        name: p.name,
        type: p.type ?? 'branch',
      }));
      for (const [key, value] of Object.entries(seed.variables ?? {})) {
        env.variables.set(key, { value, created_at: NOW, updated_at: NOW });
      }
      environments.set(name, env);
    },
    seedVariable(environment, name, value) {
      const map = environment === undefined ? variables : environmentOf(environment).variables;
      map.set(name, { value, created_at: NOW, updated_at: NOW });
    },
    seedSecret(name, value) {
      const sealed = sodium.crypto_box_seal(sodium.from_string(value), keyPair.publicKey);
      secrets.set(name, { encrypted_value: sodium.to_base64(sealed, sodium.base64_variants.ORIGINAL), key_id: keyId });
    },
    seedEnvironmentSecret(environment, name, value) {
      const env = environmentOf(environment);
      const sealed = sodium.crypto_box_seal(sodium.from_string(value), env.secretKey.publicKey);
      env.secrets.set(name, {
        encrypted_value: sodium.to_base64(sealed, sodium.base64_variants.ORIGINAL),
        key_id: env.secretKey.keyId,
      });
    },
    environment(name) {
      const env = environments.get(name);
      if (!env) return undefined;
      return {
        reviewers: env.reviewers.map((r) => userById(r.id)?.login ?? String(r.id)),
        waitTimer: env.waitTimer,
        preventSelfReview: env.preventSelfReview,
        branchRule: env.branchRule,
        branchPolicies: env.branchPolicies.map((p) => `${p.type}:${p.name}`),
      };
    },
    seedOidcSubject: (template) => void (oidcSubject = structuredClone(template)),
    oidcSubject: () => structuredClone(oidcSubject),
    mayDeploy(name, ref) {
      const [, kind, refName] = /^refs\/(heads|tags)\/(.+)$/.exec(ref) ?? [];
      if (refName === undefined) throw new Error(`mayDeploy takes refs/heads/<branch> or refs/tags/<tag>, not ${ref}`);
      const type = kind === 'tags' ? 'tag' : 'branch';
      const env = environments.get(name);
      if (!env || env.branchRule === null) return true;
      if (!env.branchRule.custom_branch_policies) return false;
      return env.branchPolicies.some((policy) => policy.type === type && refNamePattern(policy.name).test(refName));
    },
    seedRuleset(ruleset) {
      const id = nextId++;
      rulesets.set(id, { ...structuredClone(ruleset), id });
      return id;
    },
    rulesets: () => [...rulesets.values()].map((ruleset) => structuredClone(ruleset)),
    mayChangeTag(tag, operation, role) {
      const ref = `refs/tags/${tag}`;
      const matches = (patterns: string[] | undefined): boolean =>
        (patterns ?? []).some((pattern) => pattern === '~ALL' || refNamePattern(pattern).test(ref));
      return [...rulesets.values()].every(
        (ruleset) =>
          ruleset.target !== 'tag' ||
          ruleset.enforcement !== 'active' ||
          !matches(ruleset.conditions?.ref_name?.include) ||
          matches(ruleset.conditions?.ref_name?.exclude) ||
          !ruleset.rules.some((rule) => rule.type === operation) ||
          ruleset.bypass_actors.some(
            (actor) => actor.actor_type === 'RepositoryRole' && actor.actor_id === REPOSITORY_ROLE_IDS[role],
          ),
      );
    },
    environmentNames: () => [...environments.keys()].sort(),
    variable: (environment, name) =>
      (environment === undefined ? variables : environments.get(environment)?.variables)?.get(name)?.value,
    variableNames: (environment) =>
      [...((environment === undefined ? variables : environments.get(environment)?.variables)?.keys() ?? [])].sort(),
    secretNames: () => [...secrets.keys()].sort(),
    openSecret(name) {
      const secret = secrets.get(name);
      if (!secret) throw new Error(`the fake has no secret ${name}`);
      return openSealed(secret, keyPair);
    },
    environmentSecretNames: (environment) => [...(environments.get(environment)?.secrets.keys() ?? [])].sort(),
    openEnvironmentSecret(environment, name) {
      const env = environmentOf(environment);
      const secret = env.secrets.get(name);
      if (!secret) throw new Error(`the fake has no secret ${name} in environment ${environment}`);
      return openSealed(secret, env.secretKey);
    },
    close: () => new Promise<void>((resolve, reject) => server.close((error) => (error ? reject(error) : resolve()))),
  };
}
