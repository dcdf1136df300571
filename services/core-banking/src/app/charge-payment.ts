/**
 * Purchase saga, ChargePayment: debits the customer's account and credits the retailer's
 * settlement account, one ledger transaction, once per purchase. A retry finds the payment
 * record and answers the charge that stands; nothing moves twice.
 */
import { retryOnContention } from '@centli/pure/contention';
import { ContentionError } from '@centli/pure/errors';
import { type TaskInputOf, type TaskOutputOf } from '@centli/schemas';
import { outcomeKey } from '@centli/pure/outcome';
import type { LedgerStore } from '../adapters/ledger-store';
import type { PaymentStore } from '../adapters/payment-store';
import {
  explainChargeRefusal,
  isSettled,
  planCharge,
  type PaymentRecord,
} from '../domain/payment';
import { SettlementAccountUnavailableError } from '../errors';

export interface ChargeDeps {
  ledger: Pick<LedgerStore, 'findAccountOwner'>;
  payments: Pick<PaymentStore, 'getPayment' | 'commitCharge'>;
  now: () => Date;
  /** The MTU of a customer who set none (the stage's 1,500 UDIs); MXN 12,750.00 unless said. */
  defaultMtu?: number;
  sleep?: (ms: number) => Promise<void>;
}

/** The purchase's payment was refunded or voided: only a late, superseded charge attempt gets here. */
export class PaymentClosedError extends Error {
  constructor(purchaseId: string, status: string) {
    super(`the payment of purchase ${purchaseId} is ${status}; it cannot be charged`);
    this.name = 'PaymentClosedError';
  }
}

function answer(record: PaymentRecord): TaskOutputOf<'charge-payment'> {
  if (record.status !== 'charged' || !isSettled(record)) throw new PaymentClosedError(record.purchase_id, record.status);
  return { purchase_id: record.purchase_id, transaction_id: record.transaction_id, amount: record.amount, currency: record.currency };
}

export async function chargePayment(request: TaskInputOf<'charge-payment'>, deps: ChargeDeps): Promise<TaskOutputOf<'charge-payment'>> {
  const pk = outcomeKey('payment', request.user_id, request.purchase_id);
  const existing = await deps.payments.getPayment(pk);
  if (existing) return answer(existing);
  const owner = await deps.ledger.findAccountOwner(request.settlement_account_id);
  if (!owner) throw new SettlementAccountUnavailableError(request.settlement_account_id, 'does not exist');
  return retryOnContention(
    async () => {
      const plan = planCharge(request, pk, owner, deps.now(), deps.defaultMtu);
      const result = await deps.payments.commitCharge(plan);
      switch (result.status) {
        case 'committed':
          return answer(plan.record);
        case 'served':
          return answer(result.first);
        case 'contention':
          throw new ContentionError();
        case 'refused':
          throw explainChargeRefusal(request, result.refusal, deps.defaultMtu);
      }
    },
    { what: 'the accounts', sleep: deps.sleep },
  );
}
