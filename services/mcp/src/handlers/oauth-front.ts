/**
 * The authorization front before the stage's user pool (../domain/oauth-front.ts), on the MCP
 * HTTP API, public (no JWT authorizer: its callers have no token yet):
 * - `GET /.well-known/oauth-authorization-server/oauth`: its metadata (RFC 8414);
 * - `POST /oauth/register`: dynamic client registration (RFC 7591);
 * - `GET /oauth/authorize`, `GET /oauth/callback`: the authorization code flow, relayed to
 *   Cognito's managed login with the fixed MCP app client;
 * - `POST /oauth/token`: the token request, forwarded to Cognito.
 * It learns everything from its environment: its own URL (CENTLI_OAUTH_FRONT_URL), the user pool
 * domain (CENTLI_OAUTH_UPSTREAM), the fixed client (CENTLI_MCP_OAUTH_CLIENT_ID), the MCP endpoint
 * (CENTLI_MCP_RESOURCE) and its table (MCP_OAUTH_TABLE); locally the stack's issuer is the upstream.
 */
import { randomBytes } from 'node:crypto';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Context } from 'aws-lambda';
import { applyLocalEndpoints, requireEnv } from '@centli/kit/config';
import { correlate, observabilityFor, observed, recordOutcome } from '@centli/kit/observability';
import { isRegistrationError, registrationOf } from '@centli/pure/oauth';
import { OAuthFrontStore } from '../adapters/oauth-front-store';
import { postTokenRequest, type UpstreamAnswer } from '../adapters/upstream-token';
import { mcpResourceOf } from '../domain/authorization';
import { authorize, callbackLocation, FRONT_PATHS, frontMetadata, isClientIdShape, isRelayStateShape, isTokenError, registeredClientOf, registrationResponse, tokenRequest, UPSTREAM_PATHS, type FrontSettings } from '../domain/oauth-front';

/** What the front reaches beyond its event; tests pass their own. */
export interface FrontDeps {
  store: Pick<OAuthFrontStore, 'register' | 'client' | 'renew' | 'keepRelay' | 'takeRelay'>;
  postToken: (tokenUrl: string, form: URLSearchParams) => Promise<UpstreamAnswer>;
  random: () => string;
  now: () => Date;
}

// Its own observability, not the MCP runtime's: the front needs none of the tools' wiring.
const observability = observabilityFor('mcp');
const logger = observability.logger;

/** A registration or token request is small: anything larger is refused unread. */
const MAX_BODY = 16 * 1024;
/** The metadata and the JSON endpoints are read by browser-based clients (the MCP Inspector) too. */
const PUBLIC = { 'access-control-allow-origin': '*' };
const NO_STORE = { 'cache-control': 'no-store', pragma: 'no-cache' };

let store: OAuthFrontStore | undefined;
const defaults = (): FrontDeps => ({
  store: (store ??= new OAuthFrontStore(requireEnv('MCP_OAUTH_TABLE'))),
  postToken: postTokenRequest,
  random: () => randomBytes(32).toString('base64url'),
  now: () => new Date(),
});

export function settingsOf(event: APIGatewayProxyEventV2, env: NodeJS.ProcessEnv = process.env): FrontSettings {
  return {
    issuer: env.CENTLI_OAUTH_FRONT_URL || `https://${event.requestContext.domainName}${FRONT_PATHS.issuer}`,
    upstream: requireEnv('CENTLI_OAUTH_UPSTREAM'),
    clientId: requireEnv('CENTLI_MCP_OAUTH_CLIENT_ID'),
    resource: mcpResourceOf(env.CENTLI_MCP_RESOURCE, event.requestContext.domainName),
  };
}

/** Serves one request of the front; `deps` default to the stage's table, Cognito and the clock. */
export async function serveFront(event: APIGatewayProxyEventV2, deps: FrontDeps = defaults()): Promise<APIGatewayProxyStructuredResultV2> {
  const settings = settingsOf(event);
  const method = event.requestContext.http.method;
  const path = event.rawPath;
  if (method === 'OPTIONS') return { statusCode: 204, headers: { ...PUBLIC, 'access-control-allow-methods': 'GET, POST', 'access-control-allow-headers': 'content-type, mcp-protocol-version', 'access-control-max-age': '3600' } };
  if (method === 'GET' && path === FRONT_PATHS.metadata) return json(200, frontMetadata(settings.issuer), { ...PUBLIC, 'cache-control': 'public, max-age=3600' });
  if (method === 'POST' && path === FRONT_PATHS.register) return register(event, deps);
  if (method === 'GET' && path === FRONT_PATHS.authorize) return startAuthorization(event, settings, deps);
  if (method === 'GET' && path === FRONT_PATHS.callback) return callback(event, settings, deps);
  if (method === 'POST' && path === FRONT_PATHS.token) return token(event, settings, deps);
  return json(404, { error: 'not_found' });
}

