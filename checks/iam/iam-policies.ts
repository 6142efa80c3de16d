import type { PlanJson } from '@berth/terraform-harness';
import { DEPLOY_ENVIRONMENTS, environmentReport, isDeployEnvironment, type DeployEnvironment } from './role-report.ts';
import type { StoragePlanInputs } from './storage-plan.ts';

export const USAGE = `Usage: npm run -s iam:policies -- --environment ENV --account-id ACCOUNT --region REGION --repository OWNER/NAME

Prints, as JSON, every role the jobs of ENV (dev, staging or prod) may assume, as Terraform renders them for that
account, region and repository: trust policy, policies, permissions boundary, and the resources they are scoped to.
Terraform plans terraform/storage with the real AWS provider and no AWS account (no network, no credentials).

  --environment ENV        dev, staging or prod
  --account-id ACCOUNT     the 12-digit AWS account id
  --region REGION          the AWS region, such as eu-west-1
  --repository OWNER/NAME  the GitHub repository whose jobs the roles trust
  --help                   print this text`;

export interface IamPoliciesOptions extends StoragePlanInputs {
  environment: DeployEnvironment;
}

export type ParsedOptions =
  { kind: 'options'; options: IamPoliciesOptions } | { kind: 'help' } | { kind: 'problems'; problems: string[] };

const FLAGS = ['--environment', '--account-id', '--region', '--repository'] as const;

/** Reads the options, reporting every problem at once and what a valid value looks like. */
export function parseOptions(argv: readonly string[]): ParsedOptions {
  if (argv.includes('--help') || argv.includes('-h')) return { kind: 'help' };
  const problems: string[] = [];
  const values = new Map<string, string>();
  for (let index = 0; index < argv.length; index++) {
    const word = argv[index] ?? '';
    const equals = word.indexOf('=');
    const flag = word.startsWith('--') && equals > 0 ? word.slice(0, equals) : word;
    if (!(FLAGS as readonly string[]).includes(flag)) {
      problems.push(
        word.startsWith('-')
          ? `unknown option ${flag}; the options are ${FLAGS.join(', ')}`
          : `unexpected argument "${word}": every value follows its option, e.g. --environment dev`,
      );
      continue;
    }
    const value = equals > 0 && word.startsWith('--') ? word.slice(equals + 1) : argv[++index];
    if (value === undefined || value.startsWith('--')) {
      problems.push(`${flag} needs a value`);
      if (value !== undefined) index--;
      continue;
    }
    if (values.has(flag)) problems.push(`${flag} is given twice`);
    values.set(flag, value);
  }
  const environment = values.get('--environment');
  const accountId = values.get('--account-id');
  const region = values.get('--region');
  const repository = values.get('--repository');
  for (const flag of FLAGS) if (!values.has(flag)) problems.push(`${flag} is required`);
  if (environment !== undefined && !isDeployEnvironment(environment)) {
    problems.push(`--environment "${environment}" is not one of ${DEPLOY_ENVIRONMENTS.join(', ')}`);
  }
  if (accountId !== undefined && !/^\d{12}$/.test(accountId)) {
    problems.push(`--account-id "${accountId}" is not a 12-digit AWS account id`);
  }
  if (region !== undefined && !/^[a-z]{2}(-gov)?-[a-z]+-\d$/.test(region)) {
    problems.push(`--region "${region}" is not an AWS region code such as eu-west-1`);
  }
  if (repository !== undefined && !/^[A-Za-z0-9_.-]+\/[A-Za-z0-9_.-]+$/.test(repository)) {
    problems.push(`--repository "${repository}" is not OWNER/NAME`);
  }
  if (problems.length > 0) return { kind: 'problems', problems };
  return {
    kind: 'options',
    options: {
      environment: environment as DeployEnvironment,
      accountId: accountId as string,
      region: region as string,
      repository: repository as string,
    },
  };
}

export interface IamPoliciesDependencies {
  /** Plans terraform/storage for these inputs; throws with what failed. */
  planStorage(inputs: StoragePlanInputs): Promise<PlanJson>;
  stdout(text: string): void;
  stderr(text: string): void;
}

/** The command: 0 when the JSON is printed, 2 for bad options, 1 when planning or reading the plan fails. */
export async function runIamPolicies(argv: readonly string[], dependencies: IamPoliciesDependencies): Promise<number> {
  const parsed = parseOptions(argv);
  if (parsed.kind === 'help') {
    dependencies.stdout(`${USAGE}\n`);
    return 0;
  }
  if (parsed.kind === 'problems') {
    dependencies.stderr(`iam:policies: ${parsed.problems.join('\n  ')}\n\n${USAGE}\n`);
    return 2;
  }
  const { options } = parsed;
  try {
    const plan = await dependencies.planStorage(options);
    const report = environmentReport(plan, options.environment);
    dependencies.stdout(`${JSON.stringify(report, null, 2)}\n`);
    return 0;
  } catch (error) {
    dependencies.stderr(
      `iam:policies: could not render the roles of ${options.environment}: ${(error as Error).message}\n` +
        'Nothing was printed on stdout. The plan runs terraform/storage offline; see checks/iam/README.md.\n',
    );
    return 1;
  }
}
