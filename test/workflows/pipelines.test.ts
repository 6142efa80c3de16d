import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  asMap,
  asString,
  jobsOf,
  listWorkflowPaths,
  loadSource,
  repoRoot,
  triggersOf,
  type JobView,
  type SourceFile,
  type StepView,
} from './workflow-files';

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

function stepUsing(found: JobView, uses: string): StepView {
  const step = found.steps.find((candidate) => candidate.uses === uses);
  if (step === undefined) throw new Error(`job ${found.id} has no step using ${uses}`);
  return step;
}

function scripts(found: JobView): string {
  return found.steps.map((step) => step.run ?? '').join('\n');
}

const environments = ['dev', 'staging', 'prod'];

describe('ci.yml', () => {
  const ci = workflow('ci.yml');
  it('gates pull requests and pushes to main', () => {
    expect(triggersOf(ci).sort()).toEqual(['pull_request', 'push']);
    expect(asMap(asMap(ci.doc.on).push).branches).toEqual(['main']);
  });

  it('installs, lints, typechecks, tests and checks dist, in that order', () => {
    const all = scripts(job(ci, 'verify'));
    const order = ['npm ci', 'npm run lint', 'npm run typecheck', 'npm test', 'npm run bundle', 'git diff --exit-code'];
    const positions = order.map((command) => all.indexOf(command));
    expect(
      positions.every((position) => position >= 0),
      all,
    ).toBe(true);
    expect([...positions].sort((a, b) => a - b)).toEqual(positions);
  });
});

describe('terraform-apply.yml', () => {
  const apply = workflow('terraform-apply.yml');
  const applyJob = job(apply, 'apply');

  it('asks for one of the three environments and runs in it', () => {
    const input = asMap(asMap(asMap(asMap(apply.doc.on).workflow_dispatch).inputs).environment);
    expect(input.type).toBe('choice');
    expect(input.options).toEqual(environments);
    expect(applyJob.raw.environment).toBe('${{ inputs.environment }}');
  });

  it('applies exactly the plan it showed', () => {
    const all = scripts(applyJob);
    expect(all).toMatch(/plan [^\n]*\\\n[^\n]*\n?[^\n]*-out="\$RUNNER_TEMP\/platform\.tfplan"/);
    expect(all).toMatch(/apply -input=false -no-color "\$RUNNER_TEMP\/platform\.tfplan"/);
    expect(all).toContain('GITHUB_STEP_SUMMARY');
    expect(all).toContain('fmt -check');
    expect(all).toContain('validate');
  });

  it('saves the outputs and notifies even after a failed apply', () => {
    expect(stepUsing(applyJob, 'actions/upload-artifact@ea165f8d65b6e75b540449e92b4886f43607fa02').raw.if).toMatch(
      /^always\(\)/,
    );
    const notify = stepUsing(applyJob, './actions/notify-lambda-url');
    expect(notify.raw.if).toMatch(/^always\(\)/);
    expect(notify.with).toMatchObject({ event: 'infrastructure-applied', status: '${{ job.status }}' });
  });
});

describe('terraform-destroy.yml', () => {
  const destroy = workflow('terraform-destroy.yml');

  it('checks the confirmation in a job that holds no environment, credentials or Terraform', () => {
    const confirm = job(destroy, 'confirm');
    expect('environment' in confirm.raw).toBe(false);
    expect(confirm.raw.permissions).toEqual({});
    expect(confirm.steps.every((step) => step.uses === undefined)).toBe(true);
    expect(scripts(confirm)).toContain('"$CONFIRMATION" != "$TARGET_ENVIRONMENT"');
    expect(job(destroy, 'destroy').raw.needs).toEqual(['confirm']);
  });

  it('plans a destroy, applies that plan, and announces it', () => {
    const destroyJob = job(destroy, 'destroy');
    expect(scripts(destroyJob)).toContain('plan -destroy');
    expect(stepUsing(destroyJob, './actions/notify-lambda-url').with.event).toBe('infrastructure-destroyed');
  });
});

