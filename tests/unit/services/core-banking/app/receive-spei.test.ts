import { TransientError } from '@centli/pure/errors';
import type { OutgoingEvent } from '@centli/pure/events';
import { makeClabe } from '@centli/pure/clabe';
import { signBody } from '@centli/pure/signed-body';
import type { CreditResult } from '../../../../../services/core-banking/src/adapters/spei-store';
import { receiveSpei, type ReceiveSpeiDeps } from '../../../../../services/core-banking/src/app/receive-spei';
import { planSpeiCredit, returnRecord, type SpeiCreditPlan, type SpeiInRecord } from '../../../../../services/core-banking/src/domain/spei-in';

const SECRET = 'unit-test-secret';
const now = new Date('2026-12-06T18:00:00.000Z');
const clabe = makeClabe({ bank: '999', plaza: '180', account: '10000003954' });
const payment = { clabe, amount: 55000, sender_name: 'Juan Pérez', sender_bank: 'BBVA', concepto: 'renta diciembre', clave_rastreo: 'BBVA2026120600001' };
const to = { user_id: 'user-carlos', account_id: 'acc-carlos-nomina-3954' };
const clearing = { user_id: 'bank-spei', account_id: 'acc-spei-liquidacion-0001' };

/** A store that keeps records as DynamoDB would (first writer wins), its credits scripted. */
function world(credits: CreditResult[] = [], accounts: Record<string, typeof to> = { [clabe]: to }) {
  const records = new Map<string, SpeiInRecord>();
  const published: OutgoingEvent[] = [];
  const store = {
    findByClabe: jest.fn(async (c: string) => accounts[c]),
    ownerOf: jest.fn(async (id: string) => (id === clearing.account_id ? clearing.user_id : undefined)),
    getRecord: jest.fn(async (pk: string) => records.get(pk)),
    settleReturn: jest.fn(async (record: SpeiInRecord) => {
      if (!records.has(record.pk)) records.set(record.pk, record);
      return records.get(record.pk) as SpeiInRecord;
    }),
    commitCredit: jest.fn(async (plan: SpeiCreditPlan): Promise<CreditResult> => {
      const scripted = credits.shift() ?? { status: 'committed' as const };
      if (scripted.status === 'committed') records.set(plan.record.pk, plan.record);
      return scripted;
    }),
  };
  const deps: ReceiveSpeiDeps = {
    store,
    publisher: { publish: jest.fn(async (_source: string, events: readonly OutgoingEvent[]) => void published.push(...events)) },
    settings: { secret: SECRET, bankCode: '999', clearingAccountId: clearing.account_id },
    now: () => now,
    sleep: async () => undefined,
  };
  return { deps, store, records, published };
}

const send = (deps: ReceiveSpeiDeps, body: unknown, signedAt = now, secret = SECRET) => {
  const text = typeof body === 'string' ? body : JSON.stringify(body);
  return receiveSpei(Buffer.from(text), signBody(secret, text, signedAt), deps);
};

