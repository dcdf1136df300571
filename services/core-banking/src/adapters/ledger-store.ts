/**
 * Core Banking's DynamoDB adapter: accounts, ledger entries and the ledger controls
 * (one outcome per request, one debit counter per account and day).
 */
import { TransactionCanceledException, type CancellationReason } from '@aws-sdk/client-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import {
  GetCommand,
  PutCommand,
  QueryCommand,
  TransactWriteCommand,
  type DynamoDBDocumentClient,
  type TransactWriteCommandInput,
} from '@aws-sdk/lib-dynamodb';
import { dynamoDocumentClient } from '@centli/kit/aws';
import { requireEnv } from '@centli/kit/config';
import { type OutgoingEvent } from '@centli/pure/events';
import { cancelledByContention } from '@centli/pure/cancellation';
import type { Account } from '../domain/account';
import type { HistoryScope, PageKey } from '../domain/history';
import type { LedgerEntryItem, Refusal, TransferPlan } from '../domain/transfer';
import { ownerCacheFor, type OwnerCache } from './owner-cache';

export interface LedgerTables {
  accounts: string;
  transactions: string;
  controls: string;
}

export function tablesFromEnv(): LedgerTables {
  return {
    accounts: requireEnv('ACCOUNTS_TABLE'),
    transactions: requireEnv('TRANSACTIONS_TABLE'),
    controls: requireEnv('LEDGER_CONTROLS_TABLE'),
  };
}

export type CommitResult = { status: 'committed' } | { status: 'duplicate' } | { status: 'conflict' } | { status: 'refused'; refusal: Refusal };

export interface StoredOutcome {
  pk: string;
  status: 'completed' | 'refused';
  outcome: OutgoingEvent;
  created_at: string;
  /** The fingerprint of the request (`requestFingerprint`): a reused request_id with another request is refused. */
  request_hash?: string;
}

export interface HistoryPage {
  entries: LedgerEntryItem[];
  lastKey?: PageKey;
}

/** The key of a request's outcome: scoped by customer, so one customer's id never finds another's answer. */
export function outcomeKey(kind: string, userId: string, requestId: string): string {
  return `${kind}#${userId}#${requestId}`;
}

const DAY_COUNTER_TTL_SECONDS = 3 * 24 * 3600;

export class LedgerStore {
  constructor(
    private readonly tables: LedgerTables = tablesFromEnv(),
    private readonly db: DynamoDBDocumentClient = dynamoDocumentClient(),
    /** Owners found so far; the container's cache for this accounts table unless a test passes its own. */
    private readonly owners: OwnerCache = ownerCacheFor(tables.accounts),
  ) {}

  async listAccounts(userId: string): Promise<Account[]> {
    const accounts: Account[] = [];
    let start: Record<string, unknown> | undefined;
    do {
      const page = await this.db.send(
        new QueryCommand({
          TableName: this.tables.accounts,
          KeyConditionExpression: 'user_id = :u',
          ExpressionAttributeValues: { ':u': userId },
          ExclusiveStartKey: start,
        }),
      );
      accounts.push(...((page.Items ?? []) as Account[]));
      start = page.LastEvaluatedKey;
    } while (start);
    return accounts;
  }

  async getAccount(userId: string, accountId: string): Promise<Account | undefined> {
    const result = await this.db.send(new GetCommand({ TableName: this.tables.accounts, Key: { user_id: userId, account_id: accountId } }));
    return result.Item as Account | undefined;
  }

  /**
   * Who owns an account, by its id: remembered (`OwnerCache`: ownership never changes), or from
   * the account_id index, and then remembered. An account the index does not know is not.
   */
  async findAccountOwner(accountId: string): Promise<string | undefined> {
    const known = this.owners.get(accountId);
    if (known !== undefined) return known;
    const result = await this.db.send(
      new QueryCommand({
        TableName: this.tables.accounts,
        IndexName: 'account_id-index',
        KeyConditionExpression: 'account_id = :a',
        ExpressionAttributeValues: { ':a': accountId },
        Limit: 1,
      }),
    );
    const owner = result.Items?.[0]?.user_id as string | undefined;
    if (owner !== undefined) this.owners.remember(accountId, owner);
    return owner;
  }

