import { ECRClient } from '@aws-sdk/client-ecr';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { actionInputDefaults } from '@berth/kit/testing/action-metadata';
import { AwsFault, createAwsJsonFake, FAKE_CREDENTIALS, type AwsJsonFake } from '@berth/kit/testing/aws-json-server';
import { runActionFromSource } from '@berth/kit/testing/run-source';
import { requireTerraform } from '@berth/kit/testing/required-tool';
import { applyOutputsOnlyConfiguration } from '@berth/kit/testing/terraform-state';
import { run } from '../src/main';

// The action's run() from source, with the runner's environment and an in-process ECR.
const actionDir = join(import.meta.dirname, '..');
const repo = join(actionDir, '..', '..');
const registry = '123456789012.dkr.ecr.us-east-1.amazonaws.com';
const digest = `sha256:${'ab'.repeat(32)}`;
const exampleOutputs = 'actions/render-task-definition/examples/terraform-outputs.dev.json';

const baseInputs = {
  ...actionInputDefaults(actionDir),
  template: 'services/api-gateway/task-definition.json',
  environment: 'dev',
  tfvars: 'actions/render-task-definition/test/fixtures/unit.tfvars',
  'terraform-outputs': exampleOutputs,
  images: `api-gateway=${registry}/berth/api-gateway:abc123`,
  'environment-variables': 'api-gateway:FEATURE_FLAGS=a=1,b=2',
};

let ecr: AwsJsonFake;
beforeAll(() => {
  ecr = createAwsJsonFake({
    DescribeImages: (input) => {
      const tag = (input.imageIds as { imageTag: string }[])[0]!.imageTag;
      const repositoryName = String(input.repositoryName);
      if (!['berth/api-gateway', 'berth/product-service'].includes(repositoryName))
        throw new AwsFault('RepositoryNotFoundException', 'no such repository');
      if (tag !== 'abc123')
        throw new AwsFault('ImageNotFoundException', `The image with imageId {imageTag:'${tag}'} does not exist`);
      return { imageDetails: [{ repositoryName, imageDigest: digest, imageTags: ['abc123'] }] };
    },
  });
});

const regionsAsked: string[] = [];
function render(inputs: Record<string, string>, cwd = repo) {
  return runActionFromSource(
    () =>
      run({
        ecrClient: (region) => {
          regionsAsked.push(region);
          return new ECRClient({ region, credentials: FAKE_CREDENTIALS, requestHandler: ecr.requestHandler });
        },
      }),
    { inputs, cwd },
  );
}

