/**
 * The local stack as a token issuer: what Cognito (or any OIDC provider) is to a deployed stage.
 * At start it creates an ES256 key pair, publishes the public key at
 * `<issuer>/.well-known/jwks.json` and signs a demo token for each seeded customer; the front
 * doors verify them exactly as they verify a deployed stage's tokens (lib/kit/auth.ts), by issuer
 * and key set. The private key lives in this process only, so the tokens are good while this
 * stack runs and nowhere else.
 *
 * It also answers the OAuth 2.0 authorization code flow with PKCE (RFC 6749 section 4.1,
 * RFC 7636) the chat page uses against Cognito's managed login, for public clients registered
 * with their exact redirect URIs:
 * - `GET /oauth2/authorize` shows the seeded customers to sign in as (a demo issuer: no
 *   passwords); choosing one redirects back with a code bound to the client, the redirect URI
 *   and the S256 code challenge, good once, for one minute;
 * - `POST /oauth2/token` trades the code, with the same redirect URI and the code verifier, for
 *   `{ id_token, access_token, token_type, expires_in }`. The ID token's `aud` is the client id.
 * An authorization request may name a resource (RFC 8707) instead of asking for `openid`, as an
 * MCP client does: the access token is then bound to it (its `aud`), carries the scopes asked for,
 * and comes without an ID token. Its metadata and dynamic registration are ./oauth-server.ts.
 * As Cognito does, a request may also ask for Centli's API scopes alone (no ID token then), and
 * the access tokens of a sign-in have no `aud`, only `client_id`; the user pool's pre token
 * generation trigger (event version 2), when the stack gives one, adds its claims to them, as the
 * MCP service's trigger binds the fixed MCP client's tokens to /mcp for the authorization front.
 *
 * Every sign-in through the page is a new one (as `prompt=login` asks of a provider): the ID
 * token's `auth_time` is the moment the customer was chosen, which is what the approvals API reads
 * before it lets a customer add a passkey. Passkeys are not the issuer's business: the approvals API
 * runs their ceremonies itself, as it does deployed (services/mcp/src/app/passkeys.ts).
 *
 * @module
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { exportJWK, generateKeyPair, SignJWT, type CryptoKey, type JWK } from 'jose';
import { API_SCOPES, resourceProblem } from '@centli/pure/oauth';
import { readBody, sendBody, sendJson, type LocalHttpServer } from './http';

export const JWKS_PATH = '/.well-known/jwks.json';
export const AUTHORIZE_PATH = '/oauth2/authorize';
export const TOKEN_PATH = '/oauth2/token';
/**
 * The chat page's client id locally: a public client (no secret), like the stage's Cognito app
 * client; it is also the audience the local front doors accept, so its ID tokens open the chat.
 */
export const LOCAL_CLIENT_ID = 'centli';
/** How long a demo token lasts: longer than any session at a desk. */
const TOKEN_LIFETIME = '12h';
/** How long the tokens of a sign-in last: Cognito's default for ID and access tokens. */
const SIGN_IN_TOKEN_SECONDS = 3600;
/** How long a code waits to be traded (RFC 6749 4.1.2 asks for short; at most ten minutes). */
export const CODE_LIFETIME_MS = 60_000;
/** RFC 7636 4.1 (verifier) and 4.2 (an S256 challenge is 43 base64url characters). */
const VERIFIER = /^[A-Za-z0-9\-._~]{43,128}$/;
const S256_CHALLENGE = /^[A-Za-z0-9_-]{43}$/;

export interface LocalOAuthClient {
  clientId: string;
  /** The redirect URIs the client registered, compared exactly; read at each request, as the stack's URL is known once it has started. */
  redirectUris: () => readonly string[];
}

