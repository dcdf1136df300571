/**
 * The customer's MTU (monto transaccional del usuario) where money moves, against DynamoDB Local
 * and the local bus: above it, a transfer or a purchase moves only with a second factor of the
 * last 10 minutes; the check is in the movement's own transaction.
 */
import fc from 'fast-check';
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { answerTo, balancesOf, closeClients, createAccounts, documents, ledgerOf, putRequests, runId, table, type TestAccount } from '../support';
import { openShop, paymentRecordOf, purchaseRequest, stockOf } from '../marketplace/support';

afterAll(closeClients);

const TRANSFER_RESULTS = ['TRANSFER_COMPLETED', 'TRANSFER_FAILED'];
const PURCHASE_RESULTS = ['PURCHASE_CONFIRMED', 'PURCHASE_FAILED'];
/** The default MTU: 1,500 UDIs at MXN 8.5. */
const DEFAULT_MTU = 1_275_000;
const minutesAgo = (minutes: number) => new Date(Date.now() - minutes * 60_000).toISOString();

async function setMtu(userId: string, mtu: number): Promise<void> {
  await documents().send(new PutCommand({ TableName: table('ledger-controls'), Item: { pk: `mtu#${userId}`, user_id: userId, mtu, updated_at: new Date().toISOString() } }));
}

describe('a transfer above the customer’s MTU', () => {
  const run = runId();
  const ana: TestAccount = { user_id: `user-${run}-ana`, account_id: `acc-${run}-ana`, balance: 5_000_000 };
  const luis: TestAccount = { user_id: `user-${run}-luis`, account_id: `acc-${run}-luis`, balance: 0 };
  let n = 0;
  async function transfer(amount: number, extra: Record<string, unknown> = {}) {
    n += 1;
    const detail = { request_id: `req-${run}-${n}`, correlation_id: `corr-${run}-${n}`, user_id: ana.user_id, from_account_id: ana.account_id, to_account_id: luis.account_id, amount, currency: 'MXN', ...extra };
    await putRequests([{ detailType: 'TRANSFER_REQUEST', detail }]);
    return answerTo(detail.correlation_id, TRANSFER_RESULTS);
  }

  beforeAll(() => createAccounts([ana, luis]));

  it('is refused with TRANSFER.SECOND_FACTOR_REQUIRED without a factor, and nothing moves', async () => {
    // Act
    const answer = await transfer(DEFAULT_MTU + 1);

    // Assess
    expect(answer['detail-type']).toBe('TRANSFER_FAILED');
    expect(answer.detail).toMatchObject({ reason: 'TRANSFER.SECOND_FACTOR_REQUIRED', field: 'amount', params: { mtu: { amount: DEFAULT_MTU, currency: 'MXN' } } });
    expect(await balancesOf([ana, luis])).toEqual(new Map([[ana.account_id, 5_000_000], [luis.account_id, 0]]));
    expect(await ledgerOf([ana.account_id, luis.account_id])).toEqual([]);
  });

  it('is refused with a factor older than 10 minutes', async () => {
    const answer = await transfer(DEFAULT_MTU + 1, { second_factor_at: minutesAgo(11) });

    expect(answer.detail).toMatchObject({ reason: 'TRANSFER.SECOND_FACTOR_REQUIRED' });
    expect(await balancesOf([ana])).toEqual(new Map([[ana.account_id, 5_000_000]]));
  });

  it('moves once with a fresh factor, and a redelivery moves nothing again', async () => {
    // Prepare
    const detail = { request_id: `req-${run}-fresh`, correlation_id: `corr-${run}-fresh`, user_id: ana.user_id, from_account_id: ana.account_id, to_account_id: luis.account_id, amount: 2_000_000, currency: 'MXN', second_factor_at: minutesAgo(1) };

    // Act
    await putRequests([{ detailType: 'TRANSFER_REQUEST', detail }]);
    const answer = await answerTo(detail.correlation_id, TRANSFER_RESULTS);
    await putRequests([{ detailType: 'TRANSFER_REQUEST', detail: { ...detail, correlation_id: `${detail.correlation_id}-again` } }]);
    const again = await answerTo(`${detail.correlation_id}-again`, TRANSFER_RESULTS);

    // Assess
    expect(answer['detail-type']).toBe('TRANSFER_COMPLETED');
    expect(again.detail.transaction_id).toBe(answer.detail.transaction_id);
    expect(await balancesOf([ana, luis])).toEqual(new Map([[ana.account_id, 3_000_000], [luis.account_id, 2_000_000]]));
    expect(await ledgerOf([ana.account_id])).toHaveLength(1);
  });

  it('takes a lowered MTU at once, and a raised one lets a larger amount through without a factor', async () => {
    // Prepare: within the default, but above the MTU the customer just lowered to MXN 1,000.00.
    await setMtu(ana.user_id, 100_000);

    // Act
    const refused = await transfer(100_001);
    const within = await transfer(100_000);
    await setMtu(ana.user_id, 2_000_000);
    const raised = await transfer(1_500_000);

    // Assess
    expect(refused.detail).toMatchObject({ reason: 'TRANSFER.SECOND_FACTOR_REQUIRED', params: { mtu: { amount: 100_000, currency: 'MXN' } } });
    expect(within['detail-type']).toBe('TRANSFER_COMPLETED');
    expect(raised['detail-type']).toBe('TRANSFER_COMPLETED');
    expect(await balancesOf([ana])).toEqual(new Map([[ana.account_id, 3_000_000 - 100_000 - 1_500_000]]));
  });
});

