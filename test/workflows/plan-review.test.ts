import { describe, expect, it } from 'vitest';
import {
  asMap,
  asString,
  jobsOf,
  listWorkflowPaths,
  loadSource,
  triggersOf,
  type JobView,
  type SourceFile,
} from './workflow-files';

// The review flow of issue 21: plan-review.yml on pull requests, drift.yml on a schedule, and terraform-apply.yml
// applying only the plan it reviewed. Each case is phrased as what must not happen.
const workflows = new Map(
  listWorkflowPaths().map((path) => {
    const file = loadSource(path, 'workflow');
    return [file.path.replace('.github/workflows/', ''), file] as const;
  }),
);

function workflow(name: string): SourceFile {
  const file = workflows.get(name);
  if (file === undefined) throw new Error(`.github/workflows/${name} is missing`);
  return file;
}

function job(file: SourceFile, id: string): JobView {
  const found = jobsOf(file).find((candidate) => candidate.id === id);
  if (found === undefined) throw new Error(`${file.path} has no job ${id}`);
  return found;
}

const REVIEW_ACTION = './actions/terraform-plan-review';
const stepIndex = (found: JobView, test: (step: JobView['steps'][number]) => boolean): number =>
  found.steps.findIndex(test);

describe('terraform-apply.yml applies exactly the reviewed plan', () => {
  const apply = workflow('terraform-apply.yml');

  it('a stale saved plan (other commit, older state) is refused before terraform apply reads it', () => {
    const applyJob = job(apply, 'apply');
    const verify = stepIndex(
      applyJob,
      (step) => step.uses === REVIEW_ACTION && asString(step.with.mode) === 'verify-saved-plan',
    );
    const terraformApply = stepIndex(applyJob, (step) => /terraform\b.*\bapply\b/.test(step.run ?? ''));
    expect(verify, 'the apply job has no verify-saved-plan step').toBeGreaterThanOrEqual(0);
    expect(verify).toBeLessThan(terraformApply);
    const pull = stepIndex(applyJob, (step) => /terraform\b.*\bstate pull\b/.test(step.run ?? ''));
    expect(pull, 'the current state is pulled for the check').toBeGreaterThanOrEqual(0);
    expect(pull).toBeLessThan(verify);
  });

  it('the plan job records the commit it planned beside the plan', () => {
    const scripts = job(apply, 'plan')
      .steps.map((step) => step.run ?? '')
      .join('\n');
    expect(scripts).toMatch(/plan-metadata\.json/);
    expect(scripts).toMatch(/GITHUB_SHA/);
  });

  it('someone who can read the repository cannot read the saved plan: the artifact holds it only encrypted', () => {
    const planJob = job(apply, 'plan');
    const upload = planJob.steps.find(
      (step) =>
        step.uses?.startsWith('actions/upload-artifact@') && /platform-plan/.test(asString(step.with.name) ?? ''),
    );
    expect(upload, 'the plan job uploads the plan').toBeDefined();
    const path = asString(upload!.with.path) ?? '';
    expect(path, 'the uploaded file is the encrypted plan').toMatch(/\.enc\b/);
    expect(path).not.toMatch(/platform\.tfplan\s*$/);
    expect(asString(upload!.with['retention-days']) ?? String(upload!.with['retention-days'])).toBe('1');
    const encrypt = planJob.steps.findIndex(
      (step) => /openssl enc\b.*-e?\b/.test(step.run ?? '') && /-pbkdf2/.test(step.run ?? ''),
    );
    expect(encrypt, 'the plan is encrypted (openssl enc -pbkdf2) before upload').toBeGreaterThanOrEqual(0);
    expect(encrypt).toBeLessThan(planJob.steps.indexOf(upload!));
    // The key comes from an environment secret: only jobs in that (main-only) environment can read it.
    const keyEnv = JSON.stringify(planJob.steps[encrypt]!.env) + JSON.stringify(planJob.raw.env ?? {});
    expect(keyEnv).toMatch(/secrets\.PLAN_ENCRYPTION_KEY/);
    expect(keyEnv).toMatch(/github\.run_id/);
  });

  it('the apply job decrypts with the same per-run key and removes the plain plan after apply', () => {
    const applyJob = job(apply, 'apply');
    const decrypt = stepIndex(applyJob, (step) => /openssl enc\b.*-d\b/.test(step.run ?? ''));
    expect(decrypt).toBeGreaterThanOrEqual(0);
    const scripts = applyJob.steps.map((step) => step.run ?? '').join('\n');
    expect(scripts).toMatch(/rm -f [^\n]*platform\.tfplan/);
  });
});