export interface LocalIssuerOptions {
  /** Who may sign in through `/oauth2/authorize`. */
  customers?: () => ReadonlyArray<{ user_id: string; name: string; email?: string }>;
  /** The OAuth clients; none, and the OAuth endpoints refuse every request. */
  clients?: readonly LocalOAuthClient[];
  /** The clock (milliseconds), for the codes' lifetime. */
  now?: () => number;
  /** A client registered dynamically (./oauth-server.ts), when it is not one of `clients`. */
  registeredClient?: (clientId: string) => LocalOAuthClient | undefined;
  /** The resources (RFC 8707) it issues tokens for; a request naming another is refused with invalid_target. */
  resources?: () => readonly string[];
  /**
   * The user pool's pre token generation trigger (V2_0), as Cognito runs it for a sign-in's tokens:
   * given the event, it answers the event with `response.claimsAndScopeOverrideDetails`.
   */
  preTokenGeneration?: (event: PreTokenGenerationEvent) => Promise<unknown>;
}

/** The V2_0 pre token generation event, as Cognito sends it after a managed login sign-in. */
export interface PreTokenGenerationEvent {
  version: '2';
  triggerSource: 'TokenGeneration_HostedAuth';
  region: string;
  userPoolId: string;
  userName: string;
  callerContext: { awsSdkVersion: string; clientId: string };
  request: { userAttributes: Record<string, string>; groupConfiguration: { groupsToOverride: string[]; iamRolesToOverride: string[]; preferredRole: null }; scopes: string[] };
  response: { claimsAndScopeOverrideDetails: null };
}

/** Claims a trigger may not set, as Cognito refuses them (its "Pre token generation" claims rules). */
const RESERVED_CLAIMS = new Set(['acr', 'amr', 'aud', 'auth_time', 'azp', 'client_id', 'exp', 'iat', 'identities', 'iss', 'jti', 'nbf', 'nonce', 'origin_jti', 'scope', 'sub', 'token_use', 'cognito:username', 'username', 'event_id', 'device_key']);

/** The `auth` block of the chat page's config.json. */
export interface OAuthSettings {
  authorize_url: string;
  token_url: string;
  client_id: string;
  redirect_uri: string;
  scopes: string[];
}

export interface LocalIssuer {
  /** The issuer URL, which is the stack's HTTP URL. */
  issuer: string;
  /** Signs a token naming `userId` (claim `sub`), for the audience `centli`: an ID token (`token_use: id`), as a Cognito sign-in gives, unless `claims` say otherwise. */
  tokenFor(userId: string, options?: TokenOptions): Promise<string>;
  /** Where a client signs in: the page's `auth` configuration; `base`, the origin the page was served from (the stack's own by default). */
  oauthSettings(clientId: string, redirectUri: string, base?: string): OAuthSettings;
}

/** A token's lifetime, audience (the client id, or the resources it is bound to) and further claims. */
export interface TokenOptions {
  /** `false`: no expiry at all (only for tests of a verifier that must refuse it). */
  expiresIn?: string | false;
  /** `null`: no `aud` at all, as Cognito's access tokens. */
  audience?: string | string[] | null;
  claims?: Record<string, unknown>;
}

/** A code waiting to be traded, and what it is bound to. */
interface Grant {
  clientId: string;
  redirectUri: string;
  challenge: string;
  userId: string;
  scope: string;
  nonce: string | undefined;
  /** The resource the access token will be bound to (RFC 8707), when the request named one. */
  resource?: string;
  authTime: number;
  expiresAt: number;
  used: boolean;
}

/** An OAuth error answered on the token endpoint (RFC 6749 5.2). */
class OAuthError extends Error {
  constructor(
    readonly code: 'invalid_request' | 'invalid_client' | 'invalid_grant' | 'unsupported_grant_type' | 'invalid_target',
    message: string,
  ) {
    super(message);
    this.name = 'OAuthError';
  }
}

