import { DEPLOY_ENVIRONMENTS, isDeployEnvironment, type DeployEnvironment } from './names.ts';

export interface Repository {
  owner: string;
  repo: string;
}

export interface BootstrapOptions {
  repository: Repository;
  /** Where the storage root's outputs come from. */
  storageOutputs: { kind: 'file'; path: string } | { kind: 'terraform-dir'; path: string };
  /** GitHub logins required to approve staging, prod, bootstrap and release; undefined keeps the current ones. */
  reviewers: string[] | undefined;
  platformOutputs: { environment: DeployEnvironment; path: string }[];
  dryRun: boolean;
  token: string;
  apiUrl: string;
}

export type ParsedOptions =
  { kind: 'options'; options: BootstrapOptions } | { kind: 'help' } | { kind: 'problems'; problems: string[] };

/** What exists at a path, injected so parsing stays free of I/O. */
export type PathKind = (path: string) => 'file' | 'directory' | undefined;

export const USAGE = `Usage: npm run bootstrap -- --repository OWNER/NAME (--terraform-outputs FILE | --terraform-dir DIR)
                            [--reviewers LOGIN,LOGIN] [--platform-outputs ENV=FILE]... [--dry-run]

Makes a repository's GitHub side match Berth's needs: the environments dev, staging, prod, bootstrap and
release, required reviewers (with self-review prevented) on staging, prod, bootstrap and release, a tag ruleset
that lets only repository admins create, move or delete v* tags, deployments to release only from v* tags and
to the others only from the branch main, the OIDC subject claim template (repo, context, job_workflow_ref), the
role, region and notifier variables, the ECR URL secrets, and a random PLAN_ENCRYPTION_KEY in dev, staging and
prod where they have none.

  --repository OWNER/NAME      the repository (fork) to prepare
  --terraform-outputs FILE     \`terraform output -json\` of terraform/storage, saved to FILE
  --terraform-dir DIR          run \`terraform output -json\` in DIR instead (initialised against the storage state)
  --reviewers LOGIN,LOGIN      GitHub users who must approve jobs in staging, prod, bootstrap and release (at
                               most 6); without it their current reviewers are kept (and named in the plan),
                               and an environment that has none is refused
  --platform-outputs ENV=FILE  \`terraform output -json\` of terraform/platform for ENV (dev, staging or prod):
                               sets that environment's NOTIFIER_URL; repeat per environment
  --dry-run                    read everything, print the plan, write nothing
  --help                       print this text

Environment: GITHUB_TOKEN (required; a token that may administer the repository), GITHUB_API_URL
(default https://api.github.com; GitHub Enterprise Server: https://HOST/api/v3).`;

const VALUE_FLAGS = ['--repository', '--terraform-outputs', '--terraform-dir', '--reviewers', '--platform-outputs'];
const BOOLEAN_FLAGS = ['--dry-run', '--help'];
const MAX_REVIEWERS = 6;
const LOGIN = /^[A-Za-z\d](?:[A-Za-z\d]|-(?=[A-Za-z\d])){0,38}$/;
const REPOSITORY = /^([A-Za-z\d](?:[A-Za-z\d-]{0,38}))\/([\w.-]{1,100})$/;

/** Splits `--flag value` and `--flag=value` pairs; every unknown flag or stray word becomes a problem. */
function readFlags(argv: readonly string[], problems: string[]): Map<string, string[]> {
  const flags = new Map<string, string[]>();
  const add = (flag: string, value: string): void => void flags.set(flag, [...(flags.get(flag) ?? []), value]);
  for (let i = 0; i < argv.length; i++) {
    const word = argv[i] ?? '';
    const eq = word.indexOf('=');
    const flag = word.startsWith('--') && eq > 0 ? word.slice(0, eq) : word;
    const inline = word.startsWith('--') && eq > 0 ? word.slice(eq + 1) : undefined;
    if (VALUE_FLAGS.includes(flag)) {
      const next = argv[i + 1];
      if (inline !== undefined) add(flag, inline);
      else if (next !== undefined && !next.startsWith('--')) add(flag, argv[++i] ?? '');
      else problems.push(`${flag} needs a value`);
    } else if (BOOLEAN_FLAGS.includes(flag)) {
      if (inline === undefined || inline === 'true') add(flag, 'true');
      else if (inline === 'false') add(flag, 'false');
      else problems.push(`${flag} takes no value (or =true / =false), got "${inline}"`);
    } else if (word.startsWith('-')) {
      problems.push(`unknown option ${flag}; the options are ${[...VALUE_FLAGS, ...BOOLEAN_FLAGS].join(', ')}`);
    } else {
      problems.push(`unexpected argument "${word}": every value follows its option, e.g. --repository ${word}`);
    }
  }
  return flags;
}

function single(flags: Map<string, string[]>, flag: string, problems: string[]): string | undefined {
  const values = flags.get(flag) ?? [];
  if (values.length > 1) problems.push(`${flag} is given ${values.length} times; give it once`);
  return values[values.length - 1];
}

function parseRepository(value: string | undefined, problems: string[]): Repository {
  const match = value === undefined ? null : REPOSITORY.exec(value.trim());
  if (value === undefined) {
    problems.push('--repository OWNER/NAME is required: the repository to prepare, e.g. --repository octo-org/berth');
  } else if (!match) {
    problems.push(`--repository "${value}" is not OWNER/NAME (e.g. octo-org/berth)`);
  }
  return { owner: match?.[1] ?? '', repo: match?.[2] ?? '' };
}

