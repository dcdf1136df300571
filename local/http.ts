/**
 * The local stack's one HTTP server. Every local part mounts itself on it: the AWS JSON
 * operations (EventBridge PutEvents, Step Functions, KMS) by `X-Amz-Target`, REST
 * routes (the Lambda Invoke API, API Gateway's HTTP and `@connections` APIs, the read API, the
 * chat page) by path, and WebSocket upgrades. One port, so one URL in `.centli/local.json`
 * serves every AWS SDK client a handler makes.
 *
 * @module
 */
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
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
  private address: string | undefined;
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
      const url = new URL(request.url ?? '/', 'http://localhost');
      if (!this.upgrades.some((route) => route(request, socket, head, url))) {
        socket.end('HTTP/1.1 404 Not Found\r\nConnection: close\r\n\r\n');
      }
    });
    const host = this.options.host ?? '127.0.0.1';
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.options.port ?? 0, host, () => {
        server.off('error', reject);
        resolve();
      });
    });
    this.server = server;
    const { port } = server.address() as AddressInfo;
    this.address = `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
    return this.address;
  }

  async stop(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    if (!server) return;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  private async handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const url = new URL(request.url ?? '/', 'http://localhost');
    const target = request.headers['x-amz-target'];
    if (request.method === 'POST' && typeof target === 'string') return this.handleOperation(target, request, response);
    for (const route of this.routes) {
      if (await route(request, response, url)) return;
    }
    sendJson(response, 404, { message: `no route ${request.method} ${url.pathname}; try /health` });
  }

  private async handleOperation(target: string, request: IncomingMessage, response: ServerResponse): Promise<void> {
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
