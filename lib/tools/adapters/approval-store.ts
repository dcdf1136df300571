/**
 * Approvals in DynamoDB (the MCP server's `centli-approvals-<stage>`): opened with the pointer
 * that finds them by their arguments, decided by the customer with one conditional update,
 * used by the door with another, expired by TTL. See ../approval.ts for the rule.
 */
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import { GetCommand, TransactWriteCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { dynamoDocumentClient } from '@centli/kit/aws';
import { approvalKey, approvalPointerKey, type Approval, type ApprovalPointer, type DecidedVia } from '../approval';

/** Why a decision was not recorded. */
/** Why a decision was not taken; `second_factor_required`: approving a step-up approval without the factor. */
export type DecisionRefused = 'not_found' | 'expired' | 'decided' | 'second_factor_required';

export class ApprovalStore {
  constructor(
    private readonly tableName: string,
    private readonly db: DynamoDBDocumentClient = dynamoDocumentClient(),
  ) {}

  /** Stores a new approval and points its arguments at it (a newer approval of the same arguments takes the pointer). */
  async open(approval: Approval, pointer: ApprovalPointer): Promise<void> {
    await this.db.send(
      new TransactWriteCommand({
        TransactItems: [
          { Put: { TableName: this.tableName, Item: approval, ConditionExpression: 'attribute_not_exists(pk)' } },
          { Put: { TableName: this.tableName, Item: pointer } },
        ],
      }),
    );
  }

  async get(approvalId: string): Promise<Approval | undefined> {
    const result = await this.db.send(new GetCommand({ TableName: this.tableName, Key: { pk: approvalKey(approvalId) }, ConsistentRead: true }));
    return result.Item as Approval | undefined;
  }

  /** The approval the customer's last call with these arguments opened, if it is still there. */
  async current(userId: string, tool: string, argsHash: string): Promise<Approval | undefined> {
    const pointer = await this.db.send(new GetCommand({ TableName: this.tableName, Key: { pk: approvalPointerKey(userId, tool, argsHash) }, ConsistentRead: true }));
    const approvalId = (pointer.Item as ApprovalPointer | undefined)?.approval_id;
    return approvalId ? this.get(approvalId) : undefined;
  }

  /**
   * The customer's decision: `pending` → `approved` or `declined`, only by the customer it belongs
   * to and before it expires. Returns the approval as decided, or why not (another customer's
   * approval is answered as one that does not exist).
   */
  async decide(approvalId: string, userId: string, decision: 'approved' | 'declined', via: DecidedVia, now: Date, secondFactorAt?: string): Promise<Approval | DecisionRefused> {
    const unfactored = decision === 'approved' && !secondFactorAt;
    try {
      const result = await this.db.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: { pk: approvalKey(approvalId) },
          UpdateExpression: `SET #status = :decision, decided_at = :at, decided_via = :via${secondFactorAt ? ', second_factor_at = :factor' : ''}`,
          // An approval above the customer's MTU is approved only with the second factor, whoever asks.
          ConditionExpression: `attribute_exists(pk) AND user_id = :user AND #status = :pending AND expires_at > :now${unfactored ? ' AND (attribute_not_exists(step_up) OR step_up <> :yes)' : ''}`,
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: {
            ':decision': decision,
            ':at': now.toISOString(),
            ':via': via,
            ':user': userId,
            ':pending': 'pending',
            ':now': Math.floor(now.getTime() / 1000),
            ...(secondFactorAt ? { ':factor': secondFactorAt } : {}),
            ...(unfactored ? { ':yes': true } : {}),
          },
          ReturnValues: 'ALL_NEW',
          ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
        }),
      );
      return result.Attributes as Approval;
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
      const item = error.Item ? (unmarshall(error.Item) as Approval) : undefined;
      if (!item || item.user_id !== userId) return 'not_found';
      if (item.status !== 'pending') return 'decided';
      if (item.expires_at > Math.floor(now.getTime() / 1000) && item.step_up === true && unfactored) return 'second_factor_required';
      return 'expired';
    }
  }

  /**
   * Marks an approved approval used, before its operation runs: true for the one call that does,
   * false when another call already did (its operation is under way or done: the same request,
   * re-sent, tells what happened).
   */
  async use(approvalId: string, userId: string, now: Date): Promise<boolean> {
    try {
      await this.db.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: { pk: approvalKey(approvalId) },
          UpdateExpression: 'SET #status = :used, used_at = :at',
          ConditionExpression: 'attribute_exists(pk) AND user_id = :user AND #status = :approved',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: { ':used': 'used', ':at': now.toISOString(), ':user': userId, ':approved': 'approved' },
        }),
      );
      return true;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return false;
      throw error;
    }
  }
}
