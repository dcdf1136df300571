/**
 * The chat page's sign-in (web/chat/oauth.js): PKCE as RFC 7636 computes it, the authorization
 * request, a redirect checked against the request this tab made, the token request and response,
 * the stored session, and what the customer is told when sign-in does not complete.
 */
import { MESSAGES, translate } from '../../../web/chat/i18n.js';
import {
  base64UrlEncode,
  beginSignIn,
  checkRedirect,
  cleanUrl,
  codeChallenge,
  logoutUrl,
  PENDING_MAX_AGE_MS,
  PROBLEM_KEYS,
  randomToken,
  readPending,
  readRedirect,
  readSession,
  readTokenResponse,
  signInProblem,
  tokenRequest,
  type PendingSignIn,
} from '../../../web/chat/oauth.js';

const b64url = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
const jwt = (claims: Record<string, unknown>) => `${b64url({ alg: 'RS256', kid: 'k' })}.${b64url(claims)}.c2ln`;
const NOW = Date.parse('2026-11-22T16:00:00.000Z');
const AUTH = {
  authorizeUrl: 'https://centli-dev.auth.us-east-1.amazoncognito.com/oauth2/authorize',
  tokenUrl: 'https://centli-dev.auth.us-east-1.amazoncognito.com/oauth2/token',
  clientId: '4h2k9client',
  redirectUri: 'https://d111111abcdef8.cloudfront.net/',
  scopes: ['openid', 'email'],
};
const PENDING: PendingSignIn = {
  state: 'state-0123456789abcdef',
  verifier: 'dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk',
  nonce: 'nonce-abc',
  client_id: AUTH.clientId,
  redirect_uri: AUTH.redirectUri,
  created_at: NOW - 30_000,
};

describe('PKCE (RFC 7636)', () => {
  // Appendix B: the 32 octets, the code_verifier they encode and its S256 code_challenge.
  const OCTETS = [116, 24, 223, 180, 151, 153, 224, 37, 79, 250, 96, 125, 216, 173, 187, 186, 22, 212, 37, 77, 105, 214, 191, 240, 91, 88, 5, 88, 83, 132, 141, 121];
  const VERIFIER = 'dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk';
  const CHALLENGE = 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM';

  it('encodes the Appendix B octets as its code_verifier', () => {
    expect(base64UrlEncode(Uint8Array.from(OCTETS))).toBe(VERIFIER);
  });

  it('computes the Appendix B code_challenge from its code_verifier', async () => {
    await expect(codeChallenge(VERIFIER)).resolves.toBe(CHALLENGE);
  });

  it.each([['too-short'], ['x'.repeat(129)], [`${'a'.repeat(42)}+`], ['ünïcödé'.repeat(8)]])('refuses the verifier %s', async (verifier) => {
    await expect(codeChallenge(verifier)).rejects.toThrow('a code verifier is 43 to 128 characters');
  });

  it('makes 43-character verifiers of unreserved characters, different every time', () => {
    const tokens = Array.from({ length: 50 }, () => randomToken());
    for (const token of tokens) expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(new Set(tokens).size).toBe(50);
  });
});

describe('beginSignIn', () => {
  it('sends the browser to the authorization endpoint with a code request, state, nonce and S256 challenge', async () => {
    // Act
    const { url, pending } = await beginSignIn(AUTH, { now: NOW });

    // Assess
    const sent = new URL(url);
    expect(`${sent.origin}${sent.pathname}`).toBe(AUTH.authorizeUrl);
    expect(Object.fromEntries(sent.searchParams)).toEqual({
      response_type: 'code',
      client_id: AUTH.clientId,
      redirect_uri: AUTH.redirectUri,
      scope: 'openid email',
      state: pending.state,
      nonce: pending.nonce,
      code_challenge: await codeChallenge(pending.verifier),
      code_challenge_method: 'S256',
    });
    expect(pending).toMatchObject({ client_id: AUTH.clientId, redirect_uri: AUTH.redirectUri, created_at: NOW });
    expect(pending.verifier).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(url).not.toContain(pending.verifier);
  });

  it('asks for the configured scopes', async () => {
    const { url } = await beginSignIn({ ...AUTH, scopes: ['openid', 'email', 'profile'] });
    expect(new URL(url).searchParams.get('scope')).toBe('openid email profile');
  });

  it('keeps what it needs across the redirect, and nothing else', async () => {
    const { pending } = await beginSignIn(AUTH);
    expect(readPending(JSON.stringify(pending))).toEqual(pending);
    expect(readPending(JSON.stringify({ ...pending, verifier: 'short' }))).toBeUndefined();
    expect(readPending('{not json')).toBeUndefined();
    expect(readPending(null)).toBeUndefined();
  });
});

