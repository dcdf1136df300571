/**
 * Pending confirmations in DynamoDB (the MCP server's `centli-mcp-confirmations-<stage>`, the
 * chat's conversations table): created when a summary is shown, consumed by one conditional
 * update, expired by TTL. See ../confirmation.ts for the rule.
 */
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import { GetCommand, PutCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { dynamoDocumentClient } from '@centli/kit/aws';
import { explainRejection, type ConfirmationBinding, type ConfirmationConsumer, type PendingConfirmation } from '../confirmation';

export class ConfirmationStore implements ConfirmationConsumer {
  constructor(
    private readonly tableName: string,
    private readonly db: DynamoDBDocumentClient = dynamoDocumentClient(),
  ) {}

  async create(pending: PendingConfirmation): Promise<void> {
    await this.db.send(new PutCommand({ TableName: this.tableName, Item: pending, ConditionExpression: 'attribute_not_exists(pk)' }));
  }

  /**
   * Marks the confirmation used, if it is pending, unexpired and bound to exactly this; returns
   * it, or throws the ConfirmationError that says why not.
   */
  async consume(key: string, binding: ConfirmationBinding, now: Date): Promise<PendingConfirmation> {
    const nowSeconds = Math.floor(now.getTime() / 1000);
    const values: Record<string, unknown> = { ':pending': 'pending', ':used': 'used', ':user': binding.userId, ':tool': binding.tool, ':args': binding.argsHash, ':now': nowSeconds, ':at': now.toISOString() };
    let condition = '#status = :pending AND user_id = :user AND tool = :tool AND args_hash = :args AND expires_at > :now';
    if (binding.requestHash !== undefined) {
      condition += ' AND request_hash = :request';
      values[':request'] = binding.requestHash;
    }
    try {
      const result = await this.db.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: { pk: key },
          UpdateExpression: 'SET #status = :used, used_at = :at',
          ConditionExpression: `attribute_exists(pk) AND ${condition}`,
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: values,
          ReturnValues: 'ALL_NEW',
          ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
        }),
      );
      return result.Attributes as PendingConfirmation;
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
      const item = error.Item ? (unmarshall(error.Item) as PendingConfirmation) : undefined;
      throw explainRejection(item, binding, nowSeconds);
    }
  }

  /** Cancels a pending confirmation of this customer's; false when there was none to cancel. */
  async cancel(key: string, userId: string, now: Date): Promise<boolean> {
    try {
      await this.db.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: { pk: key },
          UpdateExpression: 'SET #status = :cancelled, cancelled_at = :at',
          ConditionExpression: 'attribute_exists(pk) AND #status = :pending AND user_id = :user',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: { ':cancelled': 'cancelled', ':pending': 'pending', ':user': userId, ':at': now.toISOString() },
        }),
      );
      return true;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return false;
      throw error;
    }
  }

  async get(key: string): Promise<PendingConfirmation | undefined> {
    const result = await this.db.send(new GetCommand({ TableName: this.tableName, Key: { pk: key }, ConsistentRead: true }));
    return result.Item as PendingConfirmation | undefined;
  }
}