describe('the MTU rule, over random amounts, MTUs and factors', () => {
  it('moves the money exactly when the amount is within the MTU or a factor of the last 10 minutes came with it, and nothing otherwise', async () => {
    const run = runId();
    let n = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 1, max: 3_000_000 }),
        fc.option(fc.integer({ min: 0, max: 3_000_000 }), { nil: undefined }),
        fc.option(fc.constantFrom(1, 9, 11, 30), { nil: undefined }),
        async (amount, mtu, factorMinutes) => {
          // Prepare: a customer of their own, with their MTU (or the default).
          n += 1;
          const from: TestAccount = { user_id: `user-${run}-p${n}`, account_id: `acc-${run}-p${n}`, balance: 3_000_000 };
          const to: TestAccount = { user_id: `user-${run}-q${n}`, account_id: `acc-${run}-q${n}`, balance: 0 };
          await createAccounts([from, to]);
          if (mtu !== undefined) await setMtu(from.user_id, mtu);
          const detail = { request_id: `req-${run}-p${n}`, correlation_id: `corr-${run}-p${n}`, user_id: from.user_id, from_account_id: from.account_id, to_account_id: to.account_id, amount, currency: 'MXN', ...(factorMinutes === undefined ? {} : { second_factor_at: minutesAgo(factorMinutes) }) };

          // Act
          await putRequests([{ detailType: 'TRANSFER_REQUEST', detail }]);
          const answer = await answerTo(detail.correlation_id, TRANSFER_RESULTS);

          // Assess
          const allowed = amount <= (mtu ?? DEFAULT_MTU) || (factorMinutes !== undefined && factorMinutes <= 10);
          expect(answer['detail-type']).toBe(allowed ? 'TRANSFER_COMPLETED' : 'TRANSFER_FAILED');
          if (!allowed) expect(answer.detail.reason).toBe('TRANSFER.SECOND_FACTOR_REQUIRED');
          expect(await balancesOf([from, to])).toEqual(new Map([[from.account_id, 3_000_000 - (allowed ? amount : 0)], [to.account_id, allowed ? amount : 0]]));
        },
      ),
      { seed: 20261206, numRuns: 20 },
    );
  });
});

