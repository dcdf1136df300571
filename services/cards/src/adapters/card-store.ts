/**
 * The Cards service's DynamoDB adapter: the cards table (and its account and user indexes) and
 * the card-requests table (replacement requests and the outcome of every operation).
 *
 * A card changes only in one TransactWriteItems with the request's outcome (and, for a
 * replacement, the replacement request), conditioned on the card being exactly as it was read.
 * When DynamoDB cancels it, the returned reasons say why, and the card as it then was
 * (ALL_OLD) becomes the next attempt's reading: no read can race the write.
 */
import { GetCommand, QueryCommand, type DynamoDBDocumentClient, type QueryCommandInput } from '@aws-sdk/lib-dynamodb';
import { dynamoDocumentClient } from '@centli/kit/aws';
import { requireEnv } from '@centli/kit/config';
import { OutcomeStore, type Step } from '@centli/kit/outcome-store';
import type { CardItem, CardStatus } from '../domain/card';
import type { CardOutcome } from '../domain/outcome';
import type { ReplacementItem } from '../domain/replacement';

export const USER_INDEX = 'user_id-index';
export const ACCOUNT_INDEX = 'account_id-index';

export interface CardTables {
  cards: string;
  requests: string;
}

export function tablesFromEnv(): CardTables {
  return { cards: requireEnv('CARDS_TABLE'), requests: requireEnv('CARD_REQUESTS_TABLE') };
}

/** A change to one card, with the outcome it answers (and the replacement it opens). */
export interface CardChange {
  /** The card as it was read: the change is made only if it still is (owner, status, open replacement). */
  seen: Pick<CardItem, 'card_id' | 'user_id' | 'status' | 'replacement_id'>;
  /** The card's new status, when it changes. */
  status?: CardStatus;
  /** The replacement the card now has open. */
  replacement?: ReplacementItem;
  at: string;
  /** Written only if the request has no outcome yet: the first writer wins. */
  record: CardOutcome;
}

export type CommitResult =
  | { status: 'committed' }
  /** The request already has an outcome (or its replacement exists): the first outcome, read consistently. */
  | { status: 'served'; first: CardOutcome }
  /** Another transaction on the same items, or throttling; try again. */
  | { status: 'contention' }
  /** The card is not as it was read; `card` is how it was when the condition failed (absent if there is none). */
  | { status: 'stale'; card?: CardItem };

export class CardStore {
  private readonly outcomes: OutcomeStore<CardOutcome>;

  constructor(
    private readonly tables: CardTables = tablesFromEnv(),
    private readonly db: DynamoDBDocumentClient = dynamoDocumentClient(),
  ) {
    this.outcomes = new OutcomeStore({ name: tables.requests, key: ['request_id'] }, db);
  }

  /** A card by its id, read consistently: what a change is conditioned on. */
  async getCard(cardId: string): Promise<CardItem | undefined> {
    const result = await this.db.send(new GetCommand({ TableName: this.tables.cards, Key: { card_id: cardId }, ConsistentRead: true }));
    return result.Item as CardItem | undefined;
  }

  /** Every card of the customer (the user index). */
  async cardsOf(userId: string): Promise<CardItem[]> {
    return this.queryAll({ IndexName: USER_INDEX, KeyConditionExpression: 'user_id = :u', ExpressionAttributeValues: { ':u': userId } });
  }

  /** The customer's cards on one account (the account index, filtered to the customer's own). */
  async cardsOfAccount(userId: string, accountId: string): Promise<CardItem[]> {
    return this.queryAll({
      IndexName: ACCOUNT_INDEX,
      KeyConditionExpression: 'account_id = :a',
      FilterExpression: 'user_id = :u',
      ExpressionAttributeValues: { ':a': accountId, ':u': userId },
    });
  }

  /** The customer's cards ending in `lastFour`. */
  async cardsEndingIn(userId: string, lastFour: string): Promise<CardItem[]> {
    return this.queryAll({
      IndexName: USER_INDEX,
      KeyConditionExpression: 'user_id = :u',
      FilterExpression: 'last_four = :l',
      ExpressionAttributeValues: { ':u': userId, ':l': lastFour },
    });
  }

  /**
   * The change as one TransactWriteItems: the card (owned by the caller, status and open
   * replacement as read), when one is opened the replacement request (none yet; its id is the
   * request's, so only a request served already could have put it), and the outcome (none yet).
   */
  async commitCardChange(change: CardChange): Promise<CommitResult> {
    const { seen } = change;
    const names: Record<string, string> = { '#status': 'status' };
    const values: Record<string, unknown> = { ':owner': seen.user_id, ':seen': seen.status, ':at': change.at };
    const set = ['updated_at = :at'];
    if (change.status !== undefined) {
      set.push('#status = :status');
      values[':status'] = change.status;
    }
    if (change.replacement) {
      set.push('replacement_id = :replacement');
      values[':replacement'] = change.replacement.request_id;
    }
    let condition = 'user_id = :owner AND #status = :seen AND ';
    if (seen.replacement_id === undefined) {
      condition += 'attribute_not_exists(replacement_id)';
    } else {
      condition += 'replacement_id = :open';
      values[':open'] = seen.replacement_id;
    }
    const steps: Step<'card'>[] = [
      {
        role: 'card',
        item: {
          Update: {
            TableName: this.tables.cards,
            Key: { card_id: seen.card_id },
            UpdateExpression: `SET ${set.join(', ')}`,
            ConditionExpression: condition,
            ExpressionAttributeNames: names,
            ExpressionAttributeValues: values,
            ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
          },
        },
      },
    ];
    if (change.replacement) {
      steps.push({ role: 'outcome', item: { Put: { TableName: this.tables.requests, Item: change.replacement, ConditionExpression: 'attribute_not_exists(request_id)' } } });
    }
    const result = await this.outcomes.commit(change.record, steps, 'a card change');
    if (result.status !== 'refused') return result;
    // The card is not as it was read: how it was when the condition failed is the next reading.
    const card = result.failed.card?.item as CardItem | undefined;
    return card ? { status: 'stale', card } : { status: 'stale' };
  }

  /**
   * Records an outcome that changes no card (a refusal, a no-op, an open replacement answered)
   * unless the request already has one; returns the outcome that stands.
   */
  async settleOutcome(record: CardOutcome): Promise<CardOutcome> {
    return this.outcomes.settle(record);
  }

  /** A replacement request by its id, read consistently. */
  async getReplacement(replacementId: string): Promise<ReplacementItem | undefined> {
    const result = await this.db.send(new GetCommand({ TableName: this.tables.requests, Key: { request_id: replacementId }, ConsistentRead: true }));
    const item = result.Item as ReplacementItem | undefined;
    return item?.kind === 'replacement' ? item : undefined;
  }

  private async queryAll(input: Omit<QueryCommandInput, 'TableName'>): Promise<CardItem[]> {
    const cards: CardItem[] = [];
    let start: Record<string, unknown> | undefined;
    do {
      const page = await this.db.send(new QueryCommand({ TableName: this.tables.cards, ...input, ExclusiveStartKey: start }));
      cards.push(...((page.Items ?? []) as CardItem[]));
      start = page.LastEvaluatedKey;
    } while (start);
    return cards;
  }
}
