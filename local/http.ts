/**
 * The local stack's one HTTP server. Every local part mounts itself on it: the AWS JSON
 * operations (EventBridge PutEvents, Step Functions, KMS) by `X-Amz-Target`, REST
 * routes (the Lambda Invoke API, API Gateway's HTTP and `@connections` APIs, the read API, the
 * chat page) by path, and WebSocket upgrades. One port, so one URL in `.centli/local.json`
 * serves every AWS SDK client a handler makes. The port speaks HTTP/1.1 and, for the clients that
 * only speak HTTP/2 (`@aws-sdk/client-lex-runtime-v2`), cleartext HTTP/2 with prior knowledge: a
 * connection that opens with HTTP/2's preface goes to an HTTP/2 server whose requests take the
 * same routes, under the same checks.
 *
 * It runs on a developer's laptop, where any web page they open can send it requests. So it
 * answers only requests addressed to the loopback origin it serves: a `Host` or an `Origin` of
 * anything else is refused with 403 before any route sees it (a page that rebinds its own name
 * to 127.0.0.1, DNS rebinding, still sends its own name as `Host`; a page of another origin
 * sends its `Origin`). Routes that act as AWS does (the Lambda Invoke API, `@connections`, the
 * dead-letter redrive) call {@link requireAwsStyle}: an AWS Signature Version 4 `Authorization`
 * header and no content type a form could send, which no page can send without a CORS preflight
 * the stack never grants.
 *
 * @module
 */
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createHttp2Server, type Http2Server } from 'node:http2';
import { createServer as createNetServer, type AddressInfo, type Server as NetServer, type Socket } from 'node:net';
import type { Duplex } from 'node:stream';

/** An error in the AWS protocols' shape: its `type` is the error code the SDK reports. */
export class AwsError extends Error {
  constructor(
    readonly type: string,
    message: string,
    readonly status = 400,
  ) {
    super(message);
    this.name = type;
  }
}

/** Handles a request it recognises (answering it and returning true), or returns false. */
export type HttpRoute = (request: IncomingMessage, response: ServerResponse, url: URL) => Promise<boolean> | boolean;

/**
 * An AWS JSON protocol operation: the parsed request body in (with the request, for its headers),
 * the response body out; throw an {@link AwsError} to fail.
 */
export type AwsJsonOperation = (input: Record<string, unknown>, request: IncomingMessage) => Promise<unknown>;

/** Takes over a WebSocket upgrade it recognises (returning true), or returns false. */
export type UpgradeRoute = (request: IncomingMessage, socket: Duplex, head: Buffer, url: URL) => boolean;

export interface LocalHttpServerOptions {
  /** `127.0.0.1` by default. */
  host?: string;
  /** `0` (a free port) by default. */
  port?: number;
  /** Largest request body accepted; 1 MiB by default. */
  maxBodyBytes?: number;
}

const AMZ_JSON = 'application/x-amz-json-1.1';

/** See the module description. */
export class LocalHttpServer {
  private readonly routes: HttpRoute[] = [];
  private readonly upgrades: UpgradeRoute[] = [];
  private readonly operations = new Map<string, AwsJsonOperation>();
  private server: Server | undefined;
  private http2: Http2Server | undefined;
  private listener: NetServer | undefined;
  private readonly sockets = new Set<Socket>();
  private address: string | undefined;
  /** The `host:port` names requests may be addressed to, once started. */
  private hosts = new Set<string>();
  readonly maxBodyBytes: number;

  constructor(private readonly options: LocalHttpServerOptions = {}) {
    this.maxBodyBytes = options.maxBodyBytes ?? 1024 * 1024;
  }

  /** The server's URL once started (`http://127.0.0.1:4010`). */
  get url(): string {
    if (!this.address) throw new Error('the local HTTP server is not started');
    return this.address;
  }

  /** Adds a route, tried after the ones added before it. */
  route(route: HttpRoute): void {
    this.routes.push(route);
  }

  /** Serves an AWS JSON operation (`AWSEvents.PutEvents`). */
  operation(target: string, operation: AwsJsonOperation): void {
    if (this.operations.has(target)) throw new Error(`operation ${target} is already served`);
    this.operations.set(target, operation);
  }

