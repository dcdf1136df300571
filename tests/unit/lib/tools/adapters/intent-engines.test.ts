import { readFileSync } from 'node:fs';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import { createServer as createHttp2Server, type Http2Server, type ServerHttp2Session } from 'node:http2';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { BedrockRuntimeClient } from '@aws-sdk/client-bedrock-runtime';
import { tools } from '@centli/tools/registry';
import { BedrockEngine } from '@centli/tools/adapters/bedrock-engine';
import { OpenAiEngine } from '@centli/tools/adapters/openai-engine';
import { SYSTEM_PROMPT } from '@centli/tools/intent/intent';
import { engineFromEnv } from '@centli/tools/adapters/intent-engines';

/** What a model sees of a tool's arguments: everything but approval_id, which names an approval only an MCP agent is handed. */
function withoutToken(schema: Record<string, unknown>): Record<string, unknown> {
  const { approval_id: _approval, ...properties } = (schema.properties ?? {}) as Record<string, unknown>;
  return { ...schema, properties };
}

const context = { now: new Date('2026-11-26T16:00:00.000Z'), timeZone: 'America/Mexico_City', locale: 'es' as const };
const SYSTEM_TEXT = `${SYSTEM_PROMPT}\nNow: 2026-11-26T16:00:00.000Z (America/Mexico_City).`;
const NOVA = 'amazon.nova-lite-v1:0';

const recorded = (name: string): unknown => JSON.parse(readFileSync(join(__dirname, 'recorded', name), 'utf8'));

interface ReceivedRequest {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  body: Record<string, unknown>;
}

interface Reply {
  status: number;
  body: unknown;
  headers?: Record<string, string>;
}

interface RequestLike {
  method?: string | undefined;
  url?: string | undefined;
  headers: IncomingHttpHeaders;
  on(event: 'data', listener: (chunk: Buffer) => void): unknown;
  on(event: 'end', listener: () => void): unknown;
}
interface ResponseLike {
  writeHead(status: number, headers: Record<string, string>): unknown;
  end(body: string): unknown;
}

/**
 * A model endpoint on the loopback interface: it records every request it gets and answers each
 * with the next reply it was given (a recorded response), or 500 when it has none left. Bedrock's
 * client speaks HTTP/2 (its default handler is the SDK's NodeHttp2Handler, there for the
 * bidirectional stream), so its endpoint is node:http2's cleartext server; an OpenAI-compatible
 * endpoint is plain node:http.
 */
class LoopbackModel {
  readonly requests: ReceivedRequest[] = [];
  private readonly replies: Reply[] = [];
  private readonly sessions = new Set<ServerHttp2Session>();
  private readonly server: Server | Http2Server;