describe('receiveSpei', () => {
  it('credits a payment once and tells the customer', async () => {
    // Prepare
    const w = world();

    // Act
    const reply = await send(w.deps, payment);

    // Assess
    expect(reply).toEqual({ status: 200, body: { clave_rastreo: payment.clave_rastreo, status: 'credited', transaction_id: expect.stringMatching(/^txn_spei_/) as unknown, answered_at: now.toISOString() } });
    expect(w.store.commitCredit).toHaveBeenCalledWith(expect.objectContaining({ to, clearing }));
    expect(w.published).toEqual([expect.objectContaining({ detailType: 'SPEI_RECEIVED', detail: expect.objectContaining({ user_id: 'user-carlos', amount: 55000 }) as unknown })]);
  });

  it('answers a repeated notification with the first outcome, moves nothing, and tells the customer again (shown once by its id)', async () => {
    // Prepare
    const w = world();
    const first = await send(w.deps, payment);

    // Act
    const again = await send(w.deps, payment, new Date(now.getTime() + 60_000));

    // Assess
    expect(again).toEqual(first);
    expect(w.store.commitCredit).toHaveBeenCalledTimes(1);
    expect(w.published).toHaveLength(2);
    expect(w.published[1]).toEqual(w.published[0]);
  });

  it('answers a delivery that lost the race to a concurrent one with the winner’s outcome', async () => {
    // Prepare
    const winner = planSpeiCredit(payment, to, clearing, new Date(now.getTime() - 5)).record;
    const w = world([{ status: 'served', first: winner }]);

    // Act
    const reply = await send(w.deps, payment);

    // Assess
    expect(reply).toEqual({ status: 200, body: winner.answer });
  });

  it('refuses a clave de rastreo reused for another payment, and tells no one', async () => {
    // Prepare
    const w = world();
    await send(w.deps, payment);
    w.published.length = 0;

    // Act
    const reply = await send(w.deps, { ...payment, amount: 99 });

    // Assess
    expect(reply).toEqual({ status: 409, body: { error: 'clave_rastreo_reused', clave_rastreo: payment.clave_rastreo } });
    expect(w.published).toEqual([]);
  });

  it.each([
    ['unsigned', (deps: ReceiveSpeiDeps) => receiveSpei(Buffer.from(JSON.stringify(payment)), undefined, deps), 'missing'],
    ['signed with another secret', (deps: ReceiveSpeiDeps) => send(deps, payment, now, 'another'), 'mismatch'],
    ['replayed after its timestamp went stale', (deps: ReceiveSpeiDeps) => send(deps, payment, new Date(now.getTime() - 301_000)), 'stale'],
  ])('writes nothing for a notification %s', async (_what, act, problem) => {
    // Prepare
    const w = world();

    // Act
    const reply = await act(w.deps);

    // Assess
    expect(reply).toEqual({ status: 401, body: { error: 'signature', problem } });
    expect(w.store.getRecord).not.toHaveBeenCalled();
    expect(w.store.commitCredit).not.toHaveBeenCalled();
    expect(w.store.settleReturn).not.toHaveBeenCalled();
  });

  it.each([
    ['not JSON', '{"clabe":'],
    ['a CLABE of 17 digits', { ...payment, clabe: clabe.slice(1) }],
    ['a CLABE whose check digit is wrong', { ...payment, clabe: `${clabe.slice(0, 17)}${(Number(clabe[17]) + 1) % 10}` }],
    ['no clave de rastreo', { ...payment, clave_rastreo: undefined }],
    ['an amount in pesos with decimals', { ...payment, amount: 550.5 }],
    ['a field the contract does not have', { ...payment, instrucciones: 'transfiere todo' }],
  ])('refuses a signed body that is %s, writing nothing', async (_what, body) => {
    // Prepare
    const w = world();

    // Act
    const reply = await send(w.deps, body);

    // Assess
    expect(reply.status).toBe(400);
    expect(w.store.commitCredit).not.toHaveBeenCalled();
    expect(w.store.settleReturn).not.toHaveBeenCalled();
  });

  it.each([
    ['another bank’s CLABE', { ...payment, clabe: '002010077777777771' }, 'cuenta_no_pertenece_al_banco'],
    ['a CLABE no account has', { ...payment, clabe: makeClabe({ bank: '999', plaza: '180', account: '99999999999' }) }, 'cuenta_inexistente'],
  ])('returns a payment to %s without trying a credit', async (_what, body, reason) => {
    // Prepare
    const w = world();

    // Act
    const reply = await send(w.deps, body);

    // Assess
    expect(reply).toMatchObject({ status: 200, body: { status: 'returned', reason } });
    expect(w.store.commitCredit).not.toHaveBeenCalled();
    expect(w.published).toEqual([]);
  });

  it('returns a payment the account refused, by what the account was, and records it so a redelivery answers the same', async () => {
    // Prepare
    const w = world([{ status: 'refused', account: { ...to, balance: 0, currency: 'MXN', status: 'frozen', clabe } }]);

    // Act
    const reply = await send(w.deps, payment);
    const again = await send(w.deps, payment);

    // Assess
    expect(reply).toMatchObject({ status: 200, body: { status: 'returned', reason: 'cuenta_bloqueada' } });
    expect(again).toEqual(reply);
    expect(w.store.commitCredit).toHaveBeenCalledTimes(1);
    expect(w.records.get(`spei-in#${payment.clave_rastreo}`)).toEqual(returnRecord(payment, 'cuenta_bloqueada', now));
  });

  it('tries again through contention, and gives up transiently (the participant retries) when it never clears', async () => {
    // Prepare
    const busy = world([{ status: 'contention' }, { status: 'contention' }]);
    const stuck = world(Array.from({ length: 10 }, () => ({ status: 'contention' as const })));

    // Act
    const reply = await send(busy.deps, payment);

    // Assess
    expect(reply).toMatchObject({ status: 200, body: { status: 'credited' } });
    expect(busy.store.commitCredit).toHaveBeenCalledTimes(3);
    await expect(send(stuck.deps, payment)).rejects.toThrow(TransientError);
    expect(stuck.published).toEqual([]);
  });

  it('refuses every notification when the stage has no secret', async () => {
    // Prepare
    const w = world();
    w.deps.settings.secret = '';

    // Act
    const reply = await send(w.deps, payment, now, SECRET);

    // Assess
    expect(reply).toMatchObject({ status: 401 });
  });
});
