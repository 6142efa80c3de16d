import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { getOctokit } from '@actions/github';
import { afterEach, describe, expect, it } from 'vitest';
import { actionInputDefaults } from '@berth/kit/testing/action-metadata';
import { runActionFromSource } from '@berth/kit/testing/run-source';
import { COMMENT_MARKER, run, type ReviewDependencies } from '../src/main';
import { BOT, startFakeGitHub, type FakeGitHub } from './fake-github';

// run() from source, as the runner runs the bundle: inputs, outputs, summary and exit code.
const actionDir = join(import.meta.dirname, '..');
const defaults = actionInputDefaults(actionDir);
const dir = mkdtempSync(join(tmpdir(), 'plan-review-action-'));
const context: ReviewDependencies['context'] = {
  repository: { owner: 'acme', repo: 'berth' },
  pullRequest: { number: 7, headRepository: 'stranger/berth' },
  serverUrl: 'https://github.com',
  runId: 42,
};
let github: FakeGitHub | undefined;
afterEach(async () => {
  await github?.close();
  github = undefined;
});

function planFile(changes: { address: string; actions: string[] }[]): string {
  const path = join(dir, `plan-${Math.random().toString(36).slice(2)}.json`);
  writeFileSync(
    path,
    JSON.stringify({
      format_version: '1.2',
      resource_changes: changes.map((change) => ({
        address: change.address,
        mode: 'managed',
        type: 'terraform_data',
        name: change.address.split('.').pop(),
        change: { actions: change.actions, before: {}, after: {} },
      })),
    }),
  );
  return path;
}

describe('terraform-plan-review run()', () => {
  it('reports every bad input at once, naming each', async () => {
    const result = await runActionFromSource(() => run({ context }), {
      inputs: { ...defaults, mode: 'drift', environment: 'prod eu', 'detailed-exitcode': '1', 'github-token': '' },
    });
    expect(result.exitCode).toBe(1);
    for (const message of [
      'input "environment" is "prod eu": use letters, digits, "-" or "_"',
      'input "plan-json" is required with mode drift',
      'input "detailed-exitcode" is "1": the plan failed, so drift cannot be judged; fix the plan first',
      'input "github-token" is required with mode drift',
    ]) {
      expect(result.stdout).toContain(message);
    }
  });

  it('comment: reports of two environments become one sticky comment on the pull request', async () => {
    github = await startFakeGitHub();
    github.addPullRequest(7);
    const reports = mkdtempSync(join(dir, 'reports-'));
    for (const environment of ['prod', 'dev']) {
      const report = join(reports, environment, `${environment}.json`);
      const result = await runActionFromSource(() => run({ context }), {
        inputs: {
          ...defaults,
          environment,
          'plan-json': planFile([{ address: `terraform_data.${environment}`, actions: ['delete'] }]),
          'services-dir': '',
          'report-path': report,
        },
      });
      expect(result.exitCode, result.stdout).toBe(0);
      expect(result.outputs.destroys).toBe('1');
    }
    const fake = github;
    const deps = { context, github: (token: string) => getOctokit(token, { baseUrl: fake.url }) };
    const inputs = {
      ...defaults,
      mode: 'comment',
      'reports-dir': reports,
      'github-token': fake.token,
      commit: 'c'.repeat(40),
    };
    for (let push = 0; push < 2; push++) {
      const result = await runActionFromSource(() => run(deps), { inputs });
      expect(result.exitCode, result.stdout).toBe(0);
      expect(result.outputs['plans-in']).toBe('main-comment');
    }
    const comments = fake.issues.get(7)!.comments;
    expect(comments).toHaveLength(1);
    expect(comments[0]!.user.login).toBe(BOT);
    const body = comments[0]!.body;
    expect(body.startsWith(COMMENT_MARKER)).toBe(true);
    expect(body.indexOf('### dev')).toBeLessThan(body.indexOf('### prod'));
    expect(body).toContain('**Destroyed (1)**\n\n- `terraform_data.prod`');
  });

  it('fork-notice: the pull request is told why no plan ran', async () => {
    github = await startFakeGitHub();
    github.addPullRequest(7);
    const fake = github;
    const result = await runActionFromSource(
      () => run({ context, github: (token) => getOctokit(token, { baseUrl: fake.url }) }),
      { inputs: { ...defaults, mode: 'fork-notice', 'github-token': fake.token } },
    );
    expect(result.exitCode, result.stdout).toBe(0);
    expect(fake.issues.get(7)!.comments[0]!.body).toContain(
      'No plan ran: this pull request comes from the fork `stranger/berth`',
    );
  });

  it('verify-saved-plan: a plan from another commit fails the step with the re-plan message', async () => {
    const metadata = join(dir, 'plan-metadata.json');
    writeFileSync(metadata, JSON.stringify({ commit: 'b'.repeat(40), environment: 'dev' }));
    const state = join(dir, 'state.json');
    writeFileSync(state, '');
    const savedPlan = join(dir, 'not-a-plan.tfplan');
    writeFileSync(savedPlan, 'PK');
    const result = await runActionFromSource(() => run({ context }), {
      inputs: {
        ...defaults,
        mode: 'verify-saved-plan',
        environment: 'dev',
        'saved-plan': savedPlan,
        'plan-metadata': metadata,
        'current-state': state,
        commit: 'a'.repeat(40),
      },
    });
    expect(result.exitCode).toBe(1);
    expect(result.stdout).toContain('not-a-plan.tfplan is not a saved Terraform plan');
  });
});
