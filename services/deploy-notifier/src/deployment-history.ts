import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { PutCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { Notification } from './notification';

/** The deployment history: one record per notification, and who may send its email. */
export interface DeploymentHistory {
  /** Records a new notification and claims its email; false when the key was recorded before. */
  recordNew(notification: Notification, now: Date): Promise<boolean>;
  /** Claims the email of a recorded notification whose sending failed or was abandoned; false otherwise. */
  claimEmailRetry(idempotencyKey: string, now: Date): Promise<boolean>;
  markEmailSent(idempotencyKey: string, messageId: string, now: Date): Promise<void>;
  markEmailFailed(idempotencyKey: string, error: string): Promise<void>;
}

/**
 * A claim older than this is taken over by the next delivery: the invocation that held it has died
 * (the Lambda timeout is well below this).
 */
export const ABANDONED_CLAIM_MS = 10 * 60 * 1000;

/** The history in DynamoDB, partition key `idempotencyKey` (string). */
export class DynamoDbDeploymentHistory implements DeploymentHistory {
  constructor(
    private readonly client: Pick<DynamoDBDocumentClient, 'send'>,
    private readonly tableName: string,
  ) {}

  async recordNew(notification: Notification, now: Date): Promise<boolean> {
    try {
      await this.client.send(
        new PutCommand({
          TableName: this.tableName,
          Item: {
            ...notification,
            recordedAt: now.toISOString(),
            emailStatus: 'sending',
            emailClaimedAt: now.toISOString(),
          },
          ConditionExpression: 'attribute_not_exists(idempotencyKey)',
        }),
      );
      return true;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException || isConditionFailure(error)) return false;
      throw error;
    }
  }

  async claimEmailRetry(idempotencyKey: string, now: Date): Promise<boolean> {
    try {
      await this.client.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: { idempotencyKey },
          UpdateExpression: 'SET emailStatus = :sending, emailClaimedAt = :now',
          ConditionExpression:
            'emailStatus = :failed OR (emailStatus = :sending AND emailClaimedAt < :abandonedBefore)',
          ExpressionAttributeValues: {
            ':sending': 'sending',
            ':failed': 'failed',
            ':now': now.toISOString(),
            ':abandonedBefore': new Date(now.getTime() - ABANDONED_CLAIM_MS).toISOString(),
          },
        }),
      );
      return true;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException || isConditionFailure(error)) return false;
      throw error;
    }
  }

  async markEmailSent(idempotencyKey: string, messageId: string, now: Date): Promise<void> {
    await this.client.send(
      new UpdateCommand({
        TableName: this.tableName,
        Key: { idempotencyKey },
        UpdateExpression: 'SET emailStatus = :sent, emailedAt = :now, emailMessageId = :id REMOVE emailError',
        ExpressionAttributeValues: { ':sent': 'sent', ':now': now.toISOString(), ':id': messageId },
      }),
    );
  }

  async markEmailFailed(idempotencyKey: string, error: string): Promise<void> {
    await this.client.send(
      new UpdateCommand({
        TableName: this.tableName,
        Key: { idempotencyKey },
        UpdateExpression: 'SET emailStatus = :failed, emailError = :error',
        ExpressionAttributeValues: { ':failed': 'failed', ':error': error.slice(0, 500) },
      }),
    );
  }
}

/** The SDK's error class may come from another copy of the client package; its name is what counts. */
function isConditionFailure(error: unknown): boolean {
  return (
    typeof error === 'object' &&
    error !== null &&
    (error as { name?: unknown }).name === 'ConditionalCheckFailedException'
  );
}
