/**
 * CRM's DynamoDB adapter: the beneficiaries table (beneficiaries, alias reservations and
 * request outcomes, told apart by the sort key's prefix; see domain/beneficiary.ts) and its
 * alias index.
 */
import { TransactionCanceledException, type CancellationReason } from '@aws-sdk/client-dynamodb';
import { GetCommand, PutCommand, QueryCommand, TransactWriteCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { dynamoDocumentClient } from '@centli/kit/aws';
import { requireEnv } from '@centli/kit/config';
import { cancelledByContention } from '@centli/pure/cancellation';
import { BENEFICIARY_PREFIX, REQUEST_PREFIX, type BeneficiaryItem, type BeneficiaryPlan, type RequestOutcome } from '../domain/beneficiary';
import type { PageKey } from '../domain/pages';

/** The alias index: partition key alias_lower, sort key user_id; only beneficiaries carry alias_lower. */
export const ALIAS_INDEX = 'alias_lower-index';

export type CommitResult = { status: 'committed' } | { status: 'duplicate_request' } | { status: 'duplicate_alias' } | { status: 'conflict' };

export interface BeneficiaryPage {
  items: BeneficiaryItem[];
  lastKey?: PageKey;
}

export class BeneficiaryStore {
  constructor(
    private readonly table: string = requireEnv('BENEFICIARIES_TABLE'),
    private readonly db: DynamoDBDocumentClient = dynamoDocumentClient(),
  ) {}

  /** The customer's beneficiaries whose alias key is exactly `aliasLower` (the alias index). */
  async findByAliasKey(userId: string, aliasLower: string): Promise<BeneficiaryItem[]> {
    const result = await this.db.send(
      new QueryCommand({
        TableName: this.table,
        IndexName: ALIAS_INDEX,
        KeyConditionExpression: 'alias_lower = :a AND user_id = :u',
        ExpressionAttributeValues: { ':a': aliasLower, ':u': userId },
      }),
    );
    return (result.Items ?? []) as BeneficiaryItem[];
  }

  /** Every beneficiary of the customer (never the helper items). */
  async listAll(userId: string): Promise<BeneficiaryItem[]> {
    const items: BeneficiaryItem[] = [];
    let start: PageKey | undefined;
    do {
      const page = await this.listPage(userId, 100, start);
      items.push(...page.items);
      start = page.lastKey;
    } while (start);
    return items;
  }

  /** A page of the customer's beneficiaries in beneficiary_id order, read consistently (one just added is there). */
  async listPage(userId: string, limit: number, start?: PageKey): Promise<BeneficiaryPage> {
    const result = await this.db.send(
      new QueryCommand({
        TableName: this.table,
        KeyConditionExpression: 'user_id = :u AND begins_with(beneficiary_id, :ben)',
        ExpressionAttributeValues: { ':u': userId, ':ben': BENEFICIARY_PREFIX },
        Limit: limit,
        ExclusiveStartKey: start,
        ConsistentRead: true,
      }),
    );
    return {
      items: (result.Items ?? []) as BeneficiaryItem[],
      ...(result.LastEvaluatedKey ? { lastKey: result.LastEvaluatedKey as PageKey } : {}),
    };
  }

  /**
   * The beneficiary, its alias reservation and the request's outcome as one
   * TransactWriteItems, each put only where nothing is: a taken alias or a request seen
   * before cancels all three.
   */
  async commitBeneficiary(plan: BeneficiaryPlan): Promise<CommitResult> {
    const put = (Item: object) => ({ Put: { TableName: this.table, Item, ConditionExpression: 'attribute_not_exists(beneficiary_id)' } });
    try {
      await this.db.send(new TransactWriteCommand({ TransactItems: [put(plan.item), put(plan.reservation), put(plan.record)] }));
      return { status: 'committed' };
    } catch (error) {
      if (!(error instanceof TransactionCanceledException)) throw error;
      return readCancellation(error.CancellationReasons ?? []);
    }
  }

  /** Records a refusal unless the request already has an outcome; returns the outcome that stands. */
  async settleRefusal(record: RequestOutcome): Promise<RequestOutcome> {
    try {
      await this.db.send(new PutCommand({ TableName: this.table, Item: record, ConditionExpression: 'attribute_not_exists(beneficiary_id)' }));
      return record;
    } catch (error) {
      if ((error as Error).name !== 'ConditionalCheckFailedException') throw error;
      const first = await this.getOutcome(record.user_id, record.beneficiary_id.slice(REQUEST_PREFIX.length));
      if (!first) throw new Error(`outcome ${record.beneficiary_id} vanished after refusing a write`, { cause: error });
      return first;
    }
  }

  /** The first outcome of a request, read consistently. */
  async getOutcome(userId: string, requestId: string): Promise<RequestOutcome | undefined> {
    const result = await this.db.send(
      new GetCommand({ TableName: this.table, Key: { user_id: userId, beneficiary_id: `${REQUEST_PREFIX}${requestId}` }, ConsistentRead: true }),
    );
    return result.Item as RequestOutcome | undefined;
  }
}

/** Reads TransactionCanceledException reasons; their order is the TransactItems order above. */
export function readCancellation(reasons: readonly CancellationReason[]): CommitResult {
  if (cancelledByContention(reasons)) return { status: 'conflict' };
  const failed = (index: number) => reasons[index]?.Code === 'ConditionalCheckFailed';
  // A request seen before explains everything else: its beneficiary and alias are its own.
  if (failed(2)) return { status: 'duplicate_request' };
  if (failed(1)) return { status: 'duplicate_alias' };
  throw new Error(`adding a beneficiary was cancelled for an unexpected reason: ${reasons.map((r) => r.Code).join(', ')}`);
}