  /** Adds a WebSocket upgrade route. */
  upgrade(route: UpgradeRoute): void {
    this.upgrades.push(route);
  }

  async start(): Promise<string> {
    if (this.server) return this.url;
    const server = createServer((request, response) => {
      this.handle(request, response).catch((error: unknown) => {
        const failure = error instanceof AwsError ? error : new AwsError('InternalFailure', (error as Error).message, 500);
        if (!response.headersSent) sendAwsError(response, failure);
        else response.destroy();
      });
    });
    server.on('upgrade', (request: IncomingMessage, socket: Duplex, head: Buffer) => {
      if (this.misaddressed(request)) {
        socket.end('HTTP/1.1 403 Forbidden\r\nConnection: close\r\n\r\n');
        return;
      }
      const url = new URL(request.url ?? '/', 'http://localhost');
      if (!this.upgrades.some((route) => route(request, socket, head, url))) {
        socket.end('HTTP/1.1 404 Not Found\r\nConnection: close\r\n\r\n');
      }
    });
    // HTTP/2's compatibility API gives requests and responses the shape the routes use; `:authority`
    // stands for `Host`, which an HTTP/2 client does not send.
    const http2 = createHttp2Server((request, response) => {
      if (request.headers.host === undefined && typeof request.headers[':authority'] === 'string') request.headers.host = request.headers[':authority'];
      server.emit('request', request, response);
    });
    const listener = createNetServer((socket) => {
      this.sockets.add(socket);
      socket.once('close', () => this.sockets.delete(socket));
      socket.once('data', (head: Buffer) => {
        socket.pause();
        socket.unshift(head);
        if (HTTP2_PREFACE.subarray(0, Math.min(head.length, HTTP2_PREFACE.length)).equals(head.subarray(0, HTTP2_PREFACE.length))) {
          // The HTTP/2 session reads the socket itself, the preface included.
          http2.emit('connection', socket);
        } else {
          server.emit('connection', socket);
          socket.resume();
        }
      });
    });
    const host = this.options.host ?? '127.0.0.1';
    await new Promise<void>((resolve, reject) => {
      listener.once('error', reject);
      listener.listen(this.options.port ?? 0, host, () => {
        listener.off('error', reject);
        resolve();
      });
    });
    this.server = server;
    this.http2 = http2;
    this.listener = listener;
    const { port } = listener.address() as AddressInfo;
    this.address = `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
    this.hosts = new Set([new URL(this.address).host, ...LOOPBACK_NAMES.map((name) => `${name}:${port}`)]);
    return this.address;
  }

  async stop(): Promise<void> {
    const server = this.server;
    const listener = this.listener;
    this.server = undefined;
    this.listener = undefined;
    this.http2?.close();
    this.http2 = undefined;
    if (!server || !listener) return;
    server.closeAllConnections();
    for (const socket of this.sockets) socket.destroy();
    this.sockets.clear();
    await new Promise<void>((resolve) => listener.close(() => resolve()));
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  /** Why a request is not addressed to this server (see the module description), or undefined when it is. */
  private misaddressed(request: IncomingMessage): string | undefined {
    const host = String(request.headers.host ?? '').toLowerCase();
    if (!this.hosts.has(host)) return `Host ${JSON.stringify(host)} is not this stack's (DNS rebinding protection): it answers only ${[...this.hosts].join(', ')}`;
    const origin = request.headers.origin;
    if (origin !== undefined && !this.hosts.has(hostOfOrigin(origin))) return `Origin ${JSON.stringify(origin)} is not this stack's (DNS rebinding protection): it answers only pages it serves`;
    return undefined;
  }

