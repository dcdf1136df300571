/**
 * Confirmation of Payee and the new-payee limit, against DynamoDB Local through the local bus:
 * Core Banking answers whose an account is by its holder's registered name, and holds what a new
 * payee receives from one customer in its first 24 hours to MXN 2,000, counted in the transfer's
 * own transaction, so concurrent transfers can never add up past it.
 */
import { answerTo, balancesOf, closeClients, createAccounts, dumpTable, putRequests, runId, type TestAccount } from '../support';

afterAll(closeClients);

const RESULTS = ['TRANSFER_COMPLETED', 'TRANSFER_FAILED'];
const HOLDER = ['ACCOUNT_HOLDER_RESPONSE', 'ACCOUNT_HOLDER_FAILED'];
const HOUR = 3_600_000;

describe('ACCOUNT_HOLDER_QUERY', () => {
  const run = runId();
  const ana: TestAccount = { user_id: `user-${run}-ana`, account_id: `acc-${run}-ana`, balance: 0, holder_name: 'Ana García' };
  const carlos: TestAccount = { user_id: `user-${run}-carlos`, account_id: `acc-${run}-carlos`, balance: 0, holder_name: 'Carlos García' };

  beforeAll(() => createAccounts([ana, carlos]));

  const ask = async (name: string, accountId: string) => {
    await putRequests([{ detailType: 'ACCOUNT_HOLDER_QUERY', detail: { request_id: `req-${run}-${name}`, correlation_id: `corr-${run}-${name}`, user_id: ana.user_id, account_id: accountId } }]);
    return answerTo(`corr-${run}-${name}`, HOLDER);
  };

  it('names another customer’s account by its registered holder, and says it is not the asker’s', async () => {
    expect(await ask('other', carlos.account_id)).toMatchObject({ 'detail-type': 'ACCOUNT_HOLDER_RESPONSE', detail: { account_id: carlos.account_id, holder_name: 'Carlos García', own: false } });
  });

  it('says when the account is the asker’s own', async () => {
    expect(await ask('own', ana.account_id)).toMatchObject({ 'detail-type': 'ACCOUNT_HOLDER_RESPONSE', detail: { holder_name: 'Ana García', own: true } });
  });

  it('refuses an account Centli does not have with PAYEE.ACCOUNT_NOT_FOUND, and tells nothing else (no balance, no owner id)', async () => {
    // Act
    const unknown = await ask('unknown', `acc-${run}-nobody`);
    const known = await ask('known', carlos.account_id);

    // Assess
    expect(unknown).toMatchObject({ 'detail-type': 'ACCOUNT_HOLDER_FAILED', detail: { reason: 'PAYEE.ACCOUNT_NOT_FOUND', field: 'account_id' } });
    expect(Object.keys(known.detail).sort()).toEqual(['account_id', 'correlation_id', 'holder_name', 'own', 'request_id', 'user_id']);
    expect(JSON.stringify(known)).not.toContain(carlos.user_id);
  });
});