describe('readRedirect and checkRedirect', () => {
  it('accepts a code that answers this tab’s request', () => {
    const redirect = readRedirect(`?code=abc123&state=${PENDING.state}`);
    expect(redirect).toEqual({ kind: 'code', code: 'abc123', state: PENDING.state });
    expect(checkRedirect(redirect as Exclude<typeof redirect, { kind: 'none' }>, PENDING, NOW)).toEqual({ ok: true, code: 'abc123' });
  });

  it('has nothing to do on an ordinary visit', () => {
    expect(readRedirect('')).toEqual({ kind: 'none' });
    expect(readRedirect('?lang=en')).toEqual({ kind: 'none' });
  });

  it.each([
    ['another state', `?code=abc123&state=state-0123456789abcdeX`],
    ['no state', '?code=abc123'],
    ['an error with another state', '?error=access_denied&state=forged'],
  ])('refuses a redirect with %s', (_case, search) => {
    const redirect = readRedirect(search) as Exclude<ReturnType<typeof readRedirect>, { kind: 'none' }>;
    expect(checkRedirect(redirect, PENDING, NOW)).toEqual({ ok: false, problem: 'state' });
  });

  it('refuses a redirect when this tab started no sign-in', () => {
    expect(checkRedirect({ kind: 'code', code: 'abc123', state: PENDING.state }, undefined, NOW)).toEqual({ ok: false, problem: 'no-attempt' });
  });

  it('refuses a sign-in that took too long', () => {
    const old = { ...PENDING, created_at: NOW - PENDING_MAX_AGE_MS - 1 };
    expect(checkRedirect({ kind: 'code', code: 'abc123', state: PENDING.state }, old, NOW)).toEqual({ ok: false, problem: 'stale' });
  });

  it('reads the provider’s refusal, and says clearly that access was denied', () => {
    // Prepare
    const redirect = readRedirect(`?error=access_denied&error_description=User+cancelled&state=${PENDING.state}`);

    // Act
    const checked = checkRedirect(redirect as Exclude<typeof redirect, { kind: 'none' }>, PENDING, NOW);
    const problem = signInProblem(checked as { problem: string; error?: string });

    // Assess
    expect(checked).toEqual({ ok: false, problem: 'provider', error: 'access_denied' });
    expect(problem).toEqual({ key: 'oauth.denied', params: {} });
    expect(translate('es', problem.key, problem.params)).toBe('Se canceló el inicio de sesión o no se concedió el acceso (access_denied). Puedes intentarlo de nuevo.');
    expect(translate('en', problem.key, problem.params)).toBe('Sign-in was cancelled or access was not granted (access_denied). You can try again.');
  });

  it('names another provider error by its code, never by the description a link could carry', () => {
    const redirect = readRedirect(`?error=invalid_scope&error_description=Call+555-0100+now&state=${PENDING.state}`);
    const problem = signInProblem(checkRedirect(redirect as Exclude<typeof redirect, { kind: 'none' }>, PENDING, NOW) as { problem: string; error?: string });
    const text = translate('en', problem.key, problem.params);
    expect(text).toBe('The sign-in service could not sign you in (invalid_scope). Try again.');
    expect(text).not.toContain('555');
  });
});

describe('tokenRequest', () => {
  it('posts the code, the same redirect_uri and the verifier as a form', () => {
    const { url, init } = tokenRequest(AUTH, 'abc123', PENDING);
    expect(url).toBe(AUTH.tokenUrl);
    expect(init.method).toBe('POST');
    expect(init.headers['content-type']).toBe('application/x-www-form-urlencoded');
    expect(Object.fromEntries(new URLSearchParams(init.body))).toEqual({
      grant_type: 'authorization_code',
      client_id: AUTH.clientId,
      code: 'abc123',
      redirect_uri: AUTH.redirectUri,
      code_verifier: PENDING.verifier,
    });
  });
});

