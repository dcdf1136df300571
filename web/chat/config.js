/**
 * The page's configuration (`./config.json`, served by the local stack or a deployed stage),
 * read tolerantly, and what a pasted token says about its customer. No DOM.
 *
 * ```json
 * { "websocket": "ws://127.0.0.1:4010/ws", "http": "http://127.0.0.1:4010",
 *   "auth": { "authorize_url": "http://127.0.0.1:4010/oauth2/authorize", "token_url": "http://127.0.0.1:4010/oauth2/token",
 *             "client_id": "centli", "redirect_uri": "http://127.0.0.1:4010/chat/", "scopes": ["openid", "email"] },
 *   "customers": [{ "user_id": "user-ana", "name": "Ana García", "token": "<jwt>" }] }
 * ```
 * `http` is the local stack's read API (the request's events, the purchase saga); a deployed
 * stage has none, so the page shows no inspector there, and it is never derived from the
 * WebSocket URL (that host is API Gateway's). `auth` turns on "Sign in" (OAuth 2.0 code flow with
 * PKCE, oauth.js); `logout_url` is optional. `customers` may be absent (a deployed stage).
 * `approvals_api` is where the approval page (approve.html) reads and decides an approval: the MCP
 * server's HTTP API on a deployed stage, the stack itself locally.
 *
 * @module
 */

/** What the page asks for when the configuration names no scopes: the ID token and its email. */
export const DEFAULT_SCOPES = ['openid', 'email'];

function firstString(object, keys) {
  for (const key of keys) {
    const value = object[key];
    if (typeof value === 'string' && value.trim() !== '') return value.trim();
  }
  return undefined;
}

function validUrl(text, protocols) {
  try {
    const url = new URL(text);
    return protocols.includes(url.protocol) ? url : undefined;
  } catch {
    return undefined;
  }
}

function isLoopback(url) {
  return ['127.0.0.1', 'localhost', '[::1]'].includes(url.hostname);
}

/** An https:// URL, or http:// on this machine (the local stack). */
function secureUrl(text) {
  const url = validUrl(text, ['https:', 'http:']);
  return url && (url.protocol === 'https:' || isLoopback(url)) ? url : undefined;
}

/**
 * The `auth` block: where to sign in. Undefined (with a warning) when it is absent or unusable.
 *
 * @param {unknown} raw
 * @param {string[]} warnings
 */
function readAuth(raw, warnings) {
  if (raw === undefined || raw === null) return undefined;
  if (typeof raw !== 'object' || Array.isArray(raw)) {
    warnings.push('auth is not an object');
    return undefined;
  }
  const fields = {
    authorizeUrl: firstString(raw, ['authorize_url', 'authorizeUrl', 'authorization_endpoint']),
    tokenUrl: firstString(raw, ['token_url', 'tokenUrl', 'token_endpoint']),
    clientId: firstString(raw, ['client_id', 'clientId']),
    redirectUri: firstString(raw, ['redirect_uri', 'redirectUri']),
  };
  const names = { authorizeUrl: 'authorize_url', tokenUrl: 'token_url', clientId: 'client_id', redirectUri: 'redirect_uri' };
  const missing = Object.keys(fields).filter((key) => !fields[key]);
  if (missing.length > 0) {
    warnings.push(`auth has no ${missing.map((key) => names[key]).join(', ')}: sign-in is off`);
    return undefined;
  }
  for (const key of ['authorizeUrl', 'tokenUrl', 'redirectUri']) {
    if (!secureUrl(fields[key])) {
      warnings.push(`auth ${names[key]} ${fields[key]} is not an https:// URL (or http:// on this machine): sign-in is off`);
      return undefined;
    }
  }
  const auth = { ...fields, scopes: readScopes(raw.scopes ?? raw.scope, warnings) };
  const logout = firstString(raw, ['logout_url', 'logoutUrl']);
  if (logout && secureUrl(logout)) auth.logoutUrl = logout;
  else if (logout) warnings.push(`auth logout_url ${logout} is not an https:// URL (or http:// on this machine)`);
  return auth;
}

function readScopes(raw, warnings) {
  const list = Array.isArray(raw) ? raw.filter((s) => typeof s === 'string') : typeof raw === 'string' ? raw.split(/\s+/) : [];
  const scopes = [...new Set(list.map((s) => s.trim()).filter(Boolean))];
  if (scopes.length === 0) return [...DEFAULT_SCOPES];
  // Without openid there is no ID token, and the ID token is what the WebSocket accepts.
  if (!scopes.includes('openid')) {
    warnings.push('auth scopes lack openid: adding it');
    scopes.unshift('openid');
  }
  return scopes;
}

