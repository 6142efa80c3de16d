import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { awsCredentialsAction, bootstrapEnvironment, roleVariables } from '../../../test/workflows/policy.ts';
import {
  asMap,
  asString,
  jobsOf,
  listWorkflowPaths,
  loadSource,
  repoRoot,
  triggersOf,
  type JobView,
} from '../../../test/workflows/workflow-files.ts';
import { WORKFLOW_JOBS, type RoleKind } from '../job-calls.ts';

/** The job table of checks/iam against the workflows themselves, so the simulator tests cover the jobs that run. */
const workflows = listWorkflowPaths().map((path) => loadSource(path, 'workflow'));
const roleKinds = Object.fromEntries(
  Object.entries(roleVariables).map(([kind, variable]) => [`\${{ ${variable} }}`, kind as RoleKind]),
);

/** The role kind a job's role-to-assume names: a role variable, or its environment's entry of AWS_PLAN_ROLE_ARNS. */
function roleKindOf(roleToAssume: string): RoleKind | undefined {
  if (/^\$\{\{\s*fromJSON\(vars\.AWS_PLAN_ROLE_ARNS\)\[[\w.-]+\]\s*\}\}$/.test(roleToAssume)) return 'plan';
  return roleKinds[roleToAssume];
}

function signInRole(job: JobView): string | undefined {
  const step = job.steps.find((candidate) => candidate.uses === awsCredentialsAction);
  return step === undefined ? undefined : (asString(step.with['role-to-assume']) ?? '');
}

const awsJobs = workflows.flatMap((file) =>
  jobsOf(file)
    .filter((job) => signInRole(job) !== undefined && asString(job.raw.environment) !== bootstrapEnvironment)
    .filter((job) => !triggersOf(file).includes('workflow_call') || !/inputs\./.test(signInRole(job) ?? ''))
    .map((job) => ({ workflow: file.path.replace('.github/workflows/', ''), job })),
);

function actionDefault(action: string, input: string): unknown {
  const metadata = asMap(parse(readFileSync(join(repoRoot, 'actions', action, 'action.yml'), 'utf8')));
  return asMap(asMap(metadata.inputs)[input]).default;
}

describe('checks/iam knows every workflow job that signs in to AWS', () => {
  it('and no job twice', () => {
    const known = WORKFLOW_JOBS.map((entry) => `${entry.workflow} ${entry.job}`);
    expect(new Set(known).size).toBe(known.length);
    expect(awsJobs.map(({ workflow, job }) => `${workflow} ${job.id}`).sort()).toEqual([...known].sort());
  });

  it.each(awsJobs.map(({ workflow, job }) => [`${workflow} ${job.id}`, workflow, job] as const))(
    '%s: its role and its Berth actions',
    (_name, workflow, job) => {
      const entry = WORKFLOW_JOBS.find((candidate) => candidate.workflow === workflow && candidate.job === job.id);
      expect(entry, `${workflow} ${job.id} is not in WORKFLOW_JOBS`).toBeDefined();
      expect(roleKindOf(signInRole(job) ?? '')).toBe(entry?.role);
      const used = [
        ...new Set(job.steps.map((step) => /^\.\/actions\/([\w-]+)$/.exec(step.uses ?? '')?.[1]).filter(Boolean)),
      ];
      expect(used.sort()).toEqual((entry?.actions.map((use) => use.action) ?? []).sort());
    },
  );

  it.each(
    WORKFLOW_JOBS.flatMap((entry) =>
      entry.actions.map((use) => [`${entry.workflow} ${entry.job}`, entry, use] as const),
    ),
  )('%s: the README conditions it claims for %s hold for its inputs', (_name, entry, use) => {
    const file = workflows.find((candidate) => candidate.path === `.github/workflows/${entry.workflow}`);
    const job = file === undefined ? undefined : jobsOf(file).find((candidate) => candidate.id === entry.job);
    const steps = job?.steps.filter((step) => step.uses === `./actions/${use.action}`) ?? [];
    expect(steps.length).toBeGreaterThan(0);
    for (const condition of use.conditions) {
      const input = /^input ([\w-]+): (.+)$/.exec(condition);
      if (input === null) continue;
      const [, name = '', value] = input;
      for (const step of steps) {
        const given = step.with[name] ?? actionDefault(use.action, name);
        expect(String(given), `${use.action} ${name}`).toBe(value);
      }
    }
  });
});
