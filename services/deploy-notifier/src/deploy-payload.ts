import { InvalidNotification, isPlainObject, type Notification } from './notification';

const NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;
const STATUSES = ['success', 'failure', 'cancelled'];
/** Keeps a record well under DynamoDB's 400 KB item limit. */
export const MAX_DETAILS_BYTES = 64 * 1024;

/**
 * Validates the JSON body the notify-lambda-url action posts (see docs/notifications.md) and turns it into
 * a notification. Fields the receiver does not know are ignored, so a newer action can add some.
 */
export function notificationFromDeployPayload(body: unknown, idempotencyKey: string): Notification {
  if (!isPlainObject(body)) throw new InvalidNotification('body must be a JSON object');
  const problems: string[] = [];
  const text = (name: string, rule: (value: string) => boolean, hint: string, optional = false): string | undefined => {
    const value = body[name];
    if (value === undefined && optional) return undefined;
    if (typeof value !== 'string' || !rule(value)) {
      problems.push(`"${name}" ${hint}`);
      return undefined;
    }
    return value;
  };
  const event = text('event', (v) => NAME.test(v), 'must be a name such as infrastructure-applied');
  const environment = text('environment', (v) => NAME.test(v), 'must be a name such as staging');
  const status = text('status', (v) => STATUSES.includes(v), `must be one of ${STATUSES.join(', ')}`);
  const repository = text('repository', (v) => /^[\w.-]+\/[\w.-]+$/.test(v), 'must be owner/name');
  const ref = text('ref', (v) => v.length <= 255, 'must be a string of at most 255 characters', true);
  const sha = text('sha', (v) => /^[0-9a-f]{7,64}$/.test(v), 'must be a commit hash');
  const actor = text('actor', (v) => v.length <= 100, 'must be a string of at most 100 characters', true);
  text('runId', (v) => /^\d{1,20}$/.test(v), 'must be the run id as a string of digits');
  const runUrl = text('runUrl', (v) => v.length <= 500 && /^https:\/\/[^\s]+$/.test(v), 'must be an https URL', true);
  const timestamp = text('timestamp', (v) => !Number.isNaN(Date.parse(v)), 'must be an ISO 8601 time');
  const runAttempt = body.runAttempt;
  if (!Number.isInteger(runAttempt) || (runAttempt as number) < 1)
    problems.push('"runAttempt" must be a positive whole number');
  const details = body.details === undefined ? {} : body.details;
  if (!isPlainObject(details)) problems.push('"details" must be a JSON object');
  else if (Buffer.byteLength(JSON.stringify(details)) > MAX_DETAILS_BYTES) {
    problems.push(`"details" is larger than ${MAX_DETAILS_BYTES / 1024} KiB`);
  }
  if (problems.length > 0) throw new InvalidNotification(problems.join('; '));
  return {
    idempotencyKey,
    source: 'function-url',
    environment: environment!,
    event: event!,
    status: status!,
    time: new Date(Date.parse(timestamp!)).toISOString(),
    repository,
    ref,
    sha,
    actor,
    runUrl,
    details: { ...(details as Record<string, unknown>), runId: body.runId, runAttempt },
  };
}
