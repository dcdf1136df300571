/**
 * Sending SPEI, end to end on the local stack: SPEI_TRANSFER_REQUEST on the bus, Core Banking's
 * starter, sagas/spei-transfer.asl.yml run by the local runner with the real task handlers against
 * DynamoDB Local (the AwaitResult task waiting on its token), the local participant (local/spei.ts)
 * settling, returning or never answering the order by its CLABE and POSTing the signed result to
 * Core Banking's /spei/order-results, and TRANSFER_COMPLETED or TRANSFER_FAILED back on the bus.
 * Money is conserved across every account the transfer touches, at the end of each case.
 */
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { makeClabe } from '@centli/pure/clabe';
import { signBody, SIGNATURE_HEADER } from '@centli/pure/signed-body';
import { detailValidator, type SpeiTransferRequest } from '@centli/schemas';
import type { ExecutionHistory } from '../../../local/saga';
import { claveRastreoFor, speiTransferId } from '../../../services/core-banking/src/domain/spei-out';
import { answerTo, balancesOf, closeClients, createAccounts, documents, dumpTable, endpoints, eventsFor, getJson, ledgerOf, putRequests, runId, table, type BusEvent, type TestAccount } from '../support';

const SECRET = 'centli-local-spei-development-secret';
const IN_TRANSIT: TestAccount = { user_id: 'bank-spei', account_id: 'acc-spei-transito-0001', balance: 0 };
const SETTLEMENT: TestAccount = { user_id: 'bank-spei', account_id: 'acc-spei-liquidacion-0001', balance: 0 };
const RESULTS = ['TRANSFER_COMPLETED', 'TRANSFER_FAILED'];

afterAll(closeClients);

/** A CLABE at BBVA whose account digits end as the participant reads them: `0000` returns, `9999` is never answered, `8888` settles but its result is lost. */
const clabeEnding = (ending: string) => makeClabe({ bank: '012', plaza: '180', account: `${String(Date.now()).slice(-7)}${ending}` });

function speiRequest(run: string, from: TestAccount, toClabe: string, amount: number, extra: Partial<SpeiTransferRequest> = {}): SpeiTransferRequest {
  return {
    request_id: `req-${run}-${Math.random().toString(36).slice(2, 8)}`,
    correlation_id: `corr-${run}-${Math.random().toString(36).slice(2, 8)}`,
    user_id: from.user_id,
    from_account_id: from.account_id,
    to_clabe: toClabe,
    beneficiary_name: 'María Elena Ruiz',
    amount,
    currency: 'MXN',
    description: 'Renta de marzo',
    ...extra,
  };
}

async function orderOf(transferId: string): Promise<Record<string, unknown> | undefined> {
  const result = await documents().send(new GetCommand({ TableName: table('spei-orders'), Key: { transfer_id: transferId }, ConsistentRead: true }));
  return result.Item;
}

