import {
  chargeTransactionId,
  explainChargeRefusal,
  isSettled,
  planCharge,
  planRefund,
  refundTransactionId,
  voidRecord,
  type SettledPayment,
} from '../../../../../services/core-banking/src/domain/payment';
import { PaymentAccountInactiveError, PaymentAccountNotFoundError, PaymentCurrencyMismatchError, PaymentInsufficientFundsError, SettlementAccountUnavailableError } from '../../../../../services/core-banking/src/errors';
import { StaleRefusalError } from '../../../../../services/core-banking/src/domain/transfer';
import type { Account } from '../../../../../services/core-banking/src/domain/account';
import { chargeRequest } from '../fixtures';

const request = chargeRequest;
const now = new Date('2026-11-22T16:00:00Z');
const account = (overrides: Partial<Account> = {}): Account => ({ user_id: 'user-ana', account_id: 'acc-ana', balance: 2_000_000, currency: 'MXN', status: 'active', ...overrides });

describe('planCharge', () => {
  it('moves the amount from the customer to the settlement account as one transaction of two entries', () => {
    const plan = planCharge(request, 'payment#user-ana#pur_1', 'ret-1', now);
    const [debit, credit] = plan.entries;
    expect(debit).toMatchObject({ account_id: 'acc-ana', user_id: 'user-ana', direction: 'debit', amount: 1_499_900, counterparty_account_id: 'acc-ret-1', description: 'Compra: Laptop' });
    expect(credit).toMatchObject({ account_id: 'acc-ret-1', user_id: 'ret-1', direction: 'credit', amount: 1_499_900, counterparty_account_id: 'acc-ana' });
    expect(debit.transaction_id).toBe(credit.transaction_id);
    expect(debit.transaction_id).toBe(chargeTransactionId('user-ana', 'pur_1'));
    expect(plan.record).toMatchObject({ pk: 'payment#user-ana#pur_1', status: 'charged', amount: 1_499_900, settlement_owner: 'ret-1', transaction_id: debit.transaction_id });
    expect(isSettled(plan.record)).toBe(true);
  });

  it('names the charge the same on every retry, and the refund differently', () => {
    expect(chargeTransactionId('user-ana', 'pur_1')).toBe(chargeTransactionId('user-ana', 'pur_1'));
    expect(refundTransactionId('user-ana', 'pur_1')).not.toBe(chargeTransactionId('user-ana', 'pur_1'));
    expect(chargeTransactionId('user-luis', 'pur_1')).not.toBe(chargeTransactionId('user-ana', 'pur_1'));
  });
});

describe('planRefund', () => {
  it('moves exactly the charged amount back, from the settlement account to the customer', () => {
    const charged = planCharge(request, 'payment#user-ana#pur_1', 'ret-1', now).record as SettledPayment;
    const refund = planRefund(charged, new Date('2026-11-22T16:00:05Z'));
    const [debit, credit] = refund.entries;
    expect(debit).toMatchObject({ account_id: 'acc-ret-1', user_id: 'ret-1', direction: 'debit', amount: 1_499_900, description: 'Reembolso: Compra: Laptop' });
    expect(credit).toMatchObject({ account_id: 'acc-ana', user_id: 'user-ana', direction: 'credit', amount: 1_499_900 });
    expect(refund.transactionId).toBe(refundTransactionId('user-ana', 'pur_1'));
  });
});

describe('voidRecord', () => {
  it('is a payment that holds no money', () => {
    const record = voidRecord('payment#user-ana#pur_1', 'pur_1', 'user-ana', now);
    expect(record).toMatchObject({ status: 'voided' });
    expect(isSettled(record)).toBe(false);
  });
});

describe('explainChargeRefusal', () => {
  it.each([
    ['an account that is not theirs', { source: { found: false } }, PaymentAccountNotFoundError],
    ['a frozen account', { source: { found: true, item: account({ status: 'frozen' }) } }, PaymentAccountInactiveError],
    ['an account in dollars', { source: { found: true, item: account({ currency: 'USD' }) } }, PaymentCurrencyMismatchError],
    ['too little money', { source: { found: true, item: account({ balance: 10 }) } }, PaymentInsufficientFundsError],
    ['a missing settlement account', { destination: { found: false } }, SettlementAccountUnavailableError],
    ['a closed settlement account', { destination: { found: true, item: account({ status: 'closed' }) } }, SettlementAccountUnavailableError],
  ])('names %s', (_, refusal, error) => {
    expect(explainChargeRefusal(request, refusal)).toBeInstanceOf(error);
  });

  it('asks for another try when the state it got back no longer explains the refusal', () => {
    expect(() => explainChargeRefusal(request, { source: { found: true, item: account() } })).toThrow(StaleRefusalError);
  });
});
