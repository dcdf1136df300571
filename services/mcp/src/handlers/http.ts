/**
 * The MCP server over stateless Streamable HTTP, as a Lambda behind an API Gateway HTTP API
 * (`POST /mcp`; locally the stack's HTTP API sends the same event). The bearer token names the
 * customer: API Gateway's JWT authorizer checks it in AWS, and this function verifies it again
 * with the same issuer and keys, so the same code decides locally and in AWS. Each request gets
 * its own server and transport (a stateless transport serves one request), with JSON responses
 * rather than an event stream, which a Lambda cannot hold open. What the client declared at
 * `initialize` that later calls need (URL-mode elicitation) travels in the session id it is
 * handed then (../domain/http-session.ts). What it never serves, a `GET` stream, a batch or an
 * oversized body, it refuses first (../domain/http-gate.ts). It is an OAuth 2.1 resource server
 * (../domain/authorization.ts): a token must be bound to this endpoint (CENTLI_MCP_RESOURCE) and
 * grant the scopes the message needs, or the answer is a 401 or 403 challenge that points the
 * client at the protected resource metadata (./oauth-metadata.ts).
 */
// A tool call's arguments are all it validates (lib/tools/registry.ts): every tool's, as standalone code.
import '@centli/schemas/validators/for/tool-arguments';
import { WebStandardStreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/webStandardStreamableHttp.js';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Context } from 'aws-lambda';
import { authenticate, bearerToken, UnauthenticatedError, type Customer } from '@centli/kit/auth';
import type { Locale } from '@centli/pure/locale';
import { applyLocalEndpoints } from '@centli/kit/config';
import { correlate, observed, recordOutcome } from '@centli/kit/observability';
import { bilingual, say } from '@centli/tools/text';
import { createMcpServer, unauthorizedBody } from '../app/server';
import { authorizationOf, mcpResourceOf, type AuthorizationRefusal } from '../domain/authorization';
import { refusalOf } from '../domain/http-gate';
import { declaredBy, declaresUrlElicitation, sessionIdFor } from '../domain/http-session';
import { logger, observability, resourceTokenVerifier, runnerDeps } from '../app/runtime';

async function serve(event: APIGatewayProxyEventV2, context: Context): Promise<APIGatewayProxyStructuredResultV2> {
  correlate(observability, { correlation_id: event.requestContext.requestId ?? context.awsRequestId });
  // What the endpoint never serves (a GET stream, a batch, an oversized body) is refused before anything is read or verified.
  const body = bodyOf(event);
  const unserved = refusalOf(event.requestContext.http.method, body);
  if (unserved) return unserved;
  applyLocalEndpoints();
  const resource = mcpResourceOf(process.env.CENTLI_MCP_RESOURCE, event.requestContext.domainName);
  const customer = await authenticate(bearerToken(event.headers.authorization ?? event.headers.Authorization), { verifier: resourceTokenVerifier(resource), logger, context });
  const refusal = authorizationOf(customer instanceof UnauthenticatedError ? undefined : customer.claims, body, resource);
  if (refusal) return refused(refusal, customer, context);
  // authorizationOf refuses every request without a valid token.
  if (customer instanceof UnauthenticatedError) throw customer;
  correlate(observability, { user_id: customer.userId });
  const request = toRequest(event);
  const initialize = initializeOf(event.requestContext.http.method, body);
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
function initializeOf(method: string, body: Buffer | undefined): { capabilities?: unknown } | undefined {
  if (method !== 'POST' || body === undefined) return undefined;
  try {
    const message = JSON.parse(body.toString('utf8')) as { method?: unknown; params?: { capabilities?: unknown } };
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

/**
 * 401 (no valid token for this endpoint) or 403 (not the scopes the message needs) with the
 * challenge OAuth clients expect (RFC 6750, RFC 9728), and a JSON-RPC error for MCP clients.
 */
function refused(refusal: AuthorizationRefusal, customer: Customer | UnauthenticatedError, context: Context): APIGatewayProxyStructuredResultV2 {
  const headers = { 'content-type': 'application/json', 'www-authenticate': refusal.challenge };
  if (refusal.status === 403) {
    logger.warn('refused a call the token grants no scope for', { needed: refusal.scopes.join(' ') });
    recordOutcome(context, 'refused', 'AUTH.INSUFFICIENT_SCOPE');
    const locale = customer instanceof UnauthenticatedError ? undefined : customer.locale;
    const text = (l: Locale) => say('AUTH.INSUFFICIENT_SCOPE', { scope: refusal.scopes.join(' ') }, l);
    return { statusCode: 403, headers, body: JSON.stringify({ jsonrpc: '2.0', id: null, error: { code: -32001, message: locale ? text(locale) : bilingual(text) } }) };
  }
  if (customer instanceof UnauthenticatedError) return { statusCode: 401, headers, body: JSON.stringify(unauthorizedBody(null, customer)) };
  // A valid token, but for another resource (the chat's ID token, another API's access token).
  logger.warn('refused a caller without a valid customer token', { reason: refusal.reason });
  recordOutcome(context, 'refused', 'AUTH.UNAUTHENTICATED');
  return { statusCode: 401, headers, body: JSON.stringify(unauthorizedBody(null, new UnauthenticatedError())) };
}