async function finished(transferId: string, timeoutMs = 60_000): Promise<ExecutionHistory> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const found = await getJson<ExecutionHistory>(`/executions/${transferId}`).catch(() => undefined);
    if (found && found.status !== 'RUNNING') return found;
    if (Date.now() > deadline) throw new Error(`execution ${transferId} did not finish`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

/** The participant's own record of the order (local/spei.ts). */
async function participantOrder(orderId: string): Promise<{ status: string; callbacks: unknown[] }> {
  const response = await fetch(`${endpoints().spei}/orders/${encodeURIComponent(orderId)}`);
  expect(response.status).toBe(200);
  return (await response.json()) as { status: string; callbacks: unknown[] };
}

const sumOf = (balances: Map<string, number>) => [...balances.values()].reduce((a, b) => a + b, 0);

async function postResult(body: Record<string, unknown>, secret = SECRET): Promise<{ status: number; body: Record<string, unknown> }> {
  const text = JSON.stringify(body);
  const response = await fetch(`${endpoints().http}/spei/order-results`, { method: 'POST', headers: { 'content-type': 'application/json', [SIGNATURE_HEADER]: signBody(secret, text, new Date()) }, body: text });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

describe('sending SPEI', () => {
  it('holds, sends and settles a transfer: the customer debited once, the settlement account credited, SENT then COMPLETED with the clave de rastreo', async () => {
    // Prepare
    const run = runId();
    const ana: TestAccount = { user_id: `user-${run}-ana`, account_id: `acc-${run}-ana`, balance: 100_000 };
    await createAccounts([ana]);
    const accounts = [ana, IN_TRANSIT, SETTLEMENT];
    const before = await balancesOf(accounts);
    const request = speiRequest(run, ana, clabeEnding('1234'), 25_000);
    const transferId = speiTransferId(request);

    // Act
    await putRequests([{ detailType: 'SPEI_TRANSFER_REQUEST', detail: request }]);
    const answer = await answerTo(request.correlation_id, RESULTS, 60_000);

    // Assess
    expect(answer['detail-type']).toBe('TRANSFER_COMPLETED');
    expect(detailValidator('TRANSFER_COMPLETED')(answer.detail)).toBeUndefined();
    expect(answer.detail).toMatchObject({
      user_id: ana.user_id,
      from_account_id: ana.account_id,
      to_account_id: SETTLEMENT.account_id,
      amount: 25_000,
      spei: { transfer_id: transferId, clave_rastreo: claveRastreoFor(transferId), to_clabe: request.to_clabe, beneficiary_name: 'María Elena Ruiz', receiving_bank: 'BBVA México' },
    });
    const events = await eventsFor(request.correlation_id);
    const types = events.map((e) => e['detail-type']);
    expect(types).toEqual(expect.arrayContaining(['SPEI_TRANSFER_STARTED', 'SPEI_TRANSFER_SENT', 'TRANSFER_COMPLETED']));
    expect(types.indexOf('SPEI_TRANSFER_SENT')).toBeLessThan(types.indexOf('TRANSFER_COMPLETED'));
    const started = events.find((e) => e['detail-type'] === 'SPEI_TRANSFER_STARTED') as BusEvent;
    expect(started.detail).toMatchObject({ transfer_id: transferId, clave_rastreo: claveRastreoFor(transferId) });
    const after = await balancesOf(accounts);
    expect(after.get(ana.account_id)).toBe(75_000);
    expect((after.get(SETTLEMENT.account_id) as number) - (before.get(SETTLEMENT.account_id) as number)).toBe(25_000);
    expect(after.get(IN_TRANSIT.account_id)).toBe(before.get(IN_TRANSIT.account_id));
    expect(sumOf(after)).toBe(sumOf(before));
    const mine = await ledgerOf([ana.account_id]);
    expect(mine).toEqual([expect.objectContaining({ direction: 'debit', amount: 25_000, counterparty_account_id: IN_TRANSIT.account_id, clave_rastreo: claveRastreoFor(transferId) })]);
    expect(await orderOf(transferId)).toMatchObject({ status: 'liquidada', end_transaction_id: expect.any(String) });
    const history = await finished(transferId);
    expect(history.states.map((s) => s.name)).toEqual(['Hold', 'Held', 'SendOrder', 'PublishSent', 'AwaitResult', 'Outcome', 'Settle', 'PublishCompleted', 'Settled']);
  });

  it('gives the money back when the receiving bank returns the order: the customer whole, SPEI.RETURNED saying why', async () => {
    // Prepare
    const run = runId();
    const ana: TestAccount = { user_id: `user-${run}-ana`, account_id: `acc-${run}-ana`, balance: 100_000 };
    await createAccounts([ana]);
    const accounts = [ana, IN_TRANSIT, SETTLEMENT];
    const before = await balancesOf(accounts);
    const request = speiRequest(run, ana, clabeEnding('0000'), 30_000);

    // Act
    await putRequests([{ detailType: 'SPEI_TRANSFER_REQUEST', detail: request }]);
    const answer = await answerTo(request.correlation_id, RESULTS, 60_000);

    // Assess
    expect(answer['detail-type']).toBe('TRANSFER_FAILED');
    expect(answer.detail).toMatchObject({ reason: 'SPEI.RETURNED', params: { return_reason: 'cuenta_inexistente', bank: 'BBVA México', amount: { amount: 30_000, currency: 'MXN' } } });
    expect(String(answer.detail.message)).toContain('the account does not exist');
    const after = await balancesOf(accounts);
    expect(after).toEqual(before);
    const rows = await ledgerOf([ana.account_id]);
    expect(rows.map((r) => [r.direction, r.amount]).sort()).toEqual([
      ['credit', 30_000],
      ['debit', 30_000],
    ]);
    expect(await orderOf(speiTransferId(request))).toMatchObject({ status: 'devuelta', return_reason: 'cuenta_inexistente' });
  });

  it('asks the participant before giving the money back when it never answers: the order cancelled there, the customer whole, SPEI.TIMED_OUT, and a late result changes nothing', async () => {
    // Prepare
    const run = runId();
    const ana: TestAccount = { user_id: `user-${run}-ana`, account_id: `acc-${run}-ana`, balance: 100_000 };
    await createAccounts([ana]);
    const accounts = [ana, IN_TRANSIT, SETTLEMENT];
    const before = await balancesOf(accounts);
    const request = speiRequest(run, ana, clabeEnding('9999'), 40_000);
    const transferId = speiTransferId(request);

    // Act
    await putRequests([{ detailType: 'SPEI_TRANSFER_REQUEST', detail: request }]);
    const answer = await answerTo(request.correlation_id, RESULTS, 60_000);
    const late = await postResult({ order_id: transferId, clave_rastreo: claveRastreoFor(transferId), status: 'liquidada', settled_at: new Date().toISOString() });

    // Assess
    expect(answer['detail-type']).toBe('TRANSFER_FAILED');
    expect(answer.detail).toMatchObject({ reason: 'SPEI.TIMED_OUT', params: { amount: { amount: 40_000, currency: 'MXN' } } });
    expect(late).toEqual({ status: 200, body: expect.objectContaining({ recorded: 'already_recorded', status: 'timed_out' }) });
    expect(await balancesOf(accounts)).toEqual(before);
    expect(await orderOf(transferId)).toMatchObject({ status: 'timed_out' });
    const history = await finished(transferId);
    expect(history.states.find((s) => s.name === 'AwaitResult')?.error?.error).toBe('States.Timeout');
    expect(history.states.map((s) => s.name)).toEqual(['Hold', 'Held', 'SendOrder', 'PublishSent', 'AwaitResult', 'ResolveTimeout', 'Outcome', 'GiveBack', 'PublishFailed', 'GivenBack']);
    // The participant cancelled it: it will never settle, and says so when asked again.
    expect(await participantOrder(transferId)).toMatchObject({ status: 'cancelada', callbacks: [] });
  });

  it('settles, never gives back, an order the participant settled but whose result was lost: the customer debited once, the settlement account credited, TRANSFER_COMPLETED', async () => {
    // Prepare
    const run = runId();
    const ana: TestAccount = { user_id: `user-${run}-ana`, account_id: `acc-${run}-ana`, balance: 100_000 };
    await createAccounts([ana]);
    const accounts = [ana, IN_TRANSIT, SETTLEMENT];
    const before = await balancesOf(accounts);
    const request = speiRequest(run, ana, clabeEnding('8888'), 35_000);
    const transferId = speiTransferId(request);

    // Act
    await putRequests([{ detailType: 'SPEI_TRANSFER_REQUEST', detail: request }]);
    const answer = await answerTo(request.correlation_id, RESULTS, 60_000);
    const history = await finished(transferId);

    // Assess
    expect(answer['detail-type']).toBe('TRANSFER_COMPLETED');
    expect(answer.detail).toMatchObject({ user_id: ana.user_id, to_account_id: SETTLEMENT.account_id, amount: 35_000, spei: { transfer_id: transferId } });
    const after = await balancesOf(accounts);
    expect(after.get(ana.account_id)).toBe(65_000);
    expect((after.get(SETTLEMENT.account_id) as number) - (before.get(SETTLEMENT.account_id) as number)).toBe(35_000);
    expect(after.get(IN_TRANSIT.account_id)).toBe(before.get(IN_TRANSIT.account_id));
    expect(sumOf(after)).toBe(sumOf(before));
    const rows = await ledgerOf([ana.account_id]);
    expect(rows.map((r) => [r.direction, r.amount])).toEqual([['debit', 35_000]]);
    expect(await orderOf(transferId)).toMatchObject({ status: 'liquidada', end_transaction_id: expect.any(String) });
    expect(history.states.find((s) => s.name === 'AwaitResult')?.error?.error).toBe('States.Timeout');
    expect(history.states.map((s) => s.name)).toEqual(['Hold', 'Held', 'SendOrder', 'PublishSent', 'AwaitResult', 'ResolveTimeout', 'Outcome', 'Settle', 'PublishCompleted', 'Settled']);
    expect((await eventsFor(request.correlation_id)).filter((e) => RESULTS.includes(e['detail-type'])).map((e) => e['detail-type'])).toEqual(['TRANSFER_COMPLETED']);
    // The participant settled it and never sent the result; asked, it said liquidada.
    expect(await participantOrder(transferId)).toMatchObject({ status: 'liquidada', callbacks: [] });
  });

  it('changes nothing on a duplicated or out-of-order result after the first, and refuses an unsigned one', async () => {
    // Prepare
    const run = runId();
    const ana: TestAccount = { user_id: `user-${run}-ana`, account_id: `acc-${run}-ana`, balance: 100_000 };
    await createAccounts([ana]);
    const request = speiRequest(run, ana, clabeEnding('4321'), 10_000);
    const transferId = speiTransferId(request);
    const clave = claveRastreoFor(transferId);
    await putRequests([{ detailType: 'SPEI_TRANSFER_REQUEST', detail: request }]);
    await answerTo(request.correlation_id, RESULTS, 60_000);
    const accounts = [ana, IN_TRANSIT, SETTLEMENT];
    const settled = await balancesOf(accounts);
    const orders = await dumpTable('spei-orders');

    // Act
    const again = await postResult({ order_id: transferId, clave_rastreo: clave, status: 'liquidada' });
    const contrary = await postResult({ order_id: transferId, clave_rastreo: clave, status: 'devuelta', reason: 'cuenta_inexistente' });
    const forged = await postResult({ order_id: transferId, clave_rastreo: clave, status: 'devuelta' }, 'not-the-shared-secret');

    // Assess
    expect(again).toEqual({ status: 200, body: expect.objectContaining({ recorded: 'already_recorded', status: 'liquidada' }) });
    expect(contrary).toEqual({ status: 200, body: expect.objectContaining({ recorded: 'already_recorded', status: 'liquidada' }) });
    expect(forged.status).toBe(401);
    expect(await balancesOf(accounts)).toEqual(settled);
    expect(await dumpTable('spei-orders')).toBe(orders);
    expect((await eventsFor(request.correlation_id)).filter((e) => RESULTS.includes(e['detail-type']))).toHaveLength(1);
  });

  it('moves the money once for the same request delivered twice, and answers both with the same transfer', async () => {
    // Prepare
    const run = runId();
    const ana: TestAccount = { user_id: `user-${run}-ana`, account_id: `acc-${run}-ana`, balance: 100_000 };
    await createAccounts([ana]);
    const request = speiRequest(run, ana, clabeEnding('5678'), 20_000);
    const transferId = speiTransferId(request);

    // Act
    await putRequests([
      { detailType: 'SPEI_TRANSFER_REQUEST', detail: request },
      { detailType: 'SPEI_TRANSFER_REQUEST', detail: request },
    ]);
    await answerTo(request.correlation_id, RESULTS, 60_000);
    await finished(transferId);

    // Assess
    const started = (await eventsFor(request.correlation_id)).filter((e) => e['detail-type'] === 'SPEI_TRANSFER_STARTED');
    expect(started.length).toBe(2);
    for (const event of started) expect(event.detail).toMatchObject({ transfer_id: transferId, clave_rastreo: claveRastreoFor(transferId) });
    expect((await balancesOf([ana])).get(ana.account_id)).toBe(80_000);
    expect((await ledgerOf([ana.account_id])).filter((r) => r.direction === 'debit')).toHaveLength(1);
    const history = await getJson<ExecutionHistory>(`/executions/${transferId}`);
    expect(history.startRequests).toBe(2);
  });

  it.each([
    ['insufficient funds', 5_000, undefined, 'TRANSFER.INSUFFICIENT_FUNDS'],
    ['an amount above the MTU without a second factor', 1_300_000, undefined, 'TRANSFER.SECOND_FACTOR_REQUIRED'],
  ])('refuses %s and moves nothing', async (_what, balance, secondFactor, reason) => {
    // Prepare
    const run = runId();
    const ana: TestAccount = { user_id: `user-${run}-ana`, account_id: `acc-${run}-ana`, balance: balance === 5_000 ? 5_000 : 2_000_000 };
    await createAccounts([ana]);
    const request = speiRequest(run, ana, clabeEnding('2468'), balance === 5_000 ? 10_000 : balance, secondFactor ?? {});
    const before = { accounts: await dumpTable('accounts'), transactions: await dumpTable('transactions'), orders: await dumpTable('spei-orders') };

    // Act
    await putRequests([{ detailType: 'SPEI_TRANSFER_REQUEST', detail: request }]);
    const answer = await answerTo(request.correlation_id, RESULTS, 60_000);

    // Assess
    expect(answer['detail-type']).toBe('TRANSFER_FAILED');
    expect(answer.detail.reason).toBe(reason);
    await finished(speiTransferId(request));
    expect(await dumpTable('accounts')).toBe(before.accounts);
    expect(await dumpTable('transactions')).toBe(before.transactions);
    expect(await dumpTable('spei-orders')).toBe(before.orders);
    expect((await eventsFor(request.correlation_id)).map((e) => e['detail-type'])).not.toContain('SPEI_TRANSFER_SENT');
  });

  it.each([
    ['Centli’s own bank code', () => makeClabe({ bank: '999', plaza: '180', account: '10000004821' }), 'TRANSFER.OWN_BANK_CLABE'],
    ['a wrong check digit', () => ((valid: string) => `${valid.slice(0, 17)}${(Number(valid[17]) + 1) % 10}`)(clabeEnding('1357')), 'TRANSFER.INVALID_CLABE'],
  ])('refuses a CLABE with %s before starting anything', async (_what, clabe, reason) => {
    // Prepare
    const run = runId();
    const ana: TestAccount = { user_id: `user-${run}-ana`, account_id: `acc-${run}-ana`, balance: 100_000 };
    await createAccounts([ana]);
    const request = speiRequest(run, ana, clabe(), 1_000);

    // Act
    await putRequests([{ detailType: 'SPEI_TRANSFER_REQUEST', detail: request }]);
    const answer = await answerTo(request.correlation_id, RESULTS, 30_000);

    // Assess
    expect(answer.detail).toMatchObject({ reason, field: 'to_clabe' });
    expect(await getJson(`/executions/${speiTransferId(request)}`).catch((error: Error) => error.message)).toMatch(/404/);
  });
});

describe('a SPEI transfer’s status', () => {
  it('answers the customer’s own transfer with its CEP fields, by id, by clave and as the latest to a CLABE; another customer hears not found', async () => {
    // Prepare
    const run = runId();
    const ana: TestAccount = { user_id: `user-${run}-ana`, account_id: `acc-${run}-ana`, balance: 100_000 };
    const luis: TestAccount = { user_id: `user-${run}-luis`, account_id: `acc-${run}-luis`, balance: 100_000 };
    await createAccounts([ana, luis]);
    const request = speiRequest(run, ana, clabeEnding('8642'), 12_345);
    const transferId = speiTransferId(request);
    await putRequests([{ detailType: 'SPEI_TRANSFER_REQUEST', detail: request }]);
    await answerTo(request.correlation_id, RESULTS, 60_000);
    const ask = async (userId: string, by: Record<string, string>) => {
      const query = { request_id: `q-${Math.random().toString(36).slice(2)}`, correlation_id: `cq-${run}-${Math.random().toString(36).slice(2)}`, user_id: userId, ...by };
      await putRequests([{ detailType: 'TRANSFER_STATUS_QUERY', detail: query }]);
      return answerTo(query.correlation_id, ['TRANSFER_STATUS_RESPONSE', 'TRANSFER_STATUS_FAILED']);
    };

    // Act
    const byId = await ask(ana.user_id, { transfer_id: transferId });
    const byClave = await ask(ana.user_id, { clave_rastreo: claveRastreoFor(transferId) });
    const byClabe = await ask(ana.user_id, { to_clabe: request.to_clabe });
    const latest = await ask(ana.user_id, {});
    const stranger = await ask(luis.user_id, { transfer_id: transferId });
    const strangerByClave = await ask(luis.user_id, { clave_rastreo: claveRastreoFor(transferId) });

    // Assess
    for (const answer of [byId, byClave, byClabe, latest]) {
      expect(answer['detail-type']).toBe('TRANSFER_STATUS_RESPONSE');
      expect(detailValidator('TRANSFER_STATUS_RESPONSE')(answer.detail)).toBeUndefined();
      expect(answer.detail).toMatchObject({
        transfer_id: transferId,
        status: 'settled',
        cep: {
          sending_bank: 'Centli',
          receiving_bank: 'BBVA México',
          beneficiary_account_ending: request.to_clabe.slice(-4),
          amount: 12_345,
          clave_rastreo: claveRastreoFor(transferId),
          concepto: 'Renta de marzo',
          check_url: 'https://www.banxico.org.mx/cep/',
        },
      });
    }
    for (const answer of [stranger, strangerByClave]) expect(answer.detail).toMatchObject({ reason: 'TRANSFER_STATUS.NOT_FOUND' });
  });
});
