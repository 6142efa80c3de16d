import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  checkActionInputs,
  checkDocumentedNames,
  checkNeedsOutputs,
  checkReusableWorkflowCalls,
  checkStepOutputs,
  localActionFile,
  readDocumentedNames,
} from './cross-check';
import { fixturesDir, loadFixture, loadRepositorySources, repoRoot, stepsOf, type Violation } from './workflow-files';

const sources = loadRepositorySources();
const documented = readDocumentedNames(readFileSync(join(repoRoot, 'docs/secrets.md'), 'utf8'));
const bySource = sources.map((file) => [file.path, file] as const);

function messages(found: Violation[]): string[] {
  return found.map((violation) => `${violation.where}: ${violation.message}`);
}

function expectExactly(found: Violation[], fragments: string[]): void {
  const actual = messages(found);
  expect(actual, actual.join('\n')).toHaveLength(fragments.length);
  for (const fragment of fragments) {
    expect(
      actual.some((message) => message.includes(fragment)),
      `${fragment}\n in ${actual.join('\n')}`,
    ).toBe(true);
  }
}

describe('Berth actions are used as their action.yml declares', () => {
  it('every Berth action is used by some workflow', () => {
    const used = new Set(
      sources.flatMap((file) => stepsOf(file).map((step) => localActionFile(step.uses ?? '')?.split('/')[1])),
    );
    for (const action of ['render-task-definition', 'ecs-rollout', 'ecr-secret-sync', 'notify-lambda-url']) {
      expect(used.has(action), action).toBe(true);
    }
  });

  it.each(bySource)('%s passes only declared inputs, and all required ones', (_path, file) => {
    expect(messages(checkActionInputs(file))).toEqual([]);
  });

  it.each(bySource)('%s reads only outputs its steps produce', (_path, file) => {
    expect(messages(checkStepOutputs(file))).toEqual([]);
  });

  it.each(bySource)('%s reads only job outputs of jobs it needs', (_path, file) => {
    expect(messages(checkNeedsOutputs(file))).toEqual([]);
  });

  it.each(bySource)('%s calls reusable workflows with declared inputs and secrets', (_path, file) => {
    expect(messages(checkReusableWorkflowCalls(file))).toEqual([]);
  });

  it('fires on an unknown input, a missing required one, and a missing action', () => {
    expectExactly(checkActionInputs(loadFixture('action-inputs.yml')), [
      'input "templat" is not declared in actions/render-task-definition/action.yml',
      'required input "template" of actions/render-task-definition/action.yml is not passed',
      'required input "environment" of actions/render-task-definition/action.yml is not passed',
      './actions/does-not-exist has no action.yml',
    ]);
  });

  it('fires on undeclared outputs, unknown step ids and outputs a script never writes', () => {
    expectExactly(checkStepOutputs(loadFixture('step-outputs.yml')), [
      'declares no output "task-definition-path"',
      'no step with id "lookup"',
      'step find never writes "service"',
      'step tag never writes "digest"',
    ]);
  });

  it('fires on job outputs that are not declared or not needed', () => {
    expectExactly(checkNeedsOutputs(loadFixture('needs-outputs.yml')), [
      'job build declares no output "image"',
      'job other is not in needs',
    ]);
  });

  it('fires on bad calls of a reusable workflow', () => {
    expectExactly(checkReusableWorkflowCalls(loadFixture('reusable-workflow-calls.yml')), [
      'input "image" is not declared',
      'required input "image-tag"',
      'required secret "ECR_INVENTORY_URL"',
    ]);
  });
});

describe('docs/secrets.md lists every secret and variable', () => {
  it('reads the table', () => {
    expect(documented.get('AWS_DEPLOY_ROLE_ARN')?.kind).toBe('variable');
    expect(documented.get('REPO_ADMIN_PAT')?.kind).toBe('secret');
  });

  it.each(bySource)('%s', (_path, file) => {
    expect(messages(checkDocumentedNames(file, documented))).toEqual([]);
  });

  it('fires on an undocumented secret and on a secret read as a variable', () => {
    expectExactly(checkDocumentedNames(loadFixture('documented-names.yml'), documented), [
      'secrets.UNDOCUMENTED_TOKEN is not listed',
      'vars.SONAR_TOKEN is listed in docs/secrets.md as a secret, but read as a variable',
    ]);
  });

  it('fires on a row without who sets it and when', () => {
    const incomplete = readDocumentedNames(readFileSync(join(fixturesDir, 'secrets-doc-incomplete.md'), 'utf8'));
    const file = { ...loadFixture('documented-names.yml'), text: '${{ secrets.HALF_DOCUMENTED }}' };
    expectExactly(checkDocumentedNames(file, incomplete), ['has no "Who sets it" or "When"']);
  });
});
