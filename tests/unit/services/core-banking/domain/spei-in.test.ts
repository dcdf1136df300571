import fc from 'fast-check';
import { makeClabe } from '@centli/pure/clabe';
import type { SpeiIncomingPayment } from '@centli/schemas';
import type { Account } from '../../../../../services/core-banking/src/domain/account';
import { StaleRefusalError } from '../../../../../services/core-banking/src/domain/transfer';
import { foreignClabe, notificationFingerprint, planSpeiCredit, returnReasonFor, returnRecord, speiInKey, speiTransactionId } from '../../../../../services/core-banking/src/domain/spei-in';

const payment: SpeiIncomingPayment = { clabe: makeClabe({ bank: '999', plaza: '180', account: '10000003954' }), amount: 55000, sender_name: 'Juan Pérez', sender_bank: 'BBVA', concepto: 'renta diciembre', clave_rastreo: 'BBVA2026120600001' };
const to = { user_id: 'user-carlos', account_id: 'acc-carlos-nomina-3954' };
const clearing = { user_id: 'bank-spei', account_id: 'acc-spei-liquidacion-0001' };
const now = new Date('2026-12-06T18:00:00.000Z');
const account = (fields: Partial<Account>): Account => ({ ...to, balance: 0, currency: 'MXN', status: 'active', clabe: payment.clabe, ...fields });

describe('planSpeiCredit', () => {
  it('credits the customer and debits the clearing account by the same amount, in one ledger transaction', () => {
    // Act
    const plan = planSpeiCredit(payment, to, clearing, now);

    // Assess
    const [debit, credit] = plan.entries;
    expect(debit).toMatchObject({ account_id: clearing.account_id, direction: 'debit', amount: 55000, counterparty_account_id: to.account_id });
    expect(credit).toMatchObject({ account_id: to.account_id, user_id: 'user-carlos', direction: 'credit', amount: 55000, counterparty_account_id: clearing.account_id, description: 'renta diciembre', counterparty_name: 'Juan Pérez', counterparty_bank: 'BBVA', clave_rastreo: payment.clave_rastreo });
    expect(debit.transaction_id).toBe(credit.transaction_id);
    expect(plan.record).toMatchObject({ pk: 'spei-in#BBVA2026120600001', status: 'credited', answer: { status: 'credited', transaction_id: credit.transaction_id } });
    expect(plan.record.notice).toMatchObject({ detailType: 'SPEI_RECEIVED', detail: { user_id: 'user-carlos', request_id: 'spei-in-BBVA2026120600001', formatted_amount: '$550.00 MXN' } });
  });

  it('names every delivery of one clave de rastreo the same transaction, and different claves different ones (property, fixed seed)', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^[A-Za-z0-9]{1,30}$/), fc.stringMatching(/^[A-Za-z0-9]{1,30}$/), (a, b) => {
        expect(planSpeiCredit({ ...payment, clave_rastreo: a }, to, clearing, now).record.answer.transaction_id).toBe(speiTransactionId(a));
        if (a !== b) expect(speiTransactionId(a)).not.toBe(speiTransactionId(b));
      }),
      { seed: 19, numRuns: 200 },
    );
  });

  it('conserves money: the two entries sum to zero for any amount (property, fixed seed)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 100_000_000_000 }), (amount) => {
        const [debit, credit] = planSpeiCredit({ ...payment, amount }, to, clearing, now).entries;
        expect(credit.amount - debit.amount).toBe(0);
        expect([debit.direction, credit.direction]).toEqual(['debit', 'credit']);
      }),
      { seed: 19, numRuns: 200 },
    );
  });
});

describe('returnReasonFor', () => {
  it.each<[string, Account | undefined, string]>([
    ['no account', undefined, 'cuenta_inexistente'],
    ['an account that no longer has the CLABE', account({ clabe: '999180100000048210' }), 'cuenta_inexistente'],
    ['a frozen account', account({ status: 'frozen' }), 'cuenta_bloqueada'],
    ['a closed account', account({ status: 'closed' }), 'cuenta_cancelada'],
    ['an account in dollars', account({ currency: 'USD' }), 'cuenta_en_otra_divisa'],
  ])('returns a payment to %s', (_what, found, reason) => {
    expect(returnReasonFor(payment, found)).toBe(reason);
  });

  it('refuses to guess when the account returned could have taken it (it changed in between)', () => {
    expect(() => returnReasonFor(payment, account({}))).toThrow(StaleRefusalError);
  });
});

describe('a payment’s record', () => {
  it('keys it by its clave de rastreo and keeps the notification’s fingerprint', () => {
    const record = returnRecord(payment, 'cuenta_inexistente', now);
    expect(record).toEqual({ pk: speiInKey(payment.clave_rastreo), status: 'returned', answer: { clave_rastreo: payment.clave_rastreo, status: 'returned', reason: 'cuenta_inexistente', answered_at: now.toISOString() }, request_hash: notificationFingerprint(payment), created_at: now.toISOString() });
    expect(record).not.toHaveProperty('notice');
  });

  it('fingerprints two notifications of one payment alike, whatever their keys’ order, and another payment differently', () => {
    const reordered = Object.fromEntries(Object.entries(payment).reverse()) as unknown as SpeiIncomingPayment;
    expect(notificationFingerprint(reordered)).toBe(notificationFingerprint(payment));
    expect(notificationFingerprint({ ...payment, amount: 55001 })).not.toBe(notificationFingerprint(payment));
  });

  it('tells this bank’s CLABEs from other banks’', () => {
    expect(foreignClabe(payment, '999')).toBe(false);
    expect(foreignClabe({ ...payment, clabe: '002010077777777771' }, '999')).toBe(true);
  });
});
