import { appendFileSync } from 'node:fs';
import {
  errorMessage,
  maskValues,
  parseTerraformOutputs,
  readTerraformOutputs,
  terraformOutputJson,
  type TerraformOutputs,
  type TerraformRunner,
} from '@berth/kit';
import { applyPlan } from './apply.ts';
import { desiredState, type DesiredState } from './desired-state.ts';
import type { GitHubSettings } from './github-settings.ts';
import type { DeployEnvironment } from './names.ts';
import { observe, type ObservedState } from './observe.ts';
import { parseOptions, USAGE, type BootstrapOptions, type PathKind } from './options.ts';
import { planChanges } from './plan.ts';
import { outcomeLines, planLines, summaryMarkdown } from './report.ts';
import { parseNotifierUrl, parseStorageOutputs, type StorageOutputs } from './storage-outputs.ts';

export interface BootstrapDependencies {
  runTerraform: TerraformRunner;
  pathKind: PathKind;
  connect: (options: BootstrapOptions) => GitHubSettings;
  out: (line: string) => void;
  err: (line: string) => void;
}

/** Exit codes: 0 done (or planned), 1 GitHub failed (details printed), 2 bad command line or outputs. */
export const EXIT = { ok: 0, failed: 1, badInput: 2 } as const;

async function readOutputs(
  source: string,
  flag: string,
  problems: string[],
  read: () => TerraformOutputs | Promise<TerraformOutputs>,
): Promise<TerraformOutputs | undefined> {
  try {
    return await read();
  } catch (error) {
    problems.push(`${flag} ${source}: ${errorMessage(error)}`);
    return undefined;
  }
}

/** How a --terraform-dir is initialised against the storage state, as docs/runbook.md does it. */
const storageInit = (dir: string): string =>
  `\`terraform -chdir=${dir} init -backend-config="$PWD/terraform/environments/storage.backend.hcl"\` ` +
  '(from the repository root)';

/** Reads the storage and platform outputs; every problem in any of them is reported at once. */
async function readInputs(
  options: BootstrapOptions,
  runTerraform: TerraformRunner,
): Promise<
  | { ok: true; storage: StorageOutputs; notifierUrls: Partial<Record<DeployEnvironment, string>> }
  | { ok: false; problems: string[] }
> {
  const problems: string[] = [];
  const source = options.storageOutputs;
  let storageOutputs: TerraformOutputs | undefined;
  if (source.kind === 'file') {
    storageOutputs = await readOutputs(source.path, '--terraform-outputs', problems, () =>
      readTerraformOutputs(source.path, '--terraform-outputs'),
    );
  } else {
    storageOutputs = await readOutputs(source.path, '--terraform-dir', problems, async () => {
      const json = await terraformOutputJson(source.path, {
        run: runTerraform,
        alternative: 'save the outputs elsewhere and pass --terraform-outputs FILE',
        initialise: storageInit(source.path),
      });
      return parseTerraformOutputs(json, `\`terraform output -json\` in ${source.path}`).outputs;
    });
  }
  let storage: StorageOutputs | undefined;
  if (storageOutputs !== undefined) {
    const origin = source.kind === 'file' ? source.path : `terraform output -json in ${source.path}`;
    const parsed = parseStorageOutputs(storageOutputs, origin);
    if (parsed.ok) storage = parsed.value;
    else problems.push(...parsed.problems);
  }
  const notifierUrls: Partial<Record<DeployEnvironment, string>> = {};
  for (const { environment, path } of options.platformOutputs) {
    const outputs = await readOutputs(`${environment}=${path}`, '--platform-outputs', problems, () =>
      readTerraformOutputs(path, '--platform-outputs'),
    );
    if (outputs === undefined) continue;
    const parsed = parseNotifierUrl(outputs, `${path} (platform outputs of ${environment})`);
    if (parsed.ok) notifierUrls[environment] = parsed.value;
    else problems.push(...parsed.problems);
  }
  if (problems.length > 0 || storage === undefined) return { ok: false, problems };
  return { ok: true, storage, notifierUrls };
}

/** `a`, `a and b`, `a, b and c`. */
function listText(items: readonly string[]): string {
  return items.length <= 1 ? (items[0] ?? '') : `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`;
}

/**
 * A reviewed environment with no reviewers, and none given, would let any run through: that is refused. Where
 * reviewers exist and none are given, they are kept, and named.
 */
