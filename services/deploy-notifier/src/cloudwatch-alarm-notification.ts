import type { SNSEvent, SNSEventRecord } from 'aws-lambda';
import { InvalidNotification, isPlainObject, type Notification } from './notification';

const STATES: Record<string, string> = { ALARM: 'alarm', OK: 'ok', INSUFFICIENT_DATA: 'insufficient-data' };

export function isSnsEvent(event: unknown): event is SNSEvent {
  if (!isPlainObject(event) || !Array.isArray(event.Records) || event.Records.length === 0) return false;
  return event.Records.every((record) => isPlainObject(record) && record.EventSource === 'aws:sns');
}

/** A CloudWatch alarm state change delivered by SNS: the message is the alarm's JSON document. */
export function notificationFromAlarmRecord(record: SNSEventRecord, environment: string): Notification {
  const sns = record.Sns;
  if (!sns || typeof sns.MessageId !== 'string' || sns.MessageId === '')
    throw new InvalidNotification('SNS record has no MessageId');
  let message: unknown;
  try {
    message = JSON.parse(sns.Message);
  } catch {
    throw new InvalidNotification(`SNS message ${sns.MessageId} is not JSON, so not a CloudWatch alarm notification`);
  }
  if (!isPlainObject(message) || typeof message.AlarmName !== 'string' || typeof message.NewStateValue !== 'string') {
    throw new InvalidNotification(`SNS message ${sns.MessageId} has no AlarmName or NewStateValue`);
  }
  const status = STATES[message.NewStateValue];
  if (!status)
    throw new InvalidNotification(`alarm state "${message.NewStateValue}" is not ALARM, OK or INSUFFICIENT_DATA`);
  const changed = typeof message.StateChangeTime === 'string' ? parseAlarmTime(message.StateChangeTime) : undefined;
  const trigger = isPlainObject(message.Trigger) ? message.Trigger : {};
  return {
    idempotencyKey: `sns:${sns.MessageId}`,
    source: 'cloudwatch-alarm',
    environment,
    event: 'alarm-state-change',
    status,
    time: (changed ?? new Date(Date.parse(sns.Timestamp) || Date.now())).toISOString(),
    subjectHint: message.AlarmName,
    details: {
      alarmName: message.AlarmName,
      description: message.AlarmDescription ?? undefined,
      reason: message.NewStateReason,
      oldState: message.OldStateValue,
      newState: message.NewStateValue,
      alarmArn: message.AlarmArn,
      region: message.Region,
      metric:
        typeof trigger.MetricName === 'string'
          ? `${String(trigger.Namespace ?? '')} ${trigger.MetricName}`.trim()
          : undefined,
      topicArn: sns.TopicArn,
    },
  };
}

/** CloudWatch writes `2026-01-01T10:00:00.000+0000`, whose offset lacks the colon Date.parse expects. */
function parseAlarmTime(text: string): Date | undefined {
  const normalised = text.replace(/([+-]\d{2})(\d{2})$/, '$1:$2');
  const ms = Date.parse(normalised);
  return Number.isNaN(ms) ? undefined : new Date(ms);
}
