import { readFileSync } from 'node:fs';
import type { RegisterTaskDefinitionCommandInput } from '@aws-sdk/client-ecs';
import { ActionError, TASK_DEFINITION_READ_ONLY_FIELDS } from '@berth/kit';

/**
 * Reads a rendered task definition (RegisterTaskDefinition request shape, as render-task-definition writes it).
 * Read-only fields copied from `aws ecs describe-task-definition` (taskDefinitionArn, revision, status…) are
 * dropped, so such a file can be used as is.
 */
export function readTaskDefinitionFile(path: string, inputName: string): RegisterTaskDefinitionCommandInput {
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new ActionError(
      `input "${inputName}": cannot read task definition ${path} (${(error as Error).message}). ` +
        'Give the JSON file written by render-task-definition.',
    );
  }
  if (typeof parsed === 'object' && parsed !== null && 'taskDefinition' in parsed) {
    // The output of `aws ecs describe-task-definition` wraps the definition.
    parsed = (parsed as { taskDefinition: unknown }).taskDefinition;
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new ActionError(`input "${inputName}": ${path} must hold a JSON object in RegisterTaskDefinition shape.`);
  }
  const definition = { ...(parsed as Record<string, unknown>) };
  const problems: string[] = [];
  if (typeof definition.family !== 'string' || definition.family === '') problems.push('"family" is missing');
  const containers = definition.containerDefinitions;
  if (!Array.isArray(containers) || containers.length === 0) {
    problems.push('"containerDefinitions" must be a non-empty list');
  } else {
    containers.forEach((c: unknown, i) => {
      const container = c as Record<string, unknown> | null;
      if (typeof container?.name !== 'string') problems.push(`containerDefinitions[${i}] has no "name"`);
      if (typeof container?.image !== 'string') problems.push(`containerDefinitions[${i}] has no "image"`);
    });
  }
  if (problems.length > 0) {
    throw ActionError.fromProblems(`Task definition ${path} (input "${inputName}") cannot be registered`, problems);
  }
  for (const key of TASK_DEFINITION_READ_ONLY_FIELDS) delete definition[key];
  // Task-level cpu and memory are strings in the ECS API; a rendered number would be rejected.
  for (const key of ['cpu', 'memory']) {
    if (typeof definition[key] === 'number') definition[key] = String(definition[key]);
  }
  return definition as unknown as RegisterTaskDefinitionCommandInput;
}