describe('deploy.yml', () => {
  const deploy = workflow('deploy.yml');

  it('runs on pushes to main that touch services, and by hand', () => {
    expect(asMap(asMap(deploy.doc.on).push)).toEqual({ branches: ['main'], paths: ['services/**'] });
    expect(triggersOf(deploy)).toContain('workflow_dispatch');
  });

  it('promotes dev → staging → prod through the environment workflow', () => {
    expect(job(deploy, 'deploy-dev').raw.needs).toEqual(['build']);
    expect(job(deploy, 'deploy-staging').raw.needs).toEqual(['build', 'deploy-dev']);
    expect(job(deploy, 'deploy-prod').raw.needs).toEqual(['build', 'deploy-dev', 'deploy-staging']);
    for (const environment of environments) {
      const deployJob = job(deploy, `deploy-${environment}`);
      expect(deployJob.raw.uses).toBe('./.github/workflows/deploy-environment.yml');
      expect(asMap(deployJob.raw.with).environment).toBe(environment);
    }
  });

  it('never fails for lack of a SonarCloud token', () => {
    const quality = job(deploy, 'quality');
    const scan = quality.steps.find((step) => step.uses?.startsWith('SonarSource/sonarqube-scan-action@'));
    expect(scan?.raw.if).toBe("steps.sonar.outputs.enabled == 'true'");
    expect(scripts(quality)).toContain('::notice');
  });

  it('builds every service from its Dockerfile and tags it with the commit SHA', () => {
    const build = job(deploy, 'build');
    const services = (asMap(asMap(build.raw.strategy).matrix).include as unknown[]).map((entry) =>
      asString(asMap(entry).service),
    );
    expect(services).toEqual(['api-gateway', 'product-service', 'inventory-service']);
    for (const service of services) {
      expect(existsSync(join(repoRoot, `services/${service}/task-definition.json`)), service).toBe(true);
      expect(existsSync(join(repoRoot, `services/${service}/Dockerfile`)), service).toBe(true);
    }
    const push = stepUsing(build, 'docker/build-push-action@263435318d21b8e681c14492fe198d362a7d2c83');
    expect(push.with).toMatchObject({ context: '.', file: 'services/${{ matrix.service }}/Dockerfile', push: true });
    expect(push.with.tags).toMatch(/:\$\{\{ github\.sha \}\}$/);
  });
});

describe('deploy-environment.yml', () => {
  const deployJob = job(workflow('deploy-environment.yml'), 'deploy');

  it('skips an environment without a cluster with a notice instead of failing', () => {
    const all = scripts(deployJob);
    expect(all).toContain('aws ecs describe-clusters');
    expect(all).toMatch(/::notice[^\n]*no ECS cluster yet/);
    expect(all).toMatch(/applied=false" >> "\$GITHUB_OUTPUT"\n\s*exit 0/);
    for (const step of deployJob.steps.filter((candidate) => candidate.uses?.startsWith('./actions/'))) {
      expect(asString(step.raw.if), step.uses).toMatch(/steps\.platform\.outputs\.applied == 'true'/);
    }
  });

  it('renders all three services with pinned digests and rolls them out in one step', () => {
    const renders = deployJob.steps.filter((step) => step.uses === './actions/render-task-definition');
    expect(renders.map((step) => step.with.template)).toEqual([
      'services/api-gateway/task-definition.json',
      'services/product-service/task-definition.json',
      'services/inventory-service/task-definition.json',
    ]);
    expect(renders.every((step) => step.with['pin-image-digests'] === 'true')).toBe(true);
    const rollout = stepUsing(deployJob, './actions/ecs-rollout');
    expect(asString(rollout.with.services)?.trim().split('\n')).toHaveLength(3);
    expect(stepUsing(deployJob, './actions/notify-lambda-url').with.event).toBe(
      "${{ job.status == 'success' && 'deployed' || 'deploy-failed' }}",
    );
  });
});

describe('storage-apply.yml', () => {
  it('publishes the three ECR URLs with the admin token', () => {
    const sync = stepUsing(job(workflow('storage-apply.yml'), 'apply'), './actions/ecr-secret-sync');
    expect(asString(sync.with.repositories)?.trim().split('\n')).toEqual([
      'ecr_repository_urls.api-gateway=ECR_API_URL',
      'ecr_repository_urls.product-service=ECR_PRODUCT_URL',
      'ecr_repository_urls.inventory-service=ECR_INVENTORY_URL',
    ]);
    expect(sync.with.token).toBe('${{ secrets.REPO_ADMIN_PAT }}');
  });
});

describe('Terraform files the workflows rely on', () => {
  it.each(environments)('%s has a backend file and a tfvars file', (environment) => {
    expect(existsSync(join(repoRoot, `terraform/environments/${environment}.backend.hcl`))).toBe(true);
    expect(existsSync(join(repoRoot, `terraform/environments/${environment}.tfvars`))).toBe(true);
  });

  it('the storage layer has its backend file and both roots exist', () => {
    expect(existsSync(join(repoRoot, 'terraform/environments/storage.backend.hcl'))).toBe(true);
    expect(existsSync(join(repoRoot, 'terraform/storage'))).toBe(true);
    expect(existsSync(join(repoRoot, 'terraform/platform'))).toBe(true);
  });
});
