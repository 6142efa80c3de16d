import type { Task } from '@aws-sdk/client-ecs';
import type { StoppedTask } from './types';

/** stoppedReason prefixes ECS uses when a task could not start or was killed for an error. */
const ERROR_REASONS =
  /CannotPullContainerError|ResourceInitializationError|OutOfMemoryError|CannotStartContainerError|CannotCreateContainerError|CannotInspectContainerError|ContainerRuntimeError|ContainerRuntimeTimeoutError|TaskFailedToStart|InternalError|ResourceNotFoundException|AccessDeniedException/;

/**
 * Failures that every task of the same definition will meet again, so the first one decides the rollout: the image
 * does not exist, a secret or parameter cannot be fetched (or the execution role may not), the container runtime
 * cannot create or start the container the definition describes (command not found, wrong CPU architecture).
 * The error that stopped the task leads the reason (a CannotStartContainerError may quote a runtime's
 * ResourceInitializationError). A crash (exit code, health check, out of memory) or a pull that timed out may be a
 * bad moment; it keeps max-failed-tasks.
 */
const CERTAIN_FAILURES: { pattern: RegExp; why: string }[] = [
  {
    pattern: /^\s*CannotPullContainerError\b[\s\S]*(not found|manifest unknown|does not exist)/i,
    why: 'the image does not exist',
  },
  { pattern: /^\s*ResourceInitializationError\b/, why: 'a secret, parameter or registry credential cannot be fetched' },
  {
    pattern: /^\s*(CannotCreateContainerError|CannotStartContainerError)\b/,
    why: 'the container runtime cannot run the task definition',
  },
];

/**
 * Decides whether a stopped task counts as a failed task of its deployment (error exit, failed health check,
 * failure to start) or was stopped on purpose (scale-in, replacement), whether its failure is certain to repeat,
 * and describes why in one line.
 */
export function describeStoppedTask(task: Task): StoppedTask {
  const taskId = (task.taskArn ?? '').split('/').pop() ?? '';
  const stoppedReason = task.stoppedReason ?? '';
  const containers = task.containers ?? [];
  const exited = containers.find((c) => typeof c.exitCode === 'number' && c.exitCode !== 0);
  const withReason = containers.find((c) => c.reason);
  const healthCheck = /health check/i.test(stoppedReason) || task.healthStatus === 'UNHEALTHY';
  const errorReason = ERROR_REASONS.test(stoppedReason) || ERROR_REASONS.test(withReason?.reason ?? '');
  const failed = task.stopCode === 'TaskFailedToStart' || exited !== undefined || healthCheck || errorReason;
  const certain = failed
    ? CERTAIN_FAILURES.find(({ pattern }) => pattern.test(stoppedReason) || pattern.test(withReason?.reason ?? ''))
    : undefined;
  const container = exited ?? withReason ?? containers.find((c) => c.exitCode !== undefined);
  const parts = [`task ${taskId}`];
  if (container?.name) parts.push(`container ${container.name}`);
  if (typeof container?.exitCode === 'number') parts.push(`exit code ${container.exitCode}`);
  if (container?.reason) parts.push(`container reason "${container.reason}"`);
  parts.push(`stoppedReason "${stoppedReason || 'none given'}"`);
  return {
    taskId,
    taskDefinitionArn: task.taskDefinitionArn ?? '',
    failed,
    certainFailure: certain?.why,
    cause: parts.join(', '),
    containerName: container?.name,
    exitCode: container?.exitCode,
    stoppedReason,
  };
}
