/**
 * A chat session follows its token (issue #17, item 4), on the running stack: a real WebSocket,
 * the sessions table in DynamoDB Local, the gateway's functions invoked through the local Lambda
 * API as EventBridge Scheduler and the bank's operators invoke them in AWS. A token's expiry is
 * reached by moving the session's recorded expiry into the past (the stack's demo tokens live
 * twelve hours); how connect derives that expiry from the token is checked on the item itself.
 */
import { InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { DeleteCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { decodeJwt } from 'jose';
import WebSocket from 'ws';
import { closeClients, documents, endpoints, table } from '../support';
import { ChatClient } from './support';

const SESSIONS = table('sessions');
const credentials = { accessKeyId: 'local', secretAccessKey: 'local' };
let lambda: LambdaClient;

/** The open sessions of a customer, newest first, as the gateway finds them. */
async function openSessionsOf(userId: string): Promise<Array<{ connection_id: string; expires_at: number; connected_at: string; open_shard?: string }>> {
  const result = await documents().send(
    new QueryCommand({ TableName: SESSIONS, IndexName: 'user_id-index', KeyConditionExpression: 'user_id = :u', FilterExpression: '#s = :open', ExpressionAttributeNames: { '#s': 'status' }, ExpressionAttributeValues: { ':u': userId, ':open': 'open' }, ScanIndexForward: false }),
  );
  return (result.Items ?? []) as Array<{ connection_id: string; expires_at: number; connected_at: string; open_shard?: string }>;
}

/** Makes the newest open session of the customer one whose token expired a second ago. */
async function expireNewestSessionOf(userId: string): Promise<string> {
  const [newest] = await openSessionsOf(userId);
  if (!newest) throw new Error(`${userId} has no open session`);
  await documents().send(new UpdateCommand({ TableName: SESSIONS, Key: { connection_id: newest.connection_id }, UpdateExpression: 'SET expires_at = :past', ExpressionAttributeValues: { ':past': Math.floor(Date.now() / 1000) - 1 } }));
  return newest.connection_id;
}

async function invoke(functionName: string, payload: unknown): Promise<Record<string, unknown>> {
  const result = await lambda.send(new InvokeCommand({ FunctionName: functionName, Payload: JSON.stringify(payload) }));
  const text = Buffer.from(result.Payload ?? []).toString();
  if (result.FunctionError) throw new Error(text);
  return JSON.parse(text) as Record<string, unknown>;
}

/** Whether a WebSocket handshake with this token is accepted, or the status it is refused with. */
function handshake(token: string): Promise<'open' | number> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(`${endpoints().websocket}?token=${encodeURIComponent(token)}`);
    socket.once('open', () => {
      socket.close();
      resolve('open');
    });
    socket.once('unexpected-response', (_request, response) => resolve(response.statusCode ?? 0));
    socket.once('error', reject);
  });
}

beforeAll(() => {
  lambda = new LambdaClient({ endpoint: endpoints().http, region: 'us-east-1', credentials });
});

afterAll(() => {
  lambda.destroy();
  closeClients();
});

describe('a chat session follows its token', () => {
  it('opens for as long as its token lives, and never longer than API Gateway keeps a socket (two hours)', async () => {
    // Prepare
    const token = endpoints().tokens['user-mateo'] ?? '';
    const before = Math.floor(Date.now() / 1000);

    // Act
    const mateo = await ChatClient.open('user-mateo');
    const [session] = await openSessionsOf('user-mateo');
    mateo.close();

    // Assess
    const exp = decodeJwt(token).exp ?? 0;
    expect(session?.expires_at).toBeLessThanOrEqual(Math.min(exp, Math.floor(Date.now() / 1000) + 7200));
    expect(session?.expires_at).toBeGreaterThanOrEqual(Math.min(exp, before + 7200));
    expect(session?.open_shard).toMatch(/^open#\d$/);
  });

  it('ends on the next message once its token expired: the customer is told to sign in again, the socket is closed, nothing is done', async () => {
    // Prepare
    const mateo = await ChatClient.open('user-mateo');
    const connectionId = await expireNewestSessionOf('user-mateo');

    // Act
    const answer = await mateo.ask('¿Cuál es mi saldo?');

    // Assess
    expect(answer).toMatchObject({ kind: 'error', text: 'Tu sesión expiró; vuelve a iniciar sesión.' });
    await expect(mateo.closedWithin()).resolves.toBe(true);
    expect((await openSessionsOf('user-mateo')).map((s) => s.connection_id)).not.toContain(connectionId);
  });

  it('ends even when the customer says nothing: the scheduled sweeper closes every socket whose token expired, and no other', async () => {
    // Prepare
    const mateo = await ChatClient.open('user-mateo');
    await expireNewestSessionOf('user-mateo');
    const sofia = await ChatClient.open('user-sofia');

    // Act
    const swept = await invoke('centli-agent-gateway-local-expire-sessions', { 'detail-type': 'Scheduled Event', source: 'aws.events', id: 'sweep-1', detail: {} });

    // Assess
    expect(swept.ended).toBeGreaterThanOrEqual(1);
    await expect(mateo.closedWithin()).resolves.toBe(true);
    expect(mateo.received.map((m) => m.text)).toEqual(['Tu sesión expiró; vuelve a iniciar sesión.']);
    await expect(sofia.closedWithin(500)).resolves.toBe(false);
    await expect(sofia.ask('¿Cuál es mi saldo?')).resolves.toMatchObject({ kind: 'answer' });
    sofia.close();
  });

  describe('a customer whose access is revoked', () => {
    afterAll(async () => {
      // The seeded customers' demo tokens are shared by every test: the revocation goes with this test.
      await documents().send(new DeleteCommand({ TableName: SESSIONS, Key: { connection_id: 'revoked#user-mateo' } }));
    });

    it('has every open socket closed at once, and the token they held opens none again', async () => {
      // Prepare
      const phone = await ChatClient.open('user-mateo');
      const laptop = await ChatClient.open('user-mateo');
      const sofia = await ChatClient.open('user-sofia');

      // Act
      const revoked = await invoke('centli-agent-gateway-local-revoke-sessions', { user_id: 'user-mateo' });

      // Assess
      expect(revoked).toEqual({ user_id: 'user-mateo', ended: 2 });
      await expect(phone.closedWithin()).resolves.toBe(true);
      await expect(laptop.closedWithin()).resolves.toBe(true);
      expect(phone.received.map((m) => m.text)).toEqual(['Tu sesión no es válida; vuelve a iniciar sesión.']);
      await expect(handshake(endpoints().tokens['user-mateo'] ?? '')).resolves.toBe(401);
      await expect(sofia.ask('¿Cuál es mi saldo?')).resolves.toMatchObject({ kind: 'answer' });
      sofia.close();
    });

    it('is refused without a customer to revoke, and revokes nothing', async () => {
      await expect(invoke('centli-agent-gateway-local-revoke-sessions', { user_id: '' })).rejects.toThrow('Invalid request: a customer user id is required. Nothing was done.');
    });
  });
});
