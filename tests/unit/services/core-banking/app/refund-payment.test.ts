import { TransientError } from '@centli/pure/errors';
import type { RefundResult } from '../../../../../services/core-banking/src/adapters/payment-store';
import { planCharge, refundTransactionId, type PaymentRecord, type RefundPlan } from '../../../../../services/core-banking/src/domain/payment';
import { refundPayment, RefundBlockedError, type RefundDeps } from '../../../../../services/core-banking/src/app/refund-payment';

const input = { purchase_id: 'pur_1', correlation_id: 'corr-1', user_id: 'user-ana' };
const charged = planCharge(
  { ...input, request_id: 'req-1', account_id: 'acc-ana', settlement_account_id: 'acc-ret-1', amount: 1_499_900, currency: 'MXN', description: 'Compra: Laptop' },
  'payment#user-ana#pur_1',
  'ret-1',
  new Date('2026-11-22T16:00:00Z'),
).record;

function deps(stored: (PaymentRecord | undefined)[], results: RefundResult[] = [], voids: boolean[] = []) {
  const payments = {
    getPayment: jest.fn(async () => stored.shift()),
    commitRefund: jest.fn(async (_plan: RefundPlan) => results.shift() ?? { status: 'committed' as const }),
    putVoid: jest.fn(async (_record: PaymentRecord) => voids.shift() ?? true),
  };
  const d: RefundDeps = { payments, now: () => new Date('2026-11-22T16:00:05Z'), sleep: async () => undefined };
  return { d, payments };
}

describe('refundPayment', () => {
  it('refunds exactly what was charged', async () => {
    const { d, payments } = deps([charged]);

    await expect(refundPayment(input, d)).resolves.toEqual({ purchase_id: 'pur_1', refunded_amount: 1_499_900, transaction_id: refundTransactionId('user-ana', 'pur_1') });
    expect(payments.commitRefund).toHaveBeenCalledWith(expect.objectContaining({ record: charged }));
  });

  it('voids a payment that was never charged, so a late charge is refused', async () => {
    const { d, payments } = deps([undefined]);

    await expect(refundPayment(input, d)).resolves.toEqual({ purchase_id: 'pur_1', refunded_amount: 0 });
    expect(payments.putVoid).toHaveBeenCalledWith(expect.objectContaining({ pk: 'payment#user-ana#pur_1', status: 'voided' }));
  });

  it('refunds a charge that landed while it was voiding', async () => {
    const { d, payments } = deps([undefined, charged], [], [false]);

    await expect(refundPayment(input, d)).resolves.toMatchObject({ refunded_amount: 1_499_900 });
    expect(payments.commitRefund).toHaveBeenCalledTimes(1);
  });

  it.each([
    ['refunded', { ...charged, status: 'refunded' as const, refund_transaction_id: 'txn_r' }, { refunded_amount: 1_499_900, transaction_id: 'txn_r' }],
    ['voided', { pk: 'p', status: 'voided' as const, purchase_id: 'pur_1', user_id: 'user-ana', created_at: 'x' }, { refunded_amount: 0 }],
  ])('answers a repeat on a %s payment without moving money', async (_, record, expected) => {
    const { d, payments } = deps([record]);

    await expect(refundPayment(input, d)).resolves.toEqual({ purchase_id: 'pur_1', ...expected });
    expect(payments.commitRefund).not.toHaveBeenCalled();
  });

  it('fails (for the state to retry) while the settlement account cannot give the money back', async () => {
    const { d } = deps([charged], [{ status: 'refused', reason: 'settlement account acc-ret-1 does not hold 1499900' }]);

    await expect(refundPayment(input, d)).rejects.toThrow(RefundBlockedError);
  });

  it('reads again when the payment changed under it, and gives up with TransientError after ten tries', async () => {
    const { d } = deps(
      Array.from({ length: 10 }, () => charged),
      Array.from({ length: 10 }, () => ({ status: 'changed' as const })),
    );

    await expect(refundPayment(input, d)).rejects.toThrow(TransientError);
  });
});
