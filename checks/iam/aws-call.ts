import type { EvaluationResult } from '@cloud-copilot/iam-simulate';
import type { PolicyDocument } from './policy-document.ts';

/**
 * What the simulator and its gap list both evaluate: a call, a role's permissions, a decision. Kept apart from
 * simulator.ts so simulator-gaps.ts needs nothing of the simulator (no import circle).
 */

/** One request a job makes to AWS, as IAM authorises it. */
export interface AwsCall {
  /** `service:Action`, for example `ecs:UpdateService`. */
  action: string;
  /** The resource ARN the request acts on; `*` for actions without resource-level permissions. */
  resource: string;
  /** Request context the policies may test: `iam:PassedToService`, `aws:RequestTag/Environment`, … */
  context?: Record<string, string | string[]>;
}

/** A role's identity side: its ARN, inline and attached policies and its permissions boundary. */
export interface RolePermissions {
  arn: string;
  policies: PolicyDocument[];
  permissionsBoundary: PolicyDocument | null;
}

export type Decision = EvaluationResult;
