/** The result of one service's rollout, as reported in outputs and the job summary. */
export type ServiceStatus = 'succeeded' | 'rolled-back' | 'failed' | 'unchanged';

/** A task that stopped while a deployment was followed, and why. */
export interface StoppedTask {
  taskId: string;
  taskDefinitionArn: string;
  /** Whether the stop counts against `max-failed-tasks` (an error, not a scale-in or replacement). */
  failed: boolean;
  /** One readable line: container, exit code, stoppedReason. */
  cause: string;
  containerName?: string;
  exitCode?: number;
  stoppedReason: string;
}

export interface ServiceResult {
  service: string;
  status: ServiceStatus;
  /** The task definition running before the action: the last known good one. */
  oldTaskDefinitionArn: string;
  newTaskDefinitionArn: string;
  deploymentId?: string;
  rollbackDeploymentId?: string;
  controller: 'ECS' | 'CODE_DEPLOY';
  durationSeconds: number;
  tasksStarted: number;
  tasksFailed: number;
  /** What went wrong in the rollout, when it did. */
  failure?: string;
  /** What happened to the rollback, when there was one. */
  rollback?: string;
  stoppedTasks: StoppedTask[];
  events: string[];
}

export type LogLine = (line: string) => void;