/** Creates the key pair and serves its JWKS and the OAuth endpoints on `server`; the issuer is known once the server has started. */
export async function createLocalIssuer(server: LocalHttpServer, options: LocalIssuerOptions = {}): Promise<LocalIssuer> {
  const { privateKey, publicKey } = await generateKeyPair('ES256', { extractable: true });
  const kid = `centli-local-${Date.now().toString(36)}`;
  const jwk: JWK = { ...(await exportJWK(publicKey)), kid, alg: 'ES256', use: 'sig' };
  const now = options.now ?? Date.now;
  const tokenFor: LocalIssuer['tokenFor'] = (userId, tokenOptions = {}) => sign(privateKey, kid, server.url, userId, tokenOptions);
  const customers = options.customers ?? (() => []);
  const clients = options.clients ?? [];
  const clientOf = (clientId: string) => clients.find((c) => c.clientId === clientId) ?? options.registeredClient?.(clientId);
  const oauth = new OAuthEndpoints(clientOf, customers, now, tokenFor, options.resources ?? (() => []), options.preTokenGeneration);
  server.route(async (request, response, url) => {
    if (request.method === 'GET' && url.pathname === JWKS_PATH) {
      sendJson(response, 200, { keys: [jwk] }, { 'cache-control': 'max-age=300' });
      return true;
    }
    if (url.pathname === AUTHORIZE_PATH && (request.method === 'GET' || request.method === 'POST')) {
      await oauth.authorize(request, response, url);
      return true;
    }
    if (url.pathname === TOKEN_PATH && request.method === 'POST') {
      await oauth.token(request, response);
      return true;
    }
    return false;
  });
  return {
    get issuer() {
      return server.url;
    },
    tokenFor,
    oauthSettings: (clientId, redirectUri, base = server.url) => ({
      authorize_url: `${base}${AUTHORIZE_PATH}`,
      token_url: `${base}${TOKEN_PATH}`,
      client_id: clientId,
      redirect_uri: redirectUri,
      scopes: ['openid', 'email'],
    }),
  };
}

async function sign(key: CryptoKey, kid: string, issuer: string, userId: string, options: TokenOptions): Promise<string> {
  const signed = new SignJWT({ token_use: 'id', ...options.claims }).setProtectedHeader({ alg: 'ES256', kid, typ: 'JWT' }).setIssuer(issuer).setSubject(userId).setIssuedAt();
  const jwt = options.audience === null ? signed : signed.setAudience(options.audience ?? 'centli');
  return (options.expiresIn === false ? jwt : jwt.setExpirationTime(options.expiresIn ?? TOKEN_LIFETIME)).sign(key);
}

/** The authorization and token endpoints (see the module description). */
class OAuthEndpoints {
  private readonly grants = new Map<string, Grant>();

  constructor(
    private readonly clientOf: (clientId: string) => LocalOAuthClient | undefined,
    private readonly customers: NonNullable<LocalIssuerOptions['customers']>,
    private readonly now: () => number,
    private readonly tokenFor: LocalIssuer['tokenFor'],
    private readonly resources: () => readonly string[],
    private readonly preTokenGeneration?: LocalIssuerOptions['preTokenGeneration'],
  ) {}

