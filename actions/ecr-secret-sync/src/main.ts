import * as core from '@actions/core';
import * as github from '@actions/github';
import { ECRClient } from '@aws-sdk/client-ecr';
import {
  ActionError,
  appendJobSummary,
  awsClientConfig,
  BERTH_ACTIONS_VERSION,
  InputReader,
  loadTerraformOutputs,
  maskValues,
  readTerraformOutputsSource,
  runAction,
  unknownInputProblems,
  type AwsClientConfig,
  type TerraformRunner,
  type TerraformOutputsSource,
} from '@berth/kit';
import { lookupRepositoryUris } from './ecr-lookup';
import { createGitHubClient, type GitHubClient, type GitHubClientOptions } from '@berth/kit/github/client';
import { parseMappings, type Mapping } from './mappings';
import { valueSizeProblem } from './names';
import { namesWith, summaryLine, summaryMarkdown } from './report';
import { syncValues, type NamedValue } from './sync';
import type { Kind } from './target-api';
import { parseTargets, type Target, type Visibility } from './targets';
import { terraformValues } from './terraform-values';

const ACTION = 'ecr-secret-sync';

/** Every input declared in action.yml, in its order. */
export const INPUT_NAMES = [
  'repositories',
  'terraform-outputs',
  'terraform-dir',
  'token',
  'target',
  'kind',
  'visibility',
  'selected-repositories',
  'create-environments',
  'dry-run',
  'github-api-url',
  'aws-region',
] as const;

interface Inputs {
  mappings: Mapping[];
  terraformOutputs?: TerraformOutputsSource;
  token: string;
  targets: Target[];
  kind: Kind;
  visibility: Visibility;
  selectedRepositories: string[];
  createEnvironments: boolean;
  dryRun: boolean;
  githubApiUrl: string;
  awsRegion?: string;
}

/** The parts of the run's context (`@actions/github`) the action reads. */
export type RunContext = Pick<typeof github.context, 'repo' | 'apiUrl'>;

/** What the action talks to, injected by tests; the defaults reach AWS and GitHub. */
export interface SyncDependencies {
  context: RunContext;
  ecr(config: AwsClientConfig): ECRClient;
  github(options: GitHubClientOptions): GitHubClient;
  runTerraform?: TerraformRunner;
}

const defaults: SyncDependencies = {
  context: github.context,
  ecr: (config) => new ECRClient(config),
  github: createGitHubClient,
};

/** `owner/name` of the repository the workflow runs in; undefined outside a runner. */
function currentRepository(context: RunContext): string | undefined {
  try {
    const { owner, repo } = context.repo;
    return `${owner}/${repo}`;
  } catch {
    return undefined;
  }
}

function getInputs(context: RunContext): Inputs {
  const reader = new InputReader();
  const token = reader.string('token', { required: true });
  // Masked first, before any problem message could quote it.
  maskValues([token]);
  const kind = reader.enumeration<Kind>('kind', ['secret', 'variable']);
  const repositoriesText = reader.string('repositories', { required: true });
  const { mappings, problems: mappingProblems } = parseMappings(repositoriesText, kind);
  mappingProblems.forEach((p) => reader.problem(p));
  const terraformOutputs = readTerraformOutputsSource(reader);
  const { targets, problems: targetProblems } = parseTargets(reader.list('target'), currentRepository(context));
  targetProblems.forEach((p) => reader.problem(p));
  const visibility = reader.enumeration<Visibility>('visibility', ['private', 'all', 'selected']);
  const selectedRepositories = reader.list('selected-repositories');
  const organizations = targets.flatMap((t) => (t.kind === 'organization' ? [t.org] : []));
  if (organizations.length > 0 && visibility === 'selected' && selectedRepositories.length === 0) {
    reader.problem(
      'input "visibility" is "selected" but "selected-repositories" is empty: list the repositories, one per line',
    );
  }
  if (selectedRepositories.length > 0 && (organizations.length === 0 || visibility !== 'selected')) {
    reader.problem(
      'input "selected-repositories" only applies to an organization:<org> target with visibility "selected"; ' +
        'set both, or remove selected-repositories',
    );
  }
  for (const repository of selectedRepositories) {
    const owner = repository.includes('/') ? repository.slice(0, repository.indexOf('/')) : undefined;
    if (owner !== undefined && !organizations.some((org) => org.toLowerCase() === owner.toLowerCase())) {
      reader.problem(
        `input "selected-repositories": "${repository}" is not in organization ${organizations.join(', ') || '(none)'}; ` +
          'an organization secret or variable can only be shared with its own repositories',
      );
    }
  }
  const createEnvironments = reader.boolean('create-environments');
  const dryRun = reader.boolean('dry-run');
  const githubApiUrl = (reader.optionalString('github-api-url') ?? context.apiUrl).replace(/\/+$/, '');
  if (!/^https?:\/\/[^/\s]+/.test(githubApiUrl)) {
    reader.problem(
      `input "github-api-url" is "${githubApiUrl}": must be an http(s) URL such as https://api.github.com ` +
        'or https://github.example.com/api/v3',
    );
  }
  const awsRegion = reader.optionalString('aws-region');
  unknownInputProblems(INPUT_NAMES).forEach((p) => reader.problem(p));
  reader.done();
  return {
    mappings,
    terraformOutputs,
    token,
    targets,
    kind,
    visibility,
    selectedRepositories,
    createEnvironments,
    dryRun,
    githubApiUrl,
    awsRegion,
  };
}

