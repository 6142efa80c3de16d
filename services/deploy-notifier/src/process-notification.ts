import type { DeploymentHistory } from './deployment-history';
import { composeEmail } from './email-message';
import type { Mailer } from './mailer';
import type { Notification } from './notification';

/** `accepted`: this delivery caused the email; `duplicate`: an earlier delivery did (or is doing) so. */
export type Outcome = 'accepted' | 'duplicate';

/**
 * Records the notification once and mails it once. The conditional put decides which delivery owns the
 * email; when sending fails the record says so and a later retry of the same key claims the email again.
 */
export async function processNotification(
  notification: Notification,
  history: DeploymentHistory,
  mailer: Mailer,
  now: () => Date,
): Promise<Outcome> {
  const key = notification.idempotencyKey;
  const owner = (await history.recordNew(notification, now())) || (await history.claimEmailRetry(key, now()));
  if (!owner) return 'duplicate';
  let messageId: string;
  try {
    messageId = await mailer.send(composeEmail(notification));
  } catch (error) {
    await history.markEmailFailed(key, error instanceof Error ? error.message : String(error));
    throw error;
  }
  await history.markEmailSent(key, messageId, now());
  return 'accepted';
}