  /**
   * The transfer as one TransactWriteItems: the guarded double entry (see `movementItems`)
   * plus the day's debit counter (within the limit). No read before it.
   */
  async commitTransfer(plan: TransferPlan, outcomeId: string): Promise<CommitResult> {
    const { request } = plan;
    const record: StoredOutcome = { pk: outcomeId, status: 'completed', outcome: plan.completed, created_at: plan.at, request_hash: plan.requestHash };
    const result = await commitMovement(this.db, [
      ...movementItems(this.tables, {
        from: { user_id: request.user_id, account_id: request.from_account_id },
        to: { user_id: plan.destinationOwner, account_id: request.to_account_id },
        amount: request.amount,
        currency: request.currency,
        at: plan.at,
        entries: plan.entries,
        record,
      }),
      {
        Update: {
          TableName: this.tables.controls,
          Key: { pk: `daily#${request.from_account_id}#${plan.day}` },
          UpdateExpression: 'ADD debited :amount SET expires_at = :expires, account_id = :account',
          ConditionExpression: 'attribute_not_exists(debited) OR debited <= :room',
          ExpressionAttributeValues: {
            ':amount': request.amount,
            ':room': plan.dailyRoom,
            ':account': request.from_account_id,
            ':expires': Math.floor(Date.parse(plan.at) / 1000) + DAY_COUNTER_TTL_SECONDS,
          },
          ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
        },
      },
    ]);
    forgetMissingDestination(this.owners, result, request.to_account_id);
    return result;
  }

  async getOutcome(outcomeId: string): Promise<StoredOutcome | undefined> {
    const result = await this.db.send(new GetCommand({ TableName: this.tables.controls, Key: { pk: outcomeId }, ConsistentRead: true }));
    return result.Item as StoredOutcome | undefined;
  }

  /** Records a refusal unless the request already has an outcome; returns the outcome that stands. */
  async settleRefusal(outcomeId: string, outcome: OutgoingEvent, at: string, requestHash?: string): Promise<StoredOutcome> {
    const record: StoredOutcome = { pk: outcomeId, status: 'refused', outcome, created_at: at, ...(requestHash ? { request_hash: requestHash } : {}) };
    try {
      await this.db.send(new PutCommand({ TableName: this.tables.controls, Item: record, ConditionExpression: 'attribute_not_exists(pk)' }));
      return record;
    } catch (error) {
      if ((error as Error).name !== 'ConditionalCheckFailedException') throw error;
      const first = await this.getOutcome(outcomeId);
      if (!first) throw new Error(`outcome ${outcomeId} vanished after refusing a write`, { cause: error });
      return first;
    }
  }

  /** A page of ledger entries, newest first, within optional sort-key bounds. */
  async queryHistory(scope: HistoryScope, range: { lower?: string; upper?: string }, limit: number, start?: PageKey): Promise<HistoryPage> {
    const names: Record<string, string> = { '#pk': scope.by === 'account' ? 'account_id' : 'user_id' };
    const values: Record<string, unknown> = { ':pk': scope.key };
    let condition = '#pk = :pk';
    if (range.lower !== undefined || range.upper !== undefined) {
      names['#sk'] = 'sk';
      values[':lower'] = range.lower ?? '';
      values[':upper'] = range.upper ?? '~';
      condition += ' AND #sk BETWEEN :lower AND :upper';
    }
    const result = await this.db.send(
      new QueryCommand({
        TableName: this.tables.transactions,
        ...(scope.by === 'user' ? { IndexName: 'user_id-index' } : {}),
        KeyConditionExpression: condition,
        ExpressionAttributeNames: names,
        ExpressionAttributeValues: values,
        ScanIndexForward: false,
        Limit: limit,
        ExclusiveStartKey: start,
      }),
    );
    return {
      entries: (result.Items ?? []) as LedgerEntryItem[],
      ...(result.LastEvaluatedKey ? { lastKey: result.LastEvaluatedKey as PageKey } : {}),
    };
  }
}

/** One side of a movement: an account by its full key. */
export interface AccountKey {
  user_id: string;
  account_id: string;
}

