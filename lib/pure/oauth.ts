/**
 * OAuth 2.1 as the MCP authorization specification (2025-06-18 and 2025-11-25) asks of Centli's
 * authorization server, whichever plays it (the local stack's issuer, or the authorization front
 * before a stage's Cognito user pool: docs/decisions.md): the scopes Centli's API grants, the
 * authorization server metadata (RFC 8414) a client discovers, dynamic client registration
 * (RFC 7591) for public clients, and the resource indicator (RFC 8707) a token is bound to. Pure.
 */

/** The scopes of Centli's API: reading, and operating (moving money, changing payees and cards). */
export const SCOPES = { read: 'centli/read', operate: 'centli/operate' } as const;
export type Scope = (typeof SCOPES)[keyof typeof SCOPES];
export const API_SCOPES: readonly Scope[] = [SCOPES.read, SCOPES.operate];

/** The scopes a token grants: OAuth's space-separated `scope` claim (RFC 9068), or a `scp` list. */
export function scopesOf(claims: Readonly<Record<string, unknown>>): Set<string> {
  const { scope, scp } = claims;
  const listed = typeof scope === 'string' ? scope.split(' ') : Array.isArray(scp) ? scp : typeof scp === 'string' ? scp.split(' ') : [];
  return new Set(listed.filter((s): s is string => typeof s === 'string' && s.length > 0));
}

/**
 * Whether a token is bound to `resource` (RFC 8707): its `aud` names it (RFC 9068), or, where the
 * issuer cannot set `aud` on an access token (Cognito's token customization cannot), a `resource`
 * claim names it. Compared exactly, as the indicator was asked for.
 */
export function isBoundTo(claims: Readonly<Record<string, unknown>>, resource: string): boolean {
  return [claims.aud, claims.resource].flat().some((named) => named === resource);
}

/**
 * A resource indicator as RFC 8707 section 2 allows it: an absolute URI without a fragment.
 * @returns the refusal's description, or undefined when it is one.
 */
export function resourceProblem(resource: string): string | undefined {
  let url: URL;
  try {
    url = new URL(resource);
  } catch {
    return 'the resource must be an absolute URI';
  }
  if (resource.includes('#') || url.hash) return 'the resource must not have a fragment';
  return undefined;
}

/** Where an authorization server serves its OAuth endpoints, under its issuer URL. */
export interface AuthorizationServerEndpoints {
  issuer: string;
  authorize: string;
  token: string;
  register: string;
  jwks: string;
}

/**
 * The authorization server's metadata (RFC 8414 section 2), what an MCP client reads to sign a
 * customer in: PKCE with S256 only (a client MUST refuse a server that does not say so), public
 * clients registered dynamically, the authorization code grant.
 */
export function authorizationServerMetadata(endpoints: AuthorizationServerEndpoints, extraScopes: readonly string[] = ['openid', 'email']): Record<string, unknown> {
  const at = (path: string) => `${endpoints.issuer.replace(/\/$/, '')}${path}`;
  return {
    issuer: endpoints.issuer,
    authorization_endpoint: at(endpoints.authorize),
    token_endpoint: at(endpoints.token),
    registration_endpoint: at(endpoints.register),
    jwks_uri: at(endpoints.jwks),
    scopes_supported: [...extraScopes, ...API_SCOPES],
    response_types_supported: ['code'],
    response_modes_supported: ['query'],
    grant_types_supported: ['authorization_code'],
    token_endpoint_auth_methods_supported: ['none'],
    code_challenge_methods_supported: ['S256'],
    client_id_metadata_document_supported: false,
    // The OpenID Connect discovery fields the same document answers, for clients that read it there.
    subject_types_supported: ['public'],
    id_token_signing_alg_values_supported: ['ES256', 'RS256'],
  };
}

/** A public client's registration (RFC 7591 section 2), as the server keeps it. */
export interface ClientRegistration {
  client_name?: string;
  redirect_uris: string[];
  grant_types: string[];
  response_types: string[];
  token_endpoint_auth_method: 'none';
  scope: string;
}

/** A registration refused (RFC 7591 section 3.2.2). */
export interface RegistrationError {
  error: 'invalid_redirect_uri' | 'invalid_client_metadata';
  error_description: string;
}

/** At most this many redirect URIs per client: a client needs one or two. */
export const MAX_REDIRECT_URIS = 10;
const LOOPBACK_HOSTS = new Set(['127.0.0.1', '[::1]', 'localhost']);

