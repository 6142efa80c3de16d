import * as core from '@actions/core';
import { DescribeImagesCommand, ECRClient } from '@aws-sdk/client-ecr';
import {
  ActionError,
  BERTH_ACTIONS_VERSION,
  InputReader,
  appendJobSummary,
  awsClientConfig,
  awsErrorName,
  loadTerraformOutputs,
  markdownTable,
  readTerraformOutputsSource,
  runAction,
  unknownInputProblems,
  type TerraformRunner,
  type TerraformOutputsSource,
} from '@berth/kit';
import { mkdtempSync, readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { ALLOWED_REPOSITORIES_INPUT, parseAllowedRepositories } from './allowed-repositories';
import { parseContainerSettings, type ContainerSetting } from './container-settings';
import { pinImageDigests, type DigestLookup } from './image-digests';
import { parseImages } from './images-input';
import { renderTaskDefinition, type TaskDefinition } from './render';
import { readTfvars, tfvarsFileFor } from './tfvars';

const ACTION = 'render-task-definition';

export const INPUT_NAMES = [
  'template',
  'environment',
  'tfvars',
  'terraform-outputs',
  'terraform-dir',
  'images',
  'allowed-image-repositories',
  'environment-variables',
  'secrets',
  'pin-image-digests',
  'output-path',
] as const;

export interface RenderInputs {
  templatePath: string;
  environment: string;
  /** The tfvars file to read; undefined when none was named and the environment has none. */
  tfvarsPath?: string;
  terraformOutputs?: TerraformOutputsSource;
  images: Map<string, string>;
  /** Normalised `registry/path` of each allowed repository; empty allows every image. */
  allowedImageRepositories: string[];
  environmentVariables: ContainerSetting[];
  secrets: ContainerSetting[];
  pinImageDigests: boolean;
  outputPath?: string;
}

/** What the action talks to, injected by tests; the defaults reach AWS and run Terraform. */
export interface RenderDependencies {
  /** An ECR client for the region of an image (DescribeImages). */
  ecrClient(region: string): Pick<ECRClient, 'send'>;
  runTerraform?: TerraformRunner;
}

export function getInputs(reader = new InputReader()): RenderInputs {
  for (const problem of unknownInputProblems(INPUT_NAMES)) reader.problem(problem);
  const templatePath = reader.existingFile('template', { required: true }) ?? '';
  const environment = reader.string('environment', { required: true });
  if (environment !== '' && !/^[A-Za-z0-9_-]+$/.test(environment)) {
    reader.problem(`input "environment" is "${environment}": use letters, digits, "-" or "_" (it names a tfvars file)`);
  }
  const namedTfvars = reader.existingFile('tfvars');
  const tfvarsGiven = reader.optionalString('tfvars') !== undefined;
  const terraformOutputs = readTerraformOutputsSource(reader);
  const images = parseImages(reader.string('images'));
  const allowed = parseAllowedRepositories(reader.string(ALLOWED_REPOSITORIES_INPUT));
  const environmentVariables = parseContainerSettings(reader.string('environment-variables'), 'environment-variables');
  const secrets = parseContainerSettings(reader.string('secrets'), 'secrets');
  for (const problem of [
    ...images.problems,
    ...allowed.problems,
    ...environmentVariables.problems,
    ...secrets.problems,
  ])
    reader.problem(problem);
  const pin = reader.boolean('pin-image-digests');
  const outputPath = reader.optionalString('output-path');
  reader.done();
  return {
    templatePath,
    environment,
    tfvarsPath: tfvarsGiven ? namedTfvars : tfvarsFileFor(environment),
    terraformOutputs,
    images: images.images,
    allowedImageRepositories: allowed.repositories,
    environmentVariables: environmentVariables.settings,
    secrets: secrets.settings,
    pinImageDigests: pin,
    outputPath,
  };
}

/** Renders, validates and optionally pins digests; knows nothing of the runner. */
export async function renderFromInputs(
  inputs: RenderInputs,
  dependencies: RenderDependencies = defaultDependencies(),
  log: (line: string) => void = () => undefined,
): Promise<{ taskDefinition: TaskDefinition; pinned: Map<string, string> }> {
  const terraformOutputs = inputs.terraformOutputs
    ? await loadTerraformOutputs(inputs.terraformOutputs, { runTerraform: dependencies.runTerraform, log })
    : undefined;
  if (!inputs.tfvarsPath) {
    log(
      `No tfvars: terraform/environments/${inputs.environment}.tfvars does not exist and "tfvars" is empty, ` +
        'so placeholders come from the Terraform outputs, images and environment only.',
    );
  }
  const result = renderTaskDefinition({
    templateText: readFileSync(inputs.templatePath, 'utf8'),
    templatePath: inputs.templatePath,
    environment: inputs.environment,
    tfvars: inputs.tfvarsPath ? await readTfvars(inputs.tfvarsPath) : {},
    tfvarsPath: inputs.tfvarsPath,
    terraformOutputs,
    images: inputs.images,
    allowedImageRepositories: inputs.allowedImageRepositories,
    environmentVariables: inputs.environmentVariables,
    secrets: inputs.secrets,
  });
  if (!result.taskDefinition) {
    throw ActionError.fromProblems(
      `Task definition ${inputs.templatePath} for ${inputs.environment} is not valid`,
      result.problems,
    );
  }
  let pinned = new Map<string, string>();
  if (inputs.pinImageDigests) {
    const pin = await pinImageDigests(result.taskDefinition.containerDefinitions, ecrDigestLookup(dependencies));
    if (pin.problems.length > 0) throw ActionError.fromProblems('Image digests could not be pinned', pin.problems);
    pinned = pin.pinned;
  }
  return { taskDefinition: result.taskDefinition, pinned };
}

/** One ECR client per region, built on first use. */
function defaultDependencies(): RenderDependencies {
  const clients = new Map<string, ECRClient>();
  return {
    ecrClient(region) {
      let client = clients.get(region);
      if (!client) {
        client = new ECRClient(awsClientConfig({ action: ACTION, version: BERTH_ACTIONS_VERSION, region }));
        clients.set(region, client);
      }
      return client;
    },
  };
}

/** DescribeImages in the image's own region; an absent tag resolves undefined. */
function ecrDigestLookup(dependencies: RenderDependencies): DigestLookup {
  return async (image) => {
    try {
      const response = await dependencies.ecrClient(image.region).send(
        new DescribeImagesCommand({
          registryId: image.registryId,
          repositoryName: image.repository,
          imageIds: [{ imageTag: image.tag }],
        }),
      );
      return response.imageDetails?.[0]?.imageDigest;
    } catch (error) {
      if (awsErrorName(error) === 'ImageNotFoundException') return undefined;
      throw error;
    }
  };
}

export function writeTaskDefinition(taskDefinition: TaskDefinition, outputPath?: string): string {
  const path =
    outputPath ??
    join(mkdtempSync(join(process.env.RUNNER_TEMP || tmpdir(), 'task-definition-')), `${taskDefinition.family}.json`);
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, `${JSON.stringify(taskDefinition, null, 2)}\n`);
  return path;
}

