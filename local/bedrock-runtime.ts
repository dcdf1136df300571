/**
 * A local stand-in for the Amazon Bedrock runtime's `Converse`, so the deployed intent engine
 * (`BedrockEngine`, INTENT_ENGINE bedrock) runs here unmodified: its `BedrockRuntimeClient` finds
 * the endpoint through the SDK's own setting (`AWS_ENDPOINT_URL_BEDROCK_RUNTIME`), signs, speaks
 * HTTP/2 (the client's default handler) and parses the answer as it would Bedrock's.
 *
 *   POST /model/{modelId}/converse
 *
 * No model runs. Each request is answered with what the offline parser
 * (lib/tools/intent/intent-parser.ts) reads in the customer's last message, in Converse's
 * documented shape: a `toolUse` block with the parser's tool call and `stopReason: tool_use`, or,
 * when the parser recognises no tool, an empty `end_turn` text (the engine then says it did not
 * understand, as with the parser). So a conversation proceeds exactly as it does with the parser,
 * through the Bedrock code path.
 *
 * What makes it worth running is `delayMs`: the stand-in waits that long before it answers (a draw
 * from a latency distribution, bench/bedrock-latency.ts), so a benchmark that measures a chat turn
 * has the model's time inside the turn, where it is deployed. It reports the wait in
 * `metrics.latencyMs`, as Bedrock reports its own. `usage` (token counts) is left out: nothing
 * here counts tokens, and the engine does not read them.
 *
 * Refused as Bedrock refuses them: a request that is not signed (403
 * `MissingAuthenticationTokenException`), another path (404 `UnknownOperationException`), a body
 * that is not a Converse request (400 `ValidationException`).
 *
 * @module
 */
import { randomUUID } from 'node:crypto';
import { createServer, type Http2ServerRequest, type Http2ServerResponse, type ServerHttp2Session } from 'node:http2';
import type { AddressInfo } from 'node:net';
import { parseIntent } from '@centli/tools/intent/intent-parser';

const CONVERSE_PATH = /^\/model\/([^/]+)\/converse$/;
/** What the engine writes after its system prompt: `Now: <ISO instant> (<IANA zone>).` */
const NOW_LINE = /\nNow: (\S+) \(([^)]+)\)\.$/;
const DEFAULT_TIME_ZONE = 'America/Mexico_City';
/** Bedrock's limit on a request body is far larger; this only keeps a runaway client out. */
const MAX_BODY_BYTES = 1024 * 1024;

/** The parts of a Converse request the stand-in reads. */
interface ConverseRequest {
  system?: Array<{ text?: string }>;
  messages: Array<{ role: string; content: Array<{ text?: string }> }>;
}

/** A Converse response body, as Bedrock documents it. */
export interface ConverseAnswer {
  output: { message: { role: 'assistant'; content: Array<{ text: string } | { toolUse: { toolUseId: string; name: string; input: Record<string, unknown> } }> } };
  stopReason: 'tool_use' | 'end_turn';
  metrics: { latencyMs: number };
}

class ConverseError extends Error {
  constructor(
    readonly type: string,
    message: string,
    readonly status: number,
  ) {
    super(message);
    this.name = type;
  }
}

/**
 * The answer to one Converse request: the parser's reading of the last user message, with the
 * instant and time zone the engine put in the system prompt (so "ayer" means what it would).
 *
 * @throws ConverseError (ValidationException) when the body is not a Converse request with a user message.
 */
