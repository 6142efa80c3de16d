import { existsSync } from 'node:fs';
import { join } from 'node:path';
import {
  asMap,
  asString,
  describeStep,
  isMap,
  jobsOf,
  loadSource,
  repoRoot,
  stepsOf,
  triggersOf,
  type JobView,
  type SourceFile,
  type StepView,
  type Violation,
} from './workflow-files';

export type PolicyRule = (file: SourceFile) => Violation[];

/** The composite action that signs jobs in to AWS; the only file allowed to name a region. */
export const awsCredentialsAction = './.github/actions/aws-credentials';
const awsCredentialsFile = '.github/actions/aws-credentials/action.yml';
const configureAwsCredentials = 'aws-actions/configure-aws-credentials';

function violation(rule: string, file: SourceFile, where: string, message: string): Violation {
  return { rule, file: file.path, where, message };
}

/** Every remote action (and remote reusable workflow) is pinned to a commit SHA, with the release in a comment. */
export const pinnedActions: PolicyRule = (file) => {
  const found: Violation[] = [];
  const seenOnLines = new Set<string>();
  // Read the raw lines: the version comment is lost once YAML is parsed.
  file.text.split('\n').forEach((line, index) => {
    const match = /^\s*(?:-\s+)?uses:\s*['"]?([^\s'"#]+)['"]?\s*(#.*)?$/.exec(line);
    if (!match) return;
    const target = match[1] ?? '';
    seenOnLines.add(target);
    const comment = match[2] ?? '';
    const where = `line ${index + 1}`;
    if (target.startsWith('./')) return;
    if (target.startsWith('docker://')) {
      if (!/@sha256:[0-9a-f]{64}$/.test(target)) {
        found.push(violation('pinned-actions', file, where, `${target} is not pinned to an image digest`));
      }
      return;
    }
    if (!/@[0-9a-f]{40}$/.test(target)) {
      found.push(violation('pinned-actions', file, where, `${target} is not pinned to a full 40-character commit SHA`));
    } else if (!/^#\s*v\d+(\.\d+)*/.test(comment)) {
      found.push(violation('pinned-actions', file, where, `${target} has no "# vX.Y.Z" comment naming the release`));
    }
  });
  // A `uses:` written in a shape the line scan does not recognise (flow style, block scalar) is not let through.
  const parsedTargets = [
    ...stepsOf(file).map((step) => step.uses),
    ...jobsOf(file).map((job) => asString(job.raw.uses)),
  ];
  for (const target of parsedTargets) {
    if (target !== undefined && !seenOnLines.has(target)) {
      found.push(
        violation('pinned-actions', file, target, 'uses: is not on a line of its own; its pin cannot be checked'),
      );
    }
  }
  return found;
};

function isReadOnlyPermissions(value: unknown): boolean {
  if (value === 'read-all') return true;
  if (!isMap(value)) return false;
  return Object.values(value).every((level) => level === 'read' || level === 'none');
}

/** The review's comment (pull-requests) and drift issue (issues) are written by terraform-plan-review, nothing else. */
function writesThroughPlanReview(job: JobView, scope: string): boolean {
  const modes: Record<string, string[]> = { 'pull-requests': ['comment', 'fork-notice'], issues: ['drift'] };
  return job.steps.some(
    (step) =>
      step.uses === './actions/terraform-plan-review' && (modes[scope] ?? []).includes(asString(step.with.mode) ?? ''),
  );
}

/** The workflow-wide `permissions:` exists and grants nothing beyond read. */
export const topLevelPermissions: PolicyRule = (file) => {
  if (file.kind !== 'workflow') return [];
  if (!('permissions' in file.doc)) {
    return [violation('top-level-permissions', file, 'workflow', 'no top-level permissions block')];
  }
  if (!isReadOnlyPermissions(file.doc.permissions)) {
    return [
      violation(
        'top-level-permissions',
        file,
        'workflow',
        `top-level permissions must be read-only or empty, got ${JSON.stringify(file.doc.permissions)}`,
      ),
    ];
  }
  return [];
};

function callsReusableWorkflow(job: JobView): boolean {
  return typeof job.raw.uses === 'string';
}

function signsInToAws(steps: { uses: string | undefined }[]): boolean {
  // deploy-service.yml reaches the composite through its checkout of Berth under .berth/.
  const composites = [awsCredentialsAction, awsCredentialsAction.replace('./', './.berth/')];
  return steps.some(
    (step) => composites.includes(step.uses ?? '') || (step.uses?.startsWith(`${configureAwsCredentials}@`) ?? false),
  );
}

function isAwsSignIn(step: { uses: string | undefined }): boolean {
  return signsInToAws([step]);
}

/** A step signs in with a role ARN (OIDC), as opposed to the static keys alone. */
function assumesRoleThroughOidc(steps: StepView[]): boolean {
  return steps.some((step) => isAwsSignIn(step) && (asString(step.with['role-to-assume']) ?? '') !== '');
}

/**
 * A job assumes a role through OIDC itself, or calls a reusable workflow of this repository one of whose jobs does.
 * Signing in with static keys alone needs no OIDC token.
 */
function assumesAwsRole(job: JobView): boolean {
  if (assumesRoleThroughOidc(job.steps)) return true;
  const callee = asString(job.raw.uses);
  if (callee === undefined) return false;
  // A workflow of another repository cannot be inspected here; its author decides.
  if (!callee.startsWith('./')) return true;
  const path = join(repoRoot, callee);
  return (
    existsSync(path) &&
    jobsOf(loadSource(path, 'workflow')).some((calleeJob) => assumesRoleThroughOidc(calleeJob.steps))
  );
}

/**
 * A workflow that only pushed tags start (the release workflow): publishing a release and moving the major tag
 * need `contents: write`, and no branch push or pull request can reach it.
 */
function runsOnlyOnTags(file: SourceFile): boolean {
  const push = asMap(asMap(file.doc.on).push);
  return triggersOf(file).join() === 'push' && 'tags' in push && !('branches' in push) && !('paths' in push);
}

/**
 * Jobs grant write access only as `id-token: write`, and only when they assume an AWS role through OIDC (directly,
 * or by calling a reusable workflow, whose jobs can never hold more than the caller grants): a job that signs in with
 * static keys only (the bootstrap environment) gets no token it could hand to a step; jobs of a workflow that only
 * tags start may also write contents (a release). A job that signs in to AWS without it cannot use OIDC, so that is
 * reported too.
 */
export const jobPermissions: PolicyRule = (file) => {
  const found: Violation[] = [];
  for (const job of jobsOf(file)) {
    const where = `job ${job.id}`;
    const permissions = job.raw.permissions;
    if (permissions === 'write-all') {
      found.push(violation('job-permissions', file, where, 'write-all grants every scope'));
      continue;
    }
    const grants = asMap(permissions);
    for (const [scope, level] of Object.entries(grants)) {
      if (level === 'write' && scope === 'contents' && runsOnlyOnTags(file)) continue;
      if (level === 'write' && writesThroughPlanReview(job, scope)) continue;
      if (level === 'write' && scope !== 'id-token') {
        found.push(violation('job-permissions', file, where, `grants ${scope}: write, which no Berth job needs`));
      }
    }
    if (grants['id-token'] === 'write' && !assumesAwsRole(job)) {
      found.push(violation('job-permissions', file, where, 'grants id-token: write but never assumes an AWS role'));
    }
    if (assumesRoleThroughOidc(job.steps) && grants['id-token'] !== 'write') {
      found.push(
        violation('job-permissions', file, where, 'signs in to AWS without id-token: write (OIDC would fail)'),
      );
    }
  }
  return found;
};

/**
 * `run:` scripts contain no `${{ }}` at all: expressions are expanded into the script text before the shell
 * parses it, so a branch name or input could inject commands. Values reach scripts through `env:`.
 */
export const noExpressionsInRun: PolicyRule = (file) =>
  stepsOf(file)
    .filter((step) => step.run?.includes('${{') ?? false)
    .map((step) =>
      violation('no-expressions-in-run', file, describeStep(step), 'run script contains ${{ }}; pass it through env:'),
    );

function concurrencyOf(raw: Record<string, unknown>): { group: string; cancels: boolean } | undefined {
  const concurrency = raw.concurrency;
  if (typeof concurrency === 'string') return { group: concurrency, cancels: false };
  if (!isMap(concurrency)) return undefined;
  const group = asString(concurrency.group);
  if (group === undefined) return undefined;
  return { group, cancels: concurrency['cancel-in-progress'] === true || concurrency['cancel-in-progress'] === 'true' };
}

/**
 * Jobs that change an environment (they run in a GitHub environment, or touch Terraform state) are serialised
 * per environment and never cancelled halfway: a cancelled apply or rollout leaves state locked or half done.
 */
export const concurrencyOnChanges: PolicyRule = (file) => {
  const found: Violation[] = [];
  const workflowConcurrency = concurrencyOf(file.doc);
  for (const job of jobsOf(file)) {
    const changesSomething =
      'environment' in job.raw ||
      job.steps.some((step) => /\bterraform\b[^\n]*\b(apply|destroy)\b/.test(step.run ?? ''));
    if (!changesSomething) continue;
    const concurrency = concurrencyOf(job.raw) ?? workflowConcurrency;
    const where = `job ${job.id}`;
    if (concurrency === undefined) {
      found.push(violation('concurrency', file, where, 'changes an environment but has no concurrency group'));
    } else if (concurrency.cancels) {
      found.push(violation('concurrency', file, where, 'cancel-in-progress would interrupt a running change'));
    }
  }
  return found;
};

/** Every job that runs steps has `timeout-minutes` (the 6-hour default hides hung rollouts). */
export const timeouts: PolicyRule = (file) =>
  jobsOf(file)
    .filter((job) => !callsReusableWorkflow(job) && !('timeout-minutes' in job.raw))
    .map((job) => violation('timeout-minutes', file, `job ${job.id}`, 'job has no timeout-minutes'));

function secretBoundNames(env: Record<string, unknown>): string[] {
  return Object.entries(env)
    .filter(([, value]) => typeof value === 'string' && /\$\{\{[^}]*\bsecrets\./.test(value))
    .map(([name]) => name);
}

/**
 * Scripts never print a secret: no `set -x` where secrets are in the environment, and no echo/printf of a
 * variable bound to `secrets.*` (masking is best-effort; transformed values escape it).
 */
export const noSecretEcho: PolicyRule = (file) => {
  const found: Violation[] = [];
  const workflowEnv = asMap(file.doc.env);
  const jobEnvs = new Map(jobsOf(file).map((job) => [job.id, asMap(job.raw.env)]));
  for (const step of stepsOf(file)) {
    if (step.run === undefined) continue;
    const names = [
      ...secretBoundNames(workflowEnv),
      ...secretBoundNames(step.jobId === undefined ? {} : (jobEnvs.get(step.jobId) ?? {})),
      ...secretBoundNames(step.env),
    ];
    if (names.length === 0) continue;
    const where = describeStep(step);
    if (/\bset\s+-[a-z]*x/.test(step.run)) {
      found.push(
        violation('no-secret-echo', file, where, 'set -x traces commands while secrets are in the environment'),
      );
    }
    for (const line of step.run.split('\n')) {
      if (!/\b(echo|printf)\b/.test(line)) continue;
      for (const name of names) {
        if (new RegExp(`\\$\\{?${name}\\b`).test(line)) {
          found.push(violation('no-secret-echo', file, where, `prints ${name}, which holds a secret`));
        }
      }
    }
  }
  return found;
};

const forbiddenTriggers = ['pull_request_target', 'workflow_run'];

/** Triggers that run with write tokens and secrets on behalf of untrusted code are not used. */
export const noDangerousTriggers: PolicyRule = (file) =>
  file.kind !== 'workflow'
    ? []
    : triggersOf(file)
        .filter((event) => forbiddenTriggers.includes(event))
        .filter((event) => !(event === 'pull_request_target' && confinedPullRequestTarget(file)))
        .map((event) => violation('forbidden-triggers', file, 'on', `${event} runs untrusted code with secrets`));

/**
 * The one allowed pull_request_target: a fork's pull_request token cannot comment, so plan-review.yml's fork notice
 * runs on it. Allowed only when every other job is gated to pull_request, and the jobs that run on the target hold
 * nothing but pull-requests: write, read no secrets, check out the base only (no `ref:`) and run only checkout and
 * Berth's own review action from that base.
 */
function confinedPullRequestTarget(file: SourceFile): boolean {
  return jobsOf(file).every((job) => {
    const condition = asString(job.raw.if) ?? '';
    if (!condition.includes("github.event_name == 'pull_request_target'")) {
      return condition.includes("github.event_name == 'pull_request'");
    }
    const permissions = asMap(job.raw.permissions);
    return (
      JSON.stringify(permissions) === JSON.stringify({ 'pull-requests': 'write' }) &&
      !/\bsecrets\./.test(JSON.stringify(job.raw)) &&
      job.steps.every(
        (step) =>
          (step.uses?.startsWith('actions/checkout@') === true && step.with.ref === undefined) ||
          step.uses === './actions/terraform-plan-review',
      )
    );
  });
}

/** actions/checkout never leaves the token in .git/config for later steps to read. */
export const checkoutWithoutCredentials: PolicyRule = (file) =>
  stepsOf(file)
    .filter((step) => step.uses?.startsWith('actions/checkout@') ?? false)
    .filter((step) => step.with['persist-credentials'] !== false && step.with['persist-credentials'] !== 'false')
    .map((step) =>
      violation(
        'checkout-persist-credentials',
        file,
        describeStep(step),
        'checkout without persist-credentials: false',
      ),
    );

/** Callers of reusable workflows name each secret they hand over. */
export const noSecretsInherit: PolicyRule = (file) =>
  jobsOf(file)
    .filter((job) => job.raw.secrets === 'inherit')
    .map((job) =>
      violation('no-secrets-inherit', file, `job ${job.id}`, 'secrets: inherit hands every secret to the callee'),
    );

/** The default region is written once, in the AWS credentials composite action. */
export const regionInOnePlace: PolicyRule = (file) => {
  if (file.path === awsCredentialsFile) return [];
  const found: Violation[] = [];
  file.text.split('\n').forEach((line, index) => {
    const match = /\b(?:us|eu|ap|ca|sa|me|af|il|mx)-(?:north|south|east|west|central|northeast|southeast)-\d\b/.exec(
      line,
    );
    if (match) {
      found.push(
        violation(
          'region-in-one-place',
          file,
          `line ${index + 1}`,
          `region ${match[0]} belongs in ${awsCredentialsFile}`,
        ),
      );
    }
  });
  return found;
};

/** Every AWS sign-in goes through the composite action, so the OIDC/static-key fallback exists once. */
export const awsSignInThroughComposite: PolicyRule = (file) =>
  file.path === awsCredentialsFile
    ? []
    : stepsOf(file)
        .filter((step) => step.uses?.startsWith(`${configureAwsCredentials}@`) ?? false)
        .map((step) =>
          violation(
            'aws-sign-in',
            file,
            describeStep(step),
            `use ${awsCredentialsAction} instead of ${configureAwsCredentials}`,
          ),
        );

/** The GitHub environment whose administrator keys apply the storage layer; no OIDC role is used there. */
export const bootstrapEnvironment = 'bootstrap';

/** The role variable each kind of AWS job reads (published by `npm run bootstrap`). */
/** The read-only plan roles (C3): one repository variable, a JSON map environment → ARN, for these workflows only. */
export const planRoleVariable = 'fromJSON(vars.AWS_PLAN_ROLE_ARNS)[matrix.environment]';
const planRoleWorkflows = ['.github/workflows/plan-review.yml', '.github/workflows/drift.yml'];

export const roleVariables = {
  build: 'vars.AWS_BUILD_ROLE_ARN',
  deploy: 'vars.AWS_DEPLOY_ROLE_ARN',
  terraform: 'vars.AWS_TERRAFORM_ROLE_ARN',
} as const;

function environmentOf(job: JobView): string | undefined {
  const environment = job.raw.environment;
  return typeof environment === 'string' ? environment : asString(asMap(environment).name);
}

/** Runs `terraform plan` or `terraform apply` (destroy included): work for the environment's terraform role. */
function runsTerraformChanges(job: JobView): boolean {
  return job.steps.some((step) => /\bterraform\b[^\n]*\s(plan|apply)\b/.test(step.run ?? ''));
}

function isReusable(file: SourceFile): boolean {
  return triggersOf(file).includes('workflow_call');
}

/**
 * Each AWS job assumes the role made for its kind of work, so a job in one environment can never act with
 * another job's (or environment's) permissions: jobs outside any environment build images with the build role
 * (which trusts only main); jobs in a deploy environment use that environment's terraform role when they plan or
 * apply Terraform and its deploy role otherwise; jobs in the bootstrap environment use its administrator keys and
 * no role. A reusable workflow may hand the choice to its caller through an input.
 */
export const perJobRoles: PolicyRule = (file) => {
  const found: Violation[] = [];
  for (const job of jobsOf(file)) {
    for (const step of job.steps.filter((candidate) => isAwsSignIn(candidate))) {
      const where = `job ${job.id}`;
      const role = (asString(step.with['role-to-assume']) ?? '').trim();
      const environment = environmentOf(job);
      if (environment === bootstrapEnvironment) {
        if (role !== '') {
          found.push(
            violation(
              'per-job-roles',
              file,
              where,
              `assumes ${role} in the ${bootstrapEnvironment} environment, whose administrator keys need no role`,
            ),
          );
        }
        continue;
      }
      const expected =
        environment === undefined
          ? planRoleWorkflows.includes(file.path)
            ? planRoleVariable
            : roleVariables.build
          : runsTerraformChanges(job)
            ? roleVariables.terraform
            : roleVariables.deploy;
      if (role === '') {
        found.push(
          violation(
            'per-job-roles',
            file,
            where,
            `signs in with static keys only; pass role-to-assume: \${{ ${expected} }}`,
          ),
        );
      } else if (isReusable(file) && /^\$\{\{\s*inputs\.[\w-]+\s*\}\}$/.test(role)) {
        continue;
      } else if (role !== `\${{ ${expected} }}`) {
        const kind =
          environment === undefined
            ? 'runs outside any environment'
            : `runs in environment ${environment} and ${runsTerraformChanges(job) ? 'plans or applies Terraform' : 'runs no Terraform plan or apply'}`;
        found.push(
          violation('per-job-roles', file, where, `assumes ${role}, but the job ${kind}: use \${{ ${expected} }}`),
        );
      }
    }
  }
  return found;
};

/** Lines of a script with backslash continuations joined, so one command is one line. */
function logicalLines(script: string): string[] {
  return script.replace(/\\\n/g, ' ').split('\n');
}

/**
 * Every job installs packages without running their install scripts: a script of any dependency could read the
 * job's credentials, poison what the job builds or caches, or plant a step that does later. No Berth dependency
 * needs one (esbuild, the only package with an install script, finds its platform binary without it).
 */
export const installWithoutScripts: PolicyRule = (file) => {
  const found: Violation[] = [];
  for (const step of stepsOf(file)) {
    for (const line of logicalLines(step.run ?? '')) {
      const install = /\bnpm\s+(ci|install|i|add)\b/.exec(line);
      if (install && !/\s--ignore-scripts\b/.test(line)) {
        found.push(
          violation(
            'install-without-scripts',
            file,
            describeStep(step),
            `npm ${install[1]} without --ignore-scripts: no Berth dependency needs its install scripts`,
          ),
        );
      }
    }
  }
  return found;
};

/** Why a job must not restore a cache, or undefined for an ordinary job (lint and tests of a pull request). */
function privilegeOf(file: SourceFile, job: JobView): string | undefined {
  if (signsInToAws(job.steps) || callsReusableWorkflow(job)) return 'signs in to AWS';
  if ('environment' in job.raw) return 'runs in a GitHub environment';
  if (/\$\{\{[^}]*\bsecrets\.(?!GITHUB_TOKEN\b)/.test(JSON.stringify(job.raw))) return 'reads secrets';
  const grants = job.raw.permissions === 'write-all' ? { all: 'write' } : asMap(job.raw.permissions);
  if (Object.values(grants).includes('write')) return 'holds write permissions';
  if (job.steps.some((step) => step.uses?.startsWith('actions/upload-artifact@') ?? false)) {
    return 'builds an artifact';
  }
  if (job.steps.some((step) => step.uses?.startsWith('docker/build-push-action@') ?? false)) {
    return 'builds an image';
  }
  if (runsOnlyOnTags(file)) return 'is part of a release';
  return undefined;
}

/** The shared caches a step restores: setup-node's package cache, actions/cache, BuildKit's GitHub cache. */
function sharedCachesOf(step: StepView): string[] {
  const uses = step.uses ?? '';
  if (uses.startsWith('actions/setup-node@') && (asString(step.with.cache) ?? '') !== '') {
    return [`setup-node cache: ${asString(step.with.cache)}`];
  }
  if (/^actions\/cache(\/restore)?@/.test(uses)) return [uses.split('@')[0] ?? uses];
  if (uses.startsWith('docker/build-push-action@')) {
    return ['cache-from', 'cache-to']
      .filter((input) => /\btype=gha\b/.test(asString(step.with[input]) ?? ''))
      .map((input) => `${input}: type=gha`);
  }
  return [];
}

/**
 * Jobs that hold credentials or write access, run in an environment, or build what is deployed or released restore
 * no shared cache: any job on main (a pull request's code once merged, a dependency's script) can write the
 * entries they would restore.
 */
export const noSharedCache: PolicyRule = (file) => {
  const found: Violation[] = [];
  for (const job of jobsOf(file)) {
    const privilege = privilegeOf(file, job);
    if (privilege === undefined) continue;
    for (const step of job.steps) {
      for (const cache of sharedCachesOf(step)) {
        found.push(
          violation(
            'no-shared-cache',
            file,
            describeStep(step),
            `restores a shared cache (${cache}) in a job that ${privilege}: remove it, and build from the registry and the source alone`,
          ),
        );
      }
    }
  }
  return found;
};

/**
 * Terraform changes infrastructure only by applying a saved plan: `terraform apply <file>.tfplan`, never
 * `-auto-approve`, `apply -destroy` or `terraform destroy`, which apply whatever they compute at that moment
 * rather than the plan a person (or a reviewer) has seen.
 */
export const applySavedPlans: PolicyRule = (file) => {
  const found: Violation[] = [];
  for (const step of stepsOf(file)) {
    for (const line of logicalLines(step.run ?? '')) {
      if (!/\bterraform\b/.test(line)) continue;
      const where = describeStep(step);
      if (/\sdestroy\b/.test(line) && !/\splan\b/.test(line)) {
        found.push(
          violation(
            'apply-saved-plan',
            file,
            where,
            'terraform destroy applies an unseen plan; use plan -destroy -out and apply that file',
          ),
        );
      } else if (/\sapply\b/.test(line)) {
        if (/-auto-approve\b/.test(line)) {
          found.push(
            violation(
              'apply-saved-plan',
              file,
              where,
              'terraform apply -auto-approve applies an unseen plan; apply a saved .tfplan',
            ),
          );
        } else if (!/\.tfplan["']?\s*$/.test(line.trim())) {
          found.push(
            violation('apply-saved-plan', file, where, 'terraform apply without a saved .tfplan as its last argument'),
          );
        }
      }
    }
  }
  return found;
};

/** The Node.js releases Berth supports (package.json engines); workflows run on the newest unless they test both. */
export const supportedNodeVersions = ['22', '24'];
const workflowNodeVersion = '24';

/**
 * Every setup-node step runs Node 24, or a `matrix.node` of supported versions that includes 24 (CI tests both):
 * a job on an unsupported Node proves nothing about the releases Berth promises.
 */
export const nodeVersions: PolicyRule = (file) => {
  const found: Violation[] = [];
  for (const job of jobsOf(file)) {
    for (const step of job.steps.filter((candidate) => candidate.uses?.startsWith('actions/setup-node@') ?? false)) {
      const where = describeStep(step);
      const requested = String(step.with['node-version'] ?? '').trim();
      if (/^\$\{\{\s*matrix\.node\s*\}\}$/.test(requested)) {
        const matrix = asMap(asMap(job.raw.strategy).matrix).node;
        const versions = Array.isArray(matrix) ? matrix.map(String) : [];
        const unsupported = versions.filter((version) => !supportedNodeVersions.includes(version));
        if (unsupported.length > 0 || !versions.includes(workflowNodeVersion)) {
          found.push(
            violation(
              'node-versions',
              file,
              where,
              `matrix.node is [${versions.join(', ')}]; use supported versions (${supportedNodeVersions.join(', ')}) including ${workflowNodeVersion}`,
            ),
          );
        }
      } else if (requested !== workflowNodeVersion) {
        found.push(
          violation(
            'node-versions',
            file,
            where,
            `node-version is ${requested === '' ? 'not set' : requested}; use ${workflowNodeVersion}`,
          ),
        );
      }
    }
  }
  return found;
};

/**
 * Images still pinned by tag only, each with why: their digests could not be looked up from a trustworthy source
 * where these checks were written (no registry access), and an invented digest would be worse than a tag. Pin each
 * (`image: postgres:15@sha256:<digest>` from `docker buildx imagetools inspect postgres:15`) and remove it here; a
 * listed image that nothing uses any more is reported, so the list only shrinks.
 */
export const knownUnpinnedImages: Record<string, string> = {
  'postgres:15': 'CI service of the integration tests (ci.yml, deploy.yml, release.yml); digest not looked up yet',
  'redis:7': 'CI service of the integration tests (ci.yml, deploy.yml, release.yml); digest not looked up yet',
  'node:${NODE_VERSION}-bookworm-slim': 'Dockerfile build stages; digest not looked up yet',
  'node:${NODE_VERSION}-alpine': 'Dockerfile runtime stage; digest not looked up yet',
};

/** An image reference is pinned when it names a digest; a known exception passes until it is pinned. */
export function imagePinProblem(image: string): string | undefined {
  if (/@sha256:[0-9a-f]{64}$/.test(image)) return undefined;
  if (image in knownUnpinnedImages) return undefined;
  return `${image} is not pinned to an image digest (name:tag@sha256:<digest>)`;
}

/** The images of a job's `services:` and `container:`. */
function jobImages(job: JobView): string[] {
  const imageOf = (value: unknown): string | undefined =>
    typeof value === 'string' ? value : asString(asMap(value).image);
  return [
    ...Object.values(asMap(job.raw.services)).map(imageOf),
    ...(job.raw.container === undefined ? [] : [imageOf(job.raw.container)]),
  ].filter((image): image is string => image !== undefined);
}

/** Service and job container images are pinned by digest, like actions: a moved tag would run other code. */
export const pinnedImages: PolicyRule = (file) =>
  jobsOf(file).flatMap((job) =>
    jobImages(job)
      .map((image) => imagePinProblem(image))
      .filter((problem): problem is string => problem !== undefined)
      .map((problem) => violation('pinned-images', file, `job ${job.id}`, problem)),
  );

/** Every image reference of the workflows, for checking that each known exception is still used. */
export function workflowImages(files: SourceFile[]): string[] {
  return files.flatMap((file) => jobsOf(file).flatMap((job) => jobImages(job)));
}

export const policyRules: Record<string, PolicyRule> = {
  'pinned-actions': pinnedActions,
  'top-level-permissions': topLevelPermissions,
  'job-permissions': jobPermissions,
  'no-expressions-in-run': noExpressionsInRun,
  concurrency: concurrencyOnChanges,
  'timeout-minutes': timeouts,
  'no-secret-echo': noSecretEcho,
  'forbidden-triggers': noDangerousTriggers,
  'checkout-persist-credentials': checkoutWithoutCredentials,
  'no-secrets-inherit': noSecretsInherit,
  'region-in-one-place': regionInOnePlace,
  'aws-sign-in': awsSignInThroughComposite,
  'per-job-roles': perJobRoles,
  'install-without-scripts': installWithoutScripts,
  'no-shared-cache': noSharedCache,
  'node-versions': nodeVersions,
  'pinned-images': pinnedImages,
  'apply-saved-plan': applySavedPlans,
};