  private constructor(protocol: 'http/1.1' | 'h2c') {
    const handle = (request: RequestLike, response: ResponseLike) => {
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        this.requests.push({ method: request.method ?? '', path: decodeURIComponent(request.url ?? ''), headers: request.headers, body: text ? (JSON.parse(text) as Record<string, unknown>) : {} });
        const reply = this.replies.shift() ?? { status: 500, body: { message: 'no recorded response left' } };
        response.writeHead(reply.status, { 'content-type': 'application/json', ...reply.headers });
        response.end(JSON.stringify(reply.body));
      });
    };
    if (protocol === 'h2c') {
      const server = createHttp2Server(handle);
      server.on('session', (session) => {
        this.sessions.add(session);
        session.on('close', () => this.sessions.delete(session));
      });
      this.server = server;
    } else {
      this.server = createServer(handle);
    }
  }

  static async start(protocol: 'http/1.1' | 'h2c'): Promise<LoopbackModel> {
    const model = new LoopbackModel(protocol);
    await new Promise<void>((resolve) => model.server.listen(0, '127.0.0.1', resolve));
    return model;
  }

  get url(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  answer(...replies: Reply[]): void {
    this.replies.push(...replies);
  }

  async stop(): Promise<void> {
    for (const session of this.sessions) session.destroy();
    if ('closeAllConnections' in this.server) this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}

const ok = (name: string): Reply => ({ status: 200, body: recorded(name) });

describe('BedrockEngine', () => {
  let model: LoopbackModel;
  let client: BedrockRuntimeClient;

  beforeEach(async () => {
    model = await LoopbackModel.start('h2c');
    client = new BedrockRuntimeClient({ endpoint: model.url, region: 'us-east-1', credentials: { accessKeyId: 'x', secretAccessKey: 'x' } });
  });

  afterEach(async () => {
    client.destroy();
    await model.stop();
  });

  it('reads a tool_use answer as the tool call, without the approval_id or user_id the model put in', async () => {
    // Prepare
    model.answer(ok('bedrock-transfer-tool-use.json'));
    const engine = new BedrockEngine(NOVA, client);

    // Act
    const understanding = await engine.understand('Transfiere 100 pesos a mi hermano', context);

    // Assess
    expect(understanding).toEqual({ kind: 'tool', locale: 'es', call: { name: 'transfer_funds', args: { beneficiary: 'mi hermano', amount_text: '100 pesos' } } });
  });

  it('reads a tool_use answer with empty input as a call without arguments', async () => {
    // Prepare
    model.answer(ok('bedrock-balance-tool-use.json'));
    const engine = new BedrockEngine(NOVA, client);

    // Act
    const understanding = await engine.understand('¿me alcanza para la renta?', context);

    // Assess
    expect(understanding).toEqual({ kind: 'tool', locale: 'es', call: { name: 'get_balance', args: {} } });
  });

  it('reads an end_turn text as a reply', async () => {
    // Prepare
    model.answer(ok('bedrock-end-turn-text.json'));
    const engine = new BedrockEngine(NOVA, client);

    // Act
    const understanding = await engine.understand('¿qué son los meses sin intereses?', context);

    // Assess
    expect(understanding).toEqual({
      kind: 'reply',
      locale: 'es',
      text: 'Los meses sin intereses dividen el precio de una compra en pagos mensuales iguales, sin cargos extra. Puedo buscarte productos con MSI si me dices qué quieres comprar.',
    });
  });

  it('does not understand a call to a tool the registry does not have', async () => {
    // Prepare
    model.answer(ok('bedrock-unknown-tool.json'));
    const engine = new BedrockEngine(NOVA, client);

    // Act
    const understanding = await engine.understand('cierra la cuenta acc-luis-nomina-1532', context);

    // Assess
    expect(understanding).toEqual({ kind: 'unknown', locale: 'es' });
  });

  it.each([
    ['sí', 'confirm'],
    ['Sí, confirmo', 'confirm'],
    ['yes', 'confirm'],
    ['no', 'cancel'],
    ['cancela', 'cancel'],
    ['hola', 'greeting'],
    ['ayuda', 'help'],
  ])('never sends "%s" to the model (%s)', async (text, kind) => {
    // Prepare
    model.answer(ok('bedrock-transfer-tool-use.json'));
    const engine = new BedrockEngine(NOVA, client);

    // Act
    const understanding = await engine.understand(text, context);

    // Assess
    expect(understanding.kind).toBe(kind);
    expect(model.requests).toEqual([]);
  });

  it('asks Converse with the registry’s tools as tool specs, the system prompt and the customer’s words', async () => {
    // Prepare
    model.answer(ok('bedrock-transfer-tool-use.json'));
    const engine = new BedrockEngine(NOVA, client);

    // Act
    await engine.understand('Transfiere 100 pesos a mi hermano', context);

    // Assess
    expect(model.requests).toHaveLength(1);
    const [request] = model.requests as [ReceivedRequest];
    expect([request.method, request.path]).toEqual(['POST', `/model/${NOVA}/converse`]);
    expect(request.headers.authorization).toMatch(/^AWS4-HMAC-SHA256 Credential=x\/\d{8}\/us-east-1\/bedrock\/aws4_request/);
    expect(request.body).toEqual({
      system: [{ text: SYSTEM_TEXT }],
      messages: [{ role: 'user', content: [{ text: 'Transfiere 100 pesos a mi hermano' }] }],
      toolConfig: { tools: tools.map((spec) => ({ toolSpec: { name: spec.name, description: spec.description, inputSchema: { json: withoutToken(spec.inputSchema) } } })), toolChoice: { auto: {} } },
      inferenceConfig: { maxTokens: 512, temperature: 0 },
    });
    expect((request.body.toolConfig as { tools: unknown[] }).tools).toHaveLength(tools.length);
  });

  it('throws when Bedrock refuses the call, so the gateway can say it cannot understand right now', async () => {
    // Prepare
    const impatient = new BedrockRuntimeClient({ endpoint: model.url, region: 'us-east-1', credentials: { accessKeyId: 'x', secretAccessKey: 'x' }, maxAttempts: 1 });
    model.answer({ status: 429, body: recorded('bedrock-throttled.json'), headers: { 'x-amzn-errortype': 'ThrottlingException:http://internal.amazon.com/coral/com.amazon.bedrock/' } });
    const engine = new BedrockEngine(NOVA, impatient);

    // Act
    const understanding = engine.understand('Transfiere 100 pesos a mi hermano', context);

    // Assess
    await expect(understanding).rejects.toMatchObject({ name: 'ThrottlingException' });
    impatient.destroy();
  });
});

describe('OpenAiEngine', () => {
  let model: LoopbackModel;

  beforeEach(async () => {
    model = await LoopbackModel.start('http/1.1');
  });

  afterEach(async () => {
    await model.stop();
  });

  const engineAt = (server: LoopbackModel, apiKey?: string) => new OpenAiEngine({ baseUrl: `${server.url}/v1`, model: 'llama3.1:8b', ...(apiKey ? { apiKey } : {}), timeoutMs: 5000 });

  it('reads a tool call as the tool call, without the approval_id or user_id the model put in', async () => {
    // Prepare
    model.answer(ok('openai-transfer-tool-calls.json'));

    // Act
    const understanding = await engineAt(model).understand('Transfiere 100 pesos a mi hermano', context);

    // Assess
    expect(understanding).toEqual({ kind: 'tool', locale: 'es', call: { name: 'transfer_funds', args: { beneficiary: 'mi hermano', amount_text: '100 pesos' } } });
  });

  it('reads a plain answer as a reply, trimmed', async () => {
    // Prepare
    model.answer(ok('openai-text-reply.json'));

    // Act
    const understanding = await engineAt(model).understand('what are interest-free months?', { ...context, locale: 'en' });

    // Assess
    expect(understanding).toEqual({
      kind: 'reply',
      locale: 'en',
      text: 'The interest-free months split a purchase into equal monthly payments with no extra charge. Tell me what you would like to buy and I will look for offers.',
    });
  });

  it('does not understand a tool call whose arguments are not valid JSON', async () => {
    // Prepare
    model.answer(ok('openai-invalid-arguments.json'));

    // Act
    const understanding = await engineAt(model).understand('Transfiere 100 pesos a mi hermano', context);

    // Assess
    expect(understanding).toEqual({ kind: 'unknown', locale: 'es' });
  });

  it('does not understand a tool call whose arguments are JSON but no object ("null")', async () => {
    // Prepare
    model.answer(ok('openai-null-arguments.json'));

    // Act
    const understanding = engineAt(model).understand('¿me alcanza para la renta?', context);

    // Assess
    await expect(understanding).resolves.toEqual({ kind: 'unknown', locale: 'es' });
  });

  it('throws when the endpoint answers 500', async () => {
    // Prepare
    model.answer({ status: 500, body: recorded('openai-server-error.json') });

    // Act
    const understanding = engineAt(model).understand('Transfiere 100 pesos a mi hermano', context);

    // Assess
    await expect(understanding).rejects.toThrow('the model endpoint answered 500');
  });

  it.each([
    ['sí', 'confirm'],
    ['yes', 'confirm'],
    ['no', 'cancel'],
    ['hola', 'greeting'],
  ])('never sends "%s" to the model (%s)', async (text, kind) => {
    // Prepare
    model.answer(ok('openai-transfer-tool-calls.json'));

    // Act
    const understanding = await engineAt(model).understand(text, context);

    // Assess
    expect(understanding.kind).toBe(kind);
    expect(model.requests).toEqual([]);
  });

  it('asks for a chat completion with the registry’s tools as functions, the system prompt and the customer’s words', async () => {
    // Prepare
    model.answer(ok('openai-transfer-tool-calls.json'));

    // Act
    await engineAt(model, 'sk-local-test').understand('Transfiere 100 pesos a mi hermano', context);

    // Assess
    expect(model.requests).toHaveLength(1);
    const [request] = model.requests as [ReceivedRequest];
    expect([request.method, request.path, request.headers.authorization, request.headers['content-type']]).toEqual(['POST', '/v1/chat/completions', 'Bearer sk-local-test', 'application/json']);
    expect(request.body).toEqual({
      model: 'llama3.1:8b',
      temperature: 0,
      tool_choice: 'auto',
      tools: tools.map((spec) => ({ type: 'function', function: { name: spec.name, description: spec.description, parameters: withoutToken(spec.inputSchema) } })),
      messages: [
        { role: 'system', content: SYSTEM_TEXT },
        { role: 'user', content: 'Transfiere 100 pesos a mi hermano' },
      ],
    });
  });

  it('sends no authorization header when no key is configured', async () => {
    // Prepare
    model.answer(ok('openai-text-reply.json'));

    // Act
    await engineAt(model).understand('what are interest-free months?', context);

    // Assess
    expect(model.requests[0]?.headers.authorization).toBeUndefined();
  });
});

describe('engineFromEnv', () => {
  it.each([
    ['nothing set', {}],
    ['INTENT_ENGINE=parser', { INTENT_ENGINE: 'parser' }],
  ])('picks the parser with %s, which needs no model', async (_what, env) => {
    // Act
    const engine = engineFromEnv(env);
    const understanding = await engine.understand('¿Cuál es mi saldo?', context);

    // Assess
    expect(engine.name).toBe('parser');
    expect(understanding).toEqual({ kind: 'tool', locale: 'es', call: { name: 'get_balance', args: {} } });
  });

  it('picks Bedrock with INTENT_ENGINE=bedrock', () => {
    // Act
    const engine = engineFromEnv({ INTENT_ENGINE: 'bedrock', BEDROCK_MODEL_ID: 'anthropic.claude-3-haiku-20240307-v1:0' });

    // Assess
    expect(engine).toBeInstanceOf(BedrockEngine);
    expect(engine.name).toBe('bedrock');
  });

  it.each([
    ['the model BEDROCK_MODEL_ID names', { BEDROCK_MODEL_ID: 'anthropic.claude-3-haiku-20240307-v1:0' }, 'anthropic.claude-3-haiku-20240307-v1:0'],
    ['Nova Lite when none is named', {}, NOVA],
  ])('has the Bedrock engine call %s', async (_what, env, modelId) => {
    // Prepare: the SDK's own endpoint and credential settings point it at a loopback model.
    const model = await LoopbackModel.start('h2c');
    model.answer(ok('bedrock-balance-tool-use.json'));
    const saved = { ...process.env };
    Object.assign(process.env, { AWS_ENDPOINT_URL: model.url, AWS_ENDPOINT_URL_BEDROCK_RUNTIME: model.url, AWS_ACCESS_KEY_ID: 'x', AWS_SECRET_ACCESS_KEY: 'x', AWS_REGION: 'us-east-1' });
    try {
      const engine = engineFromEnv({ INTENT_ENGINE: 'bedrock', ...env });

      // Act
      const understanding = await engine.understand('¿me alcanza para la renta?', context);

      // Assess
      expect(understanding).toEqual({ kind: 'tool', locale: 'es', call: { name: 'get_balance', args: {} } });
      expect(model.requests.map((r) => r.path)).toEqual([`/model/${modelId}/converse`]);
    } finally {
      for (const key of Object.keys(process.env)) if (!(key in saved)) delete process.env[key];
      Object.assign(process.env, saved);
      await model.stop();
    }
  });

  it('builds the OpenAI-compatible engine from the settings it is given', async () => {
    // Prepare
    const model = await LoopbackModel.start('http/1.1');
    model.answer(ok('openai-transfer-tool-calls.json'));
    try {
      // Act
      const engine = engineFromEnv({ INTENT_ENGINE: 'openai', OPENAI_BASE_URL: `${model.url}/v1`, OPENAI_MODEL: 'llama3.1:8b', OPENAI_API_KEY: 'sk-local-test' });
      const understanding = await engine.understand('Transfiere 100 pesos a mi hermano', context);

      // Assess
      expect(engine.name).toBe('openai');
      expect(understanding.kind).toBe('tool');
      expect(model.requests.map((r) => [r.path, r.body.model, r.headers.authorization])).toEqual([['/v1/chat/completions', 'llama3.1:8b', 'Bearer sk-local-test']]);
    } finally {
      await model.stop();
    }
  });

  it.each([
    ['OPENAI_BASE_URL', { OPENAI_MODEL: 'llama3.1:8b' }],
    ['OPENAI_MODEL', { OPENAI_BASE_URL: 'http://127.0.0.1:11434/v1' }],
  ])('refuses the OpenAI-compatible engine without %s', (missing, env) => {
    // Act
    const build = () => engineFromEnv({ INTENT_ENGINE: 'openai', ...env });

    // Assess
    expect(build).toThrow(missing);
  });

  it.each(['gpt-4o', 'Bedrock', 'llama'])('refuses an unknown engine (%s)', (name) => {
    // Act
    const build = () => engineFromEnv({ INTENT_ENGINE: name });

    // Assess
    expect(build).toThrow(`INTENT_ENGINE must be parser, bedrock or openai, not ${name}`);
  });
});