export function converseAnswer(body: unknown, latencyMs = 0): ConverseAnswer {
  const request = body as Partial<ConverseRequest> | null;
  if (request === null || typeof request !== 'object' || !Array.isArray(request.messages) || request.messages.length === 0) {
    throw new ConverseError('ValidationException', 'The request must have at least one message.', 400);
  }
  const last = request.messages.at(-1);
  if (last?.role !== 'user' || !Array.isArray(last.content)) throw new ConverseError('ValidationException', 'The last message must be a user message with content.', 400);
  const text = last.content.map((block) => block.text ?? '').join('');
  const system = (request.system ?? []).map((block) => block.text ?? '').join('\n');
  const said = NOW_LINE.exec(system);
  const now = said && !Number.isNaN(Date.parse(said[1] as string)) ? new Date(said[1] as string) : new Date();
  const read = parseIntent(text, { now, timeZone: said?.[2] ?? DEFAULT_TIME_ZONE });
  const metrics = { latencyMs: Math.round(latencyMs) };
  if (read.kind === 'tool') {
    return {
      output: { message: { role: 'assistant', content: [{ toolUse: { toolUseId: `tooluse_${randomUUID().replaceAll('-', '').slice(0, 22)}`, name: read.call.name, input: read.call.args } }] } },
      stopReason: 'tool_use',
      metrics,
    };
  }
  return { output: { message: { role: 'assistant', content: [{ text: '' }] } }, stopReason: 'end_turn', metrics };
}

export interface ConverseStubOptions {
  /** How long to wait before each answer, in ms; called once per request. No wait by default. */
  delayMs?: () => number;
  /** The port to listen on, on 127.0.0.1; a free one by default. */
  port?: number;
}

export interface ConverseStub {
  /** The endpoint, for `AWS_ENDPOINT_URL_BEDROCK_RUNTIME`. */
  readonly url: string;
  /** The Converse requests answered so far, and the waits they were given (ms), in order. */
  readonly waits: readonly number[];
  /** Replaces the wait (a benchmark alternates rounds with and without the model's time). */
  setDelay(delayMs: (() => number) | undefined): void;
  stop(): Promise<void>;
}

/** Starts the stand-in on the loopback interface (HTTP/2 in cleartext, as the SDK's client speaks it). */
export async function startConverseStub(options: ConverseStubOptions = {}): Promise<ConverseStub> {
  let delayMs = options.delayMs;
  const waits: number[] = [];
  const sessions = new Set<ServerHttp2Session>();
  const timers = new Set<NodeJS.Timeout>();

  const send = (response: Http2ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) => {
    if (response.stream.destroyed) return;
    const text = JSON.stringify(body);
    response.writeHead(status, { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(text)), 'x-amzn-requestid': randomUUID(), ...headers });
    response.end(text);
  };
  const refuse = (response: Http2ServerResponse, error: ConverseError) => send(response, error.status, { message: error.message }, { 'x-amzn-errortype': error.type });

  const handle = (request: Http2ServerRequest, response: Http2ServerResponse) => {
    const chunks: Buffer[] = [];
    let size = 0;
    request.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= MAX_BODY_BYTES) chunks.push(chunk);
    });
    request.on('end', () => {
      try {
        const path = decodeURIComponent(new URL(request.url, 'http://localhost').pathname);
        if (request.method !== 'POST' || !CONVERSE_PATH.test(path)) throw new ConverseError('UnknownOperationException', `No operation at ${request.method} ${path}`, 404);
        if (!String(request.headers.authorization ?? '').startsWith('AWS4-HMAC-SHA256 ')) throw new ConverseError('MissingAuthenticationTokenException', 'Missing Authentication Token', 403);
        if (size > MAX_BODY_BYTES) throw new ConverseError('ValidationException', 'The request body is too large.', 400);
        let body: unknown;
        try {
          body = JSON.parse(Buffer.concat(chunks).toString('utf8'));
        } catch {
          throw new ConverseError('ValidationException', 'The request body is not JSON.', 400);
        }
        const wait = Math.max(0, delayMs?.() ?? 0);
        const answer = converseAnswer(body, wait);
        waits.push(wait);
        if (wait === 0) {
          send(response, 200, answer);
          return;
        }
        const timer = setTimeout(() => {
          timers.delete(timer);
          send(response, 200, answer);
        }, wait);
        timers.add(timer);
      } catch (error) {
        if (error instanceof ConverseError) refuse(response, error);
        else refuse(response, new ConverseError('InternalServerException', (error as Error).message, 500));
      }
    });
  };

  const server = createServer(handle);
  server.on('session', (session) => {
    sessions.add(session);
    session.on('close', () => sessions.delete(session));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    waits,
    setDelay(next) {
      delayMs = next;
    },
    async stop() {
      for (const timer of timers) clearTimeout(timer);
      timers.clear();
      for (const session of sessions) session.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