describe('render-task-definition run()', () => {
  it('renders, writes the file and sets outputs and the job summary', async () => {
    const outputPath = join(mkdtempSync(join(tmpdir(), 'render-')), 'out', 'td.json');
    const result = await render({ ...baseInputs, 'output-path': outputPath });
    expect(result.exitCode, result.stdout + result.stderr).toBe(0);
    expect(result.outputs['task-definition']).toBe(outputPath);
    const rendered = JSON.parse(readFileSync(outputPath, 'utf8'));
    expect(result.outputs.family).toBe('berth-dev-api-gateway');
    expect(JSON.parse(result.outputs.containers!)).toEqual({ 'api-gateway': `${registry}/berth/api-gateway:abc123` });
    expect(rendered.containerDefinitions[0].environment).toContainEqual({ name: 'FEATURE_FLAGS', value: 'a=1,b=2' });
    expect(rendered.containerDefinitions[0].environment).toContainEqual({
      name: 'REDIS_URL',
      value: 'rediss://master.berth-dev.abcdef.use1.cache.amazonaws.com:6379',
    });
    expect(result.summary).toContain('### Task definition `berth-dev-api-gateway` (dev)');
    expect(result.summary).toContain('tfvars `actions/render-task-definition/test/fixtures/unit.tfvars`');
    expect(ecr.calls).toHaveLength(0);
  });

  it('pins the image to its digest through the ECR API of the image region', async () => {
    const result = await render({ ...baseInputs, 'pin-image-digests': 'true' });
    expect(result.exitCode, result.stdout + result.stderr).toBe(0);
    // Without output-path the file goes to a new directory under RUNNER_TEMP.
    expect(result.outputs['task-definition']).toMatch(
      /temp-[^/]+\/task-definition-[^/]+\/berth-dev-api-gateway\.json$/,
    );
    expect(JSON.parse(result.outputs.containers!)).toEqual({
      'api-gateway': `${registry}/berth/api-gateway@${digest}`,
    });
    expect(result.summary).toContain(`| api-gateway | ${registry}/berth/api-gateway@${digest} | yes |`);
    const call = ecr.calls.at(-1)!;
    expect(call.operation).toBe('DescribeImages');
    expect(call.input).toEqual({
      registryId: '123456789012',
      repositoryName: 'berth/api-gateway',
      imageIds: [{ imageTag: 'abc123' }],
    });
    expect(regionsAsked.at(-1)).toBe('us-east-1');
  });

  it("pins a service and its migrate container, which follows the service's image, to one digest looked up once", async () => {
    const callsBefore = ecr.calls.length;
    const result = await render({
      ...baseInputs,
      template: 'services/product-service/task-definition.json',
      images: `product-service=${registry}/berth/product-service:abc123`,
      'environment-variables': '',
      'allowed-image-repositories': `${registry}/berth/product-service`,
      'pin-image-digests': 'true',
    });
    expect(result.exitCode, result.stdout + result.stderr).toBe(0);
    const pinned = `${registry}/berth/product-service@${digest}`;
    expect(JSON.parse(result.outputs.containers!)).toEqual({
      'product-service': pinned,
      'product-service-migrate': pinned,
    });
    expect(ecr.calls.slice(callsBefore).map((call) => call.input)).toEqual([
      { registryId: '123456789012', repositoryName: 'berth/product-service', imageIds: [{ imageTag: 'abc123' }] },
    ]);
  });

  it('fails naming repository and tag when the tag is missing, or the repository', async () => {
    const missingTag = await render({
      ...baseInputs,
      images: `api-gateway=${registry}/berth/api-gateway:nope`,
      'pin-image-digests': 'true',
    });
    expect(missingTag.exitCode).toBe(1);
    expect(missingTag.errors.join('\n')).toContain('tag "nope" does not exist in ECR repository "berth/api-gateway"');
    expect(missingTag.outputs['task-definition']).toBeUndefined();

    const missingRepository = await render({
      ...baseInputs,
      images: `api-gateway=${registry}/berth/other:abc123`,
      'pin-image-digests': 'true',
    });
    expect(missingRepository.exitCode).toBe(1);
    expect(missingRepository.errors.join('\n')).toContain('ECR repository "berth/other" does not exist');
  });

  it('fails with every problem at once and writes no output', async () => {
    const broken = {
      ...baseInputs,
      images: 'api-gatewy=nginx:1',
      'environment-variables': 'api-gateway FOO',
      'pin-image-digests': 'yes',
    };
    const result = await render({ ...broken, 'timeout-minutes': '3' });
    expect(result.exitCode).toBe(1);
    const message = result.errors.join('\n');
    expect(message).toContain('input "timeout-minutes" is not an input of this action');
    expect(message).toContain(
      'input "environment-variables" line 1 "api-gateway FOO" is not of the form container:NAME=value',
    );
    expect(message).toContain('input "pin-image-digests" is "yes": must be true or false');
    expect(result.outputs['task-definition']).toBeUndefined();

    const invalid = await render({ ...baseInputs, images: 'api-gatewy=nginx:1' });
    expect(invalid.exitCode).toBe(1);
    expect(invalid.errors.join('\n')).toContain(
      'input "images" names container "api-gatewy", but the template\'s containers are: api-gateway',
    );
    expect(invalid.errors.join('\n')).toContain('unresolved placeholders: ${images.api-gateway}');
  });

  it('refuses a duplicate container in "images" before rendering or any AWS call (the image-tag smuggle)', async () => {
    // deploy.yml pastes image-tag after the repository; `abc,api-gateway=<other image>` once let the last one win.
    const callsBefore = ecr.calls.length;
    const result = await render({
      ...baseInputs,
      images: `api-gateway=${registry}/berth/api-gateway:abc,api-gateway=docker.io/attacker/x:1`,
      'pin-image-digests': 'true',
    });
    expect(result.exitCode).toBe(1);
    const message = result.errors.join('\n');
    expect(message).toContain('Invalid inputs');
    expect(message).toContain(
      `input "images" gives container "api-gateway" 2 images (line 1 "${registry}/berth/api-gateway:abc", ` +
        'line 1 "docker.io/attacker/x:1"): give each container exactly one image',
    );
    expect(message).not.toContain('unresolved placeholders');
    expect(result.outputs['task-definition']).toBeUndefined();
    expect(ecr.calls).toHaveLength(callsBefore);
  });

  it('refuses an image outside allowed-image-repositories, from "images" or from the template', async () => {
    const callsBefore = ecr.calls.length;
    const allowed = `${registry}/berth/api-gateway`;
    for (const image of ['docker.io/attacker/x:1', `${registry}/berth/api-gateway-evil:abc123`, 'attacker/x:1']) {
      const result = await render({
        ...baseInputs,
        images: `api-gateway=${image}`,
        'allowed-image-repositories': allowed,
        'pin-image-digests': 'true',
      });
      expect(result.exitCode, image).toBe(1);
      const message = result.errors.join('\n');
      expect(message).not.toContain('is not an input of this action');
      expect(message).toContain(`containerDefinitions[0] (api-gateway).image "${image}" is from repository`);
      expect(message).toContain(`which "allowed-image-repositories" does not list (${allowed})`);
      expect(result.outputs['task-definition']).toBeUndefined();
    }
    expect(ecr.calls).toHaveLength(callsBefore);

    // A template that names its image itself is held to the same list.
    const caller = mkdtempSync(join(tmpdir(), 'render-fixed-image-'));
    const template = readFileSync(join(repo, 'services/api-gateway/task-definition.json'), 'utf8').replace(
      '${images.api-gateway}',
      'docker.io/attacker/x:1',
    );
    writeFileSync(join(caller, 'task-definition.json'), template);
    const fixed = await render({
      ...baseInputs,
      template: join(caller, 'task-definition.json'),
      images: '',
      'allowed-image-repositories': allowed,
    });
    expect(fixed.exitCode).toBe(1);
    expect(fixed.errors.join('\n')).toContain('image "docker.io/attacker/x:1" is from repository docker.io/attacker/x');
  });

  it('renders and pins an image from an allowed repository', async () => {
    const result = await render({
      ...baseInputs,
      'allowed-image-repositories': `${registry}/berth/product-service, ${registry}/berth/api-gateway`,
      'pin-image-digests': 'true',
    });
    expect(result.exitCode, result.stdout + result.stderr).toBe(0);
    expect(JSON.parse(result.outputs.containers!)).toEqual({
      'api-gateway': `${registry}/berth/api-gateway@${digest}`,
    });
  });

  it('refuses malformed allowed-image-repositories, together with the other bad inputs', async () => {
    const result = await render({
      ...baseInputs,
      images: 'api-gateway=x:1,api-gateway=y:1',
      'allowed-image-repositories': `${registry}/berth/api-gateway:abc123\nhttps://${registry}/berth/api-gateway\nberth/api-gateway\n${registry}/Berth/API`,
      'pin-image-digests': 'yes',
    });
    expect(result.exitCode).toBe(1);
    const message = result.errors.join('\n');
    expect(message).toContain(
      `input "allowed-image-repositories" item "${registry}/berth/api-gateway:abc123" has a tag (":abc123")`,
    );
    expect(message).toContain(`input "allowed-image-repositories" item "https://${registry}/berth/api-gateway"`);
    expect(message).toContain('input "allowed-image-repositories" item "berth/api-gateway" names no registry host');
    expect(message).toContain(`input "allowed-image-repositories" item "${registry}/Berth/API"`);
    expect(message).toContain('input "images" gives container "api-gateway" 2 images');
    expect(message).toContain('input "pin-image-digests" is "yes"');
  });

  it('reads the environment tfvars by convention, and renders without any when the environment has none', async () => {
    const conventional = await render({ ...baseInputs, tfvars: '' });
    expect(conventional.exitCode, conventional.stdout).toBe(0);
    expect(conventional.summary).toContain('tfvars `terraform/environments/dev.tfvars`');

    // A caller repository has no terraform/environments: the values come from the outputs alone.
    const caller = mkdtempSync(join(tmpdir(), 'render-caller-'));
    const template = readFileSync(join(repo, 'services/api-gateway/task-definition.json'), 'utf8')
      .replaceAll('${project}', 'berth')
      .replace('${service_cpu.api-gateway}', '256')
      .replace('${service_memory.api-gateway}', '512');
    writeFileSync(join(caller, 'task-definition.json'), template);
    const withoutTfvars = await render(
      {
        ...baseInputs,
        template: 'task-definition.json',
        tfvars: '',
        'terraform-outputs': join(repo, exampleOutputs),
        'environment-variables': '',
      },
      caller,
    );
    expect(withoutTfvars.exitCode, withoutTfvars.stdout).toBe(0);
    expect(withoutTfvars.stdout).toContain('No tfvars: terraform/environments/dev.tfvars does not exist');
    expect(withoutTfvars.summary).toContain('tfvars none');
  });

  it('names a tfvars file that does not exist, and both Terraform inputs given at once', async () => {
    const result = await render({ ...baseInputs, tfvars: 'terraform/environments/qa.tfvars', 'terraform-dir': '.' });
    expect(result.exitCode).toBe(1);
    const message = result.errors.join('\n');
    expect(message).toContain(
      'input "tfvars" is "terraform/environments/qa.tfvars": must be the path of an existing file',
    );
    expect(message).toContain('inputs "terraform-outputs" and "terraform-dir" are both given');
  });

  it('runs terraform output -json in terraform-dir (real terraform) and fills the placeholders from it', async (context) => {
    requireTerraform(context);
    const example = JSON.parse(readFileSync(join(repo, exampleOutputs), 'utf8')) as Record<
      string,
      { value: unknown; sensitive: boolean }
    >;
    const directory = await applyOutputsOnlyConfiguration(
      Object.fromEntries(Object.entries(example).map(([name, output]) => [name, { value: output.value }])),
    );
    const result = await render({ ...baseInputs, 'terraform-outputs': '', 'terraform-dir': directory });
    expect(result.exitCode, result.stdout + result.stderr).toBe(0);
    expect(result.stdout).toContain(`Reading Terraform outputs: terraform output -json in ${directory}`);
    const rendered = JSON.parse(readFileSync(result.outputs['task-definition']!, 'utf8'));
    expect(rendered.executionRoleArn).toBe(
      (example.execution_role_arns!.value as Record<string, string>)['api-gateway'],
    );
  });
});
