/**
 * The authorization front before the stage's Cognito user pool (docs/decisions.md, "MCP
 * authorization"): what Cognito lacks for an MCP client that knows nothing but the MCP URL, and
 * nothing more. It registers public clients itself (RFC 7591, kept in DynamoDB), serves the
 * authorization server metadata (RFC 8414) with its own URL as issuer, and relays the
 * authorization code flow to Cognito's managed login with the one fixed public app client for MCP:
 * - `/authorize` checks the client, its redirect URI, PKCE S256, the resource (RFC 8707) and the
 *   scopes, keeps the client's redirect URI and state under a random relay state, and sends the
 *   browser to Cognito with the fixed client, the front's callback and the client's own challenge;
 * - `/callback` takes the relay state once, and hands Cognito's code (or error) to the client's
 *   redirect URI with the client's own state;
 * - `/token` forwards the code and the client's verifier to Cognito with the fixed client and the
 *   front's callback as `redirect_uri`.
 * PKCE runs end to end between the MCP client and Cognito: a relayed code is useless without the
 * client's verifier, and the front keeps no token, no code and no secret. Pure.
 */
import { API_SCOPES, redirectUriProblem, type ClientRegistration } from '@centli/pure/oauth';

/** The front's paths on the MCP HTTP API: under `/oauth`, its issuer URL's path. */
export const FRONT_PATHS = {
  issuer: '/oauth',
  register: '/oauth/register',
  authorize: '/oauth/authorize',
  callback: '/oauth/callback',
  token: '/oauth/token',
  /** RFC 8414 section 3.1: the well-known path inserted before the issuer's own path. */
  metadata: '/.well-known/oauth-authorization-server/oauth',
} as const;

/** Cognito's managed login endpoints, under the user pool domain (the local issuer serves the same paths). */
export const UPSTREAM_PATHS = { authorize: '/oauth2/authorize', token: '/oauth2/token' } as const;

/** The scopes a client may ask the front for: Centli's API, and `openid` for an ID token beside it. */
export const FRONT_SCOPES: readonly string[] = ['openid', ...API_SCOPES];

/** A registration unused this long is forgotten (DynamoDB TTL); each authorization request renews it. */
export const REGISTRATION_TTL_SECONDS = 30 * 24 * 3600;
/** How long a relay state waits for Cognito's callback: a person signing in, with a second factor at most. */
export const RELAY_TTL_SECONDS = 10 * 60;
/** RFC 7636 4.2: an S256 challenge is 43 base64url characters; 4.1: a verifier 43 to 128 unreserved ones. */
const S256_CHALLENGE = /^[A-Za-z0-9_-]{43}$/;
const VERIFIER = /^[A-Za-z0-9\-._~]{43,128}$/;
/** The client ids the front issues, and the relay states: random, so never guessed. */
const CLIENT_ID = /^mcp-[A-Za-z0-9_-]{16,64}$/;
const RELAY_STATE = /^[A-Za-z0-9_-]{32,64}$/;
/** RFC 6749 leaves `state` opaque; the front carries at most this much of it. */
const MAX_STATE = 1024;

/** Where the front is and whom it relays to. */
export interface FrontSettings {
  /** The front's issuer URL: the MCP HTTP API's URL and `/oauth`. */
  issuer: string;
  /** Cognito's user pool domain (`https://<prefix>.auth.<region>.amazoncognito.com`), or the local issuer. */
  upstream: string;
  /** The fixed public app client for MCP on the user pool. */
  clientId: string;
  /** The MCP endpoint, the one resource the front issues tokens for (RFC 8707). */
  resource: string;
}

/** The front's own URL of one of its paths. */
export function frontUrl(issuer: string, path: (typeof FRONT_PATHS)[keyof typeof FRONT_PATHS]): string {
  return `${new URL(issuer).origin}${path}`;
}

/** The authorization server metadata (RFC 8414 section 2) the front serves as its own. */
export function frontMetadata(issuer: string): Record<string, unknown> {
  return {
    issuer,
    authorization_endpoint: frontUrl(issuer, FRONT_PATHS.authorize),
    token_endpoint: frontUrl(issuer, FRONT_PATHS.token),
    registration_endpoint: frontUrl(issuer, FRONT_PATHS.register),
    scopes_supported: [...FRONT_SCOPES],
    response_types_supported: ['code'],
    response_modes_supported: ['query'],
    grant_types_supported: ['authorization_code', 'refresh_token'],
    token_endpoint_auth_methods_supported: ['none'],
    code_challenge_methods_supported: ['S256'],
    client_id_metadata_document_supported: false,
  };
}

/** A registration as the front keeps it (one item of its table). */
export interface RegisteredClient extends ClientRegistration {
  pk: string;
  client_id: string;
  /** Seconds since the epoch. */
  client_id_issued_at: number;
  /** When DynamoDB forgets it, unless an authorization request renews it. */
  ttl: number;
}

