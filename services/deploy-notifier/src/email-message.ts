import type { Notification } from './notification';

export interface EmailMessage {
  subject: string;
  text: string;
}

const LABELS: [keyof Notification, string][] = [
  ['environment', 'Environment'],
  ['event', 'Event'],
  ['status', 'Status'],
  ['repository', 'Repository'],
  ['ref', 'Ref'],
  ['sha', 'Commit'],
  ['actor', 'Actor'],
  ['runUrl', 'Run'],
  ['time', 'Time'],
  ['source', 'Source'],
];

/** A plain-text email a person can read at a glance: what, where, outcome, who, and a link to the run. */
export function composeEmail(notification: Notification): EmailMessage {
  const about = notification.subjectHint ?? notification.repository;
  const subject = oneLine(
    `[Berth] ${notification.environment}: ${notification.event} ${notification.status}${about ? ` (${about})` : ''}`,
  ).slice(0, 200);
  const rows = LABELS.filter(([field]) => typeof notification[field] === 'string' && notification[field] !== '').map(
    ([field, label]) => `${`${label}:`.padEnd(13)} ${oneLine(String(notification[field]))}`,
  );
  const details = Object.fromEntries(Object.entries(notification.details).filter(([, value]) => value !== undefined));
  const text = [
    `${notification.event} in ${notification.environment}: ${notification.status}`,
    '',
    ...rows,
    '',
    'Details:',
    Object.keys(details).length > 0 ? JSON.stringify(details, null, 2) : '(none)',
    '',
    `Recorded in the deployment history as ${notification.idempotencyKey}.`,
  ].join('\n');
  return { subject, text };
}

/** Header values must not carry line breaks (they would start new headers). */
function oneLine(text: string): string {
  return text.replace(/[\r\n\t]+/g, ' ');
}