describe('a transfer in another currency', () => {
  it('always needs the second factor, the MTU being in pesos', async () => {
    // Prepare
    const run = runId();
    const ana: TestAccount = { user_id: `user-${run}-ana`, account_id: `acc-${run}-ana-usd`, balance: 10_000, currency: 'USD' };
    const luis: TestAccount = { user_id: `user-${run}-luis`, account_id: `acc-${run}-luis-usd`, balance: 0, currency: 'USD' };
    await createAccounts([ana, luis]);
    await setMtu(ana.user_id, 10_000_000);
    const send = async (n: number, extra: Record<string, unknown> = {}) => {
      const detail = { request_id: `req-${run}-usd${n}`, correlation_id: `corr-${run}-usd${n}`, user_id: ana.user_id, from_account_id: ana.account_id, to_account_id: luis.account_id, amount: 1, currency: 'USD', ...extra };
      await putRequests([{ detailType: 'TRANSFER_REQUEST', detail }]);
      return answerTo(detail.correlation_id, TRANSFER_RESULTS);
    };

    // Act
    const refused = await send(1);
    const moved = await send(2, { second_factor_at: minutesAgo(1) });

    // Assess
    expect(refused.detail).toMatchObject({ reason: 'TRANSFER.SECOND_FACTOR_REQUIRED' });
    expect(moved['detail-type']).toBe('TRANSFER_COMPLETED');
    expect(await balancesOf([ana, luis])).toEqual(new Map([[ana.account_id, 9_999], [luis.account_id, 1]]));
  });
});

describe('setting the MTU (MTU_SET_REQUEST)', () => {
  const run = runId();
  const ana: TestAccount = { user_id: `user-${run}-ana`, account_id: `acc-${run}-ana`, balance: 5_000_000 };
  const luis: TestAccount = { user_id: `user-${run}-luis`, account_id: `acc-${run}-luis`, balance: 0 };
  let n = 0;
  async function send(detailType: 'MTU_SET_REQUEST' | 'TRANSFER_REQUEST', detail: Record<string, unknown>) {
    n += 1;
    const full = { request_id: `req-${run}-m${n}`, correlation_id: `corr-${run}-m${n}`, user_id: ana.user_id, ...detail };
    await putRequests([{ detailType, detail: full }]);
    return answerTo(full.correlation_id, detailType === 'MTU_SET_REQUEST' ? ['MTU_SET', 'MTU_SET_FAILED'] : TRANSFER_RESULTS);
  }
  const transfer = (amount: number) => send('TRANSFER_REQUEST', { from_account_id: ana.account_id, to_account_id: luis.account_id, amount, currency: 'MXN' });

  beforeAll(() => createAccounts([ana, luis]));

  it('lowers it at once, without a factor: the next transfer above it is refused', async () => {
    // Act
    const lowered = await send('MTU_SET_REQUEST', { amount: 50_000 });
    const refused = await transfer(50_001);

    // Assess
    expect(lowered).toMatchObject({ 'detail-type': 'MTU_SET', detail: { mtu: { amount: 50_000, is_default: false } } });
    expect(refused.detail).toMatchObject({ reason: 'TRANSFER.SECOND_FACTOR_REQUIRED', params: { mtu: { amount: 50_000 } } });
    expect(await balancesOf([ana])).toEqual(new Map([[ana.account_id, 5_000_000]]));
  });

  it('raises it only with a fresh factor, and then a larger transfer moves without one', async () => {
    // Act
    const without = await send('MTU_SET_REQUEST', { amount: 60_000 });
    const stale = await send('MTU_SET_REQUEST', { amount: 60_000, second_factor_at: minutesAgo(11) });
    const stillRefused = await transfer(60_000);
    const raised = await send('MTU_SET_REQUEST', { amount: 60_000, second_factor_at: minutesAgo(1) });
    const moved = await transfer(60_000);

    // Assess
    expect(without.detail).toMatchObject({ reason: 'MTU.SECOND_FACTOR_REQUIRED', params: { mtu: { amount: 50_000, currency: 'MXN' } } });
    expect(stale.detail).toMatchObject({ reason: 'MTU.SECOND_FACTOR_REQUIRED' });
    expect(stillRefused.detail).toMatchObject({ reason: 'TRANSFER.SECOND_FACTOR_REQUIRED' });
    expect(raised).toMatchObject({ 'detail-type': 'MTU_SET', detail: { mtu: { amount: 60_000 } } });
    expect(moved['detail-type']).toBe('TRANSFER_COMPLETED');
    expect(await balancesOf([ana, luis])).toEqual(new Map([[ana.account_id, 4_940_000], [luis.account_id, 60_000]]));
  });

  it('refuses an MTU above MXN 100,000 before anything is written', async () => {
    const answer = await send('MTU_SET_REQUEST', { amount: 10_000_001, second_factor_at: minutesAgo(1) });

    expect(answer.detail).toMatchObject({ reason: 'REQUEST.INVALID', field: 'amount' });
  });
});

