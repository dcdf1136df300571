/**
 * Purchase saga compensation, RefundPayment: refunds exactly what the purchase was charged, once,
 * whatever amount the caller thinks it was. Where there was no charge it voids the payment, so a
 * charge that arrives late (a timed-out attempt finishing after all) is refused. Repeating it
 * changes nothing.
 */
import { retryOnContention } from '@centli/pure/contention';
import { ContentionError } from '@centli/pure/errors';
import { type TaskInputOf, type TaskOutputOf } from '@centli/schemas';
import { outcomeKey } from '@centli/pure/outcome';
import type { PaymentStore } from '../adapters/payment-store';
import { isSettled, planRefund, voidRecord } from '../domain/payment';

export interface RefundDeps {
  payments: Pick<PaymentStore, 'getPayment' | 'commitRefund' | 'putVoid'>;
  now: () => Date;
  sleep?: (ms: number) => Promise<void>;
}

/** The refund cannot be written as things are (the settlement account lacks the amount); the state retries it. */
export class RefundBlockedError extends Error {
  constructor(reason: string) {
    super(reason);
    this.name = 'RefundBlockedError';
  }
}

export async function refundPayment(request: TaskInputOf<'refund-payment'>, deps: RefundDeps): Promise<TaskOutputOf<'refund-payment'>> {
  const pk = outcomeKey('payment', request.user_id, request.purchase_id);
  const purchaseId = request.purchase_id;
  return retryOnContention(
    async () => {
      const record = await deps.payments.getPayment(pk);
      if (!record) {
        if (await deps.payments.putVoid(voidRecord(pk, purchaseId, request.user_id, deps.now()))) return { purchase_id: purchaseId, refunded_amount: 0 };
        throw new ContentionError();
      }
      if (record.status === 'voided') return { purchase_id: purchaseId, refunded_amount: 0 };
      if (!isSettled(record)) throw new Error(`payment ${pk} is ${record.status} but incomplete`);
      if (record.status === 'refunded') {
        return { purchase_id: purchaseId, refunded_amount: record.amount, ...(record.refund_transaction_id ? { transaction_id: record.refund_transaction_id } : {}) };
      }
      const plan = planRefund(record, deps.now());
      const result = await deps.payments.commitRefund(plan);
      switch (result.status) {
        case 'committed':
          return { purchase_id: purchaseId, refunded_amount: record.amount, transaction_id: plan.transactionId };
        case 'refused':
          throw new RefundBlockedError(result.reason);
        case 'changed':
        case 'contention':
          throw new ContentionError();
      }
    },
    { what: 'the payment', sleep: deps.sleep },
  );
}
