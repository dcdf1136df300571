/** The samples in services/core-banking/events are what `sls invoke local` sends: they must be valid, but the one that shows a refused detail. */
import { taskValidator } from '@centli/schemas';
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
    const oneAccount = [...samples.values()].filter((event) => (event.detail as { account_id?: string } | undefined)?.account_id !== undefined).map((event) => event['detail-type'] as string);
    expect(oneAccount.sort()).toEqual(['ACCOUNT_HOLDER_QUERY', 'BALANCE_QUERY', 'LIMITS_QUERY', 'TRANSACTIONS_QUERY']);
  });

  it('ask whose an account is (Confirmation of Payee)', () => {
    expect(samples.get('account-holder-query.json')?.detail).toMatchObject({ user_id: 'user-ana', account_id: 'acc-carlos-nomina-3954' });
  });

  it('send a SPEI transfer that settles and one the local participant returns, and ask where a transfer is', () => {
    expect(samples.get('spei-transfer-request.json')?.detail).toMatchObject({ user_id: 'user-ana', to_clabe: '002180012345678906' });
    expect(String((samples.get('spei-transfer-request-returned.json')?.detail as { to_clabe: string }).to_clabe).slice(13, 17)).toBe('0000');
    expect(samples.get('transfer-status-query-by-clabe.json')?.['detail-type']).toBe('TRANSFER_STATUS_QUERY');
  });

  it.each(['spei-hold', 'spei-send-order', 'spei-await-result', 'spei-resolve-timeout', 'spei-settle', 'spei-give-back'] as const)('have the SPEI saga task %s’s input, valid for its schema', (task) => {
    expect(taskValidator(task, 'input')(samples.get(`${task}.json`))).toBeUndefined();
  });
});
