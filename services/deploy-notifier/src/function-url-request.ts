import type { LambdaFunctionURLEvent, LambdaFunctionURLEventWithIAMAuthorizer } from 'aws-lambda';
import { notificationFromDeployPayload } from './deploy-payload';
import { verifyHmacSignature } from './hmac-verification';
import { InvalidNotification, type Notification } from './notification';

/** A request refused before it becomes a notification; `reason` is safe to show to the sender. */
export class RequestRejected extends Error {
  constructor(
    readonly statusCode: 401 | 405 | 415,
    readonly reason: string,
  ) {
    super(reason);
    this.name = 'RequestRejected';
  }
}

const IDEMPOTENCY_KEY = /^[\x21-\x7e]{1,200}$/;

/**
 * Turns a Function URL request into a notification: POST, JSON, an Idempotency-Key, authentication, and a valid
 * payload. Authentication when an HMAC key is configured: a request AWS has authorized with IAM (auth type AWS_IAM:
 * AWS checked its SigV4 signature, which covers the body and the Idempotency-Key, before the function runs) needs no
 * HMAC; any other request needs a valid X-Berth-Signature, and a signature that is sent is always checked.
 */
export async function notificationFromFunctionUrl(
  event: LambdaFunctionURLEvent,
  hmacKey: () => Promise<string | undefined>,
  now: Date,
): Promise<Notification> {
  if (event.requestContext.http.method !== 'POST') throw new RequestRejected(405, 'only POST is accepted');
  const headers = lowerCaseKeys(event.headers);
  const contentType = headers['content-type'] ?? '';
  if (!/^application\/json\b/i.test(contentType))
    throw new RequestRejected(415, 'content-type must be application/json');
  const body = Buffer.from(event.body ?? '', event.isBase64Encoded ? 'base64' : 'utf8');
  const key = headers['idempotency-key']?.trim() ?? '';
  if (!IDEMPOTENCY_KEY.test(key)) {
    throw new InvalidNotification('Idempotency-Key header must be 1 to 200 printable characters without spaces');
  }

  // Present only when the URL's auth type is AWS_IAM: who signed the request (AWS sets it; a caller cannot).
  const caller = (event as Partial<LambdaFunctionURLEventWithIAMAuthorizer>).requestContext?.authorizer?.iam?.userArn;
  const hmacSigned = headers['x-berth-signature'] !== undefined || headers['x-berth-timestamp'] !== undefined;
  let signedTimestamp: number | undefined;
  if (hmacSigned || !caller) {
    const secret = await hmacKey();
    if (secret !== undefined) {
      const verdict = verifyHmacSignature(
        {
          body,
          idempotencyKey: key,
          signature: headers['x-berth-signature'],
          timestamp: headers['x-berth-timestamp'],
        },
        secret,
        now,
      );
      if (!verdict.ok) throw new RequestRejected(401, verdict.reason);
      signedTimestamp = verdict.timestampSeconds;
    }
  }

  let parsed: unknown;
  try {
    parsed = JSON.parse(body.toString('utf8'));
  } catch {
    throw new InvalidNotification('body is not valid JSON');
  }
  const notification = notificationFromDeployPayload(parsed, `url:${key}`);
  if (signedTimestamp !== undefined && Math.floor(Date.parse(notification.time) / 1000) !== signedTimestamp) {
    throw new RequestRejected(401, 'X-Berth-Timestamp does not match the signed body timestamp');
  }
  if (caller) notification.details = { ...notification.details, caller };
  return notification;
}

function lowerCaseKeys(headers: LambdaFunctionURLEvent['headers']): Record<string, string | undefined> {
  const result: Record<string, string | undefined> = {};
  for (const [name, value] of Object.entries(headers ?? {})) result[name.toLowerCase()] = value;
  return result;
}
