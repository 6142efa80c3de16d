import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeGitHub, type FakeGitHub } from './fake-github.ts';
import { REPOSITORY, storageOutputsFile } from './run-bootstrap.ts';

const root = join(import.meta.dirname, '..', '..');
const cli = join(import.meta.dirname, '..', 'cli.ts');

/**
 * The command in a process of its own, with the production Octokit client: through `npm run -s bootstrap --` as a
 * user types it, or (faster, for the other cases) straight through tsx.
 */
function bootstrapProcess(
  args: string[],
  env: Record<string, string>,
  via: 'npm' | 'node' = 'node',
): Promise<{ code: number; stdout: string; stderr: string }> {
  const [program, prefix] =
    via === 'npm' ? ['npm', ['run', '-s', 'bootstrap', '--']] : [process.execPath, ['--import', 'tsx', cli]];
  return new Promise((resolve) => {
    execFile(
      program,
      [...prefix, ...args],
      { cwd: root, env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...env }, encoding: 'utf8' },
      (error, stdout, stderr) => {
        const code = error && typeof error.code === 'number' ? error.code : error ? 1 : 0;
        resolve({ code, stdout, stderr });
      },
    );
  });
}

describe('npm run bootstrap', () => {
  let fake: FakeGitHub;
  beforeAll(async () => {
    fake = await startFakeGitHub(REPOSITORY);
    fake.addUser('alice');
  });
  afterAll(() => fake.close());

  it('plans with the production client through `npm run`, and exits 1 with the 401 explanation for a bad token', async () => {
    const [planned, denied] = await Promise.all([
      bootstrapProcess(
        ['--repository', REPOSITORY, '--terraform-outputs', storageOutputsFile, '--reviewers', 'alice', '--dry-run'],
        { GITHUB_TOKEN: fake.token, GITHUB_API_URL: fake.url },
        'npm',
      ),
      bootstrapProcess(['--repository', REPOSITORY, '--terraform-outputs', storageOutputsFile], {
        GITHUB_TOKEN: 'github_pat_expired',
        GITHUB_API_URL: fake.url,
      }),
    ]);
    expect(planned.stderr).toBe('');
    expect(planned.code).toBe(0);
    expect(planned.stdout).toContain(`Plan for ${REPOSITORY} (dry run: nothing is written):`);
    expect(fake.writes()).toEqual([]);
    expect(fake.requests.find((r) => r.status === 200)?.headers['user-agent']).toMatch(/^berth-bootstrap /);
    expect(fake.violations).toEqual([]);
    expect(denied.code).toBe(1);
    expect(denied.stderr).toContain('GitHub rejected the token in GITHUB_TOKEN (401 Bad credentials)');
  });
});
