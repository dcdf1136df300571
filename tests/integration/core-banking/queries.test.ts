/**
 * Balance and history through the bus, as the assistant asks for them, including what one
 * customer must never see of another's.
 */
import { answerTo, closeClients, createAccounts, putRequests, runId, type BusEvent, type TestAccount } from '../support';

afterAll(closeClients);

const run = runId();
const ana: TestAccount = { user_id: `user-${run}-ana`, account_id: `acc-${run}-ana`, balance: 18_550_075 };
const anaSavings: TestAccount = { user_id: ana.user_id, account_id: `acc-${run}-ana-savings`, balance: 125_000_000 };
const carlos: TestAccount = { user_id: `user-${run}-carlos`, account_id: `acc-${run}-carlos`, balance: 2_310_000 };

let sequence = 0;
async function ask(detailType: string, detail: Record<string, unknown>, results: string[]): Promise<BusEvent> {
  const n = sequence++;
  const correlation = `corr-${run}-q${n}`;
  await putRequests([{ detailType: detailType as 'BALANCE_QUERY', detail: { request_id: `req-${run}-q${n}`, correlation_id: correlation, ...detail } }]);
  return answerTo(correlation, results);
}

const transfer = (from: TestAccount, to: TestAccount, amount: number) =>
  ask('TRANSFER_REQUEST', { user_id: from.user_id, from_account_id: from.account_id, to_account_id: to.account_id, amount, currency: 'MXN', description: `pago ${amount}` }, [
    'TRANSFER_COMPLETED',
    'TRANSFER_FAILED',
  ]);

beforeAll(async () => {
  await createAccounts([ana, anaSavings, carlos]);
  // Five transfers, one at a time so their order in history is known.
  for (const amount of [100, 200, 300, 400, 500]) expect((await transfer(ana, carlos, amount))['detail-type']).toBe('TRANSFER_COMPLETED');
});

describe('BALANCE_QUERY', () => {
  it('answers with every account of the customer, the integers and the formatted amounts', async () => {
    const answer = await ask('BALANCE_QUERY', { user_id: ana.user_id }, ['BALANCE_RESPONSE', 'BALANCE_FAILED']);

    expect(answer['detail-type']).toBe('BALANCE_RESPONSE');
    expect(answer.source).toBe('centli.core-banking');
    expect(answer.detail.accounts).toEqual([
      expect.objectContaining({ account_id: ana.account_id, balance: 18_548_575, currency: 'MXN', formatted_balance: '$185,485.75 MXN' }),
      expect.objectContaining({ account_id: anaSavings.account_id, balance: 125_000_000, formatted_balance: '$1,250,000.00 MXN' }),
    ]);
    expect(answer.detail.totals).toEqual([{ currency: 'MXN', balance: 143_548_575, formatted_balance: '$1,435,485.75 MXN' }]);
  });

  it('refuses another customer’s account by id, saying nothing about it', async () => {
    const answer = await ask('BALANCE_QUERY', { user_id: carlos.user_id, account_id: ana.account_id }, ['BALANCE_RESPONSE', 'BALANCE_FAILED']);

    expect(answer['detail-type']).toBe('BALANCE_FAILED');
    expect(answer.detail).toMatchObject({ reason: 'BALANCE.ACCOUNT_NOT_FOUND', field: 'account_id' });
    expect(JSON.stringify(answer.detail)).not.toContain('18548575');
  });

  it('answers the seeded customers, so the quick start has someone to ask about', async () => {
    const answer = await ask('BALANCE_QUERY', { user_id: 'user-luis' }, ['BALANCE_RESPONSE', 'BALANCE_FAILED']);

    expect(answer.detail.accounts).toEqual([expect.objectContaining({ account_id: 'acc-luis-nomina-1532', formatted_balance: expect.stringMatching(/^\$[\d,]+\.\d{2} MXN$/) })]);
  });
});

describe('TRANSACTIONS_QUERY', () => {
  const history = (detail: Record<string, unknown>) => ask('TRANSACTIONS_QUERY', detail, ['TRANSACTIONS_RESPONSE', 'TRANSACTIONS_FAILED']);

  it('pages through one account newest first with an opaque cursor, each entry once', async () => {
    const seen: BusEvent['detail'][] = [];
    let cursor: string | undefined;
    let pages = 0;
    do {
      const page = await history({ user_id: ana.user_id, account_id: ana.account_id, limit: 2, ...(cursor ? { cursor } : {}) });
      expect(page['detail-type']).toBe('TRANSACTIONS_RESPONSE');
      seen.push(...(page.detail.transactions as BusEvent['detail'][]));
      cursor = page.detail.next_cursor as string | undefined;
      pages++;
    } while (cursor && pages < 10);

    expect(seen.map((t) => t.amount)).toEqual([500, 400, 300, 200, 100]);
    expect(seen.every((t) => t.direction === 'debit' && t.counterparty_account_id === carlos.account_id)).toBe(true);
    expect(seen[0]).toMatchObject({ formatted_amount: '$5.00 MXN', description: 'pago 500' });
    expect(pages).toBeGreaterThanOrEqual(3);
  });

  it('reads all of a customer’s accounts when no account is named', async () => {
    const page = await history({ user_id: carlos.user_id });

    expect((page.detail.transactions as BusEvent['detail'][]).map((t) => [t.direction, t.amount])).toEqual([
      ['credit', 500],
      ['credit', 400],
      ['credit', 300],
      ['credit', 200],
      ['credit', 100],
    ]);
  });

  it('keeps to a date range', async () => {
    const all = (await history({ user_id: ana.user_id, account_id: ana.account_id })).detail.transactions as BusEvent['detail'][];
    const middle = all[2]?.timestamp as string;

    const page = await history({ user_id: ana.user_id, account_id: ana.account_id, from: middle, to: middle });

    expect((page.detail.transactions as BusEvent['detail'][]).map((t) => t.amount)).toEqual([300]);
  });

  it('refuses another customer’s account', async () => {
    const page = await history({ user_id: carlos.user_id, account_id: ana.account_id });

    expect(page['detail-type']).toBe('TRANSACTIONS_FAILED');
    expect(page.detail.reason).toBe('TRANSACTIONS.ACCOUNT_NOT_FOUND');
  });

  it('refuses a cursor taken from another customer’s history', async () => {
    const anas = await history({ user_id: ana.user_id, limit: 1 });
    const stolen = anas.detail.next_cursor as string;
    expect(stolen).toEqual(expect.any(String));

    const page = await history({ user_id: carlos.user_id, cursor: stolen });

    expect(page['detail-type']).toBe('TRANSACTIONS_FAILED');
    expect(page.detail.reason).toBe('TRANSACTIONS.INVALID_CURSOR');
  });
});