/** The value of every source: Terraform outputs when given, otherwise each ECR repository's URI. */
async function resolveValues(inputs: Inputs, dependencies: SyncDependencies): Promise<Map<string, string>> {
  const sources = inputs.mappings.map((m) => m.source);
  if (inputs.terraformOutputs !== undefined) {
    const outputs = await loadTerraformOutputs(inputs.terraformOutputs, { runTerraform: dependencies.runTerraform });
    return terraformValues(outputs, sources);
  }
  const ecr = dependencies.ecr(
    awsClientConfig({ action: ACTION, version: BERTH_ACTIONS_VERSION, region: inputs.awsRegion }),
  );
  try {
    return await lookupRepositoryUris(ecr, sources);
  } finally {
    ecr.destroy();
  }
}

/** The action: reads the values, writes them to every target, then the outputs and the job summary. */
export function run(dependencies: Partial<SyncDependencies> = {}): Promise<void> {
  return runAction(() => sync({ ...defaults, ...dependencies }));
}

async function sync(dependencies: SyncDependencies): Promise<void> {
  const inputs = getInputs(dependencies.context);
  const values = await resolveValues(inputs, dependencies);
  // Masked before anything could log them: even repository URLs reveal the account id.
  maskValues(values.values());
  const named: NamedValue[] = inputs.mappings.map((m) => ({ name: m.name, value: values.get(m.source) ?? '' }));
  const sizeProblems = named.flatMap(({ name, value }) => valueSizeProblem(name, value, inputs.kind) ?? []);
  if (sizeProblems.length > 0)
    throw ActionError.fromProblems('Values too large for GitHub; nothing was written', sizeProblems);

  const client = dependencies.github({
    token: inputs.token,
    baseUrl: inputs.githubApiUrl,
    userAgent: `berth-${ACTION}/${BERTH_ACTIONS_VERSION}`,
    log: (line) => core.info(line),
  });
  const report = await syncValues(
    client,
    {
      kind: inputs.kind,
      targets: inputs.targets,
      values: named,
      visibility: inputs.visibility,
      selectedRepositories: inputs.selectedRepositories,
      createEnvironments: inputs.createEnvironments,
      dryRun: inputs.dryRun,
    },
    (line) => core.info(line),
  );

  const line = summaryLine(report, inputs.kind, inputs.dryRun);
  const names = named.map((n) => n.name);
  core.setOutput('created', JSON.stringify(namesWith(report, 'created', names)));
  core.setOutput('updated', JSON.stringify(namesWith(report, 'updated', names)));
  core.setOutput('summary', line);
  await appendJobSummary(summaryMarkdown(report, inputs.kind, inputs.dryRun));
  core.info(line);

  const failures = report.results.filter((r) => r.outcome === 'not written');
  if (failures.length > 0) {
    throw ActionError.fromProblems(
      `${failures.length} of ${report.results.length} ${inputs.kind} writes failed; every other one was written`,
      failures.map((f) => `${f.name} → ${f.target}: ${f.reason ?? 'unknown reason'}`),
    );
  }
}