describe('readTokenResponse', () => {
  const idToken = (claims: Record<string, unknown> = {}) => jwt({ sub: 'b1c2-uuid', 'custom:user_id': 'user-ana', aud: AUTH.clientId, nonce: PENDING.nonce, exp: NOW / 1000 + 3600, ...claims });

  it('keeps the ID token and when it expires, and drops the other tokens', () => {
    const token = idToken();
    const result = readTokenResponse(200, { id_token: token, access_token: jwt({ token_use: 'access' }), refresh_token: 'r', token_type: 'Bearer', expires_in: 3600 }, PENDING, NOW);
    expect(result).toEqual({ ok: true, session: { id_token: token, expires_at: NOW + 3_600_000 } });
  });

  it('says what the token endpoint refused', () => {
    const result = readTokenResponse(400, { error: 'invalid_grant', error_description: 'code already used' }, PENDING, NOW);
    expect(result).toEqual({ ok: false, problem: 'token', error: 'invalid_grant' });
    expect(translate('en', signInProblem(result as { problem: string }).key, signInProblem(result as { problem: string; error?: string }).params)).toContain('(invalid_grant)');
  });

  it.each([
    ['no ID token', { access_token: 'a' }, 'no id_token'],
    ['an ID token for another client', { id_token: idToken({ aud: 'another-client' }) }, 'aud'],
    ['an ID token for another sign-in', { id_token: idToken({ nonce: 'replayed' }) }, 'nonce'],
    ['an expired ID token', { id_token: idToken({ exp: NOW / 1000 - 1 }) }, 'exp'],
  ])('refuses %s', (_case, body, error) => {
    expect(readTokenResponse(200, body, PENDING, NOW)).toEqual({ ok: false, problem: 'id-token', error });
  });

  it('does not mistake an HTML error page for an answer', () => {
    expect(readTokenResponse(502, undefined, PENDING, NOW)).toEqual({ ok: false, problem: 'token', error: 'HTTP 502' });
  });
});

describe('readSession', () => {
  it('reads a stored session and says when it has expired', () => {
    const text = JSON.stringify({ id_token: 'a.b.c', expires_at: NOW + 1000 });
    expect(readSession(text, NOW)).toEqual({ idToken: 'a.b.c', expiresAt: NOW + 1000, expired: false });
    expect(readSession(text, NOW + 1000)).toMatchObject({ expired: true });
    expect(readSession('nope', NOW)).toBeUndefined();
    expect(readSession(JSON.stringify({ id_token: 1 }), NOW)).toBeUndefined();
  });
});

describe('cleanUrl', () => {
  it('takes the code and everything the redirect added out of the address, and keeps the rest', () => {
    expect(cleanUrl('https://chat.example/?code=abc&state=s&lang=en#top')).toBe('https://chat.example/?lang=en#top');
    expect(cleanUrl('http://127.0.0.1:4010/chat/?error=access_denied&error_description=x&state=s')).toBe('http://127.0.0.1:4010/chat/');
  });
});

describe('logoutUrl', () => {
  it('ends the provider’s session and comes back to the page, when there is a logout endpoint', () => {
    const url = new URL(logoutUrl({ ...AUTH, logoutUrl: 'https://centli-dev.auth.us-east-1.amazoncognito.com/logout' }) as string);
    expect(Object.fromEntries(url.searchParams)).toEqual({ client_id: AUTH.clientId, logout_uri: AUTH.redirectUri });
    expect(logoutUrl(AUTH)).toBeUndefined();
  });
});

describe('signInProblem', () => {
  it.each([
    [{ problem: 'no-attempt' }, 'oauth.noAttempt'],
    [{ problem: 'state' }, 'oauth.state'],
    [{ problem: 'stale' }, 'oauth.stale'],
    [{ problem: 'provider', error: 'server_error' }, 'oauth.providerError'],
    [{ problem: 'token', error: 'invalid_grant' }, 'oauth.tokenError'],
    [{ problem: 'id-token', error: 'nonce' }, 'oauth.badToken'],
    [{ problem: 'network', error: '127.0.0.1:4010' }, 'oauth.unreachable'],
    [{ problem: 'unsupported' }, 'oauth.unsupported'],
  ])('names %j with a message in both languages', (failure, key) => {
    const { key: named, params } = signInProblem(failure);
    expect(named).toBe(key);
    expect(PROBLEM_KEYS).toContain(key);
    for (const locale of ['es', 'en'] as const) expect(translate(locale, key, params)).not.toMatch(/\{\w+\}/);
  });

  it('has every message it can name in both languages', () => {
    for (const key of PROBLEM_KEYS) {
      expect(MESSAGES.es).toHaveProperty([key]);
      expect(MESSAGES.en).toHaveProperty([key]);
    }
  });

  it('never shows a code that is not a plain word', () => {
    expect(signInProblem({ problem: 'provider', error: '<img src=x>' }).params).toEqual({ code: 'unknown_error' });
  });
});
