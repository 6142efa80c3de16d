import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Octokit } from '@octokit/rest';
import { runBootstrap } from '../bootstrap.ts';
import { realDependencies, type CreateClient } from '../dependencies.ts';
import type { FakeGitHub } from './fake-github.ts';

export const REPOSITORY = 'octo-org/berth-fork';
export const fixtures = join(import.meta.dirname, 'fixtures');
export const storageOutputsFile = join(fixtures, 'storage-outputs.json');

export interface RunResult {
  code: number;
  out: string;
  err: string;
  /** Everything printed, stdout then stderr. */
  all: string;
  /** The job summary written, when GITHUB_STEP_SUMMARY was set. */
  summary: string;
}

/**
 * Plain Octokit: the production client's retries and one-second pacing of writes (ecr-secret-sync's, tested there)
 * would only make these tests slow. The CLI test runs the production client.
 */
const plainClient: CreateClient = (options) =>
  new Octokit({ auth: options.token, baseUrl: options.apiUrl, log: { debug() {}, info() {}, warn() {}, error() {} } });

/** Runs the command in-process with the real wiring (Octokit, files, Terraform) against the fake GitHub. */
export async function runAgainst(
  fake: FakeGitHub,
  args: string[],
  env: Record<string, string | undefined> = {},
): Promise<RunResult> {
  const out: string[] = [];
  const err: string[] = [];
  const dir = mkdtempSync(join(tmpdir(), 'bootstrap-summary-'));
  const summaryFile = join(dir, 'summary.md');
  writeFileSync(summaryFile, '');
  try {
    const code = await runBootstrap(
      args,
      { GITHUB_TOKEN: fake.token, GITHUB_API_URL: fake.url, GITHUB_STEP_SUMMARY: summaryFile, ...env },
      realDependencies(
        (line) => out.push(line),
        (line) => err.push(line),
        plainClient,
      ),
    );
    const summary = readFileSync(summaryFile, 'utf8');
    return { code, out: out.join('\n'), err: err.join('\n'), all: [...out, ...err].join('\n'), summary };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The usual arguments: the fixture storage outputs and the reviewers. */
export function standardArgs(reviewers = 'alice', ...extra: string[]): string[] {
  return ['--repository', REPOSITORY, '--terraform-outputs', storageOutputsFile, '--reviewers', reviewers, ...extra];
}
