/**
 * Sign-in with the OAuth 2.0 authorization code flow and PKCE (RFC 7636, method S256), against
 * the stage's Cognito managed login or the local stack's demo issuer: what to send, what to keep
 * until the browser comes back, and what to check then. No DOM: sign-in.js redirects, fetches
 * and stores (sessionStorage only, so nothing outlives the tab).
 *
 * The page is a public client (no secret): the code verifier, kept in this tab, is what binds the
 * code to it; `state` ties the answer to the request this tab made, and `nonce` the ID token to it.
 *
 * @module
 */
import { decodeJwtPayload, DEFAULT_SCOPES } from './config.js';

/** sessionStorage key of the sign-in this tab started (state, verifier, nonce). */
export const PENDING_KEY = 'centli.oauth.pending';
/** sessionStorage key of the signed-in session (the ID token and its expiry). */
export const SESSION_KEY = 'centli.oauth.session';
/** How long a sign-in may take between leaving for the provider and coming back. */
export const PENDING_MAX_AGE_MS = 10 * 60 * 1000;

/** RFC 7636 section 4.1: 43 to 128 unreserved characters. */
const VERIFIER = /^[A-Za-z0-9\-._~]{43,128}$/;
/** What the redirect carries that the page must not keep in its address. */
const REDIRECT_PARAMS = ['code', 'state', 'error', 'error_description', 'error_uri', 'iss', 'session_state'];

/**
 * base64url without padding (RFC 7636 Appendix A).
 *
 * @param {Uint8Array} bytes
 */
export function base64UrlEncode(bytes) {
  let binary = '';
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

/**
 * A random base64url string of `bytes` random bytes (32 bytes: a 43-character code verifier).
 *
 * @param {number} [bytes]
 * @param {Crypto} [crypto]
 */
export function randomToken(bytes = 32, crypto = globalThis.crypto) {
  const buffer = new Uint8Array(bytes);
  crypto.getRandomValues(buffer);
  return base64UrlEncode(buffer);
}

/**
 * The S256 code challenge of a verifier: BASE64URL(SHA256(ASCII(verifier))).
 *
 * @param {string} verifier
 * @param {Crypto} [crypto]
 * @returns {Promise<string>}
 * @throws Error when the verifier is not 43 to 128 unreserved characters.
 */
export async function codeChallenge(verifier, crypto = globalThis.crypto) {
  if (typeof verifier !== 'string' || !VERIFIER.test(verifier)) throw new Error('a code verifier is 43 to 128 characters of A-Z a-z 0-9 - . _ ~');
  if (!crypto?.subtle) throw new Error('Web Crypto is not available (it needs a secure context: HTTPS or localhost)');
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(verifier));
  return base64UrlEncode(new Uint8Array(digest));
}

/**
 * Where to send the browser to sign in, and what this tab keeps until it comes back.
 *
 * @param {{ authorizeUrl: string, clientId: string, redirectUri: string, scopes?: string[] }} auth
 * @param {{ crypto?: Crypto, now?: number }} [options]
 * @returns {Promise<{ url: string, pending: { state: string, verifier: string, nonce: string, client_id: string, redirect_uri: string, created_at: number } }>}
 */
export async function beginSignIn(auth, options = {}) {
  const { crypto = globalThis.crypto, now = Date.now() } = options;
  const verifier = randomToken(32, crypto);
  const state = randomToken(16, crypto);
  const nonce = randomToken(16, crypto);
  const challenge = await codeChallenge(verifier, crypto);
  const url = new URL(auth.authorizeUrl);
  const params = {
    response_type: 'code',
    client_id: auth.clientId,
    redirect_uri: auth.redirectUri,
    scope: (auth.scopes?.length ? auth.scopes : DEFAULT_SCOPES).join(' '),
    state,
    nonce,
    code_challenge: challenge,
    code_challenge_method: 'S256',
  };
  for (const [name, value] of Object.entries(params)) url.searchParams.set(name, value);
  return { url: url.toString(), pending: { state, verifier, nonce, client_id: auth.clientId, redirect_uri: auth.redirectUri, created_at: now } };
}

/**
 * The sign-in this tab started, as stored; undefined when there is none or it cannot be read.
 *
 * @param {string | null | undefined} text
 */
