import { describe, expect, it } from 'vitest';
import { runBootstrap } from '../bootstrap.ts';
import { parseOptions, type PathKind } from '../options.ts';

const env = { GITHUB_TOKEN: 'github_pat_x' };
const paths: PathKind = (path) =>
  path.endsWith('.json') && !path.includes('missing') ? 'file' : path.endsWith('dir') ? 'directory' : undefined;

function problemsOf(argv: string[], environment: NodeJS.ProcessEnv = env): string[] {
  const parsed = parseOptions(argv, environment, paths);
  if (parsed.kind !== 'problems') throw new Error(`expected problems, got ${parsed.kind}`);
  return parsed.problems;
}

describe('parseOptions', () => {
  it('reads a full command line', () => {
    const parsed = parseOptions(
      [
        '--repository',
        'octo-org/berth',
        '--terraform-outputs=storage.json',
        '--reviewers',
        '@alice, bob',
        '--platform-outputs',
        'prod=prod.json',
        '--platform-outputs',
        'dev=dev.json',
        '--dry-run',
      ],
      { GITHUB_TOKEN: ' github_pat_x ', GITHUB_API_URL: 'https://ghe.example.com/api/v3/' },
      paths,
    );
    expect(parsed).toEqual({
      kind: 'options',
      options: {
        repository: { owner: 'octo-org', repo: 'berth' },
        storageOutputs: { kind: 'file', path: 'storage.json' },
        reviewers: ['alice', 'bob'],
        platformOutputs: [
          { environment: 'prod', path: 'prod.json' },
          { environment: 'dev', path: 'dev.json' },
        ],
        dryRun: true,
        token: 'github_pat_x',
        apiUrl: 'https://ghe.example.com/api/v3',
      },
    });
  });

  it('defaults to api.github.com, no reviewers (left as they are) and a real run', () => {
    const parsed = parseOptions(['--repository', 'o/r', '--terraform-dir', 'tfdir'], env, paths);
    expect(parsed).toMatchObject({
      kind: 'options',
      options: {
        storageOutputs: { kind: 'terraform-dir', path: 'tfdir' },
        reviewers: undefined,
        dryRun: false,
        apiUrl: 'https://api.github.com',
      },
    });
  });

  it('reports every problem of a bad command line at once, each saying what to do', () => {
    const problems = problemsOf(
      [
        '--repository',
        'not-a-repository',
        '--terraform-outputs',
        'missing.json',
        '--terraform-dir',
        'tfdir',
        '--reviewers',
        'alice,-bad-,ALICE',
        '--platform-outputs',
        'qa=qa.json',
        '--platform-outputs',
        'prod',
        '--platform-outputs',
        'dev=missing-dev.json',
        '--dry-run=maybe',
        '--verbose',
        'stray',
      ],
      { GITHUB_API_URL: 'ftp://example.com' },
    );
    expect(problems).toEqual([
      '--dry-run takes no value (or =true / =false), got "maybe"',
      'unknown option --verbose; the options are --repository, --terraform-outputs, --terraform-dir, --reviewers, ' +
        '--platform-outputs, --dry-run, --help',
      'unexpected argument "stray": every value follows its option, e.g. --repository stray',
      '--repository "not-a-repository" is not OWNER/NAME (e.g. octo-org/berth)',
      'give either --terraform-outputs FILE or --terraform-dir DIR, not both',
      '--reviewers: "-bad-" is not a GitHub login (letters, digits and single hyphens, at most 39 characters)',
      '--reviewers names "ALICE" twice',
      '--platform-outputs "qa=qa.json": "qa" is not one of dev, staging, prod',
      '--platform-outputs "prod" is not ENV=FILE (e.g. --platform-outputs prod=prod-outputs.json)',
      '--platform-outputs dev=missing-dev.json: no such file; save it with ' +
        '`terraform -chdir=terraform/platform output -json > FILE` after initialising against that environment',
      'GITHUB_TOKEN is not set: export a fine-grained personal access token (or GitHub App token) that may ' +
        'administer the repository; see docs/runbook.md for the permissions',
      'GITHUB_API_URL "ftp://example.com" is not an http(s) URL (GitHub Enterprise Server: https://HOST/api/v3)',
    ]);
  });

  it('names the required options when nothing is given', () => {
    expect(problemsOf([])).toEqual([
      '--repository OWNER/NAME is required: the repository to prepare, e.g. --repository octo-org/berth',
      "the storage root's outputs are required: --terraform-outputs FILE (saved `terraform output -json`) " +
        'or --terraform-dir DIR (where `terraform output -json` can run)',
    ]);
  });

  it('refuses missing files and directories, empty or too many reviewers, repeated and valueless options', () => {
    expect(
      problemsOf([
        '--repository',
        'o/r',
        '--repository',
        'o/s',
        '--terraform-outputs',
        'missing.json',
        '--reviewers',
        ' , ',
        '--platform-outputs',
        'prod=a.json',
        '--platform-outputs',
        'prod=b.json',
      ]),
    ).toEqual([
      '--repository is given 2 times; give it once',
      '--terraform-outputs missing.json: no such file; save it with `terraform -chdir=terraform/storage output ' +
        '-json > FILE`, or pass --terraform-dir terraform/storage',
      '--reviewers is empty: name at least one GitHub login, e.g. --reviewers alice,bob',
      '--platform-outputs is given twice for prod; give one file per environment',
    ]);
    expect(problemsOf(['--repository', 'o/r', '--terraform-dir', 'nowhere', '--reviewers', 'a,b,c,d,e,f,g'])).toEqual([
      '--terraform-dir nowhere: no such directory',
      '--reviewers names 7 users; GitHub allows at most 6 per environment',
    ]);
    expect(problemsOf(['--terraform-outputs', '--repository', 'o/r'])).toContain('--terraform-outputs needs a value');
  });

  it('answers --help before anything else', () => {
    expect(parseOptions(['--bogus', '--help'], {}, paths)).toEqual({ kind: 'help' });
  });
});

describe('runBootstrap --help', () => {
  it('prints the usage and exits 0 without reading anything', async () => {
    const out: string[] = [];
    const code = await runBootstrap(
      ['--help'],
      {},
      {
        runTerraform: () => Promise.reject(new Error('must not run')),
        pathKind: paths,
        connect: () => {
          throw new Error('must not connect');
        },
        out: (line) => out.push(line),
        err: (line) => out.push(line),
      },
    );
    expect(code).toBe(0);
    expect(out.join('\n')).toContain('Usage: npm run bootstrap -- --repository OWNER/NAME');
    expect(out.join('\n')).toContain('--platform-outputs ENV=FILE');
  });
});

describe('runBootstrap with a bad command line', () => {
  it('prints every problem, touches nothing and exits 2', async () => {
    const out: string[] = [];
    const err: string[] = [];
    const code = await runBootstrap(
      ['--reviewers', 'a b'],
      {},
      {
        runTerraform: () => Promise.reject(new Error('must not run')),
        pathKind: paths,
        connect: () => {
          throw new Error('must not connect');
        },
        out: (line) => out.push(line),
        err: (line) => err.push(line),
      },
    );
    expect(code).toBe(2);
    expect(out).toEqual([]);
    expect(err[0]).toBe('bootstrap: the command line cannot be used (4 problems):');
    expect(err).toContain(
      '  - GITHUB_TOKEN is not set: export a fine-grained personal access token (or GitHub App token) that may administer the repository; see docs/runbook.md for the permissions',
    );
    expect(err.at(-1)).toBe(
      'Nothing was read from or written to GitHub. Run `npm run bootstrap -- --help` for the usage.',
    );
  });
});