/**
 * Reads config.json's content.
 *
 * @param {unknown} raw The parsed JSON.
 * @returns {{ ok: true, websocket: string, http?: string, approvalsApi?: string, auth?: { authorizeUrl: string, tokenUrl: string, clientId: string, redirectUri: string, scopes: string[], logoutUrl?: string }, customers?: { userId: string, name: string, token: string }[], failureTypes: string[], warnings: string[] }
 *   | { ok: false, error: string, warnings: string[] }}
 */
export function parseConfig(raw) {
  const warnings = [];
  if (!raw || typeof raw !== 'object' || Array.isArray(raw)) return { ok: false, error: 'config.json is not a JSON object', warnings };
  let websocket = firstString(raw, ['websocket', 'websocketUrl', 'websocket_url', 'ws', 'wsUrl']);
  let http = firstString(raw, ['http', 'httpUrl', 'http_url', 'api', 'apiUrl']);
  if (websocket && !validUrl(websocket, ['ws:', 'wss:'])) {
    warnings.push(`websocket ${websocket} is not a ws:// or wss:// URL`);
    websocket = undefined;
  }
  if (http && !validUrl(http, ['http:', 'https:'])) {
    warnings.push(`http ${http} is not an http:// or https:// URL`);
    http = undefined;
  }
  if (!websocket && http) {
    // The local stack serves its WebSocket API on the same port.
    const url = new URL(http);
    websocket = `${url.protocol === 'https:' ? 'wss:' : 'ws:'}//${url.host}/ws`;
    warnings.push(`no websocket URL: using ${websocket}`);
  }
  if (!websocket) return { ok: false, error: 'config.json names no websocket URL', warnings };

  // The detail-types that say a request was not carried out, as the contracts define them (the local stack says).
  const failureTypes = Array.isArray(raw.failure_types) ? raw.failure_types.filter((type) => typeof type === 'string') : [];
  const config = { ok: true, websocket, failureTypes, warnings };
  if (http) config.http = http.replace(/\/+$/, '');
  const approvalsApi = firstString(raw, ['approvals_api', 'approvalsApi']);
  if (approvalsApi && secureUrl(approvalsApi)) config.approvalsApi = approvalsApi.replace(/\/+$/, '');
  else if (approvalsApi) warnings.push(`approvals_api ${approvalsApi} is not an https:// URL (or http:// on this machine)`);
  const auth = readAuth(raw.auth, warnings);
  if (auth) config.auth = auth;
  const list = raw.customers;
  if (Array.isArray(list)) {
    config.customers = [];
    for (const entry of list) {
      if (!entry || typeof entry !== 'object') continue;
      const token = firstString(entry, ['token', 'jwt', 'access_token']);
      const userId = firstString(entry, ['user_id', 'userId', 'id', 'sub']) ?? (token ? customerFromToken(token).userId : undefined);
      if (!token) {
        warnings.push(`customer ${userId ?? '?'} has no token`);
        continue;
      }
      config.customers.push({ userId: userId ?? 'unknown', name: firstString(entry, ['name', 'display_name', 'displayName']) ?? userId ?? 'Cliente', token });
    }
  } else if (list !== undefined && list !== null) {
    warnings.push('customers is not a list');
  }
  return config;
}

/**
 * The claims of a JWT, unverified (the server verifies; the page only labels the session).
 *
 * @param {string} token
 * @returns {Record<string, unknown> | undefined}
 */
export function decodeJwtPayload(token) {
  if (typeof token !== 'string') return undefined;
  const parts = token.trim().split('.');
  if (parts.length !== 3 || !parts[1]) return undefined;
  try {
    const base64 = parts[1].replace(/-/g, '+').replace(/_/g, '/');
    const padded = base64 + '='.repeat((4 - (base64.length % 4)) % 4);
    const binary = atob(padded);
    const bytes = Uint8Array.from(binary, (c) => c.charCodeAt(0));
    const payload = JSON.parse(new TextDecoder().decode(bytes));
    return payload && typeof payload === 'object' && !Array.isArray(payload) ? payload : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Who a pasted token names, and whether it can work at all.
 *
 * @param {string} token
 * @param {number} [now]
 * @returns {{ userId?: string, name?: string, expiresAt?: number, problem?: 'malformed' | 'expired' }}
 */
export function customerFromToken(token, now = Date.now()) {
  const claims = decodeJwtPayload(token);
  if (!claims) return { problem: 'malformed' };
  // A Cognito ID token's `sub` is the pool's own id; Centli's user_id is the custom attribute.
  const userId = firstString(claims, ['custom:user_id', 'user_id', 'sub', 'username', 'cognito:username']);
  const name = firstString(claims, ['name', 'given_name', 'preferred_username', 'email']);
  const result = {};
  if (userId) result.userId = userId;
  if (name) result.name = name;
  if (typeof claims.exp === 'number') {
    result.expiresAt = claims.exp * 1000;
    if (claims.exp * 1000 <= now) result.problem = 'expired';
  }
  return result;
}
