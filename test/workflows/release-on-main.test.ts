import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createStepRunner } from './run-step';
import { asMap, jobsOf, loadSource, repoRoot, type JobView, type StepView } from './workflow-files';

// A `v*.*.*` tag can be pushed on any commit; release.yml publishes it and moves the major tag every `@v1` user runs.
const release = loadSource(join(repoRoot, '.github/workflows/release.yml'), 'workflow');
const jobs = new Map(jobsOf(release).map((job) => [job.id, job]));
const runner = createStepRunner();
const work = mkdtempSync(join(tmpdir(), 'berth-release-'));

function job(id: string): JobView {
  const found = jobs.get(id);
  if (found === undefined) throw new Error(`release.yml has no job ${id}`);
  return found;
}

function onMainStep(found: JobView): StepView {
  const step = found.steps.find((candidate) => candidate.run?.includes('.github/scripts/require-on-main.sh'));
  if (step === undefined) throw new Error(`job ${found.id} runs no .github/scripts/require-on-main.sh`);
  return step;
}

const gitEnv = {
  GIT_AUTHOR_NAME: 'Berth Test',
  GIT_AUTHOR_EMAIL: 'test@example.com',
  GIT_COMMITTER_NAME: 'Berth Test',
  GIT_COMMITTER_EMAIL: 'test@example.com',
  GIT_CONFIG_NOSYSTEM: '1',
  HOME: work,
};

function git(cwd: string, ...args: string[]): string {
  return execFileSync('git', args, { cwd, env: { ...process.env, ...gitEnv }, encoding: 'utf8' }).trim();
}

function commit(cwd: string, file: string): string {
  writeFileSync(join(cwd, file), file);
  git(cwd, 'add', file);
  git(cwd, 'commit', '-q', '-m', file);
  return git(cwd, 'rev-parse', 'HEAD');
}

const shas = { merged: '', unmerged: '' };
let clone = '';

// A remote with main and an unmerged branch, each tagged, checked out the way actions/checkout does with
// fetch-depth: 0 (every branch as origin/*, the tags), at the tag that started the run.
beforeAll(() => {
  const author = join(work, 'author');
  mkdirSync(author);
  git(author, 'init', '-q', '-b', 'main');
  // The checkout holds the script the step runs, as Berth's does.
  mkdirSync(join(author, '.github/scripts'), { recursive: true });
  copyFileSync(
    join(repoRoot, '.github/scripts/require-on-main.sh'),
    join(author, '.github/scripts/require-on-main.sh'),
  );
  git(author, 'add', '.github');
  commit(author, 'one');
  shas.merged = commit(author, 'two');
  git(author, 'tag', 'v1.2.0');
  git(author, 'checkout', '-q', '-b', 'feature');
  shas.unmerged = commit(author, 'three');
  git(author, 'tag', 'v1.3.0');
  git(author, 'checkout', '-q', 'main');
  commit(author, 'four');
  git(work, 'clone', '-q', '--bare', author, 'origin.git');
  clone = join(work, 'checkout');
  git(work, 'clone', '-q', join(work, 'origin.git'), clone);
  git(clone, 'checkout', '-q', '--detach', 'v1.3.0');
});

afterAll(() => {
  runner.dispose();
  rmSync(work, { recursive: true, force: true });
});

describe('release.yml publishes only commits on main', () => {
  const check = (sha: string, tag: string, cwd = clone) =>
    runner.run(onMainStep(job('publish')), { cwd, env: { RELEASE_SHA: sha, TAG: tag } });

  it('release from a commit not on main fails', () => {
    const run = check(shas.unmerged, 'v1.3.0');
    expect(run.status).toBe(1);
    expect(run.stdout).toContain(`::error title=v1.3.0 is not on main::v1.3.0 points at ${shas.unmerged}`);
    expect(run.stdout).toContain('git push --delete origin v1.3.0');
  });

  it('a release of a commit on main goes ahead', () => {
    const run = check(shas.merged, 'v1.2.0');
    expect(run.stdout).toContain(`v1.2.0 (${shas.merged}) is on main.`);
    expect(run.status).toBe(0);
  });

  it('a shallow checkout, which cannot tell, is refused', () => {
    const shallow = join(work, 'shallow');
    git(work, 'clone', '-q', '--depth', '1', `file://${join(work, 'origin.git')}`, shallow);
    const run = check(shas.merged, 'v1.2.0', shallow);
    expect(run.status).toBe(1);
    expect(run.stdout).toContain('check out with fetch-depth: 0');
  });

  it('checks before the tests and again right before publishing, from a full checkout', () => {
    for (const id of ['verify', 'publish']) {
      const found = job(id);
      const step = onMainStep(found);
      expect(step.env).toEqual({ RELEASE_SHA: '${{ github.sha }}', TAG: '${{ github.ref_name }}' });
      const checkout = found.steps.find((candidate) => candidate.uses?.startsWith('actions/checkout@'));
      expect(checkout?.with).toMatchObject({ 'fetch-depth': 0, 'persist-credentials': false });
      const index = found.steps.indexOf(step);
      expect(index, id).toBe(found.steps.indexOf(checkout as StepView) + 1);
    }
  });

  it('publishes in the reviewed release environment, which only a v* tag may deploy to', () => {
    const publish = job('publish');
    expect(publish.raw.environment).toBe('release');
    expect(publish.raw.needs).toEqual(['verify']);
    expect(asMap(publish.raw.permissions)).toEqual({ contents: 'write' });
    expect(job('verify').raw.environment).toBeUndefined();
  });
});