export const clientKey = (clientId: string): string => `client#${clientId}`;
export const relayKey = (relayState: string): string => `relay#${relayState}`;

/** Whether `clientId` has the shape of a client id the front issues (anything else is looked up never). */
export function isClientIdShape(clientId: string): boolean {
  return CLIENT_ID.test(clientId);
}

/** Whether `state` has the shape of a relay state the front issues. */
export function isRelayStateShape(state: string): boolean {
  return RELAY_STATE.test(state);
}

/** The item a new registration is kept as: `random` is 32 random base64url characters or more. */
export function registeredClientOf(registration: ClientRegistration, random: string, now: Date): RegisteredClient {
  const issuedAt = Math.floor(now.getTime() / 1000);
  const clientId = `mcp-${random}`;
  return { pk: clientKey(clientId), client_id: clientId, ...registration, client_id_issued_at: issuedAt, ttl: issuedAt + REGISTRATION_TTL_SECONDS };
}

/** The client information response (RFC 7591 section 3.2.1): the metadata registered, and no secret, as a public client has none. */
export function registrationResponse(client: RegisteredClient): Record<string, unknown> {
  return {
    client_id: client.client_id,
    client_id_issued_at: client.client_id_issued_at,
    ...(client.client_name !== undefined ? { client_name: client.client_name } : {}),
    redirect_uris: client.redirect_uris,
    grant_types: client.grant_types,
    response_types: client.response_types,
    token_endpoint_auth_method: client.token_endpoint_auth_method,
    scope: client.scope,
  };
}

/** What a callback hands back to the client, kept under the relay state until then. */
export interface Relay {
  pk: string;
  client_id: string;
  redirect_uri: string;
  /** The client's own state, returned to it unchanged. */
  state?: string;
  ttl: number;
}

/**
 * An authorization request the front does not relay. `page`: the client or its redirect URI is
 * not known, so the browser must not be sent there (RFC 6749 4.1.2.1): the front says so itself.
 * `redirect`: any other problem, told to the client at its redirect URI.
 */
export type AuthorizeRefusal = { kind: 'page'; message: string } | { kind: 'redirect'; location: string };

/** An authorization request relayed: the relay to keep, and where to send the browser. */
export interface AuthorizeRelay {
  kind: 'relay';
  relay: Relay;
  location: string;
}

/**
 * Checks an authorization request (RFC 6749 4.1.1 with PKCE and RFC 8707) of a client looked up
 * by its `client_id` (undefined when unknown) and relays it: `relayState` is 32 random base64url
 * characters or more.
 */
export function authorize(params: URLSearchParams, client: RegisteredClient | undefined, settings: FrontSettings, relayState: string, now: Date): AuthorizeRefusal | AuthorizeRelay {
  const clientId = params.get('client_id') ?? '';
  const redirectUri = params.get('redirect_uri') ?? '';
  if (!client || client.client_id !== clientId) return { kind: 'page', message: `Unknown client_id "${clientId}": register first (${FRONT_PATHS.register}).` };
  // Compared exactly with what was registered; with one registered URI it may be left out (RFC 6749 3.1.2.3).
  const target = redirectUri === '' && client.redirect_uris.length === 1 ? (client.redirect_uris[0] as string) : redirectUri;
  if (!client.redirect_uris.includes(target) || redirectUriProblem(target)) return { kind: 'page', message: `redirect_uri "${redirectUri}" is not registered for client ${clientId}.` };
  const state = params.get('state') ?? undefined;
  const back = (error: string, description: string): AuthorizeRefusal => ({ kind: 'redirect', location: withQuery(target, { error, error_description: description, ...(state !== undefined ? { state } : {}) }) });

  if (state !== undefined && state.length > MAX_STATE) return back('invalid_request', `state must be at most ${MAX_STATE} characters`);
  if (params.get('response_type') !== 'code') return back('unsupported_response_type', 'only response_type=code is supported');
  const challenge = params.get('code_challenge') ?? '';
  if (params.get('code_challenge_method') !== 'S256' || !S256_CHALLENGE.test(challenge)) {
    return back('invalid_request', 'PKCE is required: code_challenge (43 base64url characters) with code_challenge_method=S256');
  }
  const resources = params.getAll('resource');
  // The front serves one resource: a request that names none is for it (RFC 8707 section 2 lets the server choose).
  if (resources.length > 1 || (resources.length === 1 && resources[0] !== settings.resource)) return back('invalid_target', `this authorization server issues tokens for ${settings.resource} only`);
  const asked = (params.get('scope') ?? client.scope).split(' ').filter(Boolean);
  const unknown = asked.filter((scope) => !FRONT_SCOPES.includes(scope));
  if (unknown.length > 0) return back('invalid_scope', `unknown scope ${unknown.join(' ')}; ask for ${FRONT_SCOPES.join(', ')}`);
  if (!asked.some((scope) => (API_SCOPES as readonly string[]).includes(scope))) return back('invalid_scope', `ask for at least one of ${API_SCOPES.join(', ')}`);

  const relay: Relay = { pk: relayKey(relayState), client_id: client.client_id, redirect_uri: target, ...(state !== undefined ? { state } : {}), ttl: Math.floor(now.getTime() / 1000) + RELAY_TTL_SECONDS };
  const location = withQuery(`${settings.upstream.replace(/\/$/, '')}${UPSTREAM_PATHS.authorize}`, {
    response_type: 'code',
    client_id: settings.clientId,
    redirect_uri: frontUrl(settings.issuer, FRONT_PATHS.callback),
    scope: asked.join(' '),
    state: relayState,
    code_challenge: challenge,
    code_challenge_method: 'S256',
  });
  return { kind: 'relay', relay, location };
}

