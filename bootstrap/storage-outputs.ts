import type { TerraformOutputs } from '@berth/kit';
import { DEPLOY_ENVIRONMENTS, ECR_URL_SECRETS, type DeployEnvironment, type ImageService } from './names.ts';

export interface RoleArns {
  build: string;
  /** Per environment: the deploy and terraform roles (its GitHub environment's jobs) and the read-only plan role. */
  environments: Record<DeployEnvironment, { deploy: string; terraform: string; plan: string }>;
}

/** What the bootstrap needs from `terraform output -json` of the storage root. */
export interface StorageOutputs {
  awsRegion: string;
  ecrRepositoryUrls: Record<ImageService, string>;
  /** null: the storage root was applied without OIDC roles (both role outputs are null), e.g. on AWS Academy. */
  roles: RoleArns | null;
}

export type Parsed<T> = { ok: true; value: T } | { ok: false; problems: string[] };

const ROLE_ARN = /^arn:aws[a-z-]*:iam::\d{12}:role\/[\w+=,.@/-]+$/;
const REGION = /^[a-z]{2}(-[a-z]+)+-\d+$/;

function isMap(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function describeValue(value: unknown): string {
  if (value === undefined) return 'missing';
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (value === '') return 'an empty string';
  return typeof value === 'string' ? `"${value.length > 80 ? `${value.slice(0, 80)}…` : value}"` : `a ${typeof value}`;
}

/**
 * Reads the storage root's outputs. Every missing or malformed output is reported at once, naming the output,
 * what was found and what was expected.
 */
export function parseStorageOutputs(outputs: TerraformOutputs, origin: string): Parsed<StorageOutputs> {
  const problems: string[] = [];
  const where = (path: string): string => `${origin}: output ${path}`;

  const awsRegion = outputs.aws_region;
  if (typeof awsRegion !== 'string' || !REGION.test(awsRegion)) {
    problems.push(`${where('aws_region')} is ${describeValue(awsRegion)}; expected an AWS region such as eu-west-1`);
  }

  const urls = outputs.ecr_repository_urls;
  const ecrRepositoryUrls = {} as Record<ImageService, string>;
  if (!isMap(urls)) {
    problems.push(
      `${where('ecr_repository_urls')} is ${describeValue(urls)}; expected a map of service name to ECR repository URL`,
    );
  } else {
    for (const service of Object.keys(ECR_URL_SECRETS) as ImageService[]) {
      const url = urls[service];
      if (typeof url === 'string' && /^\S+$/.test(url)) ecrRepositoryUrls[service] = url;
      else
        problems.push(
          `${where(`ecr_repository_urls["${service}"]`)} is ${describeValue(url)}; ` +
            `expected the repository URL (keys present: ${Object.keys(urls).join(', ') || 'none'})`,
        );
    }
  }

  const buildRoleArn = outputs.build_role_arn;
  const roles = outputs.environment_role_arns;
  const withoutRoles = buildRoleArn === null && roles === null;
  if (withoutRoles) {
    // Both null: no OIDC roles were created; the workflows then sign in with the AWS_* key secrets.
  } else if (typeof buildRoleArn !== 'string' || !ROLE_ARN.test(buildRoleArn)) {
    problems.push(
      `${where('build_role_arn')} is ${describeValue(buildRoleArn)}; expected an IAM role ARN` +
        (buildRoleArn === null ? ' (null only together with environment_role_arns, when no OIDC roles exist)' : ''),
    );
  }

  const environmentRoleArns = {} as RoleArns['environments'];
  if (withoutRoles) {
    // See above.
  } else if (!isMap(roles)) {
    problems.push(
      `${where('environment_role_arns')} is ${describeValue(roles)}; expected ` +
        '{ dev = { deploy, terraform, plan }, staging = {…}, prod = {…} }' +
        ('deploy_role_arn' in outputs
          ? ' (these outputs have the single shared deploy_role_arn: apply the storage root with per-environment roles first)'
          : ''),
    );
  } else {
    for (const environment of DEPLOY_ENVIRONMENTS) {
      const pair = roles[environment];
      if (!isMap(pair)) {
        problems.push(
          `${where(`environment_role_arns.${environment}`)} is ${describeValue(pair)}; ` +
            'expected { deploy = "<role ARN>", terraform = "<role ARN>", plan = "<role ARN>" }',
        );
        continue;
      }
      const deploy = pair.deploy;
      const terraform = pair.terraform;
      const plan = pair.plan;
      for (const [purpose, arn] of [
        ['deploy', deploy],
        ['terraform', terraform],
        ['plan', plan],
      ] as const) {
        if (typeof arn !== 'string' || !ROLE_ARN.test(arn)) {
          problems.push(
            `${where(`environment_role_arns.${environment}.${purpose}`)} is ` +
              `${describeValue(arn)}; expected an IAM role ARN` +
              (purpose === 'plan' && arn === undefined
                ? ' (the storage state predates the read-only plan roles: re-apply terraform/storage with ' +
                  'Storage apply, then run the bootstrap again)'
                : ''),
          );
        }
      }
      if (typeof deploy === 'string' && typeof terraform === 'string' && typeof plan === 'string') {
        environmentRoleArns[environment] = { deploy, terraform, plan };
      }
    }
  }

  if (problems.length > 0) return { ok: false, problems };
  return {
    ok: true,
    value: {
      awsRegion: awsRegion as string,
      ecrRepositoryUrls,
      roles: withoutRoles ? null : { build: buildRoleArn as string, environments: environmentRoleArns },
    },
  };
}

/** The notifier Function URL from `terraform output -json` of one environment's platform root. */
export function parseNotifierUrl(outputs: TerraformOutputs, origin: string): Parsed<string> {
  const url = outputs.lambda_url;
  if (typeof url === 'string' && /^https:\/\/\S+$/.test(url)) return { ok: true, value: url };
  const hint =
    Object.keys(outputs).length === 0
      ? ' (the file has no outputs: has that environment been applied?)'
      : ` (outputs present: ${Object.keys(outputs).join(', ')})`;
  return {
    ok: false,
    problems: [
      `${origin}: output lambda_url is ${describeValue(url)}; ` +
        `expected the notifier's https:// Function URL${hint}`,
    ],
  };
}