  /**
   * GET shows who to sign in as; POST (the page's form) signs in as the one chosen, or answers
   * `access_denied` when the person cancels. An unknown client or redirect URI is never
   * redirected to (RFC 6749 4.1.2.1): the page says what is wrong instead.
   */
  async authorize(request: IncomingMessage, response: ServerResponse, url: URL): Promise<void> {
    const params = request.method === 'POST' ? await formOf(request, response) : url.searchParams;
    if (!params) return;
    const clientId = params.get('client_id') ?? '';
    const redirectUri = params.get('redirect_uri') ?? '';
    const client = this.clientOf(clientId);
    if (!client) return sendPage(response, 400, errorPage(`Unknown client_id "${clientId}".`));
    if (!client.redirectUris().includes(redirectUri)) return sendPage(response, 400, errorPage(`redirect_uri "${redirectUri}" is not registered for client ${clientId}.`));
    const state = params.get('state') ?? undefined;
    const back = (query: Record<string, string>) => redirect(response, redirectUri, { ...query, ...(state !== undefined ? { state } : {}) });

    if (params.get('response_type') !== 'code') return back({ error: 'unsupported_response_type', error_description: 'only response_type=code is supported' });
    const challenge = params.get('code_challenge') ?? '';
    if (params.get('code_challenge_method') !== 'S256' || !S256_CHALLENGE.test(challenge)) {
      return back({ error: 'invalid_request', error_description: 'PKCE is required: code_challenge (43 base64url characters) with code_challenge_method=S256' });
    }
    const asked = (params.get('scope') ?? '').split(/\s+/).filter(Boolean);
    const resource = this.resourceOf(params);
    if (typeof resource === 'object') return back(resource);
    // Cognito takes custom scopes alone (then it issues no ID token); anything else needs openid or a resource.
    const apiOnly = asked.length > 0 && asked.every((s) => (API_SCOPES as readonly string[]).includes(s));
    if (!asked.includes('openid') && !apiOnly && resource === undefined) return back({ error: 'invalid_scope', error_description: 'the scope must include openid, or only Centli’s API scopes, or the request name a resource (RFC 8707)' });
    // A token for a resource grants only the API's scopes asked for (RFC 6749 3.3 lets a server grant less).
    const scope = resource === undefined ? asked : asked.filter((s) => (API_SCOPES as readonly string[]).includes(s));
    if (scope.length === 0) return back({ error: 'invalid_scope', error_description: `ask for at least one of ${API_SCOPES.join(', ')}` });

    if (request.method === 'GET') return sendPage(response, 200, signInPage(params, this.customers(), redirectUri));
    if (params.has('deny')) return back({ error: 'access_denied', error_description: 'the person cancelled the sign-in' });
    const userId = params.get('user_id') ?? '';
    if (!this.customers().some((c) => c.user_id === userId)) return sendPage(response, 400, errorPage(`No seeded customer "${userId}".`));

    this.forgetExpired();
    const code = randomBytes(32).toString('base64url');
    const nonce = params.get('nonce') ?? undefined;
    const at = this.now();
    this.grants.set(code, { clientId, redirectUri, challenge, userId, scope: scope.join(' '), nonce, ...(resource !== undefined ? { resource } : {}), authTime: Math.floor(at / 1000), expiresAt: at + CODE_LIFETIME_MS, used: false });
    back({ code });
  }

  /** The token endpoint: `authorization_code` only, for public clients, PKCE required. */
  async token(request: IncomingMessage, response: ServerResponse): Promise<void> {
    // The page is served from this origin locally; a deployed provider answers CORS the same way.
    const headers = { 'cache-control': 'no-store', pragma: 'no-cache', 'access-control-allow-origin': '*' };
    try {
      const type = String(request.headers['content-type'] ?? '').split(';')[0]?.trim().toLowerCase();
      if (type !== 'application/x-www-form-urlencoded') throw new OAuthError('invalid_request', 'the body must be application/x-www-form-urlencoded');
      const params = new URLSearchParams((await readBody(request, 16 * 1024)).toString('utf8'));
      const answer = await this.redeem(params);
      sendJson(response, 200, answer, headers);
    } catch (error) {
      if (!(error instanceof OAuthError)) throw error;
      sendJson(response, error.code === 'invalid_client' ? 401 : 400, { error: error.code, error_description: error.message }, headers);
    }
  }

