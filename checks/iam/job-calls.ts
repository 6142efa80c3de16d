import type { ActionPermission, Placeholder } from './action-permissions.ts';
import { fillTemplate } from './action-permissions.ts';
import { knownString, ofType, type PlatformPlan } from './platform-plan.ts';
import type { DeployEnvironment, EnvironmentResources } from './role-report.ts';
import type { JobCall } from './simulator.ts';
import { OPERATIONS, terraformCalls, type ArnScope, type Operation } from './terraform-calls.ts';
import { secretArnOf, secretCalls, secretVersionCalls } from './terraform-calls/secrets-manager.ts';

/**
 * Every workflow job that signs in to AWS, the role it assumes, and the AWS calls it makes: those of the Berth
 * actions it runs (from each action's README table, for the inputs the job gives), those of its own scripts
 * (aws and terraform CLI), and for Terraform jobs those of the platform's resources (checks/iam/terraform-calls.ts).
 */

export type RoleKind = 'build' | 'deploy' | 'terraform' | 'plan';

export interface JobInputs {
  environment: DeployEnvironment;
  resources: EnvironmentResources;
  /** A plan of terraform/platform for the environment. */
  platform: PlatformPlan;
  at: ArnScope;
  /** The README permissions table of a Berth action. */
  permissionsOf: (action: string) => ActionPermission[];
}

export interface ActionUse {
  /** Directory name under actions/. */
  action: string;
  /** The `When` values of the README table that hold for this job (`always` always does). */
  conditions: string[];
  /** `When` values that hold in some environments only, such as a CODE_DEPLOY service in prod. */
  situational?: (inputs: JobInputs) => string[];
  /** Placeholder values particular to this use (the deployment group it rolls out through). */
  values?: (inputs: JobInputs) => Partial<Record<Placeholder, string[]>>;
}

export interface WorkflowJob {
  workflow: string;
  job: string;
  role: RoleKind;
  /** Berth actions the job runs and the README rows that apply to it. */
  actions: ActionUse[];
  calls(inputs: JobInputs): JobCall[];
}

/** Request context AWS adds to these calls as the jobs make them. */
function requestContext(action: string, inputs: JobInputs): Record<string, string> | undefined {
  switch (action) {
    case 'iam:PassRole':
      return { 'iam:PassedToService': 'ecs-tasks.amazonaws.com' };
    case 'lambda:InvokeFunctionUrl':
      return { 'lambda:FunctionUrlAuthType': 'AWS_IAM' };
    case 'lambda:InvokeFunction':
      return { 'lambda:InvokedViaFunctionUrl': 'true' };
    case 'ecs:ListTasks':
      return { 'ecs:cluster': inputs.resources.clusterArn };
    default:
      return undefined;
  }
}

function bucketArnOf(stateObjectArn: string): string {
  return stateObjectArn.slice(0, stateObjectArn.indexOf('/'));
}

function clusterNameOf(clusterArn: string): string {
  return clusterArn.slice(clusterArn.lastIndexOf('/') + 1);
}

/** The functions whose Function URLs the jobs call, as IAM names them: `name`, or `name:alias` for a URL on an alias. */
function notifierFunctions(platform: PlatformPlan): string[] {
  return ofType(platform, 'aws_lambda_function_url').map((url) => {
    const qualifier = url.values.qualifier;
    const name = String(url.values.function_name);
    return typeof qualifier === 'string' && qualifier !== '' ? `${name}:${qualifier}` : name;
  });
}

/** Placeholder values for the environment: its cluster, services, task-definition families, roles, notifier. */
function placeholderValues(inputs: JobInputs): Partial<Record<Placeholder, string[]>> {
  const { resources, at, platform } = inputs;
  return {
    PARTITION: [at.partition],
    REGION: [at.region],
    ACCOUNT: [at.accountId],
    CLUSTER: [clusterNameOf(resources.clusterArn)],
    SERVICE: resources.serviceArns.map((arn) => arn.slice(arn.lastIndexOf('/') + 1)),
    FAMILY: ofType(platform, 'aws_ecs_task_definition').map((definition) => String(definition.values.family)),
    REVISION: ['2'],
    ID: ['0123456789abcdef0123456789abcdef'],
    ROLE: [...resources.taskRoleArns, ...resources.executionRoleArns].map((arn) =>
      arn.slice(arn.indexOf(':role/') + 6),
    ),
    REPOSITORY: resources.ecrRepositoryArns.map((arn) => arn.slice(arn.indexOf(':repository/') + 12)),
    FUNCTION: notifierFunctions(platform),
  };
}

