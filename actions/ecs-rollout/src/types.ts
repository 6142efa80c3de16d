/** The result of one service's rollout, as reported in outputs and the job summary. */
export type ServiceStatus = 'succeeded' | 'rolled-back' | 'failed' | 'unchanged';

/** A task that stopped while a deployment was followed, and why. */
export interface StoppedTask {
  taskId: string;
  taskDefinitionArn: string;
  /** Whether the stop counts against `max-failed-tasks` (an error, not a scale-in or replacement). */
  failed: boolean;
  /** Why every task of this definition will fail the same way, when it will: then this one task decides. */
  certainFailure?: string;
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
  /** CloudWatch alarms that went off during the rollout (ECS deployment alarms or CodeDeploy's). */
  triggeredAlarms: string[];
  /** The cause in a few words for the timeline's failed bar: "alarm web-5xx", "image not found", "2 tasks crashed". */
  cause?: string;
  /** When each phase happened, for the timeline. */
  times: RolloutTimes;
  stoppedTasks: StoppedTask[];
  events: string[];
}

/** Epoch milliseconds of a service's rollout phases; absent when the phase did not happen. */
export interface RolloutTimes {
  /** The task definition was registered (or an equal one chosen). */
  registered?: number;
  /** UpdateService or CreateDeployment was accepted. */
  started?: number;
  /** The new deployment first ran all its desired tasks. */
  tasksRunning?: number;
  /** Traffic shifted to the new revision (CodeDeploy), percent by time. */
  trafficShifts?: { at: number; percent: number }[];
  /** The rollout reached its verdict: steady (completed) or failed. */
  decided?: number;
  rollbackStarted?: number;
  rollbackEnded?: number;
}

export type LogLine = (line: string) => void;
