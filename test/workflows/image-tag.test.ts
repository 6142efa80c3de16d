import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { awsCredentialsAction } from './policy';
import { createStepRunner } from './run-step';
import { asMap, asString, jobsOf, loadSource, repoRoot, type JobView, type StepView } from './workflow-files';

// deploy.yml's `image-tag` ends up in render-task-definition's `images` list (`service=repository:tag`, split on
// commas): `abc,api-gateway=docker.io/attacker/x:1` would deploy that image to dev, staging and prod.
const deploy = loadSource(join(repoRoot, '.github/workflows/deploy.yml'), 'workflow');
const deployEnvironment = loadSource(join(repoRoot, '.github/workflows/deploy-environment.yml'), 'workflow');
const jobs = new Map(jobsOf(deploy).map((job) => [job.id, job]));
const runner = createStepRunner();
afterAll(() => runner.dispose());

const SHA = '3f2c1e0a9b8d7c6e5f4a3b2c1d0e9f8a7b6c5d4e';
const SMUGGLED = 'abc,api-gateway=docker.io/attacker/x:1';

function job(id: string): JobView {
  const found = jobs.get(id);
  if (found === undefined) throw new Error(`deploy.yml has no job ${id}`);
  return found;
}

function needsOf(found: JobView): string[] {
  const needs = found.raw.needs;
  return typeof needs === 'string' ? [needs] : Array.isArray(needs) ? needs.map(String) : [];
}

/** Every job the given one waits for, directly or through others. */
function upstream(found: JobView, seen = new Set<string>()): Set<string> {
  for (const id of needsOf(found)) {
    if (seen.has(id)) continue;
    seen.add(id);
    upstream(job(id), seen);
  }
  return seen;
}

function checkStep(found: JobView): StepView {
  const step = found.steps.find((candidate) => candidate.run?.includes('.github/scripts/check-image-tag.sh'));
  if (step === undefined) throw new Error(`job ${found.id} runs no .github/scripts/check-image-tag.sh`);
  return step;
}

const holdsAws = (found: JobView): boolean =>
  typeof found.raw.uses === 'string' || found.steps.some((step) => step.uses === awsCredentialsAction);

describe('deploy.yml image-tag', () => {
  const check = (imageTag: string) =>
    runner.run(checkStep(job('image-tag')), {
      env: { IMAGE_TAG: imageTag, COMMIT_SHA: 'ffffffffffffffffffffffffffffffffffffffff' },
      stubs: { aws: 'exit 0' },
    });

  it('image-tag with a comma is refused before any AWS call', () => {
    const run = check(SMUGGLED);
    expect(run.status).toBe(1);
    expect(run.stdout).toContain('::error title=image-tag refused::image-tag is not a commit SHA');
    expect(run.stdout).toContain('it contains a comma');
    expect(run.stdout).toContain("it contains '='");
    expect(run.stdout).toContain('is 38 characters long, not 40');
    expect(run.stdout).toContain('Give the full 40-character lowercase SHA');
    // The refused value never reaches the log (a new line in it could start a workflow command) nor an output.
    expect(run.stdout).not.toContain('attacker');
    expect(run.outputs).toEqual({});
    expect(run.calls('aws')).toEqual([]);
    // And no job that holds AWS credentials runs before this check has passed.
    expect(asMap(job('image-tag').raw.permissions)).toEqual({ contents: 'read' });
    expect(holdsAws(job('image-tag'))).toBe(false);
    for (const found of jobs.values()) {
      if (found.id !== 'image-tag' && holdsAws(found)) expect(upstream(found).has('image-tag'), found.id).toBe(true);
    }
  });

  it.each([
    ['a space', `${SHA.slice(0, 20)} ${SHA.slice(21)}`, 'white space'],
    ['a line break', `${SHA.slice(0, 39)}\n`, 'white space or a line break'],
    ['upper case', SHA.toUpperCase(), 'upper-case letters'],
    ['a short SHA', SHA.slice(0, 7), 'is 7 characters long, not 40'],
    ['a registry path', `docker.io/x:${SHA}`, 'characters other than 0-9 and a-f'],
    ['a digest', `sha256:${SHA}`, 'characters other than 0-9 and a-f'],
  ])('refuses %s', (_name, imageTag, reason) => {
    const run = check(imageTag);
    expect(run.status).toBe(1);
    expect(run.stdout).toContain(reason);
    expect(run.outputs).toEqual({});
  });

  it('accepts a full lowercase SHA as a redeploy, and an empty input as the current commit', () => {
    expect(check(SHA).outputs).toEqual({ 'image-tag': SHA, redeploy: 'true' });
    expect(check('').outputs).toEqual({ 'image-tag': 'ffffffffffffffffffffffffffffffffffffffff', redeploy: 'false' });
  });

  it('hands only the checked tag on: no other job reads the input', () => {
    expect(checkStep(job('image-tag')).env).toEqual({
      IMAGE_TAG: '${{ inputs.image-tag }}',
      COMMIT_SHA: '${{ github.sha }}',
    });
    expect(asMap(job('image-tag').raw.outputs)).toEqual({
      'image-tag': '${{ steps.check.outputs.image-tag }}',
      redeploy: '${{ steps.check.outputs.redeploy }}',
    });
    for (const found of jobs.values()) {
      if (found.id === 'image-tag') continue;
      expect(JSON.stringify(found.raw), found.id).not.toMatch(/inputs\.image-tag/);
    }
    for (const environment of ['dev', 'staging', 'prod']) {
      expect(asMap(job(`deploy-${environment}`).raw.with)['image-tag']).toBe(
        '${{ needs.image-tag.outputs.image-tag }}',
      );
    }
  });
});

