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

  it('installs, lints, typechecks, tests with coverage and checks dist, in that order', () => {
    const all = scripts(job(ci, 'verify'));
    const order = [
      'npm ci',
      'npm run lint',
      'npm run typecheck',
      'npm run test:coverage',
      'npm run bundle',
      'git diff --exit-code',
    ];
    const positions = order.map((command) => all.indexOf(command));
    expect(
      positions.every((position) => position >= 0),
      all,
    ).toBe(true);
    expect([...positions].sort((a, b) => a - b)).toEqual(positions);
  });
});

describe('ci.yml on both Node versions', () => {
  it('tests on Node 22 and on Node 24, which action.yml names', () => {
    const verify = job(workflow('ci.yml'), 'verify');
    expect(asMap(asMap(verify.raw.strategy).matrix).node).toEqual([22, 24]);
    expect(stepUsing(verify, 'actions/setup-node@49933ea5288caeca8642d1e84afbd3f7d6820020').with['node-version']).toBe(
      '${{ matrix.node }}',
    );
  });
});

describe('release.yml', () => {
  const release = workflow('release.yml');

  it('runs only for pushed vX.Y.Z tags', () => {
    expect(triggersOf(release)).toEqual(['push']);
    expect(asMap(asMap(release.doc.on).push)).toEqual({ tags: ['v*.*.*'] });
  });

  it('verifies the tag, lints, typechecks, tests and checks dist before anything is published', () => {
    const verify = job(release, 'verify');
    const all = scripts(verify);
    expect(all).toContain('BERTH_ACTIONS_VERSION');
    const order = ['npm ci', 'npm run lint', 'npm run typecheck', 'npm run test:coverage', 'npm run bundle\n'];
    const positions = order.map((command) => all.indexOf(command));
    expect(positions.every((position) => position >= 0)).toBe(true);
    expect([...positions].sort((a, b) => a - b)).toEqual(positions);
    expect(all).toContain("git diff --exit-code -- 'actions/*/dist'");
    expect(verify.raw.permissions).toEqual({ contents: 'read' });
  });

  it('publishes the release with notes and moves the major tag, after verify, with contents: write only', () => {
    const publish = job(release, 'publish');
    expect(publish.raw.needs).toEqual(['verify']);
    expect(publish.raw.permissions).toEqual({ contents: 'write' });
    const all = scripts(publish);
    expect(all).toMatch(/gh release create "\$TAG"/);
    expect(all).toContain('--generate-notes');
    expect(all).toContain('--notes-file');
    expect(all).toContain('git/refs/tags/$MAJOR');
    const move = publish.steps.find((step) => step.run?.includes('git/refs/tags/$MAJOR'));
    expect(move?.raw.if).toBe("needs.verify.outputs.prerelease != 'true'");
  });
});