  /**
   * Checks a token request against the code's grant: known client, the code unused (any attempt
   * uses it up) and unexpired, issued to this client, the same redirect URI, and
   * BASE64URL(SHA256(ASCII(code_verifier))) equal to the challenge (RFC 7636 4.6).
   */
  private async redeem(params: URLSearchParams): Promise<Record<string, unknown>> {
    if (params.get('grant_type') !== 'authorization_code') throw new OAuthError('unsupported_grant_type', 'only grant_type=authorization_code is supported');
    const clientId = params.get('client_id') ?? '';
    if (!this.clientOf(clientId)) throw new OAuthError('invalid_client', `unknown client_id "${clientId}"`);
    const code = params.get('code');
    if (!code) throw new OAuthError('invalid_request', 'code is required');
    const grant = this.grants.get(code);
    if (!grant) throw new OAuthError('invalid_grant', 'the code is not valid');
    if (grant.used) throw new OAuthError('invalid_grant', 'the code was already used');
    grant.used = true;
    if (this.now() >= grant.expiresAt) throw new OAuthError('invalid_grant', 'the code has expired');
    if (grant.clientId !== clientId) throw new OAuthError('invalid_grant', 'the code was issued to another client');
    if (params.get('redirect_uri') !== grant.redirectUri) throw new OAuthError('invalid_grant', 'redirect_uri is not the one of the authorization request');
    const verifier = params.get('code_verifier');
    if (!verifier) throw new OAuthError('invalid_request', 'code_verifier is required');
    if (!VERIFIER.test(verifier) || !sameText(s256(verifier), grant.challenge)) throw new OAuthError('invalid_grant', 'code_verifier does not match the code_challenge');
    const resource = params.getAll('resource');
    if (resource.length > 0 && (resource.length > 1 || resource[0] !== grant.resource)) throw new OAuthError('invalid_target', 'the resource is not the one of the authorization request');
    if (grant.resource !== undefined) return this.resourceTokens(grant);

    const customer = this.customers().find((c) => c.user_id === grant.userId);
    const added = await this.triggerClaims(grant, customer);
    const accessToken = await this.tokenFor(grant.userId, {
      audience: null,
      expiresIn: `${SIGN_IN_TOKEN_SECONDS}s`,
      claims: { ...added.access, token_use: 'access', client_id: clientId, scope: grant.scope },
    });
    if (!grant.scope.split(' ').includes('openid')) return { access_token: accessToken, token_type: 'Bearer', expires_in: SIGN_IN_TOKEN_SECONDS };
    const idToken = await this.tokenFor(grant.userId, {
      audience: clientId,
      expiresIn: `${SIGN_IN_TOKEN_SECONDS}s`,
      claims: {
        ...added.id,
        token_use: 'id',
        'custom:user_id': grant.userId,
        auth_time: grant.authTime,
        ...(customer?.name ? { name: customer.name } : {}),
        ...(customer?.email ? { email: customer.email, email_verified: true } : {}),
        ...(grant.nonce !== undefined ? { nonce: grant.nonce } : {}),
      },
    });
    return { id_token: idToken, access_token: accessToken, token_type: 'Bearer', expires_in: SIGN_IN_TOKEN_SECONDS };
  }

  /**
   * What the pre token generation trigger adds to the ID and access tokens of a sign-in, as
   * Cognito runs it: one V2_0 event for both tokens, the customer's attributes as the user pool
   * keeps them (Centli's user id in `custom:user_id`), reserved claims ignored.
   */
  private async triggerClaims(grant: Grant, customer: { user_id: string; email?: string } | undefined): Promise<{ id: Record<string, string>; access: Record<string, string> }> {
    if (!this.preTokenGeneration) return { id: {}, access: {} };
    const event: PreTokenGenerationEvent = {
      version: '2',
      triggerSource: 'TokenGeneration_HostedAuth',
      region: 'us-east-1',
      userPoolId: 'us-east-1_local',
      userName: grant.userId,
      callerContext: { awsSdkVersion: 'aws-sdk-unknown-unknown', clientId: grant.clientId },
      request: {
        userAttributes: { sub: grant.userId, 'cognito:user_status': 'CONFIRMED', 'custom:user_id': grant.userId, ...(customer?.email ? { email: customer.email, email_verified: 'true' } : {}) },
        groupConfiguration: { groupsToOverride: [], iamRolesToOverride: [], preferredRole: null },
        scopes: grant.scope.split(' '),
      },
      response: { claimsAndScopeOverrideDetails: null },
    };
    const answer = (await this.preTokenGeneration(event)) as { response?: { claimsAndScopeOverrideDetails?: { idTokenGeneration?: { claimsToAddOrOverride?: Record<string, string> }; accessTokenGeneration?: { claimsToAddOrOverride?: Record<string, string> } } | null } } | null;
    const details = answer?.response?.claimsAndScopeOverrideDetails;
    const allowed = (claims: Record<string, string> | undefined) => Object.fromEntries(Object.entries(claims ?? {}).filter(([name]) => !RESERVED_CLAIMS.has(name)));
    return { id: allowed(details?.idTokenGeneration?.claimsToAddOrOverride), access: allowed(details?.accessTokenGeneration?.claimsToAddOrOverride) };
  }