/**
 * A redirect URI Centli lets a client register: `https`, or `http` on the loopback interface
 * (a desktop client's own listener, RFC 8252 section 7.3); never a fragment (RFC 6749 3.1.2) nor
 * credentials in the URL. Anything else could send a customer's code to someone else's server.
 * @returns the refusal's description, or undefined when it may be registered.
 */
export function redirectUriProblem(uri: unknown): string | undefined {
  if (typeof uri !== 'string' || uri.length > 2000) return 'each redirect URI must be a string of at most 2000 characters';
  let url: URL;
  try {
    url = new URL(uri);
  } catch {
    return `redirect URI ${JSON.stringify(uri)} is not an absolute URI`;
  }
  if (uri.includes('#')) return `redirect URI ${JSON.stringify(uri)} must not have a fragment`;
  if (url.username || url.password) return `redirect URI ${JSON.stringify(uri)} must not carry credentials`;
  if (url.protocol === 'https:') return undefined;
  if (url.protocol === 'http:' && LOOPBACK_HOSTS.has(url.hostname)) return undefined;
  return `redirect URI ${JSON.stringify(uri)} must be https, or http on the loopback interface (127.0.0.1, [::1], localhost)`;
}

/**
 * Checks a dynamic registration request (RFC 7591 section 2) for a public client and fills in
 * the defaults: no secret (`token_endpoint_auth_method` none), the authorization code grant,
 * response type `code`, and Centli's API scopes unless it asked for fewer.
 */
export function registrationOf(body: unknown): ClientRegistration | RegistrationError {
  const invalid = (error_description: string): RegistrationError => ({ error: 'invalid_client_metadata', error_description });
  if (body === null || typeof body !== 'object' || Array.isArray(body)) return invalid('the registration must be a JSON object');
  const metadata = body as Record<string, unknown>;
  const uris = metadata.redirect_uris;
  if (!Array.isArray(uris) || uris.length === 0) return { error: 'invalid_redirect_uri', error_description: 'redirect_uris must list at least one redirect URI' };
  if (uris.length > MAX_REDIRECT_URIS) return { error: 'invalid_redirect_uri', error_description: `at most ${MAX_REDIRECT_URIS} redirect URIs` };
  for (const uri of uris) {
    const problem = redirectUriProblem(uri);
    if (problem) return { error: 'invalid_redirect_uri', error_description: problem };
  }
  const method = metadata.token_endpoint_auth_method ?? 'none';
  if (method !== 'none') return invalid('only public clients are registered: token_endpoint_auth_method must be none (PKCE, no secret)');
  const grants = listOf(metadata.grant_types) ?? ['authorization_code'];
  if (!grants.includes('authorization_code') || grants.some((g) => g !== 'authorization_code' && g !== 'refresh_token')) {
    return invalid('grant_types must include authorization_code, and may add refresh_token only');
  }
  const responses = listOf(metadata.response_types) ?? ['code'];
  if (responses.length !== 1 || responses[0] !== 'code') return invalid('response_types must be ["code"]');
  if (metadata.client_name !== undefined && (typeof metadata.client_name !== 'string' || metadata.client_name.length > 200)) return invalid('client_name must be a string of at most 200 characters');
  if (metadata.scope !== undefined && typeof metadata.scope !== 'string') return invalid('scope must be a space-separated string');
  const asked = typeof metadata.scope === 'string' ? metadata.scope.split(' ').filter(Boolean) : [];
  // Scopes Centli does not know are dropped, as RFC 7591 lets a server do; none left means all of Centli's.
  const known = asked.filter((s) => s === 'openid' || s === 'email' || (API_SCOPES as readonly string[]).includes(s));
  return {
    ...(typeof metadata.client_name === 'string' ? { client_name: metadata.client_name } : {}),
    redirect_uris: uris as string[],
    grant_types: grants,
    response_types: ['code'],
    token_endpoint_auth_method: 'none',
    scope: (known.length > 0 ? known : API_SCOPES).join(' '),
  };
}

export function isRegistrationError(value: ClientRegistration | RegistrationError): value is RegistrationError {
  return 'error' in value;
}

/** A list of strings, undefined when absent, or an empty list (refused by the caller) when it is not one. */
function listOf(value: unknown): string[] | undefined {
  if (value === undefined) return undefined;
  return Array.isArray(value) && value.every((v) => typeof v === 'string') ? (value as string[]) : [];
}