/** ARNs that name no environment: the shared image repositories, CodeDeploy's configurations, and `*`. */
function scopeOf(resource: string): 'environment' | 'account' {
  return resource === '*' || /:(ecr:[^:]*:\d{12}:repository\/|codedeploy:[^:]*:\d{12}:deploymentconfig:)/.test(resource)
    ? 'account'
    : 'environment';
}

/** CodeDeploy applications of the platform for one compute platform (ECS or Lambda), with their deployment groups. */
export function deploymentGroups(
  platform: PlatformPlan,
  computePlatform: 'ECS' | 'Lambda',
): { application: string; group: string }[] {
  const applications = new Set(
    ofType(platform, 'aws_codedeploy_app')
      .filter((app) => app.values.compute_platform === computePlatform)
      .map((app) => String(app.values.name)),
  );
  return ofType(platform, 'aws_codedeploy_deployment_group')
    .filter((group) => applications.has(String(group.values.app_name)))
    .map((group) => ({
      application: String(group.values.app_name),
      group: String(group.values.deployment_group_name),
    }));
}

function groupValues(
  platform: PlatformPlan,
  computePlatform: 'ECS' | 'Lambda',
): Partial<Record<Placeholder, string[]>> {
  const groups = deploymentGroups(platform, computePlatform);
  // A group without a configuration of its own uses CodeDeploy's default one.
  const defaults = { ECS: 'CodeDeployDefault.ECSAllAtOnce', Lambda: 'CodeDeployDefault.LambdaAllAtOnce' };
  const configs = ofType(platform, 'aws_codedeploy_deployment_group')
    .filter((group) => groups.some((pair) => pair.group === group.values.deployment_group_name))
    .map((group) => {
      const name = group.values.deployment_config_name;
      return typeof name === 'string' && name !== '' ? name : defaults[computePlatform];
    });
  return {
    APPLICATION: groups.map((pair) => pair.application),
    GROUP: groups.map((pair) => pair.group),
    CONFIG: [...new Set(configs)],
  };
}

/** The calls of one action as a job uses it, from its README table. */
export function actionCalls(inputs: JobInputs, use: ActionUse): JobCall[] {
  const values = { ...placeholderValues(inputs), ...use.values?.(inputs) };
  const conditions = [...use.conditions, ...(use.situational?.(inputs) ?? [])];
  return inputs
    .permissionsOf(use.action)
    .filter((row) => row.when === 'always' || conditions.includes(row.when))
    .flatMap((row) =>
      fillTemplate(row.resource, values).map((resource) => ({
        action: row.action,
        resource,
        context: requestContext(row.action, inputs),
        scope: scopeOf(resource),
        origin: `${use.action} (${row.when})`,
      })),
    );
}

function stateCalls(inputs: JobInputs, writes: boolean, state = inputs.resources.stateObjectArn): JobCall[] {
  const reads: JobCall[] = [
    { action: 's3:ListBucket', resource: bucketArnOf(state), scope: 'account', origin: 'terraform init (S3 backend)' },
    { action: 's3:GetObject', resource: state, scope: 'environment', origin: 'terraform state' },
  ];
  if (!writes) return reads;
  const lock = `${state}.tflock`;
  return [
    ...reads,
    { action: 's3:PutObject', resource: state, scope: 'environment', origin: 'terraform state' },
    ...['s3:GetObject', 's3:PutObject', 's3:DeleteObject'].map((action) => ({
      action,
      resource: lock,
      scope: 'environment' as const,
      origin: 'terraform state lock (use_lockfile)',
    })),
  ];
}

/**
 * What applying (or destroying) terraform/secrets calls: its state, and for each secret the platform looks up by
 * name (the secrets that root creates under the same names, secrets-root.test.ts) the secret and its write-only
 * first version. Refreshing that version reads the value, which is why only the terraform role runs this root.
 */