describe('the customer’s MTU as the queries tell it', () => {
  it('is the default of 1,500 UDIs until the customer sets one, then theirs, in LIMITS_RESPONSE and BALANCE_RESPONSE', async () => {
    // Prepare
    const run = runId();
    const eva: TestAccount = { user_id: `user-${run}-eva`, account_id: `acc-${run}-eva`, balance: 1_000 };
    await createAccounts([eva]);
    const ask = async (detailType: 'LIMITS_QUERY' | 'BALANCE_QUERY', n: number) => {
      const detail = { request_id: `req-${run}-q${n}`, correlation_id: `corr-${run}-q${n}`, user_id: eva.user_id };
      await putRequests([{ detailType, detail }]);
      return answerTo(detail.correlation_id, [detailType.replace('_QUERY', '_RESPONSE'), detailType.replace('_QUERY', '_FAILED')]);
    };

    // Act
    const before = await ask('LIMITS_QUERY', 1);
    await setMtu(eva.user_id, 500_000);
    const limits = await ask('LIMITS_QUERY', 2);
    const balance = await ask('BALANCE_QUERY', 3);

    // Assess
    expect(before.detail.mtu).toEqual({ amount: DEFAULT_MTU, currency: 'MXN', formatted_amount: '$12,750.00 MXN', is_default: true, udis: 1500, max_amount: 10_000_000, formatted_max_amount: '$100,000.00 MXN' });
    expect(limits.detail.mtu).toMatchObject({ amount: 500_000, is_default: false });
    expect(balance.detail.mtu).toMatchObject({ amount: 500_000, is_default: false });
  });
});

describe('a purchase above the customer’s MTU', () => {
  it('fails with PURCHASE.SECOND_FACTOR_REQUIRED without a factor, with the stock and the money untouched', async () => {
    // Prepare
    const run = runId();
    const shop = await openShop(run, { stock: 2, price: 1_499_900 });
    const ana: TestAccount = { user_id: `user-${run}-ana`, account_id: `acc-${run}-ana`, balance: 2_000_000 };
    await createAccounts([ana]);
    const request = purchaseRequest(run, shop, ana);

    // Act
    await putRequests([{ detailType: 'PURCHASE_REQUEST', detail: request }]);
    const answer = await answerTo(request.correlation_id, PURCHASE_RESULTS, 60_000);

    // Assess
    expect(answer['detail-type']).toBe('PURCHASE_FAILED');
    expect(answer.detail).toMatchObject({ reason: 'PURCHASE.SECOND_FACTOR_REQUIRED', field: 'total' });
    expect(await stockOf(shop.product)).toBe(2);
    expect(await balancesOf([ana, shop.settlement])).toEqual(new Map([[ana.account_id, 2_000_000], [shop.settlement.account_id, 0]]));
    expect(await ledgerOf([ana.account_id, shop.settlement.account_id])).toEqual([]);
    expect(await paymentRecordOf(request)).toMatchObject({ status: 'voided' });
  });
});
