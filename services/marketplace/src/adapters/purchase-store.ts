/**
 * The purchase saga's Marketplace writes, each guarded so that a retried or duplicated task
 * changes nothing twice (see domain/purchase.ts for the record and its guard):
 * - reserve: decrement the stock (only while it suffices and the price is the one quoted) and
 *   create the `reserved` record and its guard, in one transaction, only if there is no guard;
 * - release: give the stock back and mark the record `released` (only from the status read),
 *   or write a `released` guard where there was none, so no late reservation can land;
 * - confirm: mark the record `confirmed` with the charge (only from `reserved`).
 */
import { GetCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { dynamoDocumentClient } from '@centli/kit/aws';
import { OutcomeStore, transact, type TransactItem } from '@centli/kit/outcome-store';
import type { Product, Retailer } from '../domain/product';
import { guardFor, guardSortKey, type PurchaseGuard, type PurchaseRecord, type PurchaseStatus } from '../domain/purchase';
import { tablesFromEnv, type MarketplaceTables } from './catalog-store';

export type ReservationResult =
  | { status: 'committed' }
  /** The purchase already has a guard, read consistently: it was reserved (or released) before. */
  | { status: 'served'; first: PurchaseGuard }
  /** Another transaction held the product or the record, or DynamoDB throttled; nothing was written. */
  | { status: 'contention' }
  /** The product refused: gone, inactive, too little stock, or a new price. `product` is how it was. */
  | { status: 'refused'; product: Product | undefined };

export type ReleaseResult = { status: 'committed' } | { status: 'changed' } | { status: 'contention' };

export type ConfirmResult = { status: 'confirmed'; record: PurchaseRecord } | { status: 'refused'; record: PurchaseRecord | undefined };

export class PurchaseStore {
  /** Each purchase's guard: the first writer (a reservation, or a release that found none) fixes it. */
  private readonly guards: OutcomeStore<PurchaseGuard>;

  constructor(
    private readonly tables: MarketplaceTables = tablesFromEnv(),
    private readonly db: DynamoDBDocumentClient = dynamoDocumentClient(),
  ) {
    this.guards = new OutcomeStore({ name: tables.purchases, key: ['user_id', 'sk'] }, db);
  }

  async getPurchase(userId: string, sk: string): Promise<PurchaseRecord | undefined> {
    const result = await this.db.send(new GetCommand({ TableName: this.tables.purchases, Key: { user_id: userId, sk }, ConsistentRead: true }));
    return result.Item as PurchaseRecord | undefined;
  }

  async getGuard(userId: string, purchaseId: string): Promise<PurchaseGuard | undefined> {
    return this.guards.get({ user_id: userId, sk: guardSortKey(purchaseId) });
  }

  async getProduct(productId: string, retailerId: string): Promise<Product | undefined> {
    const result = await this.db.send(new GetCommand({ TableName: this.tables.products, Key: { product_id: productId, retailer_id: retailerId }, ConsistentRead: true }));
    return result.Item as Product | undefined;
  }

  async getRetailer(retailerId: string): Promise<Retailer | undefined> {
    const result = await this.db.send(new GetCommand({ TableName: this.tables.retailers, Key: { retailer_id: retailerId } }));
    return result.Item as Retailer | undefined;
  }

  /**
   * Takes `record.quantity` units at `record.unit_price` and writes the `reserved` record and its
   * guard, together or not at all. The record's key is the purchase's too (its start and id), so
   * only a purchase reserved before could have put either.
   */
  async commitReservation(record: PurchaseRecord & { status: 'reserved' }): Promise<ReservationResult> {
    const result = await this.guards.commit(
      guardFor(record, record.reserved_at ?? ''),
      [
        {
          role: 'product',
          item: this.stockChange(record, '-', record.reserved_at ?? '', {
            condition: 'attribute_exists(product_id) AND #status = :active AND #stock >= :quantity AND price = :price',
            names: { '#status': 'status' },
            values: { ':active': 'active', ':price': record.unit_price },
          }),
        },
        { role: 'outcome', item: { Put: { TableName: this.tables.purchases, Item: record, ConditionExpression: 'attribute_not_exists(sk)' } } },
      ],
      'a reservation',
    );
    return result.status === 'refused' ? { status: 'refused', product: result.failed.product?.item as Product | undefined } : result;
  }

  /** Writes a `released` guard where there is none; false when a reservation's guard appeared first. */
  async putReleasedGuard(guard: PurchaseGuard): Promise<boolean> {
    return this.guards.putIfAbsent(guard);
  }

  /** Gives back the record's units and marks it `released`, if it is still `from`. */
  async commitRelease(record: PurchaseRecord, from: Exclude<PurchaseStatus, 'released'>, at: string): Promise<ReleaseResult> {
    const result = await transact(
      this.db,
      [
        {
          role: 'record',
          item: {
            Update: {
              TableName: this.tables.purchases,
              Key: { user_id: record.user_id, sk: record.sk },
              UpdateExpression: 'SET #status = :released, released_at = :at, released_quantity = :quantity',
              ConditionExpression: '#status = :from',
              ExpressionAttributeNames: { '#status': 'status' },
              ExpressionAttributeValues: { ':released': 'released', ':from': from, ':at': at, ':quantity': record.quantity },
            },
          },
        },
        // A product that is gone explains nothing the release can act on: an unexpected cancellation.
        { role: undefined, item: this.stockChange(record, '+', at, { condition: 'attribute_exists(product_id)' }) },
      ],
      'a release',
    );
    // No item of a release is an outcome, so none reads as served; the record moved on if anything did.
    return result.status === 'refused' || result.status === 'served' ? { status: 'changed' } : result;
  }

  /** The product's stock down (`-`, a reservation) or up (`+`, a release) by the purchase's units, if `guard` holds; the product as it was when it did not. */
  private stockChange(record: PurchaseRecord, sign: '-' | '+', at: string, guard: { condition: string; names?: Record<string, string>; values?: Record<string, unknown> }): TransactItem {
    return {
      Update: {
        TableName: this.tables.products,
        Key: { product_id: record.product_id, retailer_id: record.retailer_id },
        UpdateExpression: `SET #stock = #stock ${sign} :quantity, updated_at = :at`,
        ConditionExpression: guard.condition,
        ExpressionAttributeNames: { '#stock': 'stock', ...guard.names },
        ExpressionAttributeValues: { ':quantity': record.quantity, ':at': at, ...guard.values },
        ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
      },
    };
  }

  /** Marks a `reserved` record `confirmed` with its charge; otherwise returns the record as it is. */
  async confirm(userId: string, sk: string, transactionId: string, at: string): Promise<ConfirmResult> {
    try {
      const result = await this.db.send(
        new UpdateCommand({
          TableName: this.tables.purchases,
          Key: { user_id: userId, sk },
          UpdateExpression: 'SET #status = :confirmed, transaction_id = :transaction, confirmed_at = :at',
          ConditionExpression: '#status = :reserved',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: { ':confirmed': 'confirmed', ':reserved': 'reserved', ':transaction': transactionId, ':at': at },
          ReturnValues: 'ALL_NEW',
        }),
      );
      return { status: 'confirmed', record: result.Attributes as PurchaseRecord };
    } catch (error) {
      if ((error as Error).name !== 'ConditionalCheckFailedException') throw error;
      // The record only ever moves forward, so reading it after the refusal explains it.
      return { status: 'refused', record: await this.getPurchase(userId, sk) };
    }
  }
}