function missingReviewers(desired: DesiredState, observed: ObservedState): { problems: string[]; kept: string[] } {
  const problems: string[] = [];
  const kept: string[] = [];
  for (const environment of desired.environments) {
    if (environment.reviewed !== true || environment.reviewers !== undefined) continue;
    const current = observed.environments.get(environment.name)?.settings?.reviewers ?? [];
    if (current.length > 0) kept.push(environment.name);
    else {
      problems.push(
        `environment ${environment.name} has no required reviewers and --reviewers is not given: pass --reviewers ` +
          'LOGIN[,LOGIN] with the users who must approve its jobs',
      );
    }
  }
  return { problems, kept };
}

function reportProblems(err: (line: string) => void, heading: string, problems: readonly string[]): void {
  err(`${heading} (${problems.length} problem${problems.length === 1 ? '' : 's'}):`);
  for (const problem of problems) err(`  - ${problem}`);
}

/**
 * `npm run bootstrap`: reads the storage outputs, reads the repository's GitHub settings, plans the difference,
 * and (unless --dry-run) applies it. Returns the exit code.
 */
export async function runBootstrap(
  argv: readonly string[],
  env: NodeJS.ProcessEnv,
  deps: BootstrapDependencies,
): Promise<number> {
  const parsed = parseOptions(argv, env, deps.pathKind);
  if (parsed.kind === 'help') {
    deps.out(USAGE);
    return EXIT.ok;
  }
  if (parsed.kind === 'problems') {
    reportProblems(deps.err, 'bootstrap: the command line cannot be used', parsed.problems);
    deps.err('Nothing was read from or written to GitHub. Run `npm run bootstrap -- --help` for the usage.');
    return EXIT.badInput;
  }
  const { options } = parsed;
  const repository = `${options.repository.owner}/${options.repository.repo}`;
  const inActions = env.GITHUB_ACTIONS === 'true';

  const inputs = await readInputs(options, deps.runTerraform);
  if (!inputs.ok) {
    reportProblems(deps.err, 'bootstrap: the Terraform outputs cannot be used', inputs.problems);
    deps.err('Nothing was read from or written to GitHub.');
    return EXIT.badInput;
  }
  const desired = desiredState(inputs.storage, inputs.notifierUrls, options.reviewers);
  if (inputs.storage.roles === null) {
    deps.out(
      'The storage root has no OIDC roles (build_role_arn and environment_role_arns are null): the role variables ' +
        'are left as they are, and the workflows sign in with the AWS_* key secrets while AWS_DEPLOY_ROLE_ARN is empty.',
    );
  }
  // The ECR URLs carry the account id; in a workflow log they are masked before anything could print them.
  if (inActions) maskValues(Object.values(desired.repositorySecrets));

  const github = deps.connect(options);
  const observation = await observe(github, desired, options.reviewers);
  if (!observation.ok) {
    reportProblems(deps.err, `bootstrap: could not read the current settings of ${repository}`, observation.problems);
    deps.err('Nothing was written.');
    return EXIT.failed;
  }
  const unreviewed = missingReviewers(desired, observation.state);
  if (unreviewed.problems.length > 0) {
    reportProblems(deps.err, `bootstrap: ${repository} would be left without required reviewers`, unreviewed.problems);
    deps.err('Nothing was written.');
    return EXIT.badInput;
  }
  if (unreviewed.kept.length > 0) {
    const warning =
      `WARNING: --reviewers is not given: the required reviewers of ${listText(unreviewed.kept)} are kept as ` +
      'they are. Pass --reviewers to set them.';
    deps.out(warning);
    if (inActions) deps.out(`::warning title=Reviewers kept::${warning}`);
  }
  const steps = planChanges(desired, observation.state);
  for (const line of planLines(repository, steps, options.dryRun)) deps.out(line);

  const summaryFile = env.GITHUB_STEP_SUMMARY;
  if (options.dryRun) {
    if (summaryFile) appendFileSync(summaryFile, summaryMarkdown(repository, steps, undefined));
    return EXIT.ok;
  }
  deps.out('');
  deps.out(`Applying to ${repository}:`);
  const outcomes = await applyPlan(steps, github, observation.state.publicKey, (line) => deps.out(`  ${line}`));
  if (summaryFile) appendFileSync(summaryFile, summaryMarkdown(repository, steps, outcomes));
  const lines = outcomeLines(repository, outcomes);
  const complete = outcomes.every((o) => o.status === 'applied' || o.status === 'unchanged');
  for (const line of lines) (complete ? deps.out : deps.err)(line);
  if (!complete && inActions) deps.out(`::error title=Bootstrap incomplete::${lines[0] ?? ''}`);
  return complete ? EXIT.ok : EXIT.failed;
}