  /**
   * The resource an authorization request names (RFC 8707 section 2): undefined when none, the
   * error to redirect with when it is not one absolute URI this issuer issues tokens for.
   */
  private resourceOf(params: URLSearchParams): string | undefined | { error: 'invalid_target'; error_description: string } {
    const named = params.getAll('resource');
    if (named.length === 0) return undefined;
    const resource = named[0] as string;
    if (named.length > 1) return { error: 'invalid_target', error_description: 'name one resource per request' };
    const problem = resourceProblem(resource);
    if (problem) return { error: 'invalid_target', error_description: problem };
    if (!this.resources().includes(resource)) return { error: 'invalid_target', error_description: `this issuer issues no tokens for ${resource}` };
    return resource;
  }

  /** An access token bound to the grant's resource (`aud`), with the scopes asked for: no ID token, no client in the audience. */
  private async resourceTokens(grant: Grant): Promise<Record<string, unknown>> {
    const accessToken = await this.tokenFor(grant.userId, {
      audience: grant.resource,
      expiresIn: `${SIGN_IN_TOKEN_SECONDS}s`,
      claims: { token_use: 'access', client_id: grant.clientId, scope: grant.scope, auth_time: grant.authTime },
    });
    return { access_token: accessToken, token_type: 'Bearer', expires_in: SIGN_IN_TOKEN_SECONDS, scope: grant.scope };
  }

  /** Used codes stay until they expire, so a replay is told apart from a made-up code. */
  private forgetExpired(): void {
    const now = this.now();
    for (const [code, grant] of this.grants) if (grant.expiresAt <= now) this.grants.delete(code);
  }
}

/** BASE64URL(SHA256(ASCII(verifier))). */
export function s256(verifier: string): string {
  return createHash('sha256').update(verifier, 'ascii').digest('base64url');
}

function sameText(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}

async function formOf(request: IncomingMessage, response: ServerResponse): Promise<URLSearchParams | undefined> {
  const type = String(request.headers['content-type'] ?? '').split(';')[0]?.trim().toLowerCase();
  if (type !== 'application/x-www-form-urlencoded') {
    sendPage(response, 415, errorPage('The form must be sent as application/x-www-form-urlencoded.'));
    return undefined;
  }
  return new URLSearchParams((await readBody(request, 16 * 1024)).toString('utf8'));
}

function redirect(response: ServerResponse, to: string, query: Record<string, string>): void {
  const url = new URL(to);
  for (const [name, value] of Object.entries(query)) url.searchParams.set(name, value);
  // 303: the browser follows a POST's answer with a GET.
  response.writeHead(303, { location: url.toString(), 'cache-control': 'no-store', 'referrer-policy': 'no-referrer' }).end();
}

interface Page {
  html: string;
  nonce: string;
  /** Where the page's form may send the browser: its own origin and the client's. */
  formAction?: string;
}