export function readPending(text) {
  const value = parseObject(text);
  if (!value) return undefined;
  const { state, verifier, nonce, client_id, redirect_uri, created_at } = value;
  if (typeof state !== 'string' || typeof verifier !== 'string' || !VERIFIER.test(verifier) || typeof client_id !== 'string' || typeof redirect_uri !== 'string' || typeof created_at !== 'number') return undefined;
  return { state, verifier, nonce: typeof nonce === 'string' ? nonce : undefined, client_id, redirect_uri, created_at };
}

/**
 * What the provider's redirect says: nothing for the page, a code, or an error (RFC 6749 4.1.2).
 *
 * @param {string} search `location.search`.
 * @returns {{ kind: 'none' } | { kind: 'code', code: string, state?: string } | { kind: 'error', error: string, state?: string }}
 */
export function readRedirect(search) {
  const params = new URLSearchParams(search);
  const state = params.get('state') || undefined;
  if (params.has('error')) return { kind: 'error', error: params.get('error') || 'unknown_error', ...(state ? { state } : {}) };
  const code = params.get('code');
  if (code) return { kind: 'code', code, ...(state ? { state } : {}) };
  return { kind: 'none' };
}

/**
 * Whether a redirect answers the sign-in this tab started. A redirect whose `state` is not the
 * one this tab sent is refused whatever it carries, code or error.
 *
 * @param {{ kind: 'code', code: string, state?: string } | { kind: 'error', error: string, state?: string }} redirect
 * @param {ReturnType<typeof readPending>} pending
 * @param {number} [now]
 * @returns {{ ok: true, code: string } | { ok: false, problem: 'no-attempt' | 'state' | 'stale' | 'provider', error?: string }}
 */
export function checkRedirect(redirect, pending, now = Date.now()) {
  if (!pending) return { ok: false, problem: 'no-attempt' };
  if (!redirect.state || !sameText(redirect.state, pending.state)) return { ok: false, problem: 'state' };
  if (now - pending.created_at > PENDING_MAX_AGE_MS) return { ok: false, problem: 'stale' };
  if (redirect.kind === 'error') return { ok: false, problem: 'provider', error: redirect.error };
  return { ok: true, code: redirect.code };
}

/**
 * The token request (RFC 6749 4.1.3 with RFC 7636 4.5): a form POST to the token endpoint.
 *
 * @param {{ tokenUrl: string }} auth
 * @param {string} code
 * @param {NonNullable<ReturnType<typeof readPending>>} pending
 * @returns {{ url: string, init: { method: 'POST', headers: Record<string, string>, body: string } }}
 */