describe('plan-review.yml', () => {
  const review = (): SourceFile => workflow('plan-review.yml');

  it('runs on pull requests only, with nothing granted at the top', () => {
    expect(triggersOf(review()).sort()).toEqual(['pull_request', 'pull_request_target']);
    expect(review().doc.permissions).toEqual({});
  });

  it('only the plan job gets an OIDC token, and never for a fork', () => {
    for (const found of jobsOf(review())) {
      const permissions = asMap(found.raw.permissions);
      if (found.id === 'plan') {
        expect(permissions).toEqual({ contents: 'read', 'id-token': 'write' });
        expect(asString(found.raw.if) ?? '').toContain(
          'github.event.pull_request.head.repo.full_name == github.repository',
        );
        expect(found.raw.environment, 'the plan job runs outside environments (C3)').toBeUndefined();
      } else {
        expect(permissions['id-token'], `job ${found.id}`).toBeUndefined();
      }
    }
  });

  it('plans with the read-only plan role of the matrix environment, without taking the state lock', () => {
    const plan = job(review(), 'plan');
    const signIn = plan.steps.find((step) => step.uses === './.github/actions/aws-credentials');
    expect(asString(signIn?.with['role-to-assume'])).toBe(
      '${{ fromJSON(vars.AWS_PLAN_ROLE_ARNS)[matrix.environment] }}',
    );
    const scripts = plan.steps.map((step) => step.run ?? '').join('\n');
    expect(scripts).toMatch(/terraform\b[^\n]*\bplan\b[^\n]*-lock=false/);
    expect(scripts).not.toMatch(/terraform\b[^\n]*\b(apply|import|state (push|rm|mv))\b/);
  });

  it('a fork gets the static checks and the why-no-plan comment', () => {
    const fork = job(review(), 'fork-notice');
    expect(asString(fork.raw.if)).toContain('github.event.pull_request.head.repo.full_name != github.repository');
    // pull_request_target runs with a writing token: only the base branch's code, never a checkout of the fork's.
    expect(asString(fork.raw.if)).toContain("github.event_name == 'pull_request_target'");
    for (const step of fork.steps) expect(step.with.ref, 'the fork job checks out the base only').toBeUndefined();
    for (const other of jobsOf(review()).filter((found) => found.id !== 'fork-notice')) {
      expect(asString(other.raw.if) ?? '', `job ${other.id} runs on pull_request only`).toContain(
        "github.event_name == 'pull_request'",
      );
    }
    expect(asMap(fork.raw.permissions)).toEqual({ 'pull-requests': 'write' });
    expect(fork.steps.some((step) => step.uses === REVIEW_ACTION && step.with.mode === 'fork-notice')).toBe(true);
    const checks = job(review(), 'static-checks');
    expect(checks.raw.if).toBe("github.event_name == 'pull_request'");
    expect(checks.steps.map((step) => step.run ?? '').join('\n')).toMatch(/terraform fmt -check/);
  });

  it('the comment job holds pull-requests write and no AWS', () => {
    const comment = job(review(), 'comment');
    expect(asMap(comment.raw.permissions)).toEqual({ 'pull-requests': 'write' });
    expect(comment.steps.some((step) => step.uses === './.github/actions/aws-credentials')).toBe(false);
    expect(comment.steps.some((step) => step.uses === REVIEW_ACTION && step.with.mode === 'comment')).toBe(true);
  });
});

describe('drift.yml', () => {
  const drift = (): SourceFile => workflow('drift.yml');

  it('runs on a schedule and on demand', () => {
    expect(triggersOf(drift()).sort()).toEqual(['schedule', 'workflow_dispatch']);
  });

  it('each environment plans with -detailed-exitcode and keeps its drift issue; only that job holds issues write', () => {
    const detect = job(drift(), 'detect');
    expect(asMap(detect.raw.permissions)).toEqual({ contents: 'read', 'id-token': 'write', issues: 'write' });
    const scripts = detect.steps.map((step) => step.run ?? '').join('\n');
    expect(scripts).toMatch(/terraform\b[^\n]*\bplan\b[^\n]*-detailed-exitcode/);
    expect(scripts).toMatch(/-lock=false/);
    expect(detect.steps.some((step) => step.uses === REVIEW_ACTION && step.with.mode === 'drift')).toBe(true);
    const signIn = detect.steps.find((step) => step.uses === './.github/actions/aws-credentials');
    expect(asString(signIn?.with['role-to-assume'])).toBe(
      '${{ fromJSON(vars.AWS_PLAN_ROLE_ARNS)[matrix.environment] }}',
    );
  });
});