async function register(event: APIGatewayProxyEventV2, deps: FrontDeps): Promise<APIGatewayProxyStructuredResultV2> {
  const text = bodyText(event);
  let body: unknown;
  try {
    body = text === undefined ? undefined : JSON.parse(text);
  } catch {
    body = undefined;
  }
  const registration = registrationOf(body);
  if (isRegistrationError(registration)) return json(400, registration, { ...PUBLIC, ...NO_STORE });
  const client = registeredClientOf(registration, deps.random(), deps.now());
  await deps.store.register(client);
  logger.info('registered an OAuth client', { client_id: client.client_id, redirect_uris: client.redirect_uris });
  return json(201, registrationResponse(client), { ...PUBLIC, ...NO_STORE });
}

async function startAuthorization(event: APIGatewayProxyEventV2, settings: FrontSettings, deps: FrontDeps): Promise<APIGatewayProxyStructuredResultV2> {
  const params = new URLSearchParams(event.rawQueryString);
  const clientId = params.get('client_id') ?? '';
  const now = deps.now();
  const client = isClientIdShape(clientId) ? await deps.store.client(clientId, now) : undefined;
  const outcome = authorize(params, client, settings, deps.random(), now);
  if (outcome.kind === 'page') return page(400, outcome.message);
  if (outcome.kind === 'redirect') return redirect(outcome.location);
  await deps.store.keepRelay(outcome.relay);
  await deps.store.renew(outcome.relay.client_id, now);
  return redirect(outcome.location);
}

async function callback(event: APIGatewayProxyEventV2, settings: FrontSettings, deps: FrontDeps): Promise<APIGatewayProxyStructuredResultV2> {
  const params = new URLSearchParams(event.rawQueryString);
  const state = params.get('state') ?? '';
  const relay = isRelayStateShape(state) ? await deps.store.takeRelay(state, deps.now()) : undefined;
  // Unknown, expired or used already: there is no client to send the browser back to.
  if (!relay) return page(400, 'This sign-in link is not valid any more (unknown, expired or already used). Start the sign-in again from your application.');
  return redirect(callbackLocation(relay, params, settings.issuer));
}

async function token(event: APIGatewayProxyEventV2, settings: FrontSettings, deps: FrontDeps): Promise<APIGatewayProxyStructuredResultV2> {
  const headers = { ...PUBLIC, ...NO_STORE };
  const type = String(event.headers['content-type'] ?? '').split(';')[0]?.trim().toLowerCase();
  const text = bodyText(event);
  if (type !== 'application/x-www-form-urlencoded' || text === undefined) return json(400, { error: 'invalid_request', error_description: 'the body must be application/x-www-form-urlencoded' }, headers);
  const params = new URLSearchParams(text);
  const clientId = params.get('client_id') ?? '';
  const client = isClientIdShape(clientId) ? await deps.store.client(clientId, deps.now()) : undefined;
  const forwarded = tokenRequest(params, client, settings);
  if (isTokenError(forwarded)) return json(forwarded.status, { error: forwarded.error, error_description: forwarded.error_description }, headers);
  const answer = await deps.postToken(`${settings.upstream.replace(/\/$/, '')}${UPSTREAM_PATHS.token}`, forwarded.form);
  if (answer.status !== 200) logger.warn('the user pool refused a token request', { client_id: clientId, status: answer.status, error: (answer.body as { error?: unknown } | null)?.error });
  return json(answer.status, answer.body, headers);
}

function bodyText(event: APIGatewayProxyEventV2): string | undefined {
  if (event.body === undefined) return undefined;
  const text = event.isBase64Encoded ? Buffer.from(event.body, 'base64').toString('utf8') : event.body;
  return Buffer.byteLength(text) > MAX_BODY ? undefined : text;
}

function json(statusCode: number, body: unknown, headers: Record<string, string> = {}): APIGatewayProxyStructuredResultV2 {
  return { statusCode, headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) };
}

function redirect(location: string): APIGatewayProxyStructuredResultV2 {
  // The redirect's query carries a code or a relay state: never cached, never sent on as a referrer.
  return { statusCode: 302, headers: { location, ...NO_STORE, 'referrer-policy': 'no-referrer' } };
}

/** What a person sees when the browser cannot be sent anywhere: plain text, nothing for a page to run. */
function page(statusCode: number, message: string): APIGatewayProxyStructuredResultV2 {
  return { statusCode, headers: { 'content-type': 'text/plain; charset=utf-8', ...NO_STORE, 'x-content-type-options': 'nosniff' }, body: `Centli: ${message}\n` };
}

async function front(event: APIGatewayProxyEventV2, context: Context): Promise<APIGatewayProxyStructuredResultV2> {
  correlate(observability, { correlation_id: event.requestContext.requestId ?? context.awsRequestId });
  applyLocalEndpoints();
  const answer = await serveFront(event);
  // An OAuth error is the protocol's answer (RFC 6749's codes), not a customer refusal of the catalogue: counted without a code.
  if (answer.statusCode !== undefined && answer.statusCode >= 400) recordOutcome(context, 'refused');
  return answer;
}

export const handler = observed(front, observability, { handler: 'oauth-front' });
