/**
 * The purchase saga's Marketplace writes, each guarded so that a retried or duplicated task
 * changes nothing twice (see domain/purchase.ts for the record and its guard):
 * - reserve: decrement the stock (only while it suffices and the price is the one quoted) and
 *   create the `reserved` record and its guard, in one transaction, only if there is no guard;
 * - release: give the stock back and mark the record `released` (only from the status read),
 *   or write a `released` guard where there was none, so no late reservation can land;
 * - confirm: mark the record `confirmed` with the charge (only from `reserved`).
 */
import { TransactionCanceledException, type CancellationReason } from '@aws-sdk/client-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import { GetCommand, PutCommand, TransactWriteCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { dynamoDocumentClient } from '@centli/kit/aws';
import { cancelledByContention } from '@centli/pure/cancellation';
import type { Product, Retailer } from '../domain/product';
import { guardFor, guardSortKey, type PurchaseGuard, type PurchaseRecord, type PurchaseStatus } from '../domain/purchase';
import { tablesFromEnv, type MarketplaceTables } from './catalog-store';

export type ReservationResult =
  | { status: 'committed' }
  /** The purchase already has a guard: it was reserved (or released) before. */
  | { status: 'duplicate' }
  /** Another transaction held the product or the record; nothing was written. */
  | { status: 'conflict' }
  /** The product refused: gone, inactive, too little stock, or a new price. `product` is how it was. */
  | { status: 'refused'; product: Product | undefined };

export type ReleaseResult = { status: 'committed' } | { status: 'changed' } | { status: 'conflict' };

export type ConfirmResult = { status: 'confirmed'; record: PurchaseRecord } | { status: 'refused'; record: PurchaseRecord | undefined };

export class PurchaseStore {
  constructor(
    private readonly tables: MarketplaceTables = tablesFromEnv(),
    private readonly db: DynamoDBDocumentClient = dynamoDocumentClient(),
  ) {}

  async getPurchase(userId: string, sk: string): Promise<PurchaseRecord | undefined> {
    const result = await this.db.send(new GetCommand({ TableName: this.tables.purchases, Key: { user_id: userId, sk }, ConsistentRead: true }));
    return result.Item as PurchaseRecord | undefined;
  }

  async getGuard(userId: string, purchaseId: string): Promise<PurchaseGuard | undefined> {
    const result = await this.db.send(new GetCommand({ TableName: this.tables.purchases, Key: { user_id: userId, sk: guardSortKey(purchaseId) }, ConsistentRead: true }));
    return result.Item as PurchaseGuard | undefined;
  }

  async getProduct(productId: string, retailerId: string): Promise<Product | undefined> {
    const result = await this.db.send(new GetCommand({ TableName: this.tables.products, Key: { product_id: productId, retailer_id: retailerId }, ConsistentRead: true }));
    return result.Item as Product | undefined;
  }

  async getRetailer(retailerId: string): Promise<Retailer | undefined> {
    const result = await this.db.send(new GetCommand({ TableName: this.tables.retailers, Key: { retailer_id: retailerId } }));
    return result.Item as Retailer | undefined;
  }

  /** Takes `record.quantity` units at `record.unit_price` and writes the `reserved` record and its guard, together or not at all. */
  async commitReservation(record: PurchaseRecord & { status: 'reserved' }): Promise<ReservationResult> {
    try {
      await this.db.send(
        new TransactWriteCommand({
          TransactItems: [
            {
              Update: {
                TableName: this.tables.products,
                Key: { product_id: record.product_id, retailer_id: record.retailer_id },
                UpdateExpression: 'SET #stock = #stock - :quantity, updated_at = :at',
                ConditionExpression: 'attribute_exists(product_id) AND #status = :active AND #stock >= :quantity AND price = :price',
                ExpressionAttributeNames: { '#stock': 'stock', '#status': 'status' },
                ExpressionAttributeValues: { ':quantity': record.quantity, ':active': 'active', ':price': record.unit_price, ':at': record.reserved_at },
                ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
              },
            },
            { Put: { TableName: this.tables.purchases, Item: record, ConditionExpression: 'attribute_not_exists(sk)' } },
            { Put: { TableName: this.tables.purchases, Item: guardFor(record, record.reserved_at ?? ''), ConditionExpression: 'attribute_not_exists(sk)' } },
          ],
        }),
      );
      return { status: 'committed' };
    } catch (error) {
      if (!(error instanceof TransactionCanceledException)) throw error;
      const reasons = error.CancellationReasons ?? [];
      if (cancelledByContention(reasons)) return { status: 'conflict' };
      if (failed(reasons, 1) || failed(reasons, 2)) return { status: 'duplicate' };
      if (failed(reasons, 0)) return { status: 'refused', product: itemOf(reasons, 0) as Product | undefined };
      throw new Error(`reservation cancelled for an unexpected reason: ${reasons.map((r) => r.Code).join(', ')}`, { cause: error });
    }
  }

  /** Writes a `released` guard where there is none; false when a reservation's guard appeared first. */
  async putReleasedGuard(guard: PurchaseGuard): Promise<boolean> {
    try {
      await this.db.send(new PutCommand({ TableName: this.tables.purchases, Item: guard, ConditionExpression: 'attribute_not_exists(sk)' }));
      return true;
    } catch (error) {
      if ((error as Error).name === 'ConditionalCheckFailedException') return false;
      throw error;
    }
  }

  /** Gives back the record's units and marks it `released`, if it is still `from`. */
  async commitRelease(record: PurchaseRecord, from: Exclude<PurchaseStatus, 'released'>, at: string): Promise<ReleaseResult> {
    try {
      await this.db.send(
        new TransactWriteCommand({
          TransactItems: [
            {
              Update: {
                TableName: this.tables.purchases,
                Key: { user_id: record.user_id, sk: record.sk },
                UpdateExpression: 'SET #status = :released, released_at = :at, released_quantity = :quantity',
                ConditionExpression: '#status = :from',
                ExpressionAttributeNames: { '#status': 'status' },
                ExpressionAttributeValues: { ':released': 'released', ':from': from, ':at': at, ':quantity': record.quantity },
              },
            },
            {
              Update: {
                TableName: this.tables.products,
                Key: { product_id: record.product_id, retailer_id: record.retailer_id },
                UpdateExpression: 'SET #stock = #stock + :quantity, updated_at = :at',
                ConditionExpression: 'attribute_exists(product_id)',
                ExpressionAttributeNames: { '#stock': 'stock' },
                ExpressionAttributeValues: { ':quantity': record.quantity, ':at': at },
              },
            },
          ],
        }),
      );
      return { status: 'committed' };
    } catch (error) {
      if (!(error instanceof TransactionCanceledException)) throw error;
      const reasons = error.CancellationReasons ?? [];
      if (cancelledByContention(reasons)) return { status: 'conflict' };
      if (failed(reasons, 0)) return { status: 'changed' };
      throw new Error(`release cancelled for an unexpected reason: ${reasons.map((r) => r.Code).join(', ')}`, { cause: error });
    }
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

function failed(reasons: readonly CancellationReason[], index: number): boolean {
  return reasons[index]?.Code === 'ConditionalCheckFailed';
}

function itemOf(reasons: readonly CancellationReason[], index: number): Record<string, unknown> | undefined {
  const raw = reasons[index]?.Item;
  return raw ? (unmarshall(raw) as Record<string, unknown>) : undefined;
}
