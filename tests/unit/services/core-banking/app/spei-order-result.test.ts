/**
 * The participant's result and the saga's timeout race on one conditional update of the order
 * record: whichever lands first is the order's result, the other follows it. Here against an
 * in-memory store with the same condition (a result only from held or sent, only for the order's
 * clave); the integration tests run it against DynamoDB Local.
 */
import { TransientError } from '@centli/pure/errors';
import { signBody } from '@centli/pure/signed-body';
import type { SpeiTransferRequest } from '@centli/schemas';
import { receiveOrderResult, type OrderResultDeps } from '../../../../../services/core-banking/src/app/spei-order-result';
import type { CancelAnswer } from '../../../../../services/core-banking/src/adapters/spei-participant';
import { resolveSpeiTimeout } from '../../../../../services/core-banking/src/app/spei-resolve-timeout';
import { OPEN_STATUSES, planHold, type SpeiOrderRecord, type SpeiResult } from '../../../../../services/core-banking/src/domain/spei-out';
import { limits } from '../fixtures';

const SECRET = 'test-secret';
const request: SpeiTransferRequest = { request_id: 'req-1', correlation_id: 'corr-1', user_id: 'user-ana', from_account_id: 'acc-ana', to_clabe: '002180012345678906', beneficiary_name: 'María', amount: 25_000, currency: 'MXN' };
const accounts = { inTransit: { account_id: 'acc-spei-transito-0001', user_id: 'bank-spei' }, settlement: { account_id: 'acc-spei-liquidacion-0001', user_id: 'bank-spei' } };

function fakeStore(record: SpeiOrderRecord) {
  const orders = new Map([[record.transfer_id, { ...record }]]);
  const refusals = new Map<string, unknown>();
  return {
    orders,
    getOrder: async (id: string) => (orders.has(id) ? { ...(orders.get(id) as SpeiOrderRecord) } : undefined),
    recordResult: async (id: string, clave: string, result: SpeiResult, at: string) => {
      const now = orders.get(id);
      if (!now || !OPEN_STATUSES.includes(now.status) || now.clave_rastreo !== clave) return undefined;
      Object.assign(now, { status: result.status, result_at: at, ...(result.status === 'devuelta' && result.reason ? { return_reason: result.reason } : {}) });
      return { ...now };
    },
    settleRefusal: async (pk: string, outcome: unknown) => {
      if (!refusals.has(pk)) refusals.set(pk, outcome);
      return { pk, status: 'refused', outcome: refusals.get(pk), created_at: '' } as never;
    },
  };
}

function held(status: SpeiOrderRecord['status'] = 'sent', token?: string): SpeiOrderRecord {
  const { record } = planHold({ transfer_id: 'spei-1', clave_rastreo: 'CENTLI1', request }, accounts, limits, new Date(), 'hash');
  return { ...record, status, ...(token ? { task_token: token } : {}) };
}

function signed(body: Record<string, unknown>, secret = SECRET): [Buffer, string] {
  const text = JSON.stringify(body);
  return [Buffer.from(text), signBody(secret, text, new Date())];
}

function deps(store: ReturnType<typeof fakeStore>): OrderResultDeps & { handed: Array<[string, unknown]> } {
  const handed: Array<[string, unknown]> = [];
  return {
    store,
    saga: {
      succeed: async (token: string, output: unknown) => {
        handed.push([token, output]);
        return true;
      },
    },
    secret: SECRET,
    now: () => new Date(),
    handed,
  };
}

describe('receiveOrderResult', () => {
  it('records the first result once and hands it to the waiting task’s token', async () => {
    const store = fakeStore(held('sent', 'token-1'));
    const d = deps(store);

    const reply = await receiveOrderResult(...signed({ order_id: 'spei-1', clave_rastreo: 'CENTLI1', status: 'liquidada' }), d);

    expect(reply).toEqual({ status: 200, body: { order_id: 'spei-1', recorded: 'recorded', status: 'liquidada' } });
    expect(store.orders.get('spei-1')?.status).toBe('liquidada');
    expect(d.handed).toEqual([['token-1', { status: 'liquidada' }]]);
  });

  it('changes nothing for a contrary result after the first, and answers 200 with the result that stands', async () => {
    const store = fakeStore(held('liquidada', 'token-1'));
    const d = deps(store);

    const reply = await receiveOrderResult(...signed({ order_id: 'spei-1', clave_rastreo: 'CENTLI1', status: 'devuelta', reason: 'cuenta_inexistente' }), d);

    expect(reply).toEqual({ status: 200, body: { order_id: 'spei-1', recorded: 'already_recorded', status: 'liquidada' } });
    expect(store.orders.get('spei-1')?.status).toBe('liquidada');
    expect(d.handed).toEqual([]);
  });

  it('changes nothing for a result that arrives after the timeout', async () => {
    const store = fakeStore(held('timed_out'));

    const reply = await receiveOrderResult(...signed({ order_id: 'spei-1', clave_rastreo: 'CENTLI1', status: 'liquidada' }), deps(store));

    expect(reply.body).toMatchObject({ recorded: 'already_recorded', status: 'timed_out' });
    expect(store.orders.get('spei-1')?.status).toBe('timed_out');
  });

  it.each([
    ['a wrong signature', signed({ order_id: 'spei-1', clave_rastreo: 'CENTLI1', status: 'liquidada' }, 'not-it'), 401],
    ['a body its schema refuses', signed({ order_id: 'spei-1', clave_rastreo: 'CENTLI1', status: 'pagada' }), 400],
    ['another order’s clave', signed({ order_id: 'spei-1', clave_rastreo: 'OTHER1', status: 'liquidada' }), 409],
    ['an unknown order', signed({ order_id: 'spei-2', clave_rastreo: 'CENTLI1', status: 'liquidada' }), 404],
  ] as const)('refuses %s and writes nothing', async (_what, [body, signature], status) => {
    const store = fakeStore(held('sent', 'token-1'));

    const reply = await receiveOrderResult(body, signature, deps(store));

    expect(reply.status).toBe(status);
    expect(store.orders.get('spei-1')?.status).toBe('sent');
  });
});

