/**
 * The MCP server over stateless Streamable HTTP, as a Lambda behind an API Gateway HTTP API
 * (`POST /mcp`; locally the stack's HTTP API sends the same event). The bearer token names the
 * customer: API Gateway's JWT authorizer checks it in AWS, and this function verifies it again
 * with the same issuer and keys, so the same code decides locally and in AWS. Each request gets
 * its own server and transport (a stateless transport serves one request), with JSON responses
 * rather than an event stream, which a Lambda cannot hold open. What the client declared at
 * `initialize` that later calls need (URL-mode elicitation) travels in the session id it is
 * handed then (../domain/http-session.ts). What it never serves, a `GET` stream, a batch or an
 * oversized body, it refuses first (../domain/http-gate.ts).
 */
import { WebStandardStreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/webStandardStreamableHttp.js';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Context } from 'aws-lambda';
import { authenticate, bearerToken, UnauthenticatedError } from '@centli/kit/auth';
import { correlate, observed } from '@centli/kit/observability';
import { createMcpServer, unauthorizedBody } from '../app/server';
import { refusalOf } from '../domain/http-gate';
import { declaredBy, declaresUrlElicitation, sessionIdFor } from '../domain/http-session';
import { logger, observability, runnerDeps, tokenVerifier } from '../app/runtime';

async function serve(event: APIGatewayProxyEventV2, context: Context): Promise<APIGatewayProxyStructuredResultV2> {
  correlate(observability, { correlation_id: event.requestContext.requestId ?? context.awsRequestId });
  // What the endpoint never serves (a GET stream, a batch, an oversized body) is refused before anything is read or verified.
  const refused = refusalOf(event.requestContext.http.method, bodyOf(event));
  if (refused) return refused;
  const customer = await authenticate(bearerToken(event.headers.authorization ?? event.headers.Authorization), { verifier: tokenVerifier(), logger, context });
  if (customer instanceof UnauthenticatedError) return unauthorized(customer);
  correlate(observability, { user_id: customer.userId });
  const request = toRequest(event);
  const initialize = initializeOf(event);
  const server = createMcpServer({ userId: customer.userId, locale: customer.locale }, runnerDeps(), declaredBy(request.headers.get('mcp-session-id') ?? undefined));
  const transport = new WebStandardStreamableHTTPServerTransport({ sessionIdGenerator: undefined, enableJsonResponse: true });
  await server.connect(transport);
  try {
    const response = await transport.handleRequest(request);
    const headers = Object.fromEntries(response.headers);
    if (initialize && response.ok) headers['mcp-session-id'] = sessionIdFor({ urlElicitation: declaresUrlElicitation(initialize.capabilities) });
    return { statusCode: response.status, headers, body: await response.text() };
  } finally {
    await server.close();
  }
}

export const handler = observed(serve, observability, { handler: 'http' });

/** The params of an `initialize` request, if this is one. */
function initializeOf(event: APIGatewayProxyEventV2): { capabilities?: unknown } | undefined {
  if (event.requestContext.http.method !== 'POST' || event.body === undefined) return undefined;
  try {
    const message = JSON.parse(event.isBase64Encoded ? Buffer.from(event.body, 'base64').toString('utf8') : event.body) as { method?: unknown; params?: { capabilities?: unknown } };
    return message?.method === 'initialize' ? (message.params ?? {}) : undefined;
  } catch {
    return undefined;
  }
}

function bodyOf(event: APIGatewayProxyEventV2): Buffer | undefined {
  return event.body === undefined ? undefined : Buffer.from(event.body, event.isBase64Encoded ? 'base64' : 'utf8');
}

function toRequest(event: APIGatewayProxyEventV2): Request {
  const url = `https://${event.requestContext.domainName}${event.rawPath}${event.rawQueryString ? `?${event.rawQueryString}` : ''}`;
  const method = event.requestContext.http.method;
  const body = bodyOf(event);
  return new Request(url, { method, headers: event.headers as Record<string, string>, ...(method === 'GET' || method === 'HEAD' || body === undefined ? {} : { body }) });
}

/** 401 with the challenge OAuth clients expect (RFC 6750), and a JSON-RPC error for MCP clients. */
function unauthorized(error: UnauthenticatedError): APIGatewayProxyStructuredResultV2 {
  return {
    statusCode: 401,
    headers: { 'content-type': 'application/json', 'www-authenticate': 'Bearer realm="centli", error="invalid_token"' },
    body: JSON.stringify(unauthorizedBody(null, error)),
  };
}