/** A money movement between two accounts, with its ledger entries and its outcome record. */
export interface Movement {
  from: AccountKey;
  to: AccountKey;
  amount: number;
  currency: string;
  at: string;
  entries: readonly [LedgerEntryItem, LedgerEntryItem];
  /** Written only if no record with its `pk` exists: the first writer wins. */
  record: { pk: string };
}

type TransactItem = NonNullable<TransactWriteCommandInput['TransactItems']>[number];

/**
 * The guarded double entry every money movement shares, in this order (which
 * `readCancellation` relies on): debit the source (owned, active, same currency, enough funds),
 * credit the destination (exists, active, same currency), both ledger entries, the record.
 */
export function movementItems(tables: LedgerTables, movement: Movement): TransactItem[] {
  const { from, to, amount, currency, at } = movement;
  const values = { ':amount': amount, ':active': 'active', ':currency': currency, ':at': at };
  const onFailure = { ReturnValuesOnConditionCheckFailure: 'ALL_OLD' as const };
  return [
    {
      Update: {
        TableName: tables.accounts,
        Key: { user_id: from.user_id, account_id: from.account_id },
        UpdateExpression: 'SET balance = balance - :amount, updated_at = :at',
        ConditionExpression: 'attribute_exists(user_id) AND #status = :active AND currency = :currency AND balance >= :amount',
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: values,
        ...onFailure,
      },
    },
    {
      Update: {
        TableName: tables.accounts,
        Key: { user_id: to.user_id, account_id: to.account_id },
        UpdateExpression: 'SET balance = balance + :amount, updated_at = :at',
        ConditionExpression: 'attribute_exists(user_id) AND #status = :active AND currency = :currency',
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: values,
        ...onFailure,
      },
    },
    { Put: { TableName: tables.transactions, Item: movement.entries[0], ConditionExpression: 'attribute_not_exists(account_id)' } },
    { Put: { TableName: tables.transactions, Item: movement.entries[1], ConditionExpression: 'attribute_not_exists(account_id)' } },
    { Put: { TableName: tables.controls, Item: movement.record, ConditionExpression: 'attribute_not_exists(pk)' } },
  ];
}

/**
 * A destination the transaction did not find under its remembered owner is forgotten, so the
 * next request asks the index again. (Owners never change, so this is a safety net, not a path.)
 */
export function forgetMissingDestination(owners: OwnerCache, result: CommitResult, accountId: string): void {
  if (result.status === 'refused' && result.refusal.destination?.found === false) owners.forget(accountId);
}

/** Runs a movement's transaction and reads a cancellation into a result. */
export async function commitMovement(db: DynamoDBDocumentClient, items: TransactItem[]): Promise<CommitResult> {
  try {
    await db.send(new TransactWriteCommand({ TransactItems: items }));
    return { status: 'committed' };
  } catch (error) {
    if (!(error instanceof TransactionCanceledException)) throw error;
    return readCancellation(error.CancellationReasons ?? []);
  }
}

/** Reads TransactionCanceledException reasons; their order is `movementItems`' order, then the daily counter. */
export function readCancellation(reasons: readonly CancellationReason[]): CommitResult {
  if (cancelledByContention(reasons)) return { status: 'conflict' };
  const failed = (index: number) => reasons[index]?.Code === 'ConditionalCheckFailed';
  if (failed(4)) return { status: 'duplicate' };
  const item = (index: number) => {
    const raw = reasons[index]?.Item;
    return raw ? (unmarshall(raw) as Record<string, unknown>) : undefined;
  };
  const refusal: Refusal = {};
  if (failed(0)) {
    const source = item(0) as Account | undefined;
    refusal.source = source ? { found: true, item: source } : { found: false };
  }
  if (failed(1)) {
    const destination = item(1) as Account | undefined;
    refusal.destination = destination ? { found: true, item: destination } : { found: false };
  }
  if (failed(5)) {
    const debited = item(5)?.debited;
    refusal.daily = typeof debited === 'number' ? { debited } : {};
  }
  if (!refusal.source && !refusal.destination && !refusal.daily) {
    throw new Error(`transfer cancelled for an unexpected reason: ${reasons.map((r) => r.Code).join(', ')}`);
  }
  return { status: 'refused', refusal };
}