export function tokenRequest(auth, code, pending) {
  const body = new URLSearchParams({
    grant_type: 'authorization_code',
    client_id: pending.client_id,
    code,
    // The same redirect_uri the authorization request named: the server compares them.
    redirect_uri: pending.redirect_uri,
    code_verifier: pending.verifier,
  });
  return { url: auth.tokenUrl, init: { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' }, body: body.toString() } };
}

/**
 * The session a token response gives, or why it gives none. Only the ID token is kept: it is what
 * the chat's WebSocket accepts; the access and refresh tokens are dropped. The page cannot check
 * the signature (the WebSocket's authorizer does); it checks that the token is for this client,
 * answers this sign-in (nonce) and has not expired.
 *
 * @param {number} status
 * @param {unknown} body The parsed JSON, or undefined.
 * @param {NonNullable<ReturnType<typeof readPending>>} pending
 * @param {number} [now]
 * @returns {{ ok: true, session: { id_token: string, expires_at: number } } | { ok: false, problem: 'token' | 'id-token', error?: string }}
 */
export function readTokenResponse(status, body, pending, now = Date.now()) {
  const object = body && typeof body === 'object' && !Array.isArray(body) ? body : undefined;
  if (status < 200 || status >= 300 || !object) {
    const error = typeof object?.error === 'string' && /^[\w.-]{1,64}$/.test(object.error) ? object.error : `HTTP ${status}`;
    return { ok: false, problem: 'token', error };
  }
  const idToken = object.id_token;
  const claims = typeof idToken === 'string' ? decodeJwtPayload(idToken) : undefined;
  if (!claims) return { ok: false, problem: 'id-token', error: 'no id_token' };
  const audiences = [claims.aud].flat();
  if (!audiences.includes(pending.client_id)) return { ok: false, problem: 'id-token', error: 'aud' };
  if (pending.nonce !== undefined && claims.nonce !== pending.nonce) return { ok: false, problem: 'id-token', error: 'nonce' };
  if (typeof claims.exp !== 'number' || claims.exp * 1000 <= now) return { ok: false, problem: 'id-token', error: 'exp' };
  return { ok: true, session: { id_token: idToken, expires_at: claims.exp * 1000 } };
}

/**
 * The stored session; `expired` when its ID token is no longer good.
 *
 * @param {string | null | undefined} text
 * @param {number} [now]
 * @returns {{ idToken: string, expiresAt: number, expired: boolean } | undefined}
 */
export function readSession(text, now = Date.now()) {
  const value = parseObject(text);
  if (!value || typeof value.id_token !== 'string' || typeof value.expires_at !== 'number') return undefined;
  return { idToken: value.id_token, expiresAt: value.expires_at, expired: value.expires_at <= now };
}

/**
 * The page's address without what the provider's redirect added (the code must not stay in the
 * history, where a reload would replay it).
 *
 * @param {string} href
 */
export function cleanUrl(href) {
  const url = new URL(href);
  for (const name of REDIRECT_PARAMS) url.searchParams.delete(name);
  return url.toString();
}

/**
 * The provider's logout URL, when the configuration has one (Cognito's `/logout` with
 * `client_id` and `logout_uri`), so the next sign-in asks who signs in.
 *
 * @param {{ logoutUrl?: string, clientId: string, redirectUri: string }} auth
 * @returns {string | undefined}
 */
export function logoutUrl(auth) {
  if (!auth.logoutUrl) return undefined;
  const url = new URL(auth.logoutUrl);
  url.searchParams.set('client_id', auth.clientId);
  url.searchParams.set('logout_uri', auth.redirectUri);
  return url.toString();
}

/** The i18n keys of the problems {@link signInProblem} names. */
export const PROBLEM_KEYS = ['oauth.noAttempt', 'oauth.state', 'oauth.stale', 'oauth.denied', 'oauth.providerError', 'oauth.tokenError', 'oauth.badToken', 'oauth.unreachable', 'oauth.unsupported'];

/**
 * What to tell the customer about a sign-in that did not complete: an i18n key and its
 * parameters. The provider's own `error_description` is never shown: anyone can put text in a link.
 *
 * @param {{ problem: string, error?: string }} failure `problem` as {@link checkRedirect} and
 *   {@link readTokenResponse} name it, or `network` (the token endpoint did not answer; `error`
 *   is its host) or `unsupported` (no Web Crypto here).
 * @returns {{ key: string, params: Record<string, string> }}
 */
export function signInProblem(failure) {
  const code = failure.error ?? '';
  switch (failure.problem) {
    case 'no-attempt':
      return { key: 'oauth.noAttempt', params: {} };
    case 'state':
      return { key: 'oauth.state', params: {} };
    case 'stale':
      return { key: 'oauth.stale', params: {} };
    case 'provider':
      return code === 'access_denied' ? { key: 'oauth.denied', params: {} } : { key: 'oauth.providerError', params: { code: safeCode(code) } };
    case 'token':
      return { key: 'oauth.tokenError', params: { code: safeCode(code) } };
    case 'id-token':
      return { key: 'oauth.badToken', params: { code: safeCode(code) } };
    case 'network':
      return { key: 'oauth.unreachable', params: { host: /^[\w.:[\]-]{1,255}$/.test(code) ? code : '?' } };
    case 'unsupported':
      return { key: 'oauth.unsupported', params: {} };
    default:
      return { key: 'oauth.providerError', params: { code: safeCode(code) } };
  }
}

function safeCode(code) {
  return /^[\w. -]{1,64}$/.test(code) ? code : 'unknown_error';
}

/** Compares two strings in time that does not depend on where they first differ. */
function sameText(a, b) {
  if (typeof a !== 'string' || typeof b !== 'string' || a.length !== b.length) return false;
  let difference = 0;
  for (let i = 0; i < a.length; i++) difference |= a.charCodeAt(i) ^ b.charCodeAt(i);
  return difference === 0;
}

function parseObject(text) {
  if (typeof text !== 'string' || text === '') return undefined;
  try {
    const value = JSON.parse(text);
    return value && typeof value === 'object' && !Array.isArray(value) ? value : undefined;
  } catch {
    return undefined;
  }
}