export function secretsRootCalls(inputs: JobInputs, operations: readonly Operation[]): JobCall[] {
  const calls: JobCall[] = stateCalls(
    inputs,
    operations.some((operation) => operation !== 'read'),
    inputs.resources.secretsStateObjectArn,
  );
  for (const secret of inputs.platform.dataSources.filter((source) => source.type === 'aws_secretsmanager_secret')) {
    const name = knownString(secret, 'name');
    const secretArn = secretArnOf(inputs.at, name);
    for (const [what, byOperation] of [
      ['', secretCalls(secretArn)],
      [' first version', secretVersionCalls(secretArn)],
    ] as const) {
      for (const operation of operations) {
        for (const call of byOperation[operation] ?? []) {
          calls.push({ ...call, scope: 'environment', origin: `terraform/secrets ${name}${what} (${operation})` });
        }
      }
    }
  }
  return calls;
}

/**
 * What `terraform plan -lock=false -refresh=true` of the platform does with the environment's read-only plan role
 * (plan-review.yml's pull request plans, drift.yml's drift checks): init lists the backend's workspaces (prefix
 * `env:/`), reads the state object, takes no lock, and refreshes every resource. Secret values are the one read
 * the plan role is refused on purpose (`SECRET_VALUE_READS`): a pull request's job must not see them. The platform
 * holds no secret version (terraform/secrets does), so its plan asks for none.
 */
export function readOnlyPlanCalls(inputs: JobInputs): JobCall[] {
  const state = inputs.resources.stateObjectArn;
  return [
    {
      action: 's3:ListBucket',
      resource: bucketArnOf(state),
      context: { 's3:prefix': 'env:/' },
      scope: 'account',
      origin: 'terraform init (S3 backend workspaces)',
    },
    { action: 's3:GetObject', resource: state, scope: 'environment', origin: 'terraform state' },
    ...terraformCalls(inputs.platform, inputs.at, inputs.environment, ['read']),
  ];
}

/** Reads of a refresh the plan role is refused on purpose: a pull request's job must not see secret values. */
export const SECRET_VALUE_READS = ['secretsmanager:GetSecretValue'];

/**
 * A job of plan-review.yml or drift.yml: `terraform plan -lock=false` with the environment's plan role
 * (`fromJSON(vars.AWS_PLAN_ROLE_ARNS)[matrix.environment]`), plus the Berth actions it runs.
 */
export function planJob(workflow: string, job: string, actions: ActionUse[] = []): WorkflowJob {
  return {
    workflow,
    job,
    role: 'plan',
    actions,
    // Secret values are refused to the plan role on purpose (roles.test.ts proves the refusal).
    calls: (inputs) => [
      ...readOnlyPlanCalls(inputs).filter((call) => !SECRET_VALUE_READS.includes(call.action)),
      ...actions.flatMap((use) => actionCalls(inputs, use)),
    ],
  };
}

function terraformJob(
  job: string,
  workflow: string,
  operations: readonly Operation[],
  notifies: boolean,
  more: ActionUse[] = [],
): WorkflowJob {
  const actions = [...more, ...(notifies ? [{ action: 'notify-lambda-url', conditions: ['input auth: iam'] }] : [])];
  return {
    workflow,
    job,
    role: 'terraform',
    actions,
    calls: (inputs) => [
      ...stateCalls(
        inputs,
        operations.some((operation) => operation !== 'read'),
      ),
      ...terraformCalls(inputs.platform, inputs.at, inputs.environment, operations),
      ...actions.flatMap((use) => actionCalls(inputs, use)),
    ],
  };
}

/** The job, making `more` calls besides its own. */
function withCalls(job: WorkflowJob, more: (inputs: JobInputs) => JobCall[]): WorkflowJob {
  return { ...job, calls: (inputs) => [...job.calls(inputs), ...more(inputs)] };
}

