/** The samples in services/core-banking/events are what `sls invoke local` sends: they must be valid, but the one that shows a refused detail. */
import { describeSampleEvents } from '../sample-events';

// A fractional amount: the function answers TRANSFER_FAILED (REQUEST.INVALID, field amount) and writes nothing.
const samples = new Map(describeSampleEvents('core-banking', { invalid: { 'transfer-request-invalid-amount.json': 'amount' } }));

describe('the core-banking samples', () => {
  it('have a transfer that completes and the refusals the README shows', () => {
    // Assess
    expect([...samples.keys()]).toEqual(expect.arrayContaining(['transfer-request.json', 'transfer-request-insufficient-funds.json', 'transfer-request-invalid-amount.json']));
  });

  it('ask for limits, and for the limits of an account that is someone else’s (answered LIMITS_FAILED)', () => {
    expect(samples.get('limits-query.json')?.['detail-type']).toBe('LIMITS_QUERY');
    expect(samples.get('limits-query-not-yours.json')?.detail).toMatchObject({ user_id: 'user-ana', account_id: 'acc-carlos-nomina-3954' });
  });

  it('ask for one account as well as all of them', () => {
    // Assess
    const oneAccount = [...samples.values()].filter((event) => (event.detail as { account_id?: string }).account_id !== undefined).map((event) => event['detail-type'] as string);
    expect(oneAccount.sort()).toEqual(['ACCOUNT_HOLDER_QUERY', 'BALANCE_QUERY', 'LIMITS_QUERY', 'TRANSACTIONS_QUERY']);
  });

  it('ask whose an account is (Confirmation of Payee)', () => {
    expect(samples.get('account-holder-query.json')?.detail).toMatchObject({ user_id: 'user-ana', account_id: 'acc-carlos-nomina-3954' });
  });
});
