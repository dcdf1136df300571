/**
 * Core Banking's DynamoDB adapter: accounts, ledger entries and the ledger controls
 * (one outcome per request, one debit counter per account and day).
 */
import { BatchGetCommand, GetCommand, QueryCommand, type BatchGetCommandOutput, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { dynamoDocumentClient } from '@centli/kit/aws';
import { requireEnv } from '@centli/kit/config';
import { OutcomeStore, type Committed, type Step, type StoredItem, type TransactItem } from '@centli/kit/outcome-store';
import type { FailedConditions } from '@centli/pure/cancellation';
import { TransientError } from '@centli/pure/errors';
import type { OutgoingEvent } from '@centli/pure/events';
import { outcomeRecord, type OutcomeRecord } from '@centli/pure/outcome';
import type { Account } from '../domain/account';
import type { HistoryScope, PageKey } from '../domain/history';
import { dailyCounterKey } from '../domain/limits';
import { mtuKey, type MtuChangePlan, type MtuGuard, type MtuItem } from '../domain/mtu';
import type { LedgerEntryItem, NewPayeeWindow, Refusal, TransferPlan } from '../domain/transfer';
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

/** What a money movement's transaction came to; `first` is the record that stands when the request was served already. */
export type CommitResult<F> = { status: 'committed' } | { status: 'served'; first: F } | { status: 'contention' } | { status: 'refused'; refusal: Refusal };

/** A request's outcome in the ledger controls table, keyed `transfer#<user_id>#<request_id>` (`outcomeKey`). */
export interface StoredOutcome extends OutcomeRecord<'completed' | 'refused'> {
  pk: string;
}

export interface HistoryPage {
  entries: LedgerEntryItem[];
  lastKey?: PageKey;
}

const DAY_COUNTER_TTL_SECONDS = 3 * 24 * 3600;
/** A new payee's counter is kept a day after its window ends. */
const NEW_PAYEE_COUNTER_TTL_SECONDS = 24 * 3600;

/** The ledger's tables as every Core Banking store reaches them, and what moving money between two accounts takes. */
export abstract class LedgerAdapter {
  constructor(
    protected readonly tables: LedgerTables = tablesFromEnv(),
    protected readonly db: DynamoDBDocumentClient = dynamoDocumentClient(),
    /** Owners found so far: the container's cache for this accounts table (transfers and charges share it) unless a test passes its own. */
    protected readonly owners: OwnerCache = ownerCacheFor(tables.accounts),
  ) {}

  /** The records of the ledger controls table that a request's first writer fixes (outcomes, payments). */
  protected controlRecords<R extends { pk: string }>(): OutcomeStore<R> {
    return new OutcomeStore<R>({ name: this.tables.controls, key: ['pk'] }, this.db);
  }

  /**
   * A movement (`movementSteps`), anything else the request guards (`more`) and its record as one
   * TransactWriteItems, the record only where none is; a refusal read as a `Refusal`.
   */
  protected async commitMovement<R extends { pk: string }>(records: OutcomeStore<R>, record: R, movement: Movement, more: Step<'daily' | 'payee' | 'mtu'>[], what: string): Promise<CommitResult<R>> {
    const result = readMovement(await records.commit(record, [...movementSteps(this.tables, movement), ...more], what));
    // A destination the transaction did not find under its remembered owner is forgotten, so the
    // next request asks the index again. (Owners never change, so this is a safety net, not a path.)
    if (result.status === 'refused' && result.refusal.destination?.found === false) this.owners.forget(movement.to.account_id);
    return result;
  }
}

export class LedgerStore extends LedgerAdapter {
  private readonly outcomes = this.controlRecords<StoredOutcome>();

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

  /**
   * What each account has debited on a day, by account id (an account that sent nothing has no
   * counter): the counters the transfers keep in the same transaction as the money, read
   * strongly consistent, at most 100 accounts (a customer has a handful).
   */
  async debitedOn(accountIds: readonly string[], day: string): Promise<Map<string, number>> {
    const debited = new Map<string, number>();
    if (accountIds.length === 0) return debited;
    if (accountIds.length > 100) throw new Error(`at most 100 accounts' counters are read at once, not ${accountIds.length}`);
    let keys: Record<string, unknown>[] | undefined = accountIds.map((accountId) => ({ pk: dailyCounterKey(accountId, day) }));
    // BatchGetItem may leave keys unprocessed under load: ask again for those.
    for (let round = 0; keys && keys.length > 0; round++) {
      if (round === 5) throw new TransientError('the day counters stayed unprocessed through every attempt');
      const result: BatchGetCommandOutput = await this.db.send(new BatchGetCommand({ RequestItems: { [this.tables.controls]: { Keys: keys, ConsistentRead: true } } }));
      for (const item of result.Responses?.[this.tables.controls] ?? []) {
        if (typeof item.account_id === 'string' && typeof item.debited === 'number') debited.set(item.account_id, item.debited);
      }
      keys = result.UnprocessedKeys?.[this.tables.controls]?.Keys;
    }
    return debited;
  }

  /** The customer's MTU item, read strongly consistent (a lowered MTU holds at once); none when they never set one. */
  async getMtu(userId: string): Promise<MtuItem | undefined> {
    const result = await this.db.send(new GetCommand({ TableName: this.tables.controls, Key: { pk: mtuKey(userId) }, ConsistentRead: true }));
    return result.Item as MtuItem | undefined;
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
   * The transfer as one TransactWriteItems: the guarded double entry (see `movementSteps`), the
   * day's debit counter (within the limit), the customer's MTU unless a fresh second factor came
   * with it (`mtuStep`) and the outcome (first writer wins). No read before it. `also`: what else
   * the request writes in the same transaction, only with it (a SPEI hold's order record, keyed
   * as its outcome is, so it is never there without the outcome).
   */
  async commitTransfer(plan: TransferPlan, outcomeId: string, also: readonly Step<never>[] = []): Promise<CommitResult<StoredOutcome>> {
    const { request } = plan;
    const record: StoredOutcome = { pk: outcomeId, ...outcomeRecord('completed', plan.completed, plan.at, plan.requestHash) };
    const daily: Step<'daily'> = {
      role: 'daily',
      item: {
        Update: {
          TableName: this.tables.controls,
          Key: { pk: dailyCounterKey(request.from_account_id, plan.day) },
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
    };
    const movement: Movement = {
      from: { user_id: request.user_id, account_id: request.from_account_id },
      to: { user_id: plan.destinationOwner, account_id: request.to_account_id },
      amount: request.amount,
      currency: request.currency,
      at: plan.at,
      entries: plan.entries,
    };
    const more: Step<'daily' | 'payee' | 'mtu'>[] = [daily, ...also];
    if (plan.newPayee) more.push(newPayeeStep(this.tables, plan.newPayee, request.amount, plan.at));
    if (plan.mtu) more.push(mtuStep(this.tables, plan.mtu));
    const result = await this.commitMovement(this.outcomes, record, movement, more, 'a transfer');
    // A window refused before any counter existed (the amount alone is over the limit) ends where this transfer's would.
    if (result.status === 'refused' && result.refusal.payee && plan.newPayee && result.refusal.payee.endsAt === 0) result.refusal.payee.endsAt = plan.newPayee.endsAt;
    return result;
  }

  /**
   * The customer's new MTU and the request's outcome as one TransactWriteItems: the item is
   * written only if the MTU it replaces allows it without a second factor (`guard`), unless one
   * came with the request.
   */
  async commitMtu(plan: MtuChangePlan, outcomeId: string, requestHash: string): Promise<CommitResult<StoredOutcome>> {
    const record: StoredOutcome = { pk: outcomeId, ...outcomeRecord('completed', plan.completed, plan.at, requestHash) };
    const { item, guard } = plan;
    const step: Step<'mtu'> = {
      role: 'mtu',
      item: {
        Update: {
          TableName: this.tables.controls,
          Key: { pk: item.pk },
          UpdateExpression: 'SET mtu = :mtu, user_id = :user, currency = :mxn, updated_at = :at',
          ...(guard ? { ConditionExpression: guard.condition } : {}),
          ExpressionAttributeValues: { ':mtu': item.mtu, ':user': item.user_id, ':mxn': item.currency, ':at': item.updated_at, ...guard?.values, ...guard?.strings },
          ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
        },
      },
    };
    return readMovement(await this.outcomes.commit(record, [step], 'an MTU change'));
  }

  /** Who holds an account, by its id, as the account_id index has them: the owner and the holder's registered name. */
  async findAccountHolder(accountId: string): Promise<{ user_id: string; holder_name?: string } | undefined> {
    const result = await this.db.send(
      new QueryCommand({
        TableName: this.tables.accounts,
        IndexName: 'account_id-index',
        KeyConditionExpression: 'account_id = :a',
        ExpressionAttributeValues: { ':a': accountId },
        Limit: 1,
      }),
    );
    const item = result.Items?.[0];
    if (typeof item?.user_id !== 'string') return undefined;
    return { user_id: item.user_id, ...(typeof item.holder_name === 'string' ? { holder_name: item.holder_name } : {}) };
  }

  /** Records a refusal unless the request already has an outcome; returns the outcome that stands. */
  async settleRefusal(outcomeId: string, outcome: OutgoingEvent, at: string, requestHash: string): Promise<StoredOutcome> {
    return this.outcomes.settle({ pk: outcomeId, ...outcomeRecord('refused', outcome, at, requestHash) });
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

/** A money movement between two accounts, with its ledger entries. */
export interface Movement {
  from: AccountKey;
  to: AccountKey;
  amount: number;
  currency: string;
  at: string;
  entries: readonly [LedgerEntryItem, LedgerEntryItem];
}

/** What must hold of an account for its balance to change, beside the `:amount` and `:at` every change names. */
export interface AccountGuard {
  condition: string;
  names?: Record<string, string>;
  values?: Record<string, unknown>;
}

/** One account's balance down (`-`) or up (`+`) by `amount`, if `guard` holds; the account as it was when it did not. */
export function balanceChange(table: string, account: AccountKey, sign: '-' | '+', amount: number, at: string, guard: AccountGuard): TransactItem {
  return {
    Update: {
      TableName: table,
      Key: { user_id: account.user_id, account_id: account.account_id },
      UpdateExpression: `SET balance = balance ${sign} :amount, updated_at = :at`,
      ConditionExpression: guard.condition,
      ...(guard.names ? { ExpressionAttributeNames: guard.names } : {}),
      ExpressionAttributeValues: { ':amount': amount, ':at': at, ...guard.values },
      ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
    },
  };
}

/** A movement's two ledger entries, each put once: their key is the movement's transaction, which another item already guards. */
export function entrySteps(tables: LedgerTables, entries: readonly [LedgerEntryItem, LedgerEntryItem]): Step<never>[] {
  return entries.map((entry) => ({ role: undefined, item: { Put: { TableName: tables.transactions, Item: entry, ConditionExpression: 'attribute_not_exists(account_id)' } } }));
}

type MovementCondition = 'source' | 'destination' | 'daily' | 'payee' | 'mtu';

/**
 * The customer's MTU checked in the movement's own transaction: a ConditionCheck on their MTU
 * item, so lowering the MTU while the movement is under way refuses it rather than racing it.
 */
export function mtuStep(tables: LedgerTables, guard: MtuGuard): Step<'mtu'> {
  return {
    role: 'mtu',
    item: {
      ConditionCheck: {
        TableName: tables.controls,
        Key: { pk: guard.key },
        ConditionExpression: guard.condition,
        ExpressionAttributeValues: { ...guard.values, ...guard.strings },
        ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
      },
    },
  };
}

/**
 * What a new payee has received from the customer in its first hours, counted in the transfer's
 * transaction: the first transfer fixes the window's end, and the amount fits while the window
 * lasts only if the total stays within the limit (an amount over the limit by itself fits only
 * once the window has ended).
 */
function newPayeeStep(tables: LedgerTables, window: NewPayeeWindow, amount: number, at: string): Step<'payee'> {
  const now = Math.floor(Date.parse(at) / 1000);
  return {
    role: 'payee',
    item: {
      Update: {
        TableName: tables.controls,
        Key: { pk: window.key },
        UpdateExpression: 'SET window_ends = if_not_exists(window_ends, :ends), expires_at = if_not_exists(expires_at, :expires) ADD received :amount',
        ConditionExpression: window.room >= 0 ? 'attribute_not_exists(received) OR window_ends <= :now OR received <= :room' : 'window_ends <= :now',
        ExpressionAttributeValues: {
          ':amount': amount,
          ':ends': window.endsAt,
          ':expires': window.endsAt + NEW_PAYEE_COUNTER_TTL_SECONDS,
          ':now': now,
          ...(window.room >= 0 ? { ':room': window.room } : {}),
        },
        ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
      },
    },
  };
}

/** An active account in the movement's currency: what both sides of a movement must be. */
const open = (currency: string, rest = ''): AccountGuard => ({
  condition: `attribute_exists(user_id) AND #status = :active AND currency = :currency${rest}`,
  names: { '#status': 'status' },
  values: { ':active': 'active', ':currency': currency },
});

/**
 * The guarded double entry every money movement shares: debit the source (owned, active, same
 * currency, enough funds), credit the destination (exists, active, same currency), both ledger
 * entries. The caller adds its record (and the transfer its day's counter).
 */
export function movementSteps(tables: LedgerTables, movement: Movement): Step<'source' | 'destination'>[] {
  const { from, to, amount, currency, at } = movement;
  return [
    { role: 'source', item: balanceChange(tables.accounts, from, '-', amount, at, open(currency, ' AND balance >= :amount')) },
    { role: 'destination', item: balanceChange(tables.accounts, to, '+', amount, at, open(currency)) },
    ...entrySteps(tables, movement.entries),
  ];
}

/** A movement's refused conditions read as a `Refusal`: each account as it was (or not found), the day's total as it was. */
export function readMovement<N extends MovementCondition, F>(result: Committed<N, F>): CommitResult<F> {
  if (result.status !== 'refused') return result;
  const { source, destination, daily, payee, mtu } = result.failed as FailedConditions<MovementCondition, StoredItem>;
  const side = (failed: { item?: StoredItem }) => (failed.item ? { found: true, item: failed.item as unknown as Account } : { found: false });
  const refusal: Refusal = {};
  if (source) refusal.source = side(source);
  if (destination) refusal.destination = side(destination);
  if (daily) refusal.daily = typeof daily.item?.debited === 'number' ? { debited: daily.item.debited } : {};
  // No counter yet means the amount alone is over the limit: the caller knows when its window would end (0 until it says).
  if (payee) refusal.payee = { endsAt: typeof payee.item?.window_ends === 'number' ? payee.item.window_ends : 0 };
  if (mtu) refusal.mtu = typeof mtu.item?.mtu === 'number' ? { mtu: mtu.item.mtu } : {};
  return { status: 'refused', refusal };
}
