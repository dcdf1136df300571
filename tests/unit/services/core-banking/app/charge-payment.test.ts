import { TransientError } from '@centli/pure/errors';
import type { CommitResult } from '../../../../../services/core-banking/src/adapters/ledger-store';
import { planCharge, type ChargePlan, type PaymentRecord } from '../../../../../services/core-banking/src/domain/payment';
import { PaymentInsufficientFundsError, SettlementAccountUnavailableError } from '../../../../../services/core-banking/src/errors';
import { chargePayment, PaymentClosedError, type ChargeDeps } from '../../../../../services/core-banking/src/app/charge-payment';
import { chargeRequest } from '../fixtures';

const request = chargeRequest;
const now = new Date('2026-11-22T16:00:00Z');
const charged = planCharge(request, 'payment#user-ana#pur_1', 'ret-1', now).record;

function deps(results: CommitResult<PaymentRecord>[], stored: (PaymentRecord | undefined)[] = [undefined], owner: string | null = 'ret-1') {
  const payments = {
    getPayment: jest.fn(async () => stored.shift()),
    commitCharge: jest.fn(async (_plan: ChargePlan) => results.shift() ?? { status: 'committed' as const }),
  };
  const ledger = { findAccountOwner: jest.fn(async () => owner ?? undefined) };
  const d: ChargeDeps = { ledger, payments, now: () => now, sleep: async () => undefined };
  return { d, payments };
}

describe('chargePayment', () => {
  it('charges once and answers the charge', async () => {
    const { d, payments } = deps([{ status: 'committed' }]);

    await expect(chargePayment(request, d)).resolves.toEqual({ purchase_id: 'pur_1', transaction_id: charged.transaction_id, amount: 1_499_900, currency: 'MXN' });
    expect(payments.commitCharge).toHaveBeenCalledWith(expect.objectContaining({ settlementOwner: 'ret-1', record: expect.objectContaining({ pk: 'payment#user-ana#pur_1' }) as unknown }));
  });

  it('answers a retry with the charge that stands, moving nothing', async () => {
    const { d, payments } = deps([], [charged]);

    await expect(chargePayment(request, d)).resolves.toMatchObject({ transaction_id: charged.transaction_id });
    expect(payments.commitCharge).not.toHaveBeenCalled();
  });

  it('answers a concurrent duplicate with the charge that won', async () => {
    const { d } = deps([{ status: 'served', first: charged }]);

    await expect(chargePayment(request, d)).resolves.toMatchObject({ transaction_id: charged.transaction_id });
  });

  it.each([
    ['voided', { ...charged, status: 'voided' as const }],
    ['refunded', { ...charged, status: 'refunded' as const }],
  ])('refuses to charge a payment that was %s', async (_, record) => {
    const { d } = deps([], [record]);

    await expect(chargePayment(request, d)).rejects.toThrow(PaymentClosedError);
  });

  it('explains a refusal from the account as it was', async () => {
    const { d } = deps([{ status: 'refused', refusal: { source: { found: true, item: { user_id: 'user-ana', account_id: 'acc-ana', balance: 5, currency: 'MXN', status: 'active' } } } }]);

    await expect(chargePayment(request, d)).rejects.toThrow(PaymentInsufficientFundsError);
  });

  it('refuses a settlement account that does not exist, without a transaction', async () => {
    const { d, payments } = deps([], [undefined], null);

    await expect(chargePayment(request, d)).rejects.toThrow(SettlementAccountUnavailableError);
    expect(payments.commitCharge).not.toHaveBeenCalled();
  });

  it('retries conflicts, then gives up with TransientError', async () => {
    const { d, payments } = deps(Array.from({ length: 10 }, () => ({ status: 'contention' as const })));

    await expect(chargePayment(request, d)).rejects.toThrow(TransientError);
    expect(payments.commitCharge).toHaveBeenCalledTimes(10);
  });
});
