import type { Task } from '@aws-sdk/client-ecs';
import type { StoppedTask } from './types';

/** stoppedReason prefixes ECS uses when a task could not start or was killed for an error. */
const ERROR_REASONS =
  /CannotPullContainerError|ResourceInitializationError|OutOfMemoryError|CannotStartContainerError|CannotCreateContainerError|CannotInspectContainerError|ContainerRuntimeError|ContainerRuntimeTimeoutError|TaskFailedToStart|InternalError|ResourceNotFoundException|AccessDeniedException/;

/**
 * Decides whether a stopped task counts as a failed task of its deployment (error exit, failed health check,
 * failure to start) or was stopped on purpose (scale-in, replacement), and describes why in one line.
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
    cause: parts.join(', '),
    containerName: container?.name,
    exitCode: container?.exitCode,
    stoppedReason,
  };
}
