/**
 * The local SPEI participant (local/spei.ts) on a loopback server, with a stand-in for Centli's
 * notification endpoint on the same server: it signs what it sends, sends again while Centli
 * fails, keeps Centli's answers, and in chaos mode sends a notification twice.
 */
import { readBody, sendJson, LocalHttpServer } from '../../../local/http';
import { Chaos } from '../../../local/chaos';
import { mountSpeiParticipant, orderOutcome, SPEI_PATH, type IncomingRecord, type SpeiParticipant } from '../../../local/spei';
import { makeClabe } from '@centli/pure/clabe';
import { SIGNATURE_HEADER, signBody, verifySignedBody } from '@centli/pure/signed-body';

const SECRET = 'participant-unit-secret';
const payment = { clabe: '999180100000048210', amount: 55000, sender_name: 'Juan Pérez', sender_bank: 'BBVA', concepto: 'renta diciembre', clave_rastreo: 'UNIT1' };

async function participant(options: { failures?: number; chaos?: Chaos; results?: boolean } = {}) {
  const server = new LocalHttpServer();
  const received: Array<{ body: string; signature: string | undefined; valid: boolean }> = [];
  let failures = options.failures ?? 0;
  const results: Array<{ body: Record<string, unknown>; valid: boolean }> = [];
  server.route(async (request, response, url) => {
    if (url.pathname !== '/centli/order-results') return false;
    const body = (await readBody(request)).toString('utf8');
    results.push({ body: JSON.parse(body) as Record<string, unknown>, valid: verifySignedBody(SECRET, body, request.headers[SIGNATURE_HEADER] as string | undefined, new Date()) === undefined });
    sendJson(response, 200, { ok: true });
    return true;
  });
  server.route(async (request, response, url) => {
    if (url.pathname !== '/centli') return false;
    const body = (await readBody(request)).toString('utf8');
    const signature = request.headers[SIGNATURE_HEADER] as string | undefined;
    received.push({ body, signature, valid: verifySignedBody(SECRET, body, signature, new Date()) === undefined });
    if (failures-- > 0) sendJson(response, 503, { message: 'Service Unavailable' });
    else sendJson(response, 200, { clave_rastreo: 'UNIT1', status: 'credited' });
    return true;
  });
  let url = '';
  const mounted: SpeiParticipant = mountSpeiParticipant(server, {
    secret: SECRET,
    notifyUrl: () => `${url}/centli`,
    ...(options.results ? { orderResultUrl: () => `${url}/centli/order-results` } : {}),
    settleAfterMs: 50,
    chaos: options.chaos,
    sleep: async () => undefined,
  });
  const records: Map<string, IncomingRecord> = mounted.incoming;
  url = await server.start();
  return { server, url, received, records, results, mounted };
}

const order = (clabe: string, id = 'ord-1') => ({ order_id: id, clave_rastreo: `CENTLI${id.replace(/-/g, '')}`, clabe, amount: 25000, beneficiary_name: 'Diego Martínez', concepto: 'cena' });
const sendOrder = (url: string, body: unknown, secret = SECRET) => {
  const text = JSON.stringify(body);
  return fetch(`${url}${SPEI_PATH}/orders`, { method: 'POST', headers: { 'content-type': 'application/json', [SIGNATURE_HEADER]: signBody(secret, text, new Date()) }, body: text });
};
const cancelOrder = async (url: string, id: string, secret = SECRET) => {
  const text = JSON.stringify({ order_id: id });
  const response = await fetch(`${url}${SPEI_PATH}/orders/${id}/cancel`, { method: 'POST', headers: { 'content-type': 'application/json', [SIGNATURE_HEADER]: signBody(secret, text, new Date()) }, body: text });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
};
const waitFor = async (done: () => boolean, ms = 3000) => {
  const deadline = Date.now() + ms;
  while (!done() && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20));
};

