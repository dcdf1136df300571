/**
 * Per-customer rate limits on the running stack, the same on every door: a burst of one
 * customer's calls is served up to the minute's limit (60 reads, 10 new operations) and refused
 * past it with RATE.LIMITED and when to retry, while another customer is served; a retry of an
 * operation already asked for is not a new one; the chat answers politely. The counters are the
 * stack's DynamoDB table, taken with one conditional update each, so a concurrent burst cannot
 * slip past the limit. Each test removes the counters it spent, so the customers it borrows are
 * whole again for the tests after it (integration tests run one at a time).
 */
import { DeleteCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { DEFAULT_RATE_LIMITS, rateWindow, type RateKind } from '@centli/pure/rate-limit';
import { RateLimiter } from '@centli/tools/adapters/rate-limiter';
import { ChatClient } from './chat/support';
import { call, connectHttp, textOf, type ApprovalAnswer } from './mcp/support';
import { closeClients, documents, runId, table } from './support';

const RATES = table('rate-limits');

/** Waits until the minute has at least `seconds` left, so a burst falls in one window. */
async function inOneMinute(seconds = 20): Promise<void> {
  const left = 60 - (Math.floor(Date.now() / 1000) % 60);
  if (left < seconds) await new Promise((resolve) => setTimeout(resolve, left * 1000 + 200));
}

/** Forgets a customer's counters of this minute and the next (whichever the test spent). */
async function forget(userId: string, kind: RateKind): Promise<void> {
  const now = Date.now();
  for (const at of [now - 60_000, now, now + 60_000]) await documents().send(new DeleteCommand({ TableName: RATES, Key: { pk: rateWindow(userId, kind, new Date(at)).key } }));
}

/** A burst already spent: the customer's counter of this minute and the next at the limit. */
async function spent(userId: string, kind: RateKind): Promise<void> {
  const now = Date.now();
  for (const at of [now, now + 60_000]) {
    const window = rateWindow(userId, kind, new Date(at));
    await documents().send(new PutCommand({ TableName: RATES, Item: { pk: window.key, count: DEFAULT_RATE_LIMITS[kind], ttl: window.ttl } }));
  }
}

describe('per-customer rate limits', () => {
  const clients: Client[] = [];
  afterAll(async () => {
    await Promise.all(clients.map((client) => client.close()));
    closeClients();
  });

  it('takes exactly the limit of 150 concurrent counts for one customer, and leaves another customer’s untouched', async () => {
    // Prepare
    const limiter = new RateLimiter({ tableName: RATES, db: documents() });
    const [busy, other] = [`user-burst-${runId()}`, `user-calm-${runId()}`];
    await inOneMinute();

    // Act
    const decisions = await Promise.all(Array.from({ length: 150 }, () => limiter.take(busy, 'read', new Date())));
    const calm = await limiter.take(other, 'read', new Date());

    // Assess
    expect(decisions.filter((decision) => decision.allowed)).toHaveLength(60);
    expect(decisions.filter((decision) => !decision.allowed)).toEqual(Array.from({ length: 90 }, () => ({ allowed: false, retryAfter: expect.any(Number) })));
    expect(calm).toEqual({ allowed: true });
  });

  it('serves 60 of 150 get_balance calls in a burst over MCP, refuses the rest with RATE.LIMITED and when to retry, and serves another customer', async () => {
    // Prepare
    const luis = await connectHttp('user-luis');
    const carlos = await connectHttp('user-carlos');
    clients.push(luis, carlos);
    await forget('user-luis', 'read');
    await inOneMinute();

    try {
      // Act
      const burst = await Promise.all(Array.from({ length: 150 }, () => call(luis, 'get_balance')));
      const other = await call(carlos, 'get_balance');

      // Assess
      const refused = burst.filter((result) => result.isError);
      expect(burst.length - refused.length).toBe(60);
      expect(new Set(refused.map((result) => result._meta?.code))).toEqual(new Set(['RATE.LIMITED']));
      expect(refused.every((result) => Number(result._meta?.retry_after) >= 1 && Number(result._meta?.retry_after) <= 60)).toBe(true);
      expect(textOf(refused[0] as never)).toMatch(/^Recibí muchas solicitudes tuyas en este minuto; no se hizo nada\. Intenta de nuevo en \d+ segundos?\.$/);
      expect(other.isError).toBeUndefined();
    } finally {
      await forget('user-luis', 'read');
    }
  });

  it('opens 10 new operations a minute over MCP, refuses the 11th, and still answers a retry of one already asked for', async () => {
    // Prepare
    const luis = await connectHttp('user-luis');
    clients.push(luis);
    await forget('user-luis', 'write');
    await inOneMinute(30);
    const transfer = (pesos: number) => ({ to_account_id: 'acc-carlos-nomina-3954', amount: pesos * 100, description: 'prueba de limite' });

    try {
      // Act
      const asked = [];
      for (let pesos = 1; pesos <= 10; pesos++) asked.push(await call(luis, 'transfer_funds', transfer(pesos)));
      const eleventh = await call(luis, 'transfer_funds', transfer(11));
      const retry = await call(luis, 'transfer_funds', { ...transfer(1), approval_id: (asked[0]?.structuredContent as unknown as ApprovalAnswer).approval_id });

      // Assess: nothing moved; the approvals wait for Luis
      expect(asked.map((result) => (result.structuredContent as unknown as ApprovalAnswer | undefined)?.status)).toEqual(Array.from({ length: 10 }, () => 'approval_required'));
      expect(eleventh._meta?.code).toBe('RATE.LIMITED');
      expect(textOf(eleventh)).toMatch(/^Ya pediste muchas operaciones en este minuto; no se hizo nada\./);
      expect(retry.structuredContent).toMatchObject({ status: 'approval_pending' });
    } finally {
      await forget('user-luis', 'write');
    }
  });

  it('answers a chat message past the minute’s reads politely, asking no one, while another customer chats on', async () => {
    // Prepare
    await spent('user-sofia', 'read');
    const sofia = await ChatClient.open('user-sofia');
    const carlos = await ChatClient.open('user-carlos');

    try {
      // Act
      const limited = await sofia.ask('¿Cuál es mi saldo?');
      const served = await carlos.ask('¿Cuál es mi saldo?');

      // Assess
      expect(limited).toMatchObject({ kind: 'answer', text: expect.stringMatching(/^Recibí muchas solicitudes tuyas en este minuto; no se hizo nada\. Intenta de nuevo en \d+ segundos?\.$/) });
      expect(served).toMatchObject({ kind: 'answer', text: expect.stringMatching(/^Tus saldos:/) });
    } finally {
      sofia.close();
      carlos.close();
      await forget('user-sofia', 'read');
    }
  });
});
