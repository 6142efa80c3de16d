import * as core from '@actions/core';
import * as github from '@actions/github';
import { ECSClient } from '@aws-sdk/client-ecs';
import { LambdaClient } from '@aws-sdk/client-lambda';
import {
  ActionError,
  BERTH_ACTIONS_VERSION,
  appendJobSummary,
  awsClientConfig,
  errorMessage,
  markdownTable,
  runAction,
} from '@berth/kit';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { assembleComments } from './comment-assembly';
import { findReleaseDrift, driftReport, type LambdaSender } from './drift';
import { syncDriftIssue } from './drift-issue';
import { environmentSection, type EnvironmentReport } from './environment-report';
import { forkNoticeBody } from './fork-notice';
import type { GitHub } from './github';
import { getInputs, type ReviewInputs } from './inputs';
import { parsePlanJson } from './plan-json';
import { summarizePlan } from './plan-summary';
import { renderPlanText } from './plan-text';
import { reviewRelease } from './release';
import { readReports, readServiceTemplates } from './report-files';
import { runContextFrom, runUrl, type RunContext } from './run-context';
import type { EcsSender } from './running-services';
import { planStateVersion, savedPlanProblems, stateVersion, type PlanMetadata } from './saved-plan-check';
import { syncStickyComments } from './sticky-comment';

const ACTION = 'terraform-plan-review';
export const COMMENT_MARKER = '<!-- berth:terraform-plan-review -->';
export const PART_MARKER = '<!-- berth:terraform-plan-review part -->';

/** What the action talks to, injected by tests; the defaults are the runner's context, GitHub and AWS. */
export interface ReviewDependencies {
  context: RunContext;
  github(token: string): GitHub;
  ecs(region: string | undefined): EcsSender;
  lambda(region: string | undefined): LambdaSender;
}

function defaultDependencies(): ReviewDependencies {
  const config = (region: string | undefined) =>
    awsClientConfig({ action: ACTION, version: BERTH_ACTIONS_VERSION, region });
  return {
    context: runContextFrom(github.context),
    github: (token) => github.getOctokit(token),
    ecs: (region) => new ECSClient(config(region)),
    lambda: (region) => new LambdaClient(config(region)),
  };
}

/** The action: one of five modes, each reading its inputs, doing its work and writing outputs and a summary. */
export function run(dependencies: Partial<ReviewDependencies> = {}): Promise<void> {
  return runAction(async () => {
    const inputs = getInputs();
    const deps = { ...defaultDependencies(), ...dependencies };
    if (inputs.mode === 'report') await report(inputs, deps);
    else if (inputs.mode === 'comment') await comment(inputs, deps);
    else if (inputs.mode === 'fork-notice') await forkNotice(inputs, deps);
    else if (inputs.mode === 'drift') await drift(inputs, deps);
    else await verifySavedPlan(inputs);
  });
}

/** One environment: the plan summarised, the release rendered and diffed, written as a report file. */
async function report(inputs: ReviewInputs, deps: ReviewDependencies): Promise<void> {
  const plan = parsePlanJson(readFileSync(inputs.planJson!, 'utf8'), inputs.planJson!);
  const summary = summarizePlan(plan);
  const planText = inputs.planText ? readFileSync(inputs.planText, 'utf8').trimEnd() : renderPlanText(plan);
  const templates = readServiceTemplates(inputs.servicesDir);
  const notes: string[] = [];
  let releases: EnvironmentReport['releases'] = [];
  if (templates.length > 0) {
    try {
      releases = await reviewRelease({
        environment: inputs.environment,
        plan,
        templates,
        imageTag: inputs.imageTag,
        ecs: deps.ecs(inputs.awsRegion),
      });
    } catch (error) {
      // The plan is the review's core; a release that cannot be described is said, not fatal.
      notes.push(`The release could not be compared with what runs in ${inputs.environment}: ${errorMessage(error)}`);
      core.warning(notes.at(-1)!);
    }
  }
  const result: EnvironmentReport = { environment: inputs.environment, summary, planText, releases, notes };
  const path =
    inputs.reportPath ?? join(process.env.RUNNER_TEMP || tmpdir(), 'plan-review', `${inputs.environment}.json`);
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, `${JSON.stringify(result)}\n`);
  core.setOutput('report', path);
  setCountOutputs(summary.counts);
  core.info(
    `${inputs.environment}: ${summary.counts.create} to create, ${summary.counts.update} to update, ` +
      `${summary.counts.replace} to replace, ${summary.counts.destroy} to destroy → ${path}`,
  );
  await appendJobSummary(`## Plan review: ${inputs.environment}\n\n${environmentSection(result, 50)}\n`);
}

