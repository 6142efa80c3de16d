import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  AwsFault,
  fakeAwsEnv,
  startFakeAwsJsonServer,
  type FakeAwsJsonServer,
} from '@berth/kit/testing/aws-json-server';
import { runBundledAction } from '@berth/kit/testing/run-action';

// The committed bundle, run as the GitHub runner runs it.
const here = import.meta.dirname;
const repo = join(here, '..', '..', '..');
const entry = join(repo, 'actions/render-task-definition/dist/index.js');
const registry = '123456789012.dkr.ecr.us-east-1.amazonaws.com';
const digest = `sha256:${'ab'.repeat(32)}`;

const baseInputs = {
  template: 'services/api-gateway/task-definition.json',
  environment: 'dev',
  tfvars: 'actions/render-task-definition/test/fixtures/unit.tfvars',
  'terraform-outputs': 'actions/render-task-definition/examples/terraform-outputs.dev.json',
  images: `api-gateway=${registry}/berth/api-gateway:abc123`,
  'environment-variables': 'api-gateway:FEATURE_FLAGS=a=1,b=2',
  secrets: '',
  'pin-image-digests': 'false',
  'output-path': '',
};

describe('render-task-definition bundle', () => {
  let ecr: FakeAwsJsonServer;
  beforeAll(async () => {
    ecr = await startFakeAwsJsonServer({
      DescribeImages: (input) => {
        const tag = (input.imageIds as { imageTag: string }[])[0]!.imageTag;
        if (input.repositoryName !== 'berth/api-gateway')
          throw new AwsFault('RepositoryNotFoundException', 'no such repository');
        if (tag !== 'abc123')
          throw new AwsFault('ImageNotFoundException', `The image with imageId {imageTag:'${tag}'} does not exist`);
        return { imageDetails: [{ repositoryName: 'berth/api-gateway', imageDigest: digest, imageTags: ['abc123'] }] };
      },
    });
  });
  afterAll(() => ecr.close());

  it('renders, writes the file and sets outputs and the job summary', async () => {
    const outputPath = join(mkdtempSync(join(tmpdir(), 'render-')), 'out', 'td.json');
    const run = await runBundledAction({ entry, inputs: { ...baseInputs, 'output-path': outputPath }, cwd: repo });
    expect(run.exitCode, run.stdout + run.stderr).toBe(0);
    expect(run.outputs['task-definition']).toBe(outputPath);
    const rendered = JSON.parse(readFileSync(outputPath, 'utf8'));
    expect(run.outputs.family).toBe('berth-dev-api-gateway');
    expect(JSON.parse(run.outputs.containers!)).toEqual({ 'api-gateway': `${registry}/berth/api-gateway:abc123` });
    expect(rendered.containerDefinitions[0].environment).toContainEqual({ name: 'FEATURE_FLAGS', value: 'a=1,b=2' });
    expect(rendered.containerDefinitions[0].environment).toContainEqual({
      name: 'REDIS_URL',
      value: 'rediss://master.berth-dev.abcdef.use1.cache.amazonaws.com:6379',
    });
    expect(run.summary).toContain('### Task definition `berth-dev-api-gateway` (dev)');
    expect(ecr.calls).toHaveLength(0);
  });

  it('pins the image to its digest through the ECR API', async () => {
    const run = await runBundledAction({
      entry,
      inputs: { ...baseInputs, 'pin-image-digests': 'true' },
      cwd: repo,
      env: fakeAwsEnv('ECR', ecr.url),
    });
    expect(run.exitCode, run.stdout + run.stderr).toBe(0);
    // Without output-path the file goes to a new directory under RUNNER_TEMP.
    expect(run.outputs['task-definition']).toMatch(
      /berth-action-[^/]+\/task-definition-[^/]+\/berth-dev-api-gateway\.json$/,
    );
    expect(JSON.parse(run.outputs.containers!)).toEqual({ 'api-gateway': `${registry}/berth/api-gateway@${digest}` });
    const call = ecr.calls.at(-1)!;
    expect(call.operation).toBe('DescribeImages');
    expect(call.input).toEqual({
      registryId: '123456789012',
      repositoryName: 'berth/api-gateway',
      imageIds: [{ imageTag: 'abc123' }],
    });
  });

  it('fails naming repository and tag when the tag is missing', async () => {
    const run = await runBundledAction({
      entry,
      inputs: { ...baseInputs, images: `api-gateway=${registry}/berth/api-gateway:nope`, 'pin-image-digests': 'true' },
      cwd: repo,
      env: fakeAwsEnv('ECR', ecr.url),
    });
    expect(run.exitCode).toBe(1);
    expect(run.errors.join('\n')).toContain('tag "nope" does not exist in ECR repository "berth/api-gateway"');
  });

  it('fails with every problem at once and writes no output', async () => {
    const broken = {
      ...baseInputs,
      images: 'api-gatewy=nginx:1',
      'environment-variables': 'api-gateway FOO',
      'pin-image-digests': 'yes',
    };
    const run = await runBundledAction({ entry, inputs: { ...broken, 'timeout-minutes': '3' }, cwd: repo });
    expect(run.exitCode).toBe(1);
    const message = run.errors.join('\n');
    expect(message).toContain('input "timeout-minutes" is not an input of this action');
    expect(message).toContain(
      'input "environment-variables" line 1 "api-gateway FOO" is not of the form container:NAME=value',
    );
    expect(message).toContain('input "pin-image-digests" is "yes": must be true or false');
    expect(run.outputs['task-definition']).toBeUndefined();

    const invalid = await runBundledAction({
      entry,
      inputs: { ...baseInputs, images: 'api-gatewy=nginx:1' },
      cwd: repo,
    });
    expect(invalid.exitCode).toBe(1);
    expect(invalid.errors.join('\n')).toContain(
      'input "images" names container "api-gatewy", but the template\'s containers are: api-gateway',
    );
    expect(invalid.errors.join('\n')).toContain('unresolved placeholders: ${images.api-gateway}');
  });
});
