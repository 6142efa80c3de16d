import * as core from '@actions/core';
import { InputReader, unknownInputProblems, type InputSource } from '@berth/kit';

export const MODES = ['report', 'comment', 'fork-notice', 'drift', 'verify-saved-plan'] as const;
export type Mode = (typeof MODES)[number];

export const INPUT_NAMES = [
  'mode',
  'environment',
  'plan-json',
  'plan-text',
  'services-dir',
  'image-tag',
  'report-path',
  'reports-dir',
  'pull-request',
  'github-token',
  'comment-author',
  'detailed-exitcode',
  'saved-plan',
  'plan-metadata',
  'current-state',
  'commit',
  'aws-region',
] as const;

export interface ReviewInputs {
  mode: Mode;
  environment: string;
  planJson?: string;
  planText?: string;
  servicesDir: string;
  imageTag: string;
  reportPath?: string;
  reportsDir?: string;
  pullRequest?: number;
  githubToken: string;
  commentAuthor: string;
  detailedExitCode?: number;
  savedPlan?: string;
  planMetadata?: string;
  currentState?: string;
  commit: string;
  awsRegion?: string;
}

/** Which inputs each mode needs; all problems are reported together. */
const NEEDS: Record<Mode, readonly (typeof INPUT_NAMES)[number][]> = {
  report: ['environment', 'plan-json'],
  comment: ['reports-dir'],
  'fork-notice': [],
  drift: ['environment', 'plan-json', 'detailed-exitcode'],
  'verify-saved-plan': ['environment', 'saved-plan', 'plan-metadata', 'current-state'],
};

export function getInputs(
  source: InputSource = (name) => core.getInput(name),
  env: NodeJS.ProcessEnv = process.env,
): ReviewInputs {
  const reader = new InputReader(source);
  for (const problem of unknownInputProblems(INPUT_NAMES, env)) reader.problem(problem);
  const mode = reader.enumeration('mode', MODES);
  const environment = reader.string('environment');
  if (environment !== '' && !/^[A-Za-z0-9_-]+$/.test(environment)) {
    reader.problem(`input "environment" is "${environment}": use letters, digits, "-" or "_"`);
  }
  const inputs: ReviewInputs = {
    mode,
    environment,
    planJson: reader.existingFile('plan-json'),
    planText: reader.existingFile('plan-text'),
    servicesDir: reader.string('services-dir'),
    imageTag: reader.string('image-tag'),
    reportPath: reader.optionalString('report-path'),
    reportsDir: reader.existingDirectory('reports-dir'),
    pullRequest: reader.optionalInteger('pull-request', { min: 1 }),
    githubToken: reader.string('github-token'),
    commentAuthor: reader.string('comment-author'),
    detailedExitCode: reader.optionalInteger('detailed-exitcode', { min: 0, max: 2 }),
    savedPlan: reader.existingFile('saved-plan'),
    planMetadata: reader.existingFile('plan-metadata'),
    currentState: reader.existingFile('current-state'),
    commit: reader.string('commit') || (env.GITHUB_SHA ?? ''),
    awsRegion: reader.optionalString('aws-region'),
  };
  for (const name of NEEDS[mode]) {
    if (source(name).trim() === '') reader.problem(`input "${name}" is required with mode ${mode}`);
  }
  if (inputs.detailedExitCode === 1) {
    reader.problem('input "detailed-exitcode" is "1": the plan failed, so drift cannot be judged; fix the plan first');
  }
  if ((mode === 'comment' || mode === 'fork-notice' || mode === 'drift') && inputs.githubToken === '') {
    reader.problem(`input "github-token" is required with mode ${mode}: give \${{ github.token }}`);
  }
  if (mode === 'verify-saved-plan' && !/^[0-9a-f]{40}$/.test(inputs.commit)) {
    reader.problem(`input "commit" is "${inputs.commit}": give the 40-character commit SHA this run applies`);
  }
  reader.done();
  return inputs;
}
