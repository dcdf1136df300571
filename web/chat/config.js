/**
 * The page's configuration (`./config.json`, served by the local stack or a deployed stage),
 * read tolerantly, and what a pasted token says about its customer. No DOM.
 *
 * ```json
 * { "websocket": "ws://127.0.0.1:4010/ws", "http": "http://127.0.0.1:4010",
 *   "customers": [{ "user_id": "user-ana", "name": "Ana García", "token": "<jwt>" }] }
 * ```
 * `customers` may be absent (a deployed stage: the customer pastes a token). Every URL comes
 * from here; when one of the two is missing it is derived from the other (same host).
 *
 * @module
 */

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

/**
 * Reads config.json's content.
 *
 * @param {unknown} raw The parsed JSON.
 * @returns {{ ok: true, websocket: string, http: string, customers?: { userId: string, name: string, token: string }[], warnings: string[] }
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
    const url = new URL(http);
    websocket = `${url.protocol === 'https:' ? 'wss:' : 'ws:'}//${url.host}/ws`;
    warnings.push(`no websocket URL: using ${websocket}`);
  }
  if (!http && websocket) {
    const url = new URL(websocket);
    http = `${url.protocol === 'wss:' ? 'https:' : 'http:'}//${url.host}`;
    warnings.push(`no http URL: using ${http}`);
  }
  if (!websocket || !http) return { ok: false, error: 'config.json names neither a websocket nor an http URL', warnings };
  http = http.replace(/\/+$/, '');

  const config = { ok: true, websocket, http, warnings };
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
  const userId = firstString(claims, ['sub', 'user_id', 'username', 'cognito:username']);
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
