import { BedrockRuntimeClient, ConverseCommand } from '@aws-sdk/client-bedrock-runtime';
import { BedrockEngine } from '@centli/tools/adapters/bedrock-engine';
import { engineFromEnv } from '@centli/tools/adapters/intent-engines';
import { parseIntent } from '@centli/tools/intent/intent-parser';
import { converseAnswer, startConverseStub, type ConverseStub } from '../../../local/bedrock-runtime';

const context = { now: new Date('2026-11-26T16:00:00.000Z'), timeZone: 'America/Mexico_City', locale: 'es' as const };
const NOVA = 'amazon.nova-lite-v1:0';

describe('the local Converse endpoint', () => {
  let stub: ConverseStub;
  let client: BedrockRuntimeClient;

  beforeEach(async () => {
    stub = await startConverseStub();
    client = new BedrockRuntimeClient({ endpoint: stub.url, region: 'us-east-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' }, maxAttempts: 1 });
  });

  afterEach(async () => {
    client.destroy();
    await stub.stop();
  });

  it.each([
    ['a balance question', '¿Cuál es mi saldo?', 'get_balance'],
    ['a transfer', 'Transfiere 1 peso a mi hermano', 'transfer_funds'],
  ])('answers %s with the tool call the parser reads, through the real Bedrock engine', async (_what, text, tool) => {
    // Prepare
    const engine = new BedrockEngine(NOVA, client);

    // Act
    const understanding = await engine.understand(text, context);

    // Assess
    const parsed = parseIntent(text, context);
    expect(parsed).toMatchObject({ kind: 'tool', call: { name: tool } });
    expect(understanding).toEqual(parsed);
    expect(stub.waits).toEqual([0]);
  });

  it('answers what the parser cannot read with an empty end_turn, which the engine takes as not understood', async () => {
    // Prepare
    const engine = new BedrockEngine(NOVA, client);

    // Act
    const understanding = await engine.understand('qwertyuiop asdfgh', context);

    // Assess
    expect(understanding).toEqual({ kind: 'unknown', locale: expect.any(String) });
    expect(stub.waits).toHaveLength(1);
  });

  it('waits the drawn delay before it answers, and reports it as Bedrock’s latencyMs', async () => {
    // Prepare
    const draws = [120, 30];
    stub.setDelay(() => draws.shift() ?? 0);
    const engine = new BedrockEngine(NOVA, client);

    // Act
    const started = performance.now();
    await engine.understand('¿Cuál es mi saldo?', context);
    const first = performance.now() - started;
    const response = await client.send(new ConverseCommand({ modelId: NOVA, messages: [{ role: 'user', content: [{ text: '¿Cuál es mi saldo?' }] }] }));

    // Assess
    expect(first).toBeGreaterThanOrEqual(115);
    expect(stub.waits).toEqual([120, 30]);
    expect(response.metrics?.latencyMs).toBe(30);
    expect(response.stopReason).toBe('tool_use');
  });

  it('is reached by the engine INTENT_ENGINE=bedrock builds, through AWS_ENDPOINT_URL_BEDROCK_RUNTIME', async () => {
    // Prepare
    const saved = { ...process.env };
    Object.assign(process.env, { AWS_ENDPOINT_URL_BEDROCK_RUNTIME: stub.url, AWS_ACCESS_KEY_ID: 'local', AWS_SECRET_ACCESS_KEY: 'local', AWS_REGION: 'us-east-1' });
    try {
      const engine = engineFromEnv({ INTENT_ENGINE: 'bedrock' });

      // Act
      const understanding = await engine.understand('¿Cuál es mi saldo?', context);

      // Assess
      expect(understanding).toEqual({ kind: 'tool', locale: 'es', call: { name: 'get_balance', args: {} } });
      expect(stub.waits).toEqual([0]);
    } finally {
      for (const key of Object.keys(process.env)) if (!(key in saved)) delete process.env[key];
      Object.assign(process.env, saved);
    }
  });

  it.each([
    ['another path', '/model/x/invoke', { authorization: 'AWS4-HMAC-SHA256 Credential=local' }, '{}', 404, 'UnknownOperationException'],
    ['an unsigned request', `/model/${NOVA}/converse`, {}, '{"messages":[]}', 403, 'MissingAuthenticationTokenException'],
    ['a body that is not JSON', `/model/${NOVA}/converse`, { authorization: 'AWS4-HMAC-SHA256 Credential=local' }, 'nope', 400, 'ValidationException'],
    ['a request without messages', `/model/${NOVA}/converse`, { authorization: 'AWS4-HMAC-SHA256 Credential=local' }, '{"messages":[]}', 400, 'ValidationException'],
  ])('refuses %s as Bedrock does', async (_what, path, headers, body, status, type) => {
    // Prepare
    const http2 = await import('node:http2');
    const session = http2.connect(stub.url);

    // Act
    const answer = await new Promise<{ status: number; type: string }>((resolve, reject) => {
      const stream = session.request({ ':method': 'POST', ':path': path, 'content-type': 'application/json', ...headers });
      let status = 0;
      let type = '';
      stream.on('response', (h) => {
        status = Number(h[':status']);
        type = String(h['x-amzn-errortype'] ?? '');
      });
      stream.on('data', () => undefined);
      stream.on('end', () => resolve({ status, type }));
      stream.on('error', reject);
      stream.end(body);
    });
    session.close();

    // Assess
    expect(answer).toEqual({ status, type });
    expect(stub.waits).toEqual([]);
  });
});

describe('converseAnswer', () => {
  it('reads relative dates from the instant and time zone the engine wrote in the system prompt', () => {
    // Prepare
    const body = {
      system: [{ text: 'You are a bank assistant.\nNow: 2026-11-26T16:00:00.000Z (America/Mexico_City).' }],
      messages: [{ role: 'user', content: [{ text: '¿Cuánto gasté ayer?' }] }],
    };

    // Act
    const answer = converseAnswer(body);

    // Assess
    const block = answer.output.message.content[0] as { toolUse: { name: string; input: Record<string, unknown> } };
    expect(answer.stopReason).toBe('tool_use');
    expect(JSON.stringify(block.toolUse.input)).toContain('2026-11-25');
  });
});
