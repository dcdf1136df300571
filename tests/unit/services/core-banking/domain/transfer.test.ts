import fc from 'fast-check';
import { requestFingerprint } from '@centli/pure/canonical';
import type { Account } from '../../../../../services/core-banking/src/domain/account';
import {
  checkTransferRequest,
  explainRefusal,
  planTransfer,
  StaleRefusalError,
  transactionIdFor,
} from '../../../../../services/core-banking/src/domain/transfer';
import { limits, transferRequest } from '../fixtures';

const request = transferRequest;
const account = (overrides: Partial<Account> = {}): Account => ({
  user_id: 'user-ana',
  account_id: 'acc-ana-nomina-4821',
  balance: 50_000,
  currency: 'MXN',
  status: 'active',
  ...overrides,
});

describe('checkTransferRequest', () => {
  it('accepts a transfer within the limits', () => {
    expect(() => checkTransferRequest(request, limits)).not.toThrow();
  });

  it.each([
    ['the same source and destination', { to_account_id: 'acc-ana-nomina-4821' }, 'TRANSFER.SAME_ACCOUNT'],
    ['a zero amount', { amount: 0 }, 'TRANSFER.INVALID_AMOUNT'],
    ['a negative amount', { amount: -5 }, 'TRANSFER.INVALID_AMOUNT'],
    ['a fractional amount', { amount: 10.5 }, 'TRANSFER.INVALID_AMOUNT'],
    ['an amount over the per-transfer limit', { amount: 5_000_001 }, 'TRANSFER.AMOUNT_OVER_LIMIT'],
    ['an amount over the daily limit by itself', { amount: 10_000_001 }, 'TRANSFER.AMOUNT_OVER_LIMIT'],
  ])('refuses %s', (_, overrides, code) => {
    expect(() => checkTransferRequest({ ...request, ...overrides }, limits)).toThrow(expect.objectContaining({ code }));
  });

  it('refuses an amount over the daily limit when the per-transfer limit is higher', () => {
    expect(() => checkTransferRequest({ ...request, amount: 200 }, { ...limits, maxAmount: 1_000, dailyLimit: 100 })).toThrow(
      expect.objectContaining({ code: 'TRANSFER.DAILY_LIMIT_EXCEEDED' }),
    );
  });
});

describe('transactionIdFor', () => {
  it('is the same for every retry of one request and differs between customers', () => {
    expect(transactionIdFor(request)).toBe(transactionIdFor({ ...request }));
    expect(transactionIdFor(request)).not.toBe(transactionIdFor({ ...request, user_id: 'user-luis' }));
    expect(transactionIdFor(request)).toMatch(/^txn_[A-Za-z0-9_-]{24}$/);
  });
});

describe('planTransfer', () => {
  it('writes one debit and one credit of the same amount, each under its owner', () => {
    const plan = planTransfer(request, 'user-carlos', limits, new Date('2026-11-22T16:00:00Z'));
    const [debit, credit] = plan.entries;
    expect(debit).toMatchObject({ account_id: 'acc-ana-nomina-4821', user_id: 'user-ana', direction: 'debit', amount: 10_000, counterparty_account_id: 'acc-carlos-nomina-3954' });
    expect(credit).toMatchObject({ account_id: 'acc-carlos-nomina-3954', user_id: 'user-carlos', direction: 'credit', amount: 10_000, counterparty_account_id: 'acc-ana-nomina-4821' });
    expect(debit.sk).toBe(`2026-11-22T16:00:00.000Z#${plan.transactionId}`);
    expect(plan.completed.detail).toMatchObject({ transaction_id: plan.transactionId, formatted_amount: '$100.00 MXN' });
    expect(plan.day).toBe('2026-11-22');
    expect(plan.dailyRoom).toBe(limits.dailyLimit - 10_000);
  });

  it('keeps the request’s fingerprint, computing it unless the caller already has', () => {
    const at = new Date('2026-11-22T16:00:00Z');

    const computed = planTransfer(request, 'user-carlos', limits, at).requestHash;
    const given = planTransfer(request, 'user-carlos', limits, at, computed).requestHash;

    expect(computed).toBe(requestFingerprint(request as unknown as Record<string, unknown>));
    expect(given).toBe(computed);
    expect(planTransfer({ ...request, amount: 10_001 }, 'user-carlos', limits, at).requestHash).not.toBe(computed);
  });
});

describe('explainRefusal', () => {
  it.each([
    ['a source that is not the customer’s', { source: { found: false } }, 'TRANSFER.ACCOUNT_NOT_FOUND'],
    ['a frozen source', { source: { found: true, item: account({ status: 'frozen' }) } }, 'TRANSFER.ACCOUNT_INACTIVE'],
    ['a source in another currency', { source: { found: true, item: account({ currency: 'USD' }) } }, 'TRANSFER.CURRENCY_MISMATCH'],
    ['a source short of funds', { source: { found: true, item: account({ balance: 9_999 }) } }, 'TRANSFER.INSUFFICIENT_FUNDS'],
    ['a destination that is gone', { destination: { found: false } }, 'TRANSFER.DESTINATION_NOT_FOUND'],
    ['a closed destination', { destination: { found: true, item: account({ status: 'closed' }) } }, 'TRANSFER.DESTINATION_INACTIVE'],
    ['a destination in another currency', { destination: { found: true, item: account({ currency: 'USD' }) } }, 'TRANSFER.CURRENCY_MISMATCH'],
    ['a day already at its limit', { daily: { debited: 9_999_999 } }, 'TRANSFER.DAILY_LIMIT_EXCEEDED'],
  ])('explains %s', (_, refusal, code) => {
    expect(explainRefusal(request, refusal, limits).code).toBe(code);
  });

  it('speaks of the customer’s own account before the destination', () => {
    const refusal = { source: { found: true, item: account({ balance: 0 }) }, destination: { found: false } };
    expect(explainRefusal(request, refusal, limits).code).toBe('TRANSFER.INSUFFICIENT_FUNDS');
  });

  it('never blames funds when the returned balance covers the amount: the state moved, so it asks for a retry', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 5_000_000 }), fc.integer({ min: 0, max: 10 ** 12 }), (amount, extra) => {
        const refusal = { source: { found: true, item: account({ balance: amount + extra }) } };
        expect(() => explainRefusal({ ...request, amount }, refusal, limits)).toThrow(StaleRefusalError);
      }),
      { seed: 20261122 },
    );
  });
});