/** Every environment's report in one sticky comment (plus overflow comments), the whole review in the job summary. */
async function comment(inputs: ReviewInputs, deps: ReviewDependencies): Promise<void> {
  const reports = readReports(inputs.reportsDir!);
  const pullRequest = inputs.pullRequest ?? deps.context.pullRequest?.number;
  if (!pullRequest) {
    throw new ActionError(
      'No pull request to comment on: run on a pull_request event or give the "pull-request" input',
    );
  }
  const assembly = assembleComments(reports, {
    marker: COMMENT_MARKER,
    partMarker: PART_MARKER,
    commit: inputs.commit,
    summaryUrl: runUrl(deps.context),
  });
  // The summary first: overflow comments link to it, and it must exist even if GitHub refuses a comment.
  await appendJobSummary(`${assembly.jobSummary}\n`);
  const outcome = await syncStickyComments(deps.github(inputs.githubToken), {
    ...deps.context.repository,
    issueNumber: pullRequest,
    marker: COMMENT_MARKER,
    partMarker: PART_MARKER,
    bodies: assembly.comments,
    author: inputs.commentAuthor,
  });
  core.setOutput('comment-url', outcome.url);
  core.setOutput('plans-in', assembly.plansIn);
  core.info(
    `Review of ${reports.map((r) => r.environment).join(', ')} on #${pullRequest}: ${assembly.comments.length} ` +
      `comment(s), ${outcome.created} created, ${outcome.updated} updated, ${outcome.unchanged} unchanged, ` +
      `${outcome.deleted} deleted; full plans in ${assembly.plansIn} → ${outcome.url}`,
  );
}

async function forkNotice(inputs: ReviewInputs, deps: ReviewDependencies): Promise<void> {
  const pullRequest = inputs.pullRequest ?? deps.context.pullRequest?.number;
  if (!pullRequest) {
    throw new ActionError(
      'No pull request to comment on: run on a pull_request event or give the "pull-request" input',
    );
  }
  const { owner, repo } = deps.context.repository;
  const body = forkNoticeBody(COMMENT_MARKER, deps.context.pullRequest?.headRepository ?? 'a fork', `${owner}/${repo}`);
  const outcome = await syncStickyComments(deps.github(inputs.githubToken), {
    owner,
    repo,
    issueNumber: pullRequest,
    marker: COMMENT_MARKER,
    partMarker: PART_MARKER,
    bodies: [body],
    author: inputs.commentAuthor,
  });
  core.setOutput('comment-url', outcome.url);
  core.info(`Told #${pullRequest} why no plan ran → ${outcome.url}`);
  await appendJobSummary('## Plan review\n\nNo plan ran: the pull request comes from a fork.\n');
}

/** Terraform's drift (the detailed exit code) and the release's, kept in one issue per environment. */
async function drift(inputs: ReviewInputs, deps: ReviewDependencies): Promise<void> {
  const plan = parsePlanJson(readFileSync(inputs.planJson!, 'utf8'), inputs.planJson!);
  const summary = summarizePlan(plan);
  const findings = await findReleaseDrift({
    plan,
    ecs: deps.ecs(inputs.awsRegion),
    lambda: deps.lambda(inputs.awsRegion),
  });
  const url = runUrl(deps.context);
  const body = driftReport(inputs.environment, { summary, exitCode: inputs.detailedExitCode! }, findings, url);
  const outcome = await syncDriftIssue(deps.github(inputs.githubToken), {
    ...deps.context.repository,
    environment: inputs.environment,
    drift: body,
    runUrl: url,
    author: inputs.commentAuthor,
  });
  core.setOutput('drift', body === undefined ? 'false' : 'true');
  core.setOutput('issue-url', outcome.url ?? '');
  setCountOutputs(summary.counts);
  core.info(
    `${inputs.environment}: ${body === undefined ? 'no drift' : 'drift'}; issue ${outcome.action}${outcome.url ? ` → ${outcome.url}` : ''}`,
  );
  await appendJobSummary(
    `## Drift: ${inputs.environment}\n\n${body ?? 'No drift: Terraform and the running release match.'}\n\n` +
      `Issue: ${outcome.action}${outcome.url ? ` ([#${outcome.number}](${outcome.url}))` : ''}\n`,
  );
}

/** Refuses a saved plan from another commit or an older state, before terraform apply reads it. */
async function verifySavedPlan(inputs: ReviewInputs): Promise<void> {
  const metadata = JSON.parse(readFileSync(inputs.planMetadata!, 'utf8')) as Partial<PlanMetadata>;
  if (typeof metadata.commit !== 'string' || typeof metadata.environment !== 'string') {
    throw new ActionError(`${inputs.planMetadata} has no commit and environment: it must be written by the plan job`);
  }
  const planState = planStateVersion(readFileSync(inputs.savedPlan!), inputs.savedPlan!);
  const currentState = stateVersion(readFileSync(inputs.currentState!, 'utf8'), inputs.currentState!);
  const problems = savedPlanProblems({
    environment: inputs.environment,
    metadata: { commit: metadata.commit, environment: metadata.environment },
    applyingCommit: inputs.commit,
    planState,
    currentState,
  });
  if (problems.length > 0) throw ActionError.fromProblems('The saved plan is not what would be applied', problems);
  const state = planState ? `state serial ${planState.serial} of lineage ${planState.lineage}` : 'no state';
  core.info(`The saved plan is current: commit ${inputs.commit}, ${state}.`);
  await appendJobSummary(
    `### Saved plan checked (${inputs.environment})\n\n` +
      markdownTable(['Commit', 'State'], [[inputs.commit, state]]) +
      '\n',
  );
}

function setCountOutputs(counts: Record<'create' | 'update' | 'replace' | 'destroy', number>): void {
  core.setOutput('creates', String(counts.create));
  core.setOutput('updates', String(counts.update));
  core.setOutput('replaces', String(counts.replace));
  core.setOutput('destroys', String(counts.destroy));
}
