/**
 * Bad input gets a clear answer and writes nothing to the books; a refusal is final.
 */
import { PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import {
  answerTo,
  answers,
  balancesOf,
  closeClients,
  createAccounts,
  documents,
  dumpTable,
  putRequests,
  runId,
  table,
  type TestAccount,
} from '../support';

afterAll(closeClients);

const RESULTS = ['TRANSFER_COMPLETED', 'TRANSFER_FAILED'];

describe('malformed and refused transfers', () => {
  const run = runId();
  const ana: TestAccount = { user_id: `user-${run}-ana`, account_id: `acc-${run}-ana`, balance: 100_000 };
  const anaFrozen: TestAccount = { user_id: ana.user_id, account_id: `acc-${run}-ana-frozen`, balance: 50_000, status: 'frozen' };
  const luis: TestAccount = { user_id: `user-${run}-luis`, account_id: `acc-${run}-luis`, balance: 700 };
  const valid = {
    correlation_id: 'set per case',
    user_id: ana.user_id,
    from_account_id: ana.account_id,
    to_account_id: luis.account_id,
    amount: 1_000,
    currency: 'MXN',
  };

  // [case, detail overrides, expected reason, expected field, passes the schema]
  const cases: [string, Record<string, unknown>, string, string, boolean][] = [
    ['a missing amount', { amount: undefined }, 'REQUEST.INVALID', 'amount', false],
    ['an amount given as text', { amount: '1000' }, 'REQUEST.INVALID', 'amount', false],
    ['a negative amount', { amount: -1_000 }, 'REQUEST.INVALID', 'amount', false],
    ['a zero amount', { amount: 0 }, 'REQUEST.INVALID', 'amount', false],
    ['a fractional amount', { amount: 10.5 }, 'REQUEST.INVALID', 'amount', false],
    ['a missing user', { user_id: undefined }, 'REQUEST.INVALID', 'user_id', false],
    ['a source account id of the wrong type', { from_account_id: 12345 }, 'REQUEST.INVALID', 'from_account_id', false],
    ['an unknown currency format', { currency: 'pesos' }, 'REQUEST.INVALID', 'currency', false],
    ['an unknown destination account', { to_account_id: `acc-${run}-nobody` }, 'TRANSFER.DESTINATION_NOT_FOUND', 'to_account_id', true],
    ['an unknown source account', { from_account_id: `acc-${run}-nobody` }, 'TRANSFER.ACCOUNT_NOT_FOUND', 'from_account_id', true],
    ['another customer’s account as the source', { from_account_id: luis.account_id, to_account_id: ana.account_id }, 'TRANSFER.ACCOUNT_NOT_FOUND', 'from_account_id', true],
    ['the same source and destination', { to_account_id: ana.account_id }, 'TRANSFER.SAME_ACCOUNT', 'to_account_id', true],
    ['an amount over the per-transfer limit', { amount: 5_000_001 }, 'TRANSFER.AMOUNT_OVER_LIMIT', 'amount', true],
    ['a currency the accounts do not hold', { currency: 'USD' }, 'TRANSFER.CURRENCY_MISMATCH', 'currency', true],
    ['a frozen source account', { from_account_id: anaFrozen.account_id }, 'TRANSFER.ACCOUNT_INACTIVE', 'from_account_id', true],
    ['more than the balance', { amount: 100_001 }, 'TRANSFER.INSUFFICIENT_FUNDS', 'amount', true],
  ];

  beforeAll(() => createAccounts([ana, anaFrozen, luis]));

  it('answers each with TRANSFER_FAILED naming the reason and field, and leaves the books byte-for-byte unchanged', async () => {
    const accountsBefore = await dumpTable('accounts');
    const ledgerBefore = await dumpTable('transactions');
    const controlsBefore = new Set((await dumpTable('ledger-controls')).split('\n'));

    const requests = cases.map(([, overrides], i) => ({
      detailType: 'TRANSFER_REQUEST' as const,
      detail: JSON.parse(JSON.stringify({ ...valid, request_id: `req-${run}-bad-${i}`, correlation_id: `corr-${run}-bad-${i}`, ...overrides })) as Record<string, unknown>,
    }));
    await putRequests(requests);

    for (const [i, [name, , reason, field]] of cases.entries()) {
      const answer = await answerTo(`corr-${run}-bad-${i}`, RESULTS);
      expect({ name, type: answer['detail-type'], reason: answer.detail.reason, field: answer.detail.field }).toEqual({ name, type: 'TRANSFER_FAILED', reason, field });
      expect(answer.detail.message).toEqual(expect.any(String));
    }

    expect(await dumpTable('accounts')).toBe(accountsBefore);
    expect(await dumpTable('transactions')).toBe(ledgerBefore);
    // The only trace is the refusal of each request that passed the schema, so a redelivery gets the same answer.
    const added = (await dumpTable('ledger-controls')).split('\n').filter((line) => !controlsBefore.has(line));
    const expectedKeys = cases.flatMap(([, , , , passes], i) => (passes ? [`transfer#${ana.user_id}#req-${run}-bad-${i}`] : []));
    expect(added.map((line) => (JSON.parse(line) as { pk: { S: string } }).pk.S).sort()).toEqual(expectedKeys.sort());
    for (const line of added) expect(line).toContain('"status":{"S":"refused"}');
  });

  it('keeps a refusal: the same request after the account is funded is refused again and moves nothing', async () => {
    const request = {
      detailType: 'TRANSFER_REQUEST' as const,
      detail: { ...valid, user_id: luis.user_id, from_account_id: luis.account_id, to_account_id: ana.account_id, amount: 5_000, request_id: `req-${run}-final`, correlation_id: `corr-${run}-final` },
    };
    await putRequests([request]);
    const first = await answerTo(`corr-${run}-final`, RESULTS);
    expect(first.detail.reason).toBe('TRANSFER.INSUFFICIENT_FUNDS');

    await documents().send(
      new UpdateCommand({ TableName: table('accounts'), Key: { user_id: luis.user_id, account_id: luis.account_id }, UpdateExpression: 'SET balance = :b', ExpressionAttributeValues: { ':b': 1_000_000 } }),
    );
    const before = await balancesOf([luis, ana]);
    await putRequests([request]);
    const again = await answers(RESULTS, new Map([[`req-${run}-final`, 2]]));

    expect(again.get(`req-${run}-final`)?.map((e) => e.detail.reason)).toEqual(['TRANSFER.INSUFFICIENT_FUNDS', 'TRANSFER.INSUFFICIENT_FUNDS']);
    expect(await balancesOf([luis, ana])).toEqual(before);
  });

  it('refuses a request_id reused for another transfer with REQUEST.ID_REUSED, and moves nothing more', async () => {
    // Prepare: a transfer that completes
    await documents().send(new UpdateCommand({ TableName: table('accounts'), Key: { user_id: luis.user_id, account_id: luis.account_id }, UpdateExpression: 'SET balance = :b', ExpressionAttributeValues: { ':b': 1_000_000 } }));
    const first = { ...valid, user_id: luis.user_id, from_account_id: luis.account_id, to_account_id: ana.account_id, amount: 1_000, request_id: `req-${run}-reused`, correlation_id: `corr-${run}-reused-1` };
    await putRequests([{ detailType: 'TRANSFER_REQUEST', detail: first }]);
    expect((await answerTo(first.correlation_id, RESULTS))['detail-type']).toBe('TRANSFER_COMPLETED');
    const before = await balancesOf([luis, ana]);

    // Act: the same key, another amount; and the same request again
    const other = { ...first, amount: 9_000, correlation_id: `corr-${run}-reused-2` };
    const again = { ...first, correlation_id: `corr-${run}-reused-3` };
    await putRequests([{ detailType: 'TRANSFER_REQUEST', detail: other }]);
    const refused = await answerTo(other.correlation_id, RESULTS);
    await putRequests([{ detailType: 'TRANSFER_REQUEST', detail: again }]);
    const repeated = await answerTo(again.correlation_id, RESULTS);

    // Assess
    expect(refused).toMatchObject({ 'detail-type': 'TRANSFER_FAILED', detail: { reason: 'REQUEST.ID_REUSED', field: 'request_id' } });
    expect(repeated).toMatchObject({ 'detail-type': 'TRANSFER_COMPLETED', detail: { amount: 1_000 } });
    expect(await balancesOf([luis, ana])).toEqual(before);
  });

  it('stops at the daily limit across several transfers', async () => {
    const rich: TestAccount = { user_id: `user-${run}-rich`, account_id: `acc-${run}-rich`, balance: 100_000_000 };
    await createAccounts([rich]);
    // This customer raised their MTU to MXN 50,000.00, so a transfer that large needs no second factor.
    await documents().send(new PutCommand({ TableName: table('ledger-controls'), Item: { pk: `mtu#${rich.user_id}`, user_id: rich.user_id, mtu: 5_000_000, updated_at: new Date().toISOString() } }));
    // The daily limit is 10,000,000 centavos; two transfers of 5,000,000 fit, a third of 1 does not.
    const requests = [5_000_000, 5_000_000, 1].map((amount, i) => ({
      detailType: 'TRANSFER_REQUEST' as const,
      detail: { ...valid, user_id: rich.user_id, from_account_id: rich.account_id, to_account_id: luis.account_id, amount, request_id: `req-${run}-day-${i}`, correlation_id: `corr-${run}-day-${i}` },
    }));
    for (const request of requests) {
      await putRequests([request]);
      await answerTo(request.detail.correlation_id, RESULTS);
    }
    const results = await Promise.all(requests.map((r) => answerTo(r.detail.correlation_id, RESULTS)));

    expect(results.map((r) => r['detail-type'])).toEqual(['TRANSFER_COMPLETED', 'TRANSFER_COMPLETED', 'TRANSFER_FAILED']);
    expect(results[2]?.detail.reason).toBe('TRANSFER.DAILY_LIMIT_EXCEEDED');
    expect((await balancesOf([rich])).get(rich.account_id)).toBe(90_000_000);
  });
});
