/**
 * Exactly once, in DynamoDB (the rules are lib/pure/outcome.ts's). A request's outcome record is
 * put in the same TransactWriteItems as the change it records, only where none is, so the change
 * and its outcome are made together or not at all, and the first writer wins:
 *
 *   const result = await outcomes.commit(record, [{ role: 'source', item: debit }, { role: 'destination', item: credit }]);
 *
 * answers `committed`; `served` with the first record, read back consistently, when the request
 * has an outcome already (answer it again with `replay`); `contention` when another writer or
 * DynamoDB's throttling got in the way (`retryOnContention` tries again); or `refused` with the
 * named conditions that failed and the items as they then were. An outcome that changes nothing
 * (a refusal) is `settle`d: put where none is, or the one that stands read back.
 */
import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import { GetCommand, PutCommand, TransactWriteCommand, type DynamoDBDocumentClient, type TransactWriteCommandInput } from '@aws-sdk/lib-dynamodb';
import { readCancellation, type Cancellation, type ItemRole } from '@centli/pure/cancellation';

export type TransactItem = NonNullable<TransactWriteCommandInput['TransactItems']>[number];

/** An item of a transaction, with what its condition failing would mean (see `ItemRole`). */
export interface Step<N extends string> {
  role: ItemRole<N>;
  item: TransactItem;
}

/** An item as DynamoDB returned it with a failed condition, read. */
export type StoredItem = Record<string, unknown>;

export type Transacted<N extends string> = { status: 'committed' } | Cancellation<N, StoredItem>;

/** What committing a change with its outcome record came to. */
export type Committed<N extends string, R> =
  | { status: 'committed' }
  /** The request has an outcome already: the first one, read consistently. */
  | { status: 'served'; first: R }
  | Exclude<Cancellation<N, StoredItem>, { status: 'served' }>;

/**
 * Runs one TransactWriteItems and reads a cancellation by its items' roles (`readCancellation`),
 * with the items DynamoDB returned read into plain values. Any other error goes up as it is.
 * `what` names the transaction in the error a cancellation nothing explains becomes.
 */
export async function transact<N extends string>(db: DynamoDBDocumentClient, steps: ReadonlyArray<Step<N>>, what?: string): Promise<Transacted<N>> {
  try {
    await db.send(new TransactWriteCommand({ TransactItems: steps.map((step) => step.item) }));
    return { status: 'committed' };
  } catch (error) {
    if (!(error instanceof TransactionCanceledException)) throw error;
    const reasons = (error.CancellationReasons ?? []).map((reason) => ({ Code: reason.Code, Item: reason.Item && (unmarshall(reason.Item) as StoredItem) }));
    return readCancellation(reasons, steps.map((step) => step.role), what);
  }
}

/** Where a kind of record lives: its table and the table's key attributes, partition key first. */
export interface OutcomeTable {
  name: string;
  key: readonly string[];
}

/** The records of one table that a request's first writer fixes: outcomes, payment records, purchase guards. */
export class OutcomeStore<R extends object> {
  constructor(
    private readonly table: OutcomeTable,
    private readonly db: DynamoDBDocumentClient,
  ) {}

  /** The record's Put, only where no record of its key is: to go in the transaction of the change it records. */
  put(record: R): Step<never> {
    return { role: 'outcome', item: { Put: this.putIfNone(record) } };
  }

  /** The record's key. */
  keyOf(record: R): Record<string, unknown> {
    return Object.fromEntries(this.table.key.map((attribute) => [attribute, (record as Record<string, unknown>)[attribute]]));
  }

  /** The record under a key, read consistently: a record written a moment ago is there. */
  async get(key: Record<string, unknown>): Promise<R | undefined> {
    const result = await this.db.send(new GetCommand({ TableName: this.table.name, Key: key, ConsistentRead: true }));
    return result.Item as R | undefined;
  }

  /** The record that refused a write: it is there, or something is badly wrong (the delivery is retried). */
  async first(key: Record<string, unknown>): Promise<R> {
    const first = await this.get(key);
    if (!first) throw new Error(`the record ${JSON.stringify(key)} in ${this.table.name} refused a write but cannot be read`);
    return first;
  }

  /** Puts the record where none is; whether it was put (false: a record of its key was there first). */
  async putIfAbsent(record: R): Promise<boolean> {
    try {
      await this.db.send(new PutCommand(this.putIfNone(record)));
      return true;
    } catch (error) {
      if ((error as Error).name === 'ConditionalCheckFailedException') return false;
      throw error;
    }
  }

  /** Puts the record where none is; the record that stands, this one or the first, read back. */
  async settle(record: R): Promise<R> {
    return (await this.putIfAbsent(record)) ? record : this.first(this.keyOf(record));
  }

  /**
   * The change and the record in one TransactWriteItems (the record's Put last). When the
   * request has a record already, the first one, read consistently.
   */
  async commit<N extends string>(record: R, change: ReadonlyArray<Step<N>>, what?: string): Promise<Committed<N, R>> {
    const result = await transact<N>(this.db, [...change, this.put(record)], what);
    if (result.status !== 'served') return result;
    return { status: 'served', first: await this.first(this.keyOf(record)) };
  }

  private putIfNone(record: R) {
    return { TableName: this.table.name, Item: record, ConditionExpression: 'attribute_not_exists(#key)', ExpressionAttributeNames: { '#key': this.table.key[0] as string } };
  }
}
