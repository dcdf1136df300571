/**
 * Purchase payments in DynamoDB, each one TransactWriteItems on the same tables as transfers
 * (accounts, transactions, ledger controls), so the ledger stays one double-entry book:
 * - charge: debit the customer (owned by them, active, same currency, enough funds), credit the
 *   settlement account (exists, active, same currency), both entries, and the payment record
 *   (first writer wins): the same guarded double entry as a transfer (`movementItems`);
 * - refund: move the charged amount back and mark the record `refunded` (only from `charged`);
 * - void: where no charge exists, a `voided` record that no charge can overwrite.
 */
import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { GetCommand, PutCommand, TransactWriteCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { dynamoDocumentClient } from '@centli/kit/aws';
import { cancelledByContention } from '@centli/pure/cancellation';
import type { ChargePlan, PaymentRecord, RefundPlan } from '../domain/payment';
import { commitMovement, forgetMissingDestination, movementItems, tablesFromEnv, type CommitResult, type LedgerTables } from './ledger-store';
import { ownerCacheFor, type OwnerCache } from './owner-cache';

export type RefundResult = { status: 'committed' } | { status: 'changed' } | { status: 'conflict' } | { status: 'refused'; reason: string };

export class PaymentStore {
  constructor(
    private readonly tables: LedgerTables = tablesFromEnv(),
    private readonly db: DynamoDBDocumentClient = dynamoDocumentClient(),
    /** The owners `LedgerStore.findAccountOwner` remembers for this accounts table (the settlement account's among them). */
    private readonly owners: OwnerCache = ownerCacheFor(tables.accounts),
  ) {}

  async getPayment(pk: string): Promise<PaymentRecord | undefined> {
    const result = await this.db.send(new GetCommand({ TableName: this.tables.controls, Key: { pk }, ConsistentRead: true }));
    return result.Item as PaymentRecord | undefined;
  }

  /** The charge: the guarded double entry from the customer to the settlement account, and the payment record. */
  async commitCharge(plan: ChargePlan): Promise<CommitResult> {
    const { request } = plan;
    const result = await commitMovement(
      this.db,
      movementItems(this.tables, {
        from: { user_id: request.user_id, account_id: request.account_id },
        to: { user_id: plan.settlementOwner, account_id: request.settlement_account_id },
        amount: request.amount,
        currency: request.currency,
        at: plan.at,
        entries: plan.entries,
        record: plan.record,
      }),
    );
    forgetMissingDestination(this.owners, result, request.settlement_account_id);
    return result;
  }

  /** Moves the charged amount back, once: the record must still be `charged`, the settlement account hold the amount. */
  async commitRefund(plan: RefundPlan): Promise<RefundResult> {
    const { record } = plan;
    const [debit, credit] = plan.entries;
    try {
      await this.db.send(
        new TransactWriteCommand({
          TransactItems: [
            {
              Update: {
                TableName: this.tables.controls,
                Key: { pk: record.pk },
                UpdateExpression: 'SET #status = :refunded, refund_transaction_id = :transaction, refunded_at = :at',
                ConditionExpression: '#status = :charged',
                ExpressionAttributeNames: { '#status': 'status' },
                ExpressionAttributeValues: { ':refunded': 'refunded', ':charged': 'charged', ':transaction': plan.transactionId, ':at': plan.at },
              },
            },
            {
              Update: {
                TableName: this.tables.accounts,
                Key: { user_id: record.settlement_owner, account_id: record.settlement_account_id },
                UpdateExpression: 'SET balance = balance - :amount, updated_at = :at',
                ConditionExpression: 'attribute_exists(user_id) AND balance >= :amount',
                ExpressionAttributeValues: { ':amount': record.amount, ':at': plan.at },
              },
            },
            {
              // Money goes back whatever the account's status: it is the customer's.
              Update: {
                TableName: this.tables.accounts,
                Key: { user_id: record.user_id, account_id: record.account_id },
                UpdateExpression: 'SET balance = balance + :amount, updated_at = :at',
                ConditionExpression: 'attribute_exists(user_id)',
                ExpressionAttributeValues: { ':amount': record.amount, ':at': plan.at },
              },
            },
            { Put: { TableName: this.tables.transactions, Item: debit, ConditionExpression: 'attribute_not_exists(account_id)' } },
            { Put: { TableName: this.tables.transactions, Item: credit, ConditionExpression: 'attribute_not_exists(account_id)' } },
          ],
        }),
      );
      return { status: 'committed' };
    } catch (error) {
      if (!(error instanceof TransactionCanceledException)) throw error;
      const reasons = error.CancellationReasons ?? [];
      if (cancelledByContention(reasons)) return { status: 'conflict' };
      if (reasons[0]?.Code === 'ConditionalCheckFailed') return { status: 'changed' };
      if (reasons[1]?.Code === 'ConditionalCheckFailed') return { status: 'refused', reason: `settlement account ${record.settlement_account_id} does not hold ${record.amount}` };
      if (reasons[2]?.Code === 'ConditionalCheckFailed') return { status: 'refused', reason: `account ${record.account_id} no longer exists` };
      throw new Error(`refund cancelled for an unexpected reason: ${reasons.map((r) => r.Code).join(', ')}`, { cause: error });
    }
  }

  /** Writes a `voided` record where there is none; false when a payment record appeared first. */
  async putVoid(record: PaymentRecord): Promise<boolean> {
    try {
      await this.db.send(new PutCommand({ TableName: this.tables.controls, Item: record, ConditionExpression: 'attribute_not_exists(pk)' }));
      return true;
    } catch (error) {
      if ((error as Error).name === 'ConditionalCheckFailedException') return false;
      throw error;
    }
  }
}
