/**
 * CRM's DynamoDB adapter: the beneficiaries table (beneficiaries, alias reservations and
 * request outcomes, told apart by the sort key's prefix; see domain/beneficiary.ts) and its
 * alias index.
 */
import { QueryCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { dynamoDocumentClient } from '@centli/kit/aws';
import { requireEnv } from '@centli/kit/config';
import { OutcomeStore, type Step } from '@centli/kit/outcome-store';
import { BENEFICIARY_PREFIX, type BeneficiaryItem, type BeneficiaryPlan, type RequestOutcome } from '../domain/beneficiary';
import type { PageKey } from '../domain/pages';

/** The alias index: partition key alias_lower, sort key user_id; only beneficiaries carry alias_lower. */
export const ALIAS_INDEX = 'alias_lower-index';

export type CommitResult = { status: 'committed' } | { status: 'served'; first: RequestOutcome } | { status: 'duplicate_alias' } | { status: 'contention' };

export interface BeneficiaryPage {
  items: BeneficiaryItem[];
  lastKey?: PageKey;
}

export class BeneficiaryStore {
  private readonly outcomes: OutcomeStore<RequestOutcome>;

  constructor(
    private readonly table: string = requireEnv('BENEFICIARIES_TABLE'),
    private readonly db: DynamoDBDocumentClient = dynamoDocumentClient(),
  ) {
    this.outcomes = new OutcomeStore({ name: table, key: ['user_id', 'beneficiary_id'] }, db);
  }

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
    const put = <N extends string>(role: Step<N>['role'], Item: object): Step<N> => ({ role, item: { Put: { TableName: this.table, Item, ConditionExpression: 'attribute_not_exists(beneficiary_id)' } } });
    // The beneficiary's id is the request's: only a request served already could have put it.
    const result = await this.outcomes.commit(plan.record, [put('outcome', plan.item), put('alias', plan.reservation)], 'adding a beneficiary');
    return result.status === 'refused' ? { status: 'duplicate_alias' } : result;
  }

  /** Records a refusal unless the request already has an outcome; returns the outcome that stands. */
  async settleRefusal(record: RequestOutcome): Promise<RequestOutcome> {
    return this.outcomes.settle(record);
  }
}
