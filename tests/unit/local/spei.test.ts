/**
 * The local SPEI participant (local/spei.ts) on a loopback server, with a stand-in for Centli's
 * notification endpoint on the same server: it signs what it sends, sends again while Centli
 * fails, keeps Centli's answers, and in chaos mode sends a notification twice.
 */
import { readBody, sendJson, LocalHttpServer } from '../../../local/http';
import { Chaos } from '../../../local/chaos';
import { mountSpeiParticipant, SPEI_PATH, type IncomingRecord } from '../../../local/spei';
import { SIGNATURE_HEADER, verifySignedBody } from '@centli/pure/signed-body';

const SECRET = 'participant-unit-secret';
const payment = { clabe: '999180100000048210', amount: 55000, sender_name: 'Juan Pérez', sender_bank: 'BBVA', concepto: 'renta diciembre', clave_rastreo: 'UNIT1' };

async function participant(options: { failures?: number; chaos?: Chaos } = {}) {
  const server = new LocalHttpServer();
  const received: Array<{ body: string; signature: string | undefined; valid: boolean }> = [];
  let failures = options.failures ?? 0;
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
  const records: Map<string, IncomingRecord> = mountSpeiParticipant(server, { secret: SECRET, notifyUrl: () => `${url}/centli`, chaos: options.chaos, sleep: async () => undefined });
  url = await server.start();
  return { server, url, received, records };
}

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
});