describe('terraform-apply.yml', () => {
  const apply = workflow('terraform-apply.yml');
  const planJob = job(apply, 'plan');
  const applyJob = job(apply, 'apply');

  it('asks for one of the three environments and plans and applies in it', () => {
    const input = asMap(asMap(asMap(asMap(apply.doc.on).workflow_dispatch).inputs).environment);
    expect(input.type).toBe('choice');
    expect(input.options).toEqual(environments);
    expect(planJob.raw.environment).toBe('${{ inputs.environment }}');
    expect(applyJob.raw.environment).toBe('${{ inputs.environment }}');
  });

  it('shows the plan in one job and applies exactly that saved plan in the next', () => {
    const planScripts = scripts(planJob);
    expect(planScripts).toMatch(/plan [^\n]*\\\n[^\n]*\n?[^\n]*-out="\$RUNNER_TEMP\/platform\.tfplan"/);
    expect(planScripts).toContain('GITHUB_STEP_SUMMARY');
    expect(planScripts).toContain('fmt -check');
    expect(planScripts).toContain('validate');
    expect(planScripts).not.toMatch(/terraform[^\n]*\sapply\b/);
    const saved = stepUsing(planJob, 'actions/upload-artifact@ea165f8d65b6e75b540449e92b4886f43607fa02');
    expect(saved.with).toMatchObject({
      name: 'platform-plan-${{ inputs.environment }}',
      path: '${{ runner.temp }}/plan-artifact/platform.tfplan.enc\n${{ runner.temp }}/plan-artifact/plan-metadata.json\n',
    });

    expect(applyJob.raw.needs).toEqual(['notifier-package', 'plan']);
    const fetched = applyJob.steps.find((step) => step.with.name === 'platform-plan-${{ inputs.environment }}');
    expect(fetched?.uses).toBe('actions/download-artifact@d3f86a106a0bac45b974a628896c90dbdf5c8093');
    expect(fetched?.with.path).toBe('${{ runner.temp }}/plan');
    const applyScripts = scripts(applyJob);
    expect(applyScripts).toMatch(/apply -input=false -no-color "\$RUNNER_TEMP\/plan\/platform\.tfplan"/);
    expect(applyScripts).not.toMatch(/terraform[^\n]*\splan\b/);
  });

  it('builds the notifier package once, without AWS credentials, for both jobs', () => {
    const notifier = job(apply, 'notifier-package');
    expect(notifier.raw.permissions).toEqual({ contents: 'read' });
    expect('environment' in notifier.raw).toBe(false);
    expect(scripts(notifier)).toContain('npm run build:lambda');
    for (const awsJob of [planJob, applyJob]) {
      expect(scripts(awsJob)).not.toMatch(/\bnpm\b/);
      expect(awsJob.steps.some((step) => step.with.name === 'deploy-notifier-zip')).toBe(true);
    }
  });

  it('signs both jobs in with the environment terraform role', () => {
    for (const awsJob of [planJob, applyJob]) {
      expect(stepUsing(awsJob, './.github/actions/aws-credentials').with['role-to-assume']).toBe(
        '${{ vars.AWS_TERRAFORM_ROLE_ARN }}',
      );
    }
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
    expect(job(destroy, 'notifier-package').raw.needs).toEqual(['confirm']);
    expect(job(destroy, 'destroy').raw.needs).toEqual(['confirm', 'notifier-package']);
  });

  it('plans a destroy with the terraform role, applies that plan, and announces it', () => {
    const destroyJob = job(destroy, 'destroy');
    expect(scripts(destroyJob)).toContain('plan -destroy');
    expect(scripts(destroyJob)).not.toMatch(/\bnpm\b/);
    expect(stepUsing(destroyJob, './.github/actions/aws-credentials').with['role-to-assume']).toBe(
      '${{ vars.AWS_TERRAFORM_ROLE_ARN }}',
    );
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
    expect(job(deploy, 'deploy-dev').raw.needs).toEqual(['image-tag', 'build', 'notifier-package']);
    expect(job(deploy, 'deploy-staging').raw.needs).toEqual(['image-tag', 'build', 'notifier-package', 'deploy-dev']);
    expect(job(deploy, 'deploy-prod').raw.needs).toEqual([
      'image-tag',
      'build',
      'notifier-package',
      'deploy-dev',
      'deploy-staging',
    ]);
    for (const environment of environments) {
      const deployJob = job(deploy, `deploy-${environment}`);
      expect(deployJob.raw.uses).toBe('./.github/workflows/deploy-environment.yml');
      expect(asMap(deployJob.raw.with).environment).toBe(environment);
      expect(asMap(deployJob.raw.with)['deploy-notifier']).toBe("${{ needs.notifier-package.result == 'success' }}");
      expect(asMap(deployJob.raw.with)['codedeploy-deployment-config']).toBe('${{ inputs.gateway-deployment-config }}');
    }
  });

  it('builds the notifier package after the tests and the quality gate, without AWS credentials', () => {
    const notifier = job(deploy, 'notifier-package');
    expect(notifier.raw.needs).toEqual(['image-tag', 'test', 'quality']);
    expect(notifier.raw.permissions).toEqual({ contents: 'read' });
    expect('environment' in notifier.raw).toBe(false);
    expect(scripts(notifier)).toContain('npm run build:lambda');
    expect(stepUsing(notifier, 'actions/upload-artifact@ea165f8d65b6e75b540449e92b4886f43607fa02').with).toMatchObject({
      name: 'deploy-notifier-zip',
      path: 'services/deploy-notifier/build/deploy-notifier.zip',
    });
  });

  it('sends coverage to SonarCloud, whose red quality gate stops the build and so every deploy', () => {
    const test = job(deploy, 'test');
    expect(scripts(test)).toContain('npm run test:coverage');
    expect(stepUsing(test, 'actions/upload-artifact@ea165f8d65b6e75b540449e92b4886f43607fa02').with).toMatchObject({
      name: 'coverage-lcov',
      path: 'coverage/lcov.info',
    });
    const quality = job(deploy, 'quality');
    expect(quality.raw.needs).toEqual(['image-tag', 'test']);
    const scan = quality.steps.find((step) => step.uses?.startsWith('SonarSource/sonarqube-scan-action@'));
    const args = asString(scan?.with.args) ?? '';
    expect(args).toContain('-Dsonar.qualitygate.wait=true');
    expect(args).toContain('-Dsonar.javascript.lcov.reportPaths=coverage/lcov.info');
    expect(job(deploy, 'build').raw.needs).toEqual(['image-tag', 'test', 'quality']);
  });

  it('never fails for lack of a SonarCloud token', () => {
    const quality = job(deploy, 'quality');
    const scan = quality.steps.find((step) => step.uses?.startsWith('SonarSource/sonarqube-scan-action@'));
    expect(scan?.raw.if).toBe("steps.sonar.outputs.enabled == 'true'");
    expect(scripts(quality)).toContain('::notice');
  });

  it('builds every service from the one Dockerfile and tags it with the commit SHA', () => {
    const build = job(deploy, 'build');
    const services = (asMap(asMap(build.raw.strategy).matrix).include as unknown[]).map((entry) =>
      asString(asMap(entry).service),
    );
    expect(services).toEqual(['api-gateway', 'product-service', 'inventory-service']);
    for (const service of services) {
      expect(existsSync(join(repoRoot, `services/${service}/task-definition.json`)), service).toBe(true);
    }
    expect(existsSync(join(repoRoot, 'Dockerfile'))).toBe(true);
    const push = stepUsing(build, 'docker/build-push-action@263435318d21b8e681c14492fe198d362a7d2c83');
    expect(push.with).toMatchObject({ context: '.', file: 'Dockerfile', push: true });
    expect(push.with['build-args']).toContain('SERVICE=${{ matrix.service }}');
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

  it("holds each render to its own service's ECR repository, the secret its image is built from", () => {
    const renders = deployJob.steps.filter((step) => step.uses === './actions/render-task-definition');
    const secrets = ['ECR_API_URL', 'ECR_PRODUCT_URL', 'ECR_INVENTORY_URL'];
    expect(renders).toHaveLength(secrets.length);
    renders.forEach((step, index) => {
      const repository = `\${{ secrets.${secrets[index]} }}`;
      expect(step.with['allowed-image-repositories'], step.id).toBe(repository);
      expect(asString(step.with.images)?.split('=')[1]?.startsWith(`${repository}:`), step.id).toBe(true);
    });
  });

  it("passes the gateway's CodeDeploy application and group from the Terraform outputs to the rollout", () => {
    const all = scripts(deployJob);
    expect(all).toContain(`.ecs_codedeploy.value["api-gateway"].application // empty`);
    expect(all).toContain(`.ecs_codedeploy.value["api-gateway"].deployment_group // empty`);
    expect(stepUsing(deployJob, './actions/ecs-rollout').with).toMatchObject({
      'codedeploy-application': '${{ steps.platform.outputs.codedeploy-application }}',
      'codedeploy-deployment-group': '${{ steps.platform.outputs.codedeploy-deployment-group }}',
    });
  });

  it('releases the notifier package as a canary of its live alias, after the services, with the deploy role', () => {
    const notifier = job(workflow('deploy-environment.yml'), 'notifier');
    expect(notifier.raw.needs).toEqual(['deploy']);
    expect(asString(notifier.raw.if)).toContain('inputs.deploy-notifier');
    expect(asString(notifier.raw.if)).toContain("needs.deploy.outputs.applied == 'true'");
    expect(notifier.raw.environment).toBe('${{ inputs.environment }}');
    expect(scripts(notifier)).not.toMatch(/\bnpm\b/);
    expect(notifier.steps.some((step) => step.with.name === 'deploy-notifier-zip')).toBe(true);
    expect(stepUsing(notifier, './.github/actions/aws-credentials').with['role-to-assume']).toBe(
      '${{ vars.AWS_DEPLOY_ROLE_ARN }}',
    );
    expect(stepUsing(notifier, './actions/lambda-canary-deploy').with).toMatchObject({
      'function-name': '${{ needs.deploy.outputs.notifier-function }}',
      'zip-file': 'services/deploy-notifier/build/deploy-notifier.zip',
      'codedeploy-application': '${{ needs.deploy.outputs.notifier-application }}',
      'codedeploy-deployment-group': '${{ needs.deploy.outputs.notifier-deployment-group }}',
    });
  });
});

describe('deploy-service.yml', () => {
  const deployJob = job(workflow('deploy-service.yml'), 'deploy');

  it("passes the caller's allowed-image-repositories to the render", () => {
    expect(stepUsing(deployJob, './.berth/actions/render-task-definition').with['allowed-image-repositories']).toBe(
      '${{ inputs.allowed-image-repositories }}',
    );
  });

  it('hands a CODE_DEPLOY service its CodeDeploy inputs, given or read from the Terraform outputs', () => {
    const settings = deployJob.steps.find((step) => step.id === 'codedeploy');
    expect(settings?.run).toContain('.ecs_codedeploy.value[$s].application // empty');
    expect(stepUsing(deployJob, './.berth/actions/ecs-rollout').with).toMatchObject({
      'codedeploy-application': '${{ steps.codedeploy.outputs.application }}',
      'codedeploy-deployment-group': '${{ steps.codedeploy.outputs.deployment-group }}',
      'codedeploy-deployment-config': '${{ inputs.codedeploy-deployment-config }}',
    });
  });
});

describe('storage-apply.yml', () => {
  it('applies with the bootstrap environment administrator keys, never a role', () => {
    const storage = job(workflow('storage-apply.yml'), 'apply');
    expect(storage.raw.environment).toBe('bootstrap');
    const signIn = stepUsing(storage, './.github/actions/aws-credentials');
    expect(signIn.with['role-to-assume']).toBeUndefined();
    expect(signIn.with['aws-access-key-id']).toBe('${{ secrets.AWS_ACCESS_KEY_ID }}');
    expect(asMap(storage.raw.permissions)['id-token']).toBeUndefined();
  });

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