describe('deploy.yml finds the images of a redeploy in ECR before promoting them', () => {
  const build = job('build');
  const find = build.steps.find((step) => step.id === 'existing');

  it('runs for a redeploy too, with the build role, and deploys only after it succeeded', () => {
    expect(needsOf(build)).toEqual(['image-tag', 'test', 'quality']);
    const condition = asString(build.raw.if) ?? '';
    expect(condition).toContain("needs.image-tag.outputs.redeploy == 'true'");
    expect(asMap(build.raw.env)).toMatchObject({
      IMAGE_TAG: '${{ needs.image-tag.outputs.image-tag }}',
      REQUIRE_IMAGE: '${{ needs.image-tag.outputs.redeploy }}',
    });
    expect(find?.run).toContain('.github/scripts/find-ecr-image.sh');
    const signIn = build.steps.findIndex((step) => step.uses === awsCredentialsAction);
    expect(signIn).toBeGreaterThanOrEqual(0);
    expect(build.steps.indexOf(find as StepView)).toBeGreaterThan(signIn);
    // Nothing is built (and tagged with the requested SHA) for a redeploy: a missing image fails instead.
    for (const step of build.steps.slice(build.steps.indexOf(find as StepView) + 1)) {
      expect(asString(step.raw.if), asString(step.raw.name) ?? step.uses).toBe(
        "steps.existing.outputs.found == 'false' && needs.image-tag.outputs.redeploy == 'false'",
      );
    }
    for (const environment of ['dev', 'staging', 'prod']) {
      const deployJob = job(`deploy-${environment}`);
      expect(needsOf(deployJob)).toContain('build');
      expect(asString(deployJob.raw.if)).toContain("needs.build.result == 'success'");
      expect(asString(deployJob.raw.if)).not.toContain("needs.build.result == 'skipped'");
    }
  });

  const lookup = (env: Record<string, string>, aws: string) =>
    runner.run(find as StepView, {
      env: {
        SERVICE: 'api-gateway',
        REPOSITORY_URL: '123456789012.dkr.ecr.eu-west-1.amazonaws.com/berth/api-gateway',
        IMAGE_TAG: SHA,
        ...env,
      },
      stubs: { aws },
    });
  const notFound =
    'echo "An error occurred (ImageNotFoundException) when calling the DescribeImages operation: The image with imageId {imageTag:\'x\'} does not exist" >&2; exit 254';

  it('a redeploy of a commit whose image is not in ECR fails, naming the service and the tag', () => {
    const run = lookup({ REQUIRE_IMAGE: 'true' }, notFound);
    expect(run.status).toBe(1);
    expect(run.stdout).toContain(
      `::error title=api-gateway image missing::berth/api-gateway has no image tagged ${SHA}`,
    );
    expect(run.calls('aws')).toEqual([
      [
        'ecr',
        'describe-images',
        '--repository-name',
        'berth/api-gateway',
        '--image-ids',
        `imageTag=${SHA}`,
        '--query',
        'imageDetails[0].imageDigest',
        '--output',
        'text',
      ],
    ]);
  });

  it('a build of a new commit goes on to build it; an image already there is reused', () => {
    expect(lookup({ REQUIRE_IMAGE: 'false' }, notFound)).toMatchObject({ status: 0, outputs: { found: 'false' } });
    expect(lookup({ REQUIRE_IMAGE: 'true' }, 'echo sha256:abc')).toMatchObject({
      status: 0,
      outputs: { found: 'true' },
    });
  });

  it('any other ECR error fails with what AWS said, rather than rebuilding', () => {
    const run = lookup(
      { REQUIRE_IMAGE: 'false' },
      'echo "An error occurred (AccessDeniedException) when calling the DescribeImages operation" >&2; exit 254',
    );
    expect(run.status).toBe(1);
    expect(run.stdout).toContain('::error title=ECR lookup failed::Could not look api-gateway:');
    expect(run.stdout).toContain('AccessDeniedException');
    expect(run.outputs).toEqual({});
  });
});

describe('deploy-environment.yml checks the tag it is handed before signing in', () => {
  const deployJob = jobsOf(deployEnvironment).find((candidate) => candidate.id === 'deploy') as JobView;

  it('refuses a comma (and an empty tag) before the AWS sign-in', () => {
    const step = checkStep(deployJob);
    expect(step.env).toEqual({ IMAGE_TAG: '${{ inputs.image-tag }}' });
    const signIn = deployJob.steps.findIndex((candidate) => candidate.uses === awsCredentialsAction);
    expect(deployJob.steps.indexOf(step)).toBeLessThan(signIn);
    const smuggled = runner.run(step, { env: { IMAGE_TAG: SMUGGLED } });
    expect(smuggled.status).toBe(1);
    expect(smuggled.stdout).toContain('it contains a comma');
    expect(runner.run(step, { env: { IMAGE_TAG: '' } }).stdout).toContain('image-tag is empty');
    expect(runner.run(step, { env: { IMAGE_TAG: SHA } }).status).toBe(0);
  });
});
