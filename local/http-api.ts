/**
 * API Gateway HTTP APIs, locally: every function's `httpApi` events become routes on the local
 * stack's server, and a matching request reaches the function as the payload-format 2.0 event
 * API Gateway would send (the shape serverless-offline produces too); what the function returns
 * becomes the response, as API Gateway maps it (a `{ statusCode, headers, body }` result, or any
 * other value as a 200 JSON body).
 *
 * @module
 */
import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { readBody, sendBody, sendJson, type LocalHttpServer } from './http';
import { LOCAL_ACCOUNT_ID } from './eventbridge-event';
import type { invokeFunction, LambdaFunction } from './lambda';
import type { HttpApiRoute } from './serverless-config';

/** API Gateway's own payload limit for HTTP APIs. */
const MAX_BODY_BYTES = 10 * 1024 * 1024;

export interface HttpApiFunction extends LambdaFunction {
  httpApi: readonly HttpApiRoute[];
}

export interface HttpApiOptions {
  functions: readonly HttpApiFunction[];
  region: string;
  invoke: typeof invokeFunction;
  log?: (message: string) => void;
}

interface CompiledRoute {
  fn: HttpApiFunction;
  route: HttpApiRoute;
  pattern: RegExp;
  params: string[];
}

/** Serves every function's httpApi routes (see the module description); returns the paths served. */
export function mountHttpApi(server: LocalHttpServer, options: HttpApiOptions): string[] {
  const routes: CompiledRoute[] = options.functions.flatMap((fn) => fn.httpApi.map((route) => ({ fn, route, ...compilePath(route.path) })));
  server.route(async (request, response, url) => {
    const method = request.method ?? 'GET';
    const found = routes
      .map((candidate) => ({ candidate, match: candidate.pattern.exec(url.pathname) }))
      .find(({ candidate, match }) => match && (candidate.route.method === '*' || candidate.route.method === 'ANY' || candidate.route.method === method));
    if (!found?.match) return false;
    const { candidate, match } = found;
    const body = await readBody(request, MAX_BODY_BYTES);
    const pathParameters = Object.fromEntries(candidate.params.map((name, index) => [name, decodeURIComponent(match[index + 1] ?? '')]));
    const event = httpApiEvent(request, url, body, candidate.route, pathParameters);
    let result: unknown;
    try {
      result = await options.invoke(candidate.fn, event, { region: options.region });
    } catch (error) {
      options.log?.(`${candidate.fn.functionName}: ${(error as Error).message}`);
      sendJson(response, 500, { message: 'Internal Server Error' });
      return true;
    }
    const mapped = mapResult(result);
    const text = mapped.isBase64Encoded ? Buffer.from(mapped.body ?? '', 'base64') : (mapped.body ?? '');
    const headers = Object.fromEntries(Object.entries(mapped.headers ?? {}).map(([key, value]) => [key.toLowerCase(), String(value)]));
    if (mapped.cookies?.length) headers['set-cookie'] = mapped.cookies.join(', ');
    sendBody(response, mapped.statusCode ?? 200, headers['content-type'] ?? 'application/json', text, headers);
    return true;
  });
  return routes.map(({ route }) => `${route.method} ${route.path}`);
}

/** `/items/{id}` → a regular expression and its parameter names; `{proxy+}` takes the rest. */
function compilePath(path: string): { pattern: RegExp; params: string[] } {
  if (path === '*') return { pattern: /^\/.*$/, params: [] };
  const params: string[] = [];
  const source = path
    .split('/')
    .map((segment) => {
      const param = /^\{([A-Za-z0-9_]+)(\+)?\}$/.exec(segment);
      if (!param) return segment.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
      params.push(param[1] as string);
      return param[2] ? '(.+)' : '([^/]+)';
    })
    .join('/');
  return { pattern: new RegExp(`^${source}$`), params };
}

/** The payload-format 2.0 event for a request. */
export function httpApiEvent(request: IncomingMessage, url: URL, body: Buffer, route: HttpApiRoute, pathParameters: Record<string, string>): APIGatewayProxyEventV2 {
  const headers: Record<string, string> = {};
  for (const [key, value] of Object.entries(request.headers)) {
    if (value !== undefined) headers[key.toLowerCase()] = Array.isArray(value) ? value.join(',') : value;
  }
  const query: Record<string, string> = {};
  for (const [key, value] of url.searchParams) query[key] = key in query ? `${query[key]},${value}` : value;
  const contentType = headers['content-type'] ?? '';
  const textual = body.length === 0 || /^(text\/|application\/(json|x-www-form-urlencoded|xml|[a-z.+-]*\+json))/.test(contentType);
  const now = new Date();
  const host = headers.host ?? 'localhost';
  return {
    version: '2.0',
    routeKey: route.path === '*' ? '$default' : `${route.method === '*' ? 'ANY' : route.method} ${route.path}`,
    rawPath: url.pathname,
    rawQueryString: url.search.replace(/^\?/, ''),
    ...(headers.cookie ? { cookies: headers.cookie.split(/;\s*/) } : {}),
    headers,
    ...(Object.keys(query).length > 0 ? { queryStringParameters: query } : {}),
    ...(Object.keys(pathParameters).length > 0 ? { pathParameters } : {}),
    requestContext: {
      accountId: LOCAL_ACCOUNT_ID,
      apiId: 'local',
      domainName: host,
      domainPrefix: host.split('.')[0] ?? host,
      http: { method: request.method ?? 'GET', path: url.pathname, protocol: `HTTP/${request.httpVersion}`, sourceIp: request.socket.remoteAddress ?? '127.0.0.1', userAgent: headers['user-agent'] ?? '' },
      requestId: randomUUID(),
      routeKey: route.path === '*' ? '$default' : `${route.method} ${route.path}`,
      stage: '$default',
      time: now.toUTCString(),
      timeEpoch: now.getTime(),
    },
    ...(body.length > 0 ? { body: textual ? body.toString('utf8') : body.toString('base64') } : {}),
    isBase64Encoded: !textual,
  } as APIGatewayProxyEventV2;
}

/** What API Gateway makes of a function's result (payload format 2.0). */
function mapResult(result: unknown): APIGatewayProxyStructuredResultV2 {
  if (result !== null && typeof result === 'object' && 'statusCode' in result) return result as APIGatewayProxyStructuredResultV2;
  return { statusCode: 200, headers: { 'content-type': 'application/json' }, body: JSON.stringify(result ?? null) };
}