  private async handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const refused = this.misaddressed(request);
    if (refused) throw new AwsError('ForbiddenException', refused, 403);
    const url = new URL(request.url ?? '/', 'http://localhost');
    const target = request.headers['x-amz-target'];
    if (request.method === 'POST' && typeof target === 'string') return this.handleOperation(target, request, response);
    for (const route of this.routes) {
      if (await route(request, response, url)) return;
    }
    sendJson(response, 404, { message: `no route ${request.method} ${url.pathname}; try /health` });
  }

  private async handleOperation(target: string, request: IncomingMessage, response: ServerResponse): Promise<void> {
    requireAwsStyle(request);
    const operation = this.operations.get(target);
    const body = await readBody(request, this.maxBodyBytes);
    if (!operation) throw new AwsError('UnknownOperationException', `${target} is not served by the local stack; it serves ${[...this.operations.keys()].join(', ')}.`);
    let input: unknown;
    try {
      input = JSON.parse(body.length === 0 ? '{}' : body.toString('utf8'));
    } catch {
      throw new AwsError('SerializationException', 'the request body is not valid JSON');
    }
    let output: unknown;
    try {
      output = await operation((input ?? {}) as Record<string, unknown>, request);
    } catch (error) {
      if (error instanceof AwsError) throw error;
      const status = (error as { statusCode?: unknown }).statusCode;
      throw new AwsError((error as Error).name || 'InternalFailure', (error as Error).message, typeof status === 'number' ? status : 500);
    }
    sendBody(response, 200, AMZ_JSON, output ?? {});
  }
}

/** What every HTTP/2 connection opens with (RFC 9113, section 3.4). */
const HTTP2_PREFACE = Buffer.from('PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n');

/** The names of the loopback address a request may use, beside the one the server is bound to. */
const LOOPBACK_NAMES = ['127.0.0.1', 'localhost', '[::1]'];

/** `http://localhost:4010` → `localhost:4010`; anything that is not an http origin → ''. */
function hostOfOrigin(origin: string): string {
  try {
    const url = new URL(origin);
    return url.protocol === 'http:' && url.origin === origin.toLowerCase() ? url.host : '';
  } catch {
    return '';
  }
}

/** The content types a page may POST without a CORS preflight (the Fetch standard's CORS-safelisted ones). */
const SIMPLE_TYPES = new Set(['application/x-www-form-urlencoded', 'multipart/form-data', 'text/plain']);

/**
 * Whether a request is one an AWS SDK client makes and a web page cannot send without a
 * preflight: signed with Signature Version 4 (an `Authorization` header, which no simple request
 * carries) and with no CORS-safelisted content type. The signature itself is not checked: the
 * local stack takes any credentials, as DynamoDB Local does.
 */
export function isAwsStyleRequest(request: Pick<IncomingMessage, 'headers'>): boolean {
  const authorization = request.headers.authorization;
  const type = String(request.headers['content-type'] ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
  return typeof authorization === 'string' && authorization.startsWith('AWS4-HMAC-SHA256 ') && !SIMPLE_TYPES.has(type);
}

/** Refuses, as AWS refuses an unsigned request, one that is not {@link isAwsStyleRequest}. */
export function requireAwsStyle(request: Pick<IncomingMessage, 'headers'>): void {
  if (!isAwsStyleRequest(request)) {
    throw new AwsError('MissingAuthenticationTokenException', 'this operation takes only a request signed as AWS signs it (an AWS SDK client), with a JSON or binary body', 403);
  }
}

/** The headers of an AWS-style request for the stack's own tools (scripts, tests) that call it with fetch. */
export const AWS_STYLE_HEADERS = {
  'content-type': 'application/json',
  authorization: 'AWS4-HMAC-SHA256 Credential=local/19700101/local/centli/aws4_request, SignedHeaders=host, Signature=local',
} as const;

/** Reads a request body, refusing one larger than `limit` bytes as AWS would (413). */
export async function readBody(request: IncomingMessage, limit = 1024 * 1024): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request) {
    size += (chunk as Buffer).length;
    if (size > limit) throw new AwsError('RequestEntityTooLargeException', `the request body exceeds ${limit} bytes`, 413);
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

export function sendAwsError(response: ServerResponse, error: AwsError): void {
  response.setHeader('x-amzn-ErrorType', error.type);
  sendBody(response, error.status, AMZ_JSON, { __type: error.type, message: error.message });
}

export function sendJson(response: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  sendBody(response, status, 'application/json', body, headers);
}

export function sendBody(response: ServerResponse, status: number, contentType: string, body: unknown, headers: Record<string, string> = {}): void {
  const text = typeof body === 'string' || Buffer.isBuffer(body) ? body : JSON.stringify(body);
  response.writeHead(status, {
    'content-type': contentType,
    'content-length': Buffer.byteLength(text),
    'x-amzn-RequestId': randomUUID(),
    ...headers,
  });
  response.end(text);
}
