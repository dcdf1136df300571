/**
 * An API Gateway WebSocket API, locally, for the functions with `websocket` events:
 * - the socket is served at `/ws` on the stack's server (`ws://127.0.0.1:<port>/ws?token=…`);
 * - opening it invokes the `$connect` route with the CONNECT event API Gateway sends (query
 *   string, headers, requestContext with the connection id, domain and stage); a result whose
 *   statusCode is not 2xx refuses the handshake with that status, as API Gateway does;
 * - each text frame is routed by the route selection expression (`$request.body.action`) to its
 *   route, or `$default`, and invokes it with the MESSAGE event; an unknown route or a handler
 *   that fails is answered on the socket the way API Gateway answers (`Forbidden`,
 *   `Internal server error`);
 * - closing invokes `$disconnect`;
 * - the `@connections` management API (`POST`, `GET`, `DELETE /@connections/{id}`, also under a
 *   stage prefix) is served on the same server, so `@aws-sdk/client-apigatewaymanagementapi`
 *   reaches these sockets with an endpoint setting alone. A connection that is gone answers
 *   410 GoneException.
 * Limits are API Gateway's: 128 KB per message.
 *
 * @module
 */
import { randomBytes, randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { APIGatewayProxyResult } from 'aws-lambda';
import { WebSocketServer, type RawData, type WebSocket } from 'ws';
import { AwsError, readBody, requireAwsStyle, sendJson, type LocalHttpServer } from './http';
import type { invokeFunction, LambdaFunction } from './lambda';

export const WEBSOCKET_PATH = '/ws';
const MAX_MESSAGE_BYTES = 128 * 1024;
const CONNECTIONS = /^(?:\/[^/@]+)?\/@connections\/([^/]+)$/;

export interface WebSocketFunction extends LambdaFunction {
  websocket: readonly string[];
}

export interface WebSocketApiOptions {
  functions: readonly WebSocketFunction[];
  /** `$request.body.action` (API Gateway's default). */
  routeSelection: string;
  stage: string;
  region: string;
  invoke: typeof invokeFunction;
  log?: (message: string) => void;
  /** Chaos mode: whether to drop a socket right after a message was pushed to it. */
  dropAfterPost?: (connectionId: string) => boolean;
}

interface Connection {
  id: string;
  socket: WebSocket;
  connectedAt: number;
  lastActiveAt: number;
  sourceIp: string;
  userAgent: string;
}

/** A running local WebSocket API. */
export interface LocalWebSocketApi {
  /** The routes served (`$connect`, `message`…). */
  routes: string[];
  /** Open connections, by id. */
  connections(): string[];
  /** Drops a connection as a network failure would (no close handshake); `$disconnect` still runs. */
  drop(connectionId: string): boolean;
  close(): Promise<void>;
}

/** Serves the WebSocket API and its `@connections` API on the server (see the module description). */
export function mountWebSocketApi(server: LocalHttpServer, options: WebSocketApiOptions): LocalWebSocketApi {
  const routes = new Map<string, WebSocketFunction>();
  for (const fn of options.functions) for (const route of fn.websocket) routes.set(route, fn);
  const selection = /^\$request\.body\.([A-Za-z0-9_]+)$/.exec(options.routeSelection);
  if (!selection) throw new Error(`route selection ${options.routeSelection} is not supported locally; use $request.body.<field>`);
  const selector = selection[1] as string;
  const connections = new Map<string, Connection>();
  const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_MESSAGE_BYTES });
  const log = options.log ?? (() => {});

  const context = (connection: Pick<Connection, 'id' | 'connectedAt' | 'sourceIp' | 'userAgent'>, routeKey: string, eventType: string, host: string) => {
    const now = Date.now();
    return {
      routeKey,
      eventType,
      messageDirection: 'IN',
      extendedRequestId: randomUUID(),
      requestTime: new Date(now).toUTCString(),
      stage: options.stage,
      connectedAt: connection.connectedAt,
      requestTimeEpoch: now,
      identity: { sourceIp: connection.sourceIp, userAgent: connection.userAgent },
      requestId: randomUUID(),
      domainName: host,
      connectionId: connection.id,
      apiId: 'local',
    };
  };

  const invokeRoute = async (routeKey: string, event: Record<string, unknown>): Promise<unknown> => {
    const fn = routes.get(routeKey);
    if (!fn) return undefined;
    return options.invoke(fn, event, { region: options.region });
  };

  server.upgrade((request, socket, head, url) => {
    if (url.pathname !== WEBSOCKET_PATH && url.pathname !== `/${options.stage}`) return false;
    const connection = {
      id: randomBytes(12).toString('base64'),
      connectedAt: Date.now(),
      sourceIp: request.socket.remoteAddress ?? '127.0.0.1',
      userAgent: String(request.headers['user-agent'] ?? ''),
    };
    const host = String(request.headers.host ?? 'localhost');
    const connectEvent = {
      headers: flatHeaders(request),
      multiValueHeaders: Object.fromEntries(Object.entries(flatHeaders(request)).map(([k, v]) => [k, [v]])),
      ...queryOf(url),
      requestContext: context(connection, '$connect', 'CONNECT', host),
      isBase64Encoded: false,
    };
    invokeRoute('$connect', connectEvent).then(
      (result) => {
        const status = statusOf(result);
        if (status < 200 || status >= 300) {
          socket.end(`HTTP/1.1 ${status} ${status === 401 ? 'Unauthorized' : status === 403 ? 'Forbidden' : 'Error'}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
          return;
        }
        wss.handleUpgrade(request, socket, head, (ws) => {
          const open: Connection = { ...connection, socket: ws, lastActiveAt: Date.now() };
          connections.set(open.id, open);
          ws.on('message', (data: RawData, isBinary: boolean) => {
            open.lastActiveAt = Date.now();
            void onMessage(open, host, isBinary ? Buffer.from(data as Buffer).toString('base64') : data.toString(), isBinary);
          });
          ws.on('close', (code: number, reason: Buffer) => {
            connections.delete(open.id);
            const event = { requestContext: { ...context(open, '$disconnect', 'DISCONNECT', host), disconnectStatusCode: code, disconnectReason: reason.toString() }, isBase64Encoded: false };
            invokeRoute('$disconnect', event).catch((error: unknown) => log(`$disconnect ${open.id}: ${(error as Error).message}`));
          });
          ws.on('error', () => ws.terminate());
        });
      },
      (error: unknown) => {
        log(`$connect: ${(error as Error).message}`);
        socket.end('HTTP/1.1 500 Internal Server Error\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
      },
    );
    return true;
  });

  async function onMessage(connection: Connection, host: string, body: string, isBinary: boolean): Promise<void> {
    let routeKey = '$default';
    try {
      const parsed = JSON.parse(body) as Record<string, unknown>;
      const action = parsed?.[selector];
      if (typeof action === 'string' && routes.has(action)) routeKey = action;
    } catch {
      // Not JSON: API Gateway routes it to $default.
    }
    const requestContext = { ...context(connection, routeKey, 'MESSAGE', host), messageId: randomBytes(8).toString('base64') };
    if (!routes.has(routeKey)) {
      send(connection, { message: 'Forbidden', connectionId: connection.id, requestId: requestContext.requestId });
      return;
    }
    try {
      await invokeRoute(routeKey, { requestContext, body, isBase64Encoded: isBinary });
    } catch (error) {
      log(`${routeKey} ${connection.id}: ${(error as Error).message}`);
      send(connection, { message: 'Internal server error', connectionId: connection.id, requestId: requestContext.requestId });
    }
  }

  function send(connection: Connection, body: unknown): void {
    if (connection.socket.readyState === connection.socket.OPEN) connection.socket.send(JSON.stringify(body));
  }

  server.route(async (request, response, url) => {
    const match = CONNECTIONS.exec(url.pathname);
    if (!match) return false;
    requireAwsStyle(request);
    const id = decodeURIComponent(match[1] as string);
    const connection = connections.get(id);
    if (!connection || connection.socket.readyState !== connection.socket.OPEN) throw new AwsError('GoneException', `connection ${id} is gone`, 410);
    switch (request.method) {
      case 'POST': {
        const data = await readBody(request, MAX_MESSAGE_BYTES);
        await new Promise<void>((resolve, reject) => connection.socket.send(data, { binary: false }, (error) => (error ? reject(error) : resolve())));
        response.writeHead(200, { 'content-length': 0 }).end();
        // A network drop right after the message left: the client reconnects, later answers find its new socket.
        if (options.dropAfterPost?.(id)) setTimeout(() => connection.socket.terminate(), 5);
        return true;
      }
      case 'GET':
        sendJson(response, 200, {
          ConnectedAt: new Date(connection.connectedAt).toISOString(),
          LastActiveAt: new Date(connection.lastActiveAt).toISOString(),
          Identity: { SourceIp: connection.sourceIp, UserAgent: connection.userAgent },
        });
        return true;
      case 'DELETE':
        connection.socket.close(1000, 'closed by the server');
        response.writeHead(204).end();
        return true;
      default:
        return false;
    }
  });

  return {
    routes: [...routes.keys()],
    connections: () => [...connections.keys()],
    drop: (connectionId) => {
      const connection = connections.get(connectionId);
      if (!connection) return false;
      connection.socket.terminate();
      return true;
    },
    close: async () => {
      for (const connection of connections.values()) connection.socket.terminate();
      await new Promise<void>((resolve) => wss.close(() => resolve()));
    },
  };
}

function flatHeaders(request: IncomingMessage): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const [key, value] of Object.entries(request.headers)) {
    if (value !== undefined) headers[key] = Array.isArray(value) ? value.join(',') : value;
  }
  return headers;
}

function queryOf(url: URL): Record<string, unknown> {
  if ([...url.searchParams.keys()].length === 0) return {};
  const single: Record<string, string> = {};
  const multi: Record<string, string[]> = {};
  for (const [key, value] of url.searchParams) {
    single[key] = value;
    (multi[key] ??= []).push(value);
  }
  return { queryStringParameters: single, multiValueQueryStringParameters: multi };
}

function statusOf(result: unknown): number {
  // API Gateway accepts a $connect whose integration answers 2xx; a function that returns
  // nothing is a 200.
  if (result === undefined || result === null) return 200;
  const status = (result as Partial<APIGatewayProxyResult>).statusCode;
  return typeof status === 'number' ? status : 200;
}
