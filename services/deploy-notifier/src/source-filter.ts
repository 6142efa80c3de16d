// Any alarm or EventBridge rule in the account can publish to an environment's alarm topic, so the notifier mails
// only what its own environment's alarms and rules sent (ALLOWED_SOURCE_ARN_PREFIXES, contract C6).

/** The ARNs that say where an alarm or event came from. */
export type EventSource = { kind: 'alarm'; alarmArn: string | undefined } | { kind: 'event'; resources: unknown };

const ALARM_OR_RULE_ARN = /^arn:[^:]+:(?:cloudwatch:[^:]*:[^:]*:alarm:|events:[^:]*:[^:]*:rule\/)/;

/**
 * Why the source is outside the environment, or undefined when it is allowed (or no prefixes are configured). An
 * alarm is judged by its AlarmArn, which it must have; an EventBridge event by every alarm or rule ARN among its
 * resources (a scheduled rule's event names the rule, an alarm state change the alarm). ECS deployment events name
 * only their service: they reach the function through its own rule alone (the Lambda permission's source ARN).
 */
export function sourceOutsideEnvironment(
  source: EventSource,
  prefixes: readonly string[] | undefined,
): { reason: string; sourceArn?: string } | undefined {
  if (prefixes === undefined) return undefined;
  const allowed = (arn: string) => prefixes.some((prefix) => arn.startsWith(prefix));
  const outside = (kind: string, arn: string) => ({
    reason: `${kind} ${arn} is not one of this environment's (ALLOWED_SOURCE_ARN_PREFIXES)`,
    sourceArn: arn,
  });
  if (source.kind === 'alarm') {
    if (source.alarmArn === undefined || source.alarmArn === '') {
      return { reason: "alarm notification has no AlarmArn, so it cannot be shown to be one of this environment's" };
    }
    return allowed(source.alarmArn) ? undefined : outside('alarm', source.alarmArn);
  }
  const resources = Array.isArray(source.resources) ? source.resources : [];
  for (const arn of resources) {
    if (typeof arn !== 'string' || !ALARM_OR_RULE_ARN.test(arn) || allowed(arn)) continue;
    return outside(arn.includes(':alarm:') ? 'alarm' : 'rule', arn);
  }
  return undefined;
}