function sendPage(response: ServerResponse, status: number, page: Page): void {
  const csp = [
    "default-src 'none'",
    `style-src 'nonce-${page.nonce}'`,
    'img-src data:',
    `form-action 'self'${page.formAction ? ` ${page.formAction}` : ''}`,
    "base-uri 'none'",
    "frame-ancestors 'none'",
  ].join('; ');
  sendBody(response, status, 'text/html; charset=utf-8', page.html, {
    'cache-control': 'no-store',
    'content-security-policy': csp,
    'x-frame-options': 'DENY',
    'x-content-type-options': 'nosniff',
    // Not no-referrer: under it the browser sends `Origin: null` with the page's own form POST,
    // which the stack refuses as another origin (DNS rebinding protection, local/http.ts).
    // same-origin still tells no other site where the person came from.
    'referrer-policy': 'same-origin',
  });
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] as string);
}

const STYLE = `
  :root { color-scheme: light dark; --brand: #0a5a43; --border: #dce2e8; --muted: #5a6675; font-family: system-ui, sans-serif; }
  body { margin: 0; min-height: 100vh; display: grid; place-items: center; background: Canvas; color: CanvasText; }
  main { width: min(480px, calc(100% - 32px)); padding: 28px; border: 1px solid var(--border); border-radius: 18px; }
  h1 { font-size: 22px; margin: 0 0 6px; }
  p { margin: 0 0 16px; color: var(--muted); }
  ul { list-style: none; margin: 0 0 16px; padding: 0; display: grid; gap: 8px; }
  button { font: inherit; width: 100%; text-align: left; padding: 12px 14px; border-radius: 12px; border: 1px solid var(--border); background: Canvas; color: CanvasText; cursor: pointer; }
  button:hover { border-color: var(--brand); }
  button:focus-visible { outline: 3px solid #1a73e8; outline-offset: 2px; }
  .id { display: block; font-family: ui-monospace, monospace; font-size: 12.5px; color: var(--muted); }
  .cancel { width: auto; text-align: center; }
`;

function page(title: string, body: string, formAction?: string): Page {
  const nonce = randomBytes(16).toString('base64');
  const html = `<!doctype html>
<html lang="es">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title>
<link rel="icon" href="data:,">
<style nonce="${nonce}">${STYLE}</style>
</head>
<body>
<main>
${body}
</main>
</body>
</html>
`;
  return { html, nonce, ...(formAction ? { formAction } : {}) };
}

function signInPage(params: URLSearchParams, customers: ReadonlyArray<{ user_id: string; name: string }>, redirectUri: string): Page {
  const carried = ['response_type', 'client_id', 'redirect_uri', 'scope', 'state', 'nonce', 'code_challenge', 'code_challenge_method', 'resource'];
  const hidden = carried
    .filter((name) => params.has(name))
    .map((name) => `<input type="hidden" name="${name}" value="${escapeHtml(params.get(name) ?? '')}">`)
    .join('\n');
  const buttons = customers
    .map((c) => `<li><button type="submit" name="user_id" value="${escapeHtml(c.user_id)}">${escapeHtml(c.name)} <span class="id">${escapeHtml(c.user_id)}</span></button></li>`)
    .join('\n');
  const body = `<h1>Centli · Iniciar sesión <span lang="en">(sign in)</span></h1>
<p>Emisor de prueba del stack local: elige con quién iniciar sesión. <span lang="en">The local stack's demo issuer: choose who to sign in as.</span></p>
<form method="post" action="${AUTHORIZE_PATH}">
${hidden}
<ul aria-label="Clientes de prueba / Test customers">
${buttons || '<li>No hay clientes sembrados. <span lang="en">No seeded customers.</span></li>'}
</ul>
<button type="submit" name="deny" value="1" class="cancel">Cancelar <span lang="en">(cancel)</span></button>
</form>`;
  return page('Centli · Iniciar sesión', body, new URL(redirectUri).origin);
}

function errorPage(message: string): Page {
  return page('Centli · Error', `<h1>No se puede iniciar sesión <span lang="en">(cannot sign in)</span></h1>\n<p role="alert">${escapeHtml(message)}</p>`);
}