function parseReviewers(values: string[] | undefined, problems: string[]): string[] | undefined {
  if (values === undefined) return undefined;
  const logins = values
    .flatMap((value) => value.split(','))
    .map((login) => login.trim().replace(/^@/, ''))
    .filter((login) => login !== '');
  if (logins.length === 0) {
    problems.push('--reviewers is empty: name at least one GitHub login, e.g. --reviewers alice,bob');
  }
  for (const login of logins) {
    if (!LOGIN.test(login)) {
      problems.push(
        `--reviewers: "${login}" is not a GitHub login (letters, digits and single hyphens, at most 39 characters)`,
      );
    }
  }
  const seen = new Set<string>();
  for (const login of logins) {
    const key = login.toLowerCase();
    if (seen.has(key)) problems.push(`--reviewers names "${login}" twice`);
    seen.add(key);
  }
  if (logins.length > MAX_REVIEWERS) {
    problems.push(`--reviewers names ${logins.length} users; GitHub allows at most ${MAX_REVIEWERS} per environment`);
  }
  return logins;
}

function parsePlatformOutputs(
  values: string[],
  pathKind: PathKind,
  problems: string[],
): BootstrapOptions['platformOutputs'] {
  const result: BootstrapOptions['platformOutputs'] = [];
  for (const value of values) {
    const eq = value.indexOf('=');
    const environment = eq < 0 ? '' : value.slice(0, eq).trim();
    const path = eq < 0 ? '' : value.slice(eq + 1).trim();
    if (eq < 0 || path === '') {
      problems.push(`--platform-outputs "${value}" is not ENV=FILE (e.g. --platform-outputs prod=prod-outputs.json)`);
      continue;
    }
    if (!isDeployEnvironment(environment)) {
      problems.push(`--platform-outputs "${value}": "${environment}" is not one of ${DEPLOY_ENVIRONMENTS.join(', ')}`);
      continue;
    }
    if (result.some((entry) => entry.environment === environment)) {
      problems.push(`--platform-outputs is given twice for ${environment}; give one file per environment`);
      continue;
    }
    if (pathKind(path) !== 'file') {
      problems.push(
        `--platform-outputs ${environment}=${path}: no such file; save it with ` +
          '`terraform -chdir=terraform/platform output -json > FILE` after initialising against that environment',
      );
    }
    result.push({ environment, path });
  }
  return result;
}

function parseApiUrl(value: string | undefined, problems: string[]): string {
  const url = (value ?? '').trim() || 'https://api.github.com';
  try {
    const parsed = new URL(url);
    if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') throw new Error('not http(s)');
  } catch {
    problems.push(`GITHUB_API_URL "${url}" is not an http(s) URL (GitHub Enterprise Server: https://HOST/api/v3)`);
  }
  return url.replace(/\/+$/, '');
}

/**
 * Reads the command line and environment. Every problem is reported at once, each saying what to change.
 */
export function parseOptions(argv: readonly string[], env: NodeJS.ProcessEnv, pathKind: PathKind): ParsedOptions {
  const problems: string[] = [];
  const flags = readFlags(argv, problems);
  if (flags.get('--help')?.includes('true')) return { kind: 'help' };

  const repository = parseRepository(single(flags, '--repository', problems), problems);

  const outputsFile = single(flags, '--terraform-outputs', problems);
  const terraformDir = single(flags, '--terraform-dir', problems);
  let storageOutputs: BootstrapOptions['storageOutputs'] = { kind: 'file', path: '' };
  if (outputsFile !== undefined && terraformDir !== undefined) {
    problems.push('give either --terraform-outputs FILE or --terraform-dir DIR, not both');
  } else if (outputsFile !== undefined) {
    storageOutputs = { kind: 'file', path: outputsFile };
    if (pathKind(outputsFile) !== 'file') {
      problems.push(
        `--terraform-outputs ${outputsFile}: no such file; save it with ` +
          '`terraform -chdir=terraform/storage output -json > FILE`, or pass --terraform-dir terraform/storage',
      );
    }
  } else if (terraformDir !== undefined) {
    storageOutputs = { kind: 'terraform-dir', path: terraformDir };
    if (pathKind(terraformDir) !== 'directory') problems.push(`--terraform-dir ${terraformDir}: no such directory`);
  } else {
    problems.push(
      "the storage root's outputs are required: --terraform-outputs FILE (saved `terraform output -json`) " +
        'or --terraform-dir DIR (where `terraform output -json` can run)',
    );
  }

  const reviewers = parseReviewers(flags.get('--reviewers'), problems);
  const platformOutputs = parsePlatformOutputs(flags.get('--platform-outputs') ?? [], pathKind, problems);
  const dryRun = single(flags, '--dry-run', problems) === 'true';

  const token = (env.GITHUB_TOKEN ?? '').trim();
  if (token === '') {
    problems.push(
      'GITHUB_TOKEN is not set: export a fine-grained personal access token (or GitHub App token) that may ' +
        'administer the repository; see docs/runbook.md for the permissions',
    );
  }
  const apiUrl = parseApiUrl(env.GITHUB_API_URL, problems);

  if (problems.length > 0) return { kind: 'problems', problems };
  return {
    kind: 'options',
    options: { repository, storageOutputs, reviewers, platformOutputs, dryRun, token, apiUrl },
  };
}
