import { createHash } from 'node:crypto';
import type { PlanResource } from '@berth/terraform-harness';
import { tagsOf, type PlatformPlan } from '../platform-plan.ts';

/** What every per-service table of terraform-calls/ describes, and the helpers all of them use. */
export type Operation = 'read' | 'create' | 'update' | 'delete';
export const OPERATIONS: readonly Operation[] = ['read', 'create', 'update', 'delete'];

export interface ArnScope {
  partition: string;
  region: string;
  accountId: string;
  /** Per environment, its VPC's id as the account knows it (the storage root's environment_vpc_ids). */
  vpcIds?: Record<string, string>;
}

export interface Call {
  action: string;
  resource: string;
  context?: Record<string, string | string[]>;
  /** Default: environment. */
  scope?: 'account';
}

export type CallsByOperation = Partial<Record<Operation, Call[]>>;

export interface Subject {
  resource: PlanResource;
  platform: PlatformPlan;
  at: ArnScope;
  /** The resource's Environment tag (that of the environment the plan is for when it has no tags). */
  environment: string;
}

export type ResourceCalls = (subject: Subject) => CallsByOperation;

/** What reading a data source calls (every plan, apply and destroy reads it); [] for ones computed locally. */
export type DataSourceCalls = (subject: Subject) => Call[];

export function arn(at: ArnScope, service: string, rest: string, regional = true): string {
  return `arn:${at.partition}:${service}:${regional ? at.region : ''}:${at.accountId}:${rest}`;
}

/** A stable stand-in for an id AWS generates (vpc-…, subnet-…), so calls name one concrete resource. */
export function generatedId(prefix: string, resource: PlanResource, salt = ''): string {
  const hex = createHash('sha256').update(`${resource.address}${salt}`).digest('hex').slice(0, 17);
  return `${prefix}-${hex}`;
}

export function read(action: string): Call {
  return { action, resource: '*', scope: 'account' };
}

export function environmentOf(resource: PlanResource, fallback: string): string {
  return tagsOf(resource).Environment ?? fallback;
}