/** The action: reads the inputs, renders, writes the file, the outputs and the job summary. */
export function run(dependencies: Partial<RenderDependencies> = {}): Promise<void> {
  return runAction(async () => {
    const inputs = getInputs();
    const { taskDefinition, pinned } = await renderFromInputs(
      inputs,
      { ...defaultDependencies(), ...dependencies },
      core.info,
    );
    const path = writeTaskDefinition(taskDefinition, inputs.outputPath);
    const containers = Object.fromEntries(taskDefinition.containerDefinitions.map((c) => [c.name, c.image]));
    core.setOutput('task-definition', path);
    core.setOutput('family', taskDefinition.family);
    core.setOutput('containers', JSON.stringify(containers));
    core.info(`Rendered ${taskDefinition.family} for ${inputs.environment} → ${path}`);
    await appendJobSummary(
      `### Task definition \`${taskDefinition.family}\` (${inputs.environment})\n\n` +
        markdownTable(
          ['Container', 'Image', 'Pinned', 'Environment', 'Secrets'],
          taskDefinition.containerDefinitions.map((c) => [
            c.name,
            c.image,
            pinned.has(c.name) ? 'yes' : 'no',
            String(Array.isArray(c.environment) ? c.environment.length : 0),
            String(Array.isArray(c.secrets) ? c.secrets.length : 0),
          ]),
        ) +
        `\n\ncpu ${String(taskDefinition.cpu)}, memory ${String(taskDefinition.memory)}; template \`${inputs.templatePath}\`, ` +
        `tfvars ${inputs.tfvarsPath ? `\`${inputs.tfvarsPath}\`` : 'none'}\n`,
    );
  });
}