/** A participant that answers every cancel with `answer` (or throws it), and counts the orders it was asked about. */
function fakeParticipant(answer: CancelAnswer | Error = { status: 'cancelada' }) {
  const asked: string[] = [];
  return {
    asked,
    cancelOrder: async (orderId: string) => {
      asked.push(orderId);
      if (answer instanceof Error) throw answer;
      return answer;
    },
  };
}

describe('resolveSpeiTimeout', () => {
  const input = { transfer_id: 'spei-1', correlation_id: 'corr-1', user_id: 'user-ana', request };
  const resolve = (store: ReturnType<typeof fakeStore>, participant = fakeParticipant()) => resolveSpeiTimeout(input, { store, participant, now: () => new Date() });

  it('asks the participant first and marks an order it cancelled timed_out', async () => {
    const store = fakeStore(held('sent'));
    const participant = fakeParticipant({ status: 'cancelada' });

    await expect(resolve(store, participant)).resolves.toEqual({ transfer_id: 'spei-1', status: 'timed_out' });
    expect(store.orders.get('spei-1')?.status).toBe('timed_out');
    expect(participant.asked).toEqual(['spei-1']);
  });

  it('records and follows a settlement whose result was lost: liquidada, never given back', async () => {
    const store = fakeStore(held('sent'));

    await expect(resolve(store, fakeParticipant({ status: 'liquidada' }))).resolves.toEqual({ transfer_id: 'spei-1', status: 'liquidada' });
    expect(store.orders.get('spei-1')?.status).toBe('liquidada');
  });

  it('records and follows a return whose result was lost, with its reason', async () => {
    const store = fakeStore(held('sent'));

    await expect(resolve(store, fakeParticipant({ status: 'devuelta', reason: 'cuenta_inexistente' }))).resolves.toEqual({ transfer_id: 'spei-1', status: 'devuelta' });
    expect(store.orders.get('spei-1')).toMatchObject({ status: 'devuelta', return_reason: 'cuenta_inexistente' });
  });

  it('records nothing while the participant cannot answer: the money stays in transit and the task retries', async () => {
    const store = fakeStore(held('sent'));

    await expect(resolve(store, fakeParticipant(new TransientError('the SPEI participant answered 503')))).rejects.toThrow(TransientError);
    expect(store.orders.get('spei-1')?.status).toBe('sent');
  });

  it('keeps a result recorded while the participant was asked: the first result stands', async () => {
    const store = fakeStore(held('sent'));
    const participant = {
      cancelOrder: async () => {
        Object.assign(store.orders.get('spei-1') as SpeiOrderRecord, { status: 'liquidada' });
        return { status: 'cancelada' as const };
      },
    };

    await expect(resolveSpeiTimeout(input, { store, participant, now: () => new Date() })).resolves.toEqual({ transfer_id: 'spei-1', status: 'liquidada' });
    expect(store.orders.get('spei-1')?.status).toBe('liquidada');
  });

  it.each(['liquidada', 'devuelta'] as const)('follows a %s result that landed first, and a late timeout changes nothing nor asks', async (status) => {
    const store = fakeStore(held(status));
    const participant = fakeParticipant();

    await expect(resolve(store, participant)).resolves.toEqual({ transfer_id: 'spei-1', status });
    expect(store.orders.get('spei-1')?.status).toBe(status);
    expect(participant.asked).toEqual([]);
  });

  it('lets exactly one of a result and a timeout racing win, whichever order they land in', async () => {
    for (const resultFirst of [true, false]) {
      const store = fakeStore(held('sent'));
      const d = deps(store);
      const result = () => receiveOrderResult(...signed({ order_id: 'spei-1', clave_rastreo: 'CENTLI1', status: 'liquidada' }), d);
      const timeout = () => resolve(store);

      const [first, second] = resultFirst ? [await result(), await timeout()] : [await timeout(), await result()];

      const standing = store.orders.get('spei-1')?.status;
      expect(standing).toBe(resultFirst ? 'liquidada' : 'timed_out');
      if (resultFirst) expect(second).toEqual({ transfer_id: 'spei-1', status: 'liquidada' });
      else expect(second).toMatchObject({ status: 200, body: { recorded: 'already_recorded', status: 'timed_out' } });
      expect(first).toBeDefined();
    }
  });

  it('closes a request nothing was held for (not_held), with the failure to publish', async () => {
    const store = fakeStore(held('sent'));
    store.orders.clear();

    const answer = await resolve(store);

    expect(answer).toMatchObject({ transfer_id: 'spei-1', status: 'not_held', failure: { reason: 'TRANSFER.FAILED', request_id: 'req-1', correlation_id: 'corr-1' } });
  });
});
