import { ConditionalCheckFailedException, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it } from 'vitest';
import { DynamoDbDeploymentHistory } from '../src/deployment-history';
import type { Notification } from '../src/notification';

const documentClient = DynamoDBDocumentClient.from(new DynamoDBClient({ region: 'us-east-1' }));
const dynamo = mockClient(documentClient);
afterEach(() => dynamo.reset());

const notification: Notification = {
  idempotencyKey: 'ecs:event-1',
  source: 'ecs-deployment',
  environment: 'staging',
  event: 'ecs-deployment-completed',
  status: 'success',
  time: '2026-11-24T09:59:30.000Z',
  details: { service: 'product-service' },
};
const now = new Date('2026-11-24T10:00:00.000Z');
const conditionFailed = () =>
  new ConditionalCheckFailedException({ message: 'The conditional request failed', $metadata: {} });

describe('DynamoDbDeploymentHistory', () => {
  const history = new DynamoDbDeploymentHistory(documentClient, 'berth-history');

  it('puts a new record only if its key is absent, claiming the email', async () => {
    dynamo.on(PutCommand).resolves({});
    expect(await history.recordNew(notification, now)).toBe(true);
    expect(dynamo.commandCalls(PutCommand)[0]!.args[0].input).toEqual({
      TableName: 'berth-history',
      Item: {
        ...notification,
        recordedAt: now.toISOString(),
        emailStatus: 'sending',
        emailClaimedAt: now.toISOString(),
      },
      ConditionExpression: 'attribute_not_exists(idempotencyKey)',
    });
  });

  it('reports a key recorded before as not new, and passes other errors on', async () => {
    dynamo
      .on(PutCommand)
      .rejectsOnce(conditionFailed())
      .rejectsOnce(new Error('ProvisionedThroughputExceededException'));
    expect(await history.recordNew(notification, now)).toBe(false);
    await expect(history.recordNew(notification, now)).rejects.toThrow('ProvisionedThroughputExceededException');
  });

  it('claims a retry only for a failed or abandoned email', async () => {
    dynamo.on(UpdateCommand).resolvesOnce({}).rejectsOnce(conditionFailed());
    expect(await history.claimEmailRetry('ecs:event-1', now)).toBe(true);
    expect(await history.claimEmailRetry('ecs:event-1', now)).toBe(false);
    const input = dynamo.commandCalls(UpdateCommand)[0]!.args[0].input;
    expect(input.ConditionExpression).toBe(
      'emailStatus = :failed OR (emailStatus = :sending AND emailClaimedAt < :abandonedBefore)',
    );
    expect(input.ExpressionAttributeValues).toMatchObject({
      ':abandonedBefore': '2026-11-24T09:50:00.000Z',
      ':now': now.toISOString(),
    });
  });

  it('marks the email sent or failed', async () => {
    dynamo.on(UpdateCommand).resolves({});
    await history.markEmailSent('ecs:event-1', 'ses-message-1', now);
    await history.markEmailFailed('ecs:event-1', 'x'.repeat(800));
    const [sent, failed] = dynamo.commandCalls(UpdateCommand).map((c) => c.args[0].input);
    expect(sent).toMatchObject({
      Key: { idempotencyKey: 'ecs:event-1' },
      ExpressionAttributeValues: { ':sent': 'sent', ':id': 'ses-message-1' },
    });
    expect(String(failed?.ExpressionAttributeValues?.[':error'])).toHaveLength(500);
  });
});
