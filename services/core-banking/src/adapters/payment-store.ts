/**
 * Purchase payments in DynamoDB, each one TransactWriteItems on the same tables as transfers
 * (accounts, transactions, ledger controls), so the ledger stays one double-entry book:
 * - charge: the same guarded double entry as a transfer (`movementSteps`), from the customer to
 *   the settlement account, the customer's MTU checked as a transfer's is (`mtuStep`), with the
 *   payment record as its outcome (first writer wins);
 * - refund: move the charged amount back and mark the record `refunded` (only from `charged`);
 * - void: where no charge exists, a `voided` record that no charge can overwrite.
 */
import { transact } from '@centli/kit/outcome-store';
import type { ChargePlan, PaymentRecord, RefundPlan } from '../domain/payment';
import { balanceChange, entrySteps, LedgerAdapter, mtuStep, type CommitResult } from './ledger-store';

export type RefundResult = { status: 'committed' } | { status: 'changed' } | { status: 'contention' } | { status: 'refused'; reason: string };

export class PaymentStore extends LedgerAdapter {
  private readonly payments = this.controlRecords<PaymentRecord>();

  async getPayment(pk: string): Promise<PaymentRecord | undefined> {
    return this.payments.get({ pk });
  }

  /** The charge: the guarded double entry from the customer to the settlement account, and the payment record. */
  async commitCharge(plan: ChargePlan): Promise<CommitResult<PaymentRecord>> {
    const { request } = plan;
    const from = { user_id: request.user_id, account_id: request.account_id };
    const to = { user_id: plan.settlementOwner, account_id: request.settlement_account_id };
    return this.commitMovement(this.payments, plan.record, { from, to, amount: request.amount, currency: request.currency, at: plan.at, entries: plan.entries }, plan.mtu ? [mtuStep(this.tables, plan.mtu)] : [], 'a charge');
  }

  /** Moves the charged amount back, once: the record must still be `charged`, the settlement account hold the amount. */
  async commitRefund(plan: RefundPlan): Promise<RefundResult> {
    const { record, at } = plan;
    const result = await transact(
      this.db,
      [
        {
          role: 'payment',
          item: {
            Update: {
              TableName: this.tables.controls,
              Key: { pk: record.pk },
              UpdateExpression: 'SET #status = :refunded, refund_transaction_id = :transaction, refunded_at = :at',
              ConditionExpression: '#status = :charged',
              ExpressionAttributeNames: { '#status': 'status' },
              ExpressionAttributeValues: { ':refunded': 'refunded', ':charged': 'charged', ':transaction': plan.transactionId, ':at': at },
            },
          },
        },
        { role: 'settlement', item: balanceChange(this.tables.accounts, { user_id: record.settlement_owner, account_id: record.settlement_account_id }, '-', record.amount, at, { condition: 'attribute_exists(user_id) AND balance >= :amount' }) },
        // Money goes back whatever the account's status: it is the customer's.
        { role: 'account', item: balanceChange(this.tables.accounts, { user_id: record.user_id, account_id: record.account_id }, '+', record.amount, at, { condition: 'attribute_exists(user_id)' }) },
        ...entrySteps(this.tables, plan.entries),
      ],
      'a refund',
    );
    if (result.status === 'committed' || result.status === 'contention') return result;
    // No item of a refund is an outcome, so none reads as served; the record moved on if anything did.
    if (result.status === 'served' || result.failed.payment) return { status: 'changed' };
    if (result.failed.settlement) return { status: 'refused', reason: `settlement account ${record.settlement_account_id} does not hold ${record.amount}` };
    return { status: 'refused', reason: `account ${record.account_id} no longer exists` };
  }

  /** Writes a `voided` record where there is none; false when a payment record appeared first. */
  async putVoid(record: PaymentRecord): Promise<boolean> {
    return this.payments.putIfAbsent(record);
  }
}