/**
 * Where the callback sends the browser: the client's registered redirect URI with Cognito's code,
 * or its error (RFC 6749 4.1.2 and 4.1.2.1), and the client's own state.
 */
export function callbackLocation(relay: Pick<Relay, 'redirect_uri' | 'state'>, params: URLSearchParams, issuer: string): string {
  const code = params.get('code');
  const error = params.get('error');
  const answer: Record<string, string> =
    error !== null
      ? { error, ...(params.has('error_description') ? { error_description: params.get('error_description') as string } : {}) }
      : code
        ? { code }
        : { error: 'server_error', error_description: 'the sign-in came back with neither a code nor an error' };
  // RFC 9207: the issuer the answer comes from, so a client talking to several cannot be mixed up.
  return withQuery(relay.redirect_uri, { ...answer, ...(relay.state !== undefined ? { state: relay.state } : {}), iss: issuer });
}

/** A token request refused before it reaches Cognito (RFC 6749 5.2). */
export interface TokenError {
  status: 400 | 401;
  error: 'invalid_request' | 'invalid_client' | 'invalid_grant' | 'unsupported_grant_type' | 'invalid_target';
  error_description: string;
}

/** A token request as the front forwards it: Cognito's form. */
export interface UpstreamTokenRequest {
  form: URLSearchParams;
}

/**
 * Checks a token request (RFC 6749 4.1.3 and 6) of the client it names (looked up by its
 * `client_id`, undefined when unknown) and rewrites it for Cognito: the fixed client and, for a
 * code, the front's callback as `redirect_uri` (the one Cognito sent the code to), the client's
 * code and verifier unchanged. A refresh token is forwarded as it is, for the fixed client.
 */
export function tokenRequest(params: URLSearchParams, client: RegisteredClient | undefined, settings: FrontSettings): TokenError | UpstreamTokenRequest {
  const clientId = params.get('client_id') ?? '';
  if (!client || client.client_id !== clientId) return { status: 401, error: 'invalid_client', error_description: `unknown client_id "${clientId}"` };
  const resources = params.getAll('resource');
  if (resources.length > 1 || (resources.length === 1 && resources[0] !== settings.resource)) return { status: 400, error: 'invalid_target', error_description: `this authorization server issues tokens for ${settings.resource} only` };
  const grant = params.get('grant_type');
  if (grant === 'authorization_code') {
    const code = params.get('code');
    const verifier = params.get('code_verifier');
    const redirectUri = params.get('redirect_uri');
    if (!code) return { status: 400, error: 'invalid_request', error_description: 'code is required' };
    if (!verifier || !VERIFIER.test(verifier)) return { status: 400, error: 'invalid_request', error_description: 'code_verifier (43 to 128 unreserved characters) is required: PKCE' };
    if (redirectUri !== null && !client.redirect_uris.includes(redirectUri)) return { status: 400, error: 'invalid_grant', error_description: 'redirect_uri is not one registered for this client' };
    const form = new URLSearchParams({ grant_type: 'authorization_code', client_id: settings.clientId, code, code_verifier: verifier, redirect_uri: frontUrl(settings.issuer, FRONT_PATHS.callback) });
    return { form };
  }
  if (grant === 'refresh_token') {
    if (!client.grant_types.includes('refresh_token')) return { status: 400, error: 'unsupported_grant_type', error_description: 'this client did not register the refresh_token grant' };
    const refreshToken = params.get('refresh_token');
    if (!refreshToken) return { status: 400, error: 'invalid_request', error_description: 'refresh_token is required' };
    return { form: new URLSearchParams({ grant_type: 'refresh_token', client_id: settings.clientId, refresh_token: refreshToken }) };
  }
  return { status: 400, error: 'unsupported_grant_type', error_description: 'grant_type must be authorization_code or refresh_token' };
}

export function isTokenError(value: TokenError | UpstreamTokenRequest): value is TokenError {
  return 'error' in value;
}

/** `to` with `query` added to its own query. */
function withQuery(to: string, query: Record<string, string>): string {
  const url = new URL(to);
  for (const [name, value] of Object.entries(query)) url.searchParams.set(name, value);
  return url.toString();
}