const post = (url: string, body: unknown) => fetch(`${url}${SPEI_PATH}/incoming`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

describe('the local SPEI participant', () => {
  it('notifies Centli with the payment’s fields, signed, and answers with Centli’s answer', async () => {
    // Prepare
    const p = await participant();
    try {
      // Act
      const response = await post(p.url, { ...payment, extra: 'not a field' });

      // Assess
      expect(response.status).toBe(200);
      expect(await response.json()).toMatchObject({ clave_rastreo: 'UNIT1', notifications: 1, centli: { status: 200, body: { status: 'credited' } } });
      expect(p.received).toEqual([{ body: JSON.stringify(payment), signature: expect.stringMatching(/^t=\d+,v1=[0-9a-f]{64}$/) as unknown, valid: true }]);
      const kept = await fetch(`${p.url}${SPEI_PATH}/incoming/UNIT1`);
      expect(await kept.json()).toMatchObject({ payment, notifications: 1, answers: [{ status: 200 }] });
    } finally {
      await p.server.stop();
    }
  });

  it('sends again, signed afresh, while Centli fails', async () => {
    // Prepare
    const p = await participant({ failures: 2 });
    try {
      // Act
      const response = await post(p.url, payment);

      // Assess
      expect(response.status).toBe(200);
      expect(p.received.map((r) => r.valid)).toEqual([true, true, true]);
      expect(p.records.get('UNIT1')?.answers).toHaveLength(1);
    } finally {
      await p.server.stop();
    }
  });

  it('gives up after its attempts, and says Centli did not answer', async () => {
    // Prepare
    const p = await participant({ failures: 99 });
    try {
      // Act
      const response = await post(p.url, payment);

      // Assess
      expect(response.status).toBe(504);
      expect(p.received).toHaveLength(5);
    } finally {
      await p.server.stop();
    }
  });

  it('sends a notification twice in chaos mode', async () => {
    // Prepare
    const p = await participant({ chaos: new Chaos({ seed: 7, rates: { duplicate: 1, delay: 0 } }) });
    try {
      // Act
      const response = await post(p.url, payment);

      // Assess
      expect(await response.json()).toMatchObject({ notifications: 2 });
      expect(p.received).toHaveLength(2);
      expect(p.received.every((r) => r.valid && r.body === JSON.stringify(payment))).toBe(true);
    } finally {
      await p.server.stop();
    }
  });

  it('refuses a simulation without a clave de rastreo', async () => {
    const p = await participant();
    try {
      const response = await post(p.url, { ...payment, clave_rastreo: undefined });
      expect(response.status).toBe(400);
      expect(p.received).toEqual([]);
    } finally {
      await p.server.stop();
    }
  });

  describe('orders', () => {
    it.each([
      ['an account ending in 0000', '00000000000', 'devuelta'],
      ['an account ending in 9999', '00000009999', 'silent'],
      ['an account ending in 8888', '00000008888', 'lost'],
      ['any other account', '00000001234', 'liquidada'],
    ])('settles an order to %s as the documented test CLABEs say', (_what, account, outcome) => {
      expect(orderOutcome(makeClabe({ bank: '012', plaza: '180', account }))).toBe(outcome);
    });

    it('accepts an order once, settles it after its time, and sends Centli the result signed', async () => {
      // Prepare
      const p = await participant({ results: true });
      try {
        const body = order(makeClabe({ bank: '012', plaza: '180', account: '00000001234' }));

        // Act
        const first = await sendOrder(p.url, body);
        const again = await sendOrder(p.url, body);
        await waitFor(() => p.results.length > 0);

        // Assess
        expect(first.status).toBe(202);
        expect(await again.json()).toEqual({ order_id: 'ord-1', clave_rastreo: 'CENTLIord1', status: 'accepted' });
        expect(p.results).toEqual([{ body: expect.objectContaining({ order_id: 'ord-1', status: 'liquidada' }) as unknown, valid: true }]);
        const kept = (await (await fetch(`${p.url}${SPEI_PATH}/orders/ord-1`)).json()) as { status: string; callbacks: unknown[] };
        expect(kept).toMatchObject({ status: 'liquidada', callbacks: [{ status: 200 }] });
      } finally {
        p.mounted.stop();
        await p.server.stop();
      }
    });

    it('returns an order to a CLABE ending in 0000 and never answers one ending in 9999', async () => {
      // Prepare
      const p = await participant({ results: true });
      try {
        // Act
        await sendOrder(p.url, order(makeClabe({ bank: '012', plaza: '180', account: '00000000000' }), 'ord-back'));
        await sendOrder(p.url, order(makeClabe({ bank: '012', plaza: '180', account: '00000009999' }), 'ord-silent'));
        await waitFor(() => p.results.length > 0);
        await new Promise((resolve) => setTimeout(resolve, 200));

        // Assess
        expect(p.results.map((r) => r.body)).toEqual([expect.objectContaining({ order_id: 'ord-back', status: 'devuelta', reason: 'cuenta_inexistente' })]);
        expect(p.mounted.orders.get('ord-silent')?.status).toBe('accepted');
      } finally {
        p.mounted.stop();
        await p.server.stop();
      }
    });

    it('refuses an order not signed with the shared secret, an order id reused for another order, and an invalid CLABE', async () => {
      const p = await participant();
      try {
        const clabe = makeClabe({ bank: '012', plaza: '180', account: '00000001234' });
        expect((await sendOrder(p.url, order(clabe), 'someone-else')).status).toBe(401);
        expect((await sendOrder(p.url, order(clabe))).status).toBe(202);
        expect((await sendOrder(p.url, { ...order(clabe), amount: 1 })).status).toBe(409);
        expect((await sendOrder(p.url, order(`${clabe.slice(0, 17)}${(Number(clabe[17]) + 1) % 10}`, 'ord-2'))).status).toBe(400);
        expect([...p.mounted.orders.keys()]).toEqual(['ord-1']);
      } finally {
        p.mounted.stop();
        await p.server.stop();
      }
    });

    it('cancels an order not yet settled for good (never settled, no result, the same answer twice) and answers a settled or returned one as it is', async () => {
      // Prepare
      const p = await participant({ results: true });
      try {
        await sendOrder(p.url, order(makeClabe({ bank: '012', plaza: '180', account: '00000001234' }), 'ord-pending'));
        await sendOrder(p.url, order(makeClabe({ bank: '012', plaza: '180', account: '00000008888' }), 'ord-lost'));
        await sendOrder(p.url, order(makeClabe({ bank: '012', plaza: '180', account: '00000000000' }), 'ord-back'));

        // Act
        const pending = await cancelOrder(p.url, 'ord-pending');
        await waitFor(() => p.mounted.orders.get('ord-lost')?.status === 'liquidada' && p.results.length > 0);
        await new Promise((resolve) => setTimeout(resolve, 200));
        const lost = await cancelOrder(p.url, 'ord-lost');
        const back = await cancelOrder(p.url, 'ord-back');
        const again = await cancelOrder(p.url, 'ord-pending');
        const forged = await cancelOrder(p.url, 'ord-lost', 'someone-else');
        const unknown = await cancelOrder(p.url, 'ord-never');

        // Assess
        expect(pending).toEqual({ status: 200, body: { order_id: 'ord-pending', status: 'cancelada' } });
        expect(again).toEqual(pending);
        expect(lost).toEqual({ status: 200, body: { order_id: 'ord-lost', status: 'liquidada' } });
        expect(back).toEqual({ status: 200, body: { order_id: 'ord-back', status: 'devuelta', reason: 'cuenta_inexistente' } });
        expect(forged.status).toBe(401);
        expect(unknown.status).toBe(404);
        expect(p.mounted.orders.get('ord-pending')?.status).toBe('cancelada');
        // The lost one settled without a result; the cancelled one never settled nor sent one.
        expect(p.results.map((r) => r.body.order_id)).toEqual(['ord-back']);
      } finally {
        p.mounted.stop();
        await p.server.stop();
      }
    });

    it('sends a result twice in chaos mode', async () => {
      const p = await participant({ results: true, chaos: new Chaos({ seed: 7, rates: { duplicate: 1, delay: 0 } }) });
      try {
        await sendOrder(p.url, order(makeClabe({ bank: '012', plaza: '180', account: '00000001234' })));
        await waitFor(() => p.results.length > 1);
        expect(p.results.map((r) => r.body.status)).toEqual(['liquidada', 'liquidada']);
      } finally {
        p.mounted.stop();
        await p.server.stop();
      }
    });
  });
});