const deployActions: ActionUse[] = [
  { action: 'render-task-definition', conditions: ['input pin-image-digests: true'] },
  {
    action: 'ecs-rollout',
    conditions: ['a rollout fails'],
    // The workflow hands ecs-rollout the deployment group Terraform made for a CODE_DEPLOY service.
    situational: (inputs) => (deploymentGroups(inputs.platform, 'ECS').length > 0 ? ['CODE_DEPLOY services'] : []),
    values: (inputs) => groupValues(inputs.platform, 'ECS'),
  },
  { action: 'notify-lambda-url', conditions: ['input auth: iam'] },
];

const notifierActions: ActionUse[] = [
  {
    action: 'lambda-canary-deploy',
    conditions: [],
    // The function itself (its code and versions), not the alias its Function URL is on.
    values: (inputs) => ({
      ...groupValues(inputs.platform, 'Lambda'),
      FUNCTION: ofType(inputs.platform, 'aws_lambda_function').map((fn) => String(fn.values.function_name)),
    }),
  },
];

/** The notifier canary job of deploy-environment.yml: new notifier code out through its CodeDeploy canary. */
const NOTIFIER_CANARY_JOB: WorkflowJob = {
  workflow: 'deploy-environment.yml',
  job: 'notifier',
  role: 'deploy',
  actions: notifierActions,
  calls: (inputs) => notifierActions.flatMap((use) => actionCalls(inputs, use)),
};

export const WORKFLOW_JOBS: WorkflowJob[] = [
  {
    workflow: 'deploy.yml',
    job: 'build',
    role: 'build',
    actions: [],
    calls: (inputs) =>
      [
        // aws-actions/amazon-ecr-login, then `aws ecr describe-images`, then docker buildx push.
        { action: 'ecr:GetAuthorizationToken', resource: '*', origin: 'amazon-ecr-login' },
        ...inputs.resources.ecrRepositoryArns.flatMap((repository) =>
          [
            'ecr:DescribeImages',
            'ecr:BatchCheckLayerAvailability',
            'ecr:InitiateLayerUpload',
            'ecr:UploadLayerPart',
            'ecr:CompleteLayerUpload',
            'ecr:PutImage',
            'ecr:BatchGetImage',
            'ecr:GetDownloadUrlForLayer',
          ].map((action) => ({ action, resource: repository, origin: 'docker push' })),
        ),
      ].map((call) => ({ ...call, scope: 'account' as const })),
  },
  {
    workflow: 'deploy-environment.yml',
    job: 'deploy',
    role: 'deploy',
    actions: deployActions,
    calls: (inputs) => [
      // terraform init + output of the environment's platform state, then `aws ecs describe-clusters`.
      ...stateCalls(inputs, false),
      {
        action: 'ecs:DescribeClusters',
        resource: inputs.resources.clusterArn,
        scope: 'environment',
        origin: 'Find the environment',
      },
      ...deployActions.flatMap((use) => actionCalls(inputs, use)),
    ],
  },
  NOTIFIER_CANARY_JOB,
  {
    workflow: 'terraform-apply.yml',
    job: 'secrets',
    role: 'terraform',
    actions: [],
    calls: (inputs) => secretsRootCalls(inputs, OPERATIONS),
  },
  terraformJob('plan', 'terraform-apply.yml', ['read'], false),
  // verify-saved-plan reads only files the job holds: no AWS call.
  terraformJob('apply', 'terraform-apply.yml', OPERATIONS, true, [{ action: 'terraform-plan-review', conditions: [] }]),
  // The platform first, then terraform/secrets (whose secrets the platform's services read until then).
  withCalls(terraformJob('destroy', 'terraform-destroy.yml', ['read', 'delete'], true), (inputs) =>
    secretsRootCalls(inputs, ['read', 'delete']),
  ),
  planJob('plan-review.yml', 'plan', [{ action: 'terraform-plan-review', conditions: ['mode report or drift'] }]),
  planJob('drift.yml', 'detect', [
    {
      action: 'terraform-plan-review',
      conditions: ['mode report or drift', 'mode drift'],
      // The notifier's function and the alias its Function URL is on, as the drift check reads them.
      values: (inputs) => ({
        FUNCTION: ofType(inputs.platform, 'aws_lambda_function').map((fn) => String(fn.values.function_name)),
        ALIAS: ofType(inputs.platform, 'aws_lambda_alias').map((alias) => String(alias.values.name)),
      }),
    },
  ]),
];