describe('the new-payee limit', () => {
  const run = runId();
  const ana: TestAccount = { user_id: `user-${run}-ana`, account_id: `acc-${run}-ana`, balance: 10_000_000 };
  const anaSavings: TestAccount = { user_id: ana.user_id, account_id: `acc-${run}-ana-ahorro`, balance: 0, type: 'savings' };
  const luis: TestAccount = { user_id: `user-${run}-luis`, account_id: `acc-${run}-luis`, balance: 10_000_000 };
  const payees = Array.from({ length: 5 }, (_, i): TestAccount => ({ user_id: `user-${run}-payee-${i}`, account_id: `acc-${run}-payee-${i}`, balance: 0 }));
  let sent = 0;

  beforeAll(() => createAccounts([ana, anaSavings, luis, ...payees]));

  /** Transfers one after another, each answered before the next goes. */
  async function transfer(amount: number, to: TestAccount, since: Date | undefined, from: TestAccount = ana) {
    const n = sent++;
    const detail = { request_id: `req-${run}-${n}`, correlation_id: `corr-${run}-${n}`, user_id: from.user_id, from_account_id: from.account_id, to_account_id: to.account_id, amount, currency: 'MXN', ...(since ? { new_payee_since: since.toISOString() } : {}) };
    await putRequests([{ detailType: 'TRANSFER_REQUEST', detail }]);
    return answerTo(detail.correlation_id, RESULTS);
  }

  it('lets a new payee receive up to MXN 2,000 in its first 24 hours, refuses more with when it may, and moves nothing when it refuses', async () => {
    // Prepare
    const payee = payees[0] as TestAccount;
    const since = new Date();

    // Act
    const first = await transfer(150_000, payee, since);
    const balancesBefore = await balancesOf([ana, payee]);
    const ledgerBefore = await dumpTable('transactions');
    const over = await transfer(60_000, payee, since);
    const balancesAfter = await balancesOf([ana, payee]);
    const ledgerAfter = await dumpTable('transactions');
    const rest = await transfer(50_000, payee, since);
    const oneMore = await transfer(1, payee, since);

    // Assess
    expect([first, over, rest, oneMore].map((a) => a['detail-type'])).toEqual(['TRANSFER_COMPLETED', 'TRANSFER_FAILED', 'TRANSFER_COMPLETED', 'TRANSFER_FAILED']);
    expect(over.detail).toMatchObject({ reason: 'TRANSFER.NEW_PAYEE_LIMIT', params: { limit: { amount: 200_000, currency: 'MXN' } } });
    const until = Date.parse(String((over.detail.params as { until: string }).until));
    expect(Math.abs(until - (since.getTime() + 24 * HOUR))).toBeLessThan(2_000);
    expect(balancesAfter).toEqual(balancesBefore);
    expect(ledgerAfter).toBe(ledgerBefore);
    expect((await balancesOf([payee])).get(payee.account_id)).toBe(200_000);
  });

  it('never lets concurrent transfers add up past the limit: of five of MXN 500 at once, exactly four go through', async () => {
    // Prepare
    const payee = payees[1] as TestAccount;
    const since = new Date();
    const requests = Array.from({ length: 5 }, (_, i) => ({
      detailType: 'TRANSFER_REQUEST' as const,
      detail: { request_id: `req-${run}-burst-${i}`, correlation_id: `corr-${run}-burst-${i}`, user_id: ana.user_id, from_account_id: ana.account_id, to_account_id: payee.account_id, amount: 50_000, currency: 'MXN', new_payee_since: since.toISOString() },
    }));

    // Act
    await putRequests(requests);
    const results = await Promise.all(requests.map((r) => answerTo(r.detail.correlation_id, RESULTS)));

    // Assess
    expect(results.filter((r) => r['detail-type'] === 'TRANSFER_COMPLETED')).toHaveLength(4);
    expect(results.filter((r) => r['detail-type'] === 'TRANSFER_FAILED').map((r) => r.detail.reason)).toEqual(['TRANSFER.NEW_PAYEE_LIMIT']);
    expect((await balancesOf([payee])).get(payee.account_id)).toBe(200_000);
  });

  it('counts each customer’s window apart: what Luis sends a payee does not use Ana’s room', async () => {
    // Prepare
    const payee = payees[2] as TestAccount;
    const since = new Date();

    // Act
    const ana1 = await transfer(200_000, payee, since);
    const luis1 = await transfer(200_000, payee, since, luis);

    // Assess
    expect([ana1, luis1].map((a) => a['detail-type'])).toEqual(['TRANSFER_COMPLETED', 'TRANSFER_COMPLETED']);
  });

  it('refuses an amount over the limit by itself to a new payee, and allows it once the payee is 24 hours old', async () => {
    // Act
    const fresh = await transfer(300_000, payees[3] as TestAccount, new Date());
    const old = await transfer(300_000, payees[4] as TestAccount, new Date(Date.now() - 25 * HOUR));

    // Assess
    expect(fresh.detail).toMatchObject({ reason: 'TRANSFER.NEW_PAYEE_LIMIT' });
    expect(old['detail-type']).toBe('TRANSFER_COMPLETED');
  });

  it('never holds a transfer between the customer’s own accounts, whatever the door says', async () => {
    expect((await transfer(500_000, anaSavings, new Date()))['detail-type']).toBe('TRANSFER_COMPLETED');
  });

  it('holds nothing when the door does not say the payee is new (a payee saved long ago)', async () => {
    expect((await transfer(500_000, payees[3] as TestAccount, undefined))['detail-type']).toBe('TRANSFER_COMPLETED');
  });

  it('keeps a refusal: the same request again is refused again, even once the window has room', async () => {
    // Prepare
    const payee: TestAccount = { user_id: `user-${run}-payee-x`, account_id: `acc-${run}-payee-x`, balance: 0 };
    await createAccounts([payee]);
    const detail = { request_id: `req-${run}-again`, correlation_id: `corr-${run}-again`, user_id: ana.user_id, from_account_id: ana.account_id, to_account_id: payee.account_id, amount: 250_000, currency: 'MXN', new_payee_since: new Date().toISOString() };

    // Act
    await putRequests([{ detailType: 'TRANSFER_REQUEST', detail }]);
    const first = await answerTo(detail.correlation_id, RESULTS);
    await putRequests([{ detailType: 'TRANSFER_REQUEST', detail: { ...detail, correlation_id: `corr-${run}-again-2` } }]);
    const second = await answerTo(`corr-${run}-again-2`, RESULTS);

    // Assess
    expect([first.detail.reason, second.detail.reason]).toEqual(['TRANSFER.NEW_PAYEE_LIMIT', 'TRANSFER.NEW_PAYEE_LIMIT']);
    expect((await balancesOf([payee])).get(payee.account_id)).toBe(0);
  });
});
