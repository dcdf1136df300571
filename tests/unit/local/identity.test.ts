/**
 * The local issuer's OAuth 2.0 endpoints (local/identity.ts), driven over loopback HTTP as the
 * chat page drives them: the sign-in page, the redirect with a code bound to the client, the
 * redirect URI and the PKCE challenge, and a token endpoint that trades a code once, for the
 * same redirect URI and the verifier RFC 7636 section 4.6 checks, and refuses everything else.
 */
import { createHash, randomBytes } from 'node:crypto';
import { TokenVerifier } from '@centli/kit/auth';
import { LocalHttpServer } from '../../../local/http';
import { AUTHORIZE_PATH, CODE_LIFETIME_MS, createLocalIssuer, LOCAL_CLIENT_ID, TOKEN_PATH, type LocalIssuer } from '../../../local/identity';

const CUSTOMERS = [
  { user_id: 'user-ana', name: 'Ana García', email: 'ana.garcia@example.com' },
  { user_id: 'user-luis', name: 'Luis <b>Hernández</b>' },
];

describe('the local issuer’s OAuth endpoints', () => {
  const server = new LocalHttpServer();
  let url: string;
  let issuer: LocalIssuer;
  let clock = Date.now();
  const redirectUri = () => `${url}/chat/`;

  beforeAll(async () => {
    issuer = await createLocalIssuer(server, { customers: () => CUSTOMERS, clients: [{ clientId: LOCAL_CLIENT_ID, redirectUris: () => [redirectUri()] }], now: () => clock });
    url = await server.start();
  });

  afterAll(() => server.stop());

  beforeEach(() => {
    clock = Date.now();
  });

  const verifierOf = () => randomBytes(32).toString('base64url');
  const challengeOf = (verifier: string) => createHash('sha256').update(verifier).digest('base64url');
  const form = (fields: Record<string, string>) => ({ method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams(fields).toString(), redirect: 'manual' as const });

  function authorizeFields(verifier: string, overrides: Record<string, string> = {}): Record<string, string> {
    return {
      response_type: 'code',
      client_id: LOCAL_CLIENT_ID,
      redirect_uri: redirectUri(),
      scope: 'openid email',
      state: 'st-1',
      nonce: 'n-1',
      code_challenge: challengeOf(verifier),
      code_challenge_method: 'S256',
      ...overrides,
    };
  }

  /** Signs in as `userId` through the form; the redirect's query. */
  async function signIn(verifier: string, userId = 'user-ana', overrides: Record<string, string> = {}): Promise<URLSearchParams> {
    const response = await fetch(`${url}${AUTHORIZE_PATH}`, form({ ...authorizeFields(verifier, overrides), user_id: userId }));
    expect(response.status).toBe(303);
    const location = new URL(response.headers.get('location') as string);
    expect(`${location.origin}${location.pathname}`).toBe(redirectUri());
    return location.searchParams;
  }

  function redeem(fields: Record<string, string>, headers: Record<string, string> = { 'content-type': 'application/x-www-form-urlencoded' }) {
    return fetch(`${url}${TOKEN_PATH}`, { method: 'POST', headers, body: new URLSearchParams(fields).toString() });
  }

  const tokenFields = (code: string, verifier: string, overrides: Record<string, string> = {}) => ({
    grant_type: 'authorization_code',
    client_id: LOCAL_CLIENT_ID,
    code,
    redirect_uri: redirectUri(),
    code_verifier: verifier,
    ...overrides,
  });

  describe('what it no longer does', () => {
    it('runs no passkey ceremony and serves no passkey page: the approvals API runs them', async () => {
      // Act
      const answers = await Promise.all([
        fetch(`${url}/oauth2/passkeys/registration-options`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ id_token_hint: await issuer.tokenFor('user-ana') }) }),
        fetch(`${url}/oauth2/passkey.js`),
        fetch(`${url}/oauth2/vendor/simplewebauthn/index.js`),
      ]);

      // Assess
      expect(answers.map((answer) => answer.status)).toEqual([404, 404, 404]);
    });
  });

  describe('GET /oauth2/authorize', () => {
    it('lists the seeded customers to sign in as, escaped, on a page that cannot be framed', async () => {
      // Act
      const response = await fetch(`${url}${AUTHORIZE_PATH}?${new URLSearchParams(authorizeFields(verifierOf()))}`);
      const html = await response.text();

      // Assess
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toBe('text/html; charset=utf-8');
      expect(response.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
      expect(response.headers.get('content-security-policy')).toContain(`form-action 'self' ${url}`);
      // its own form POST must carry its Origin (no-referrer would send `Origin: null`, which the DNS-rebinding guard refuses)
      expect(response.headers.get('referrer-policy')).toBe('same-origin');
      expect(html).toContain('<button type="submit" name="user_id" value="user-ana">Ana García');
      expect(html).toContain('Luis &lt;b&gt;Hernández&lt;/b&gt;');
      expect(html).toContain(`<input type="hidden" name="code_challenge" value="`);
      expect(html).toContain('name="deny"');
    });

    it.each([
      ['an unknown client', { client_id: 'someone-else' }, 'Unknown client_id'],
      ['a redirect_uri the client did not register', { redirect_uri: 'https://evil.example/chat/' }, 'is not registered'],
    ])('never redirects for %s', async (_case, overrides, message) => {
      const response = await fetch(`${url}${AUTHORIZE_PATH}?${new URLSearchParams(authorizeFields(verifierOf(), overrides))}`, { redirect: 'manual' });
      expect(response.status).toBe(400);
      expect(response.headers.get('location')).toBeNull();
      expect(await response.text()).toContain(message);
    });

    it.each([
      ['without PKCE', { code_challenge_method: 'plain' }, 'invalid_request'],
      ['for a token instead of a code', { response_type: 'token' }, 'unsupported_response_type'],
      ['without openid', { scope: 'email' }, 'invalid_scope'],
    ])('sends the client back with an error for a request %s', async (_case, overrides, error) => {
      const response = await fetch(`${url}${AUTHORIZE_PATH}?${new URLSearchParams(authorizeFields(verifierOf(), overrides))}`, { redirect: 'manual' });
      const location = new URL(response.headers.get('location') as string);
      expect(response.status).toBe(303);
      expect(location.searchParams.get('error')).toBe(error);
      expect(location.searchParams.get('state')).toBe('st-1');
      expect(location.searchParams.has('code')).toBe(false);
    });

    it('answers access_denied when the person cancels', async () => {
      const response = await fetch(`${url}${AUTHORIZE_PATH}`, form({ ...authorizeFields(verifierOf()), deny: '1' }));
      const location = new URL(response.headers.get('location') as string);
      expect(Object.fromEntries(location.searchParams)).toMatchObject({ error: 'access_denied', state: 'st-1' });
    });
  });

  describe('POST /oauth2/token', () => {
    it('trades a code and its verifier for an ID token the front doors accept', async () => {
      // Prepare
      const verifier = verifierOf();
      const back = await signIn(verifier);

      // Act
      const response = await redeem(tokenFields(back.get('code') as string, verifier));
      const body = (await response.json()) as Record<string, unknown>;

      // Assess
      expect(back.get('state')).toBe('st-1');
      expect(response.status).toBe(200);
      expect(response.headers.get('cache-control')).toBe('no-store');
      expect(body).toEqual({ id_token: expect.any(String), access_token: expect.any(String), token_type: 'Bearer', expires_in: 3600 });
      const verifierOfTokens = new TokenVerifier({ issuer: issuer.issuer, jwksUrl: `${url}/.well-known/jwks.json`, audiences: [LOCAL_CLIENT_ID], userClaim: 'sub', tokenUses: ['id', 'access'] });
      const customer = await verifierOfTokens.customer(body.id_token as string);
      expect(customer.userId).toBe('user-ana');
      expect(customer.claims).toMatchObject({ aud: LOCAL_CLIENT_ID, token_use: 'id', 'custom:user_id': 'user-ana', name: 'Ana García', email: 'ana.garcia@example.com', nonce: 'n-1' });
      // When the customer signed in, as the approvals API reads before letting them add a passkey.
      expect(customer.claims.auth_time).toBe(Math.floor(clock / 1000));
      expect((customer.claims.exp as number) - (customer.claims.iat as number)).toBe(3600);
      await expect(verifierOfTokens.customer(body.access_token as string)).resolves.toMatchObject({ userId: 'user-ana', claims: { token_use: 'access', client_id: LOCAL_CLIENT_ID, scope: 'openid email' } });
    });

    it('refuses a verifier that is not the one of the challenge', async () => {
      const verifier = verifierOf();
      const back = await signIn(verifier);
      const response = await redeem(tokenFields(back.get('code') as string, verifierOf()));
      expect(response.status).toBe(400);
      await expect(response.json()).resolves.toEqual({ error: 'invalid_grant', error_description: 'code_verifier does not match the code_challenge' });
    });

    it('refuses a code used before, even with the right verifier', async () => {
      // Prepare
      const verifier = verifierOf();
      const code = (await signIn(verifier)).get('code') as string;
      const first = await redeem(tokenFields(code, verifier));

      // Act
      const second = await redeem(tokenFields(code, verifier));

      // Assess
      expect(first.status).toBe(200);
      expect(second.status).toBe(400);
      await expect(second.json()).resolves.toEqual({ error: 'invalid_grant', error_description: 'the code was already used' });
    });

    it('uses a code up on a failed attempt: the right verifier afterwards is refused too', async () => {
      const verifier = verifierOf();
      const code = (await signIn(verifier)).get('code') as string;
      expect((await redeem(tokenFields(code, verifierOf()))).status).toBe(400);
      await expect((await redeem(tokenFields(code, verifier))).json()).resolves.toMatchObject({ error: 'invalid_grant', error_description: 'the code was already used' });
    });

    it('refuses a redirect_uri other than the authorization request’s', async () => {
      const verifier = verifierOf();
      const code = (await signIn(verifier)).get('code') as string;
      const response = await redeem(tokenFields(code, verifier, { redirect_uri: `${url}/chat/other` }));
      expect(response.status).toBe(400);
      await expect(response.json()).resolves.toEqual({ error: 'invalid_grant', error_description: 'redirect_uri is not the one of the authorization request' });
    });

    it('refuses a code past its lifetime', async () => {
      // Prepare
      const verifier = verifierOf();
      const code = (await signIn(verifier)).get('code') as string;
      clock += CODE_LIFETIME_MS;

      // Act
      const response = await redeem(tokenFields(code, verifier));

      // Assess
      expect(response.status).toBe(400);
      await expect(response.json()).resolves.toEqual({ error: 'invalid_grant', error_description: 'the code has expired' });
    });

    it.each([
      ['a code that was never issued', (code: string, verifier: string) => tokenFields(`${code}x`, verifier), 400, 'invalid_grant'],
      ['no verifier', (code: string) => tokenFields(code, '', { code_verifier: '' }), 400, 'invalid_request'],
      ['a verifier too short to be one', (code: string) => tokenFields(code, 'short'), 400, 'invalid_grant'],
      ['an unknown client', (code: string, verifier: string) => tokenFields(code, verifier, { client_id: 'someone-else' }), 401, 'invalid_client'],
      ['another grant type', (code: string, verifier: string) => tokenFields(code, verifier, { grant_type: 'password' }), 400, 'unsupported_grant_type'],
    ])('refuses %s', async (_case, fields, status, error) => {
      const verifier = verifierOf();
      const code = (await signIn(verifier)).get('code') as string;
      const response = await redeem(fields(code, verifier));
      expect(response.status).toBe(status);
      await expect(response.json()).resolves.toMatchObject({ error });
    });

    it('refuses a body that is not a form', async () => {
      const response = await redeem({ grant_type: 'authorization_code' }, { 'content-type': 'application/json' });
      expect(response.status).toBe(400);
      await expect(response.json()).resolves.toMatchObject({ error: 'invalid_request' });
    });
  });

  it('names its endpoints for the chat page’s configuration', () => {
    expect(issuer.oauthSettings(LOCAL_CLIENT_ID, redirectUri())).toEqual({
      authorize_url: `${url}/oauth2/authorize`,
      token_url: `${url}/oauth2/token`,
      client_id: LOCAL_CLIENT_ID,
      redirect_uri: redirectUri(),
      scopes: ['openid', 'email'],
    });
  });
});

describe('the local issuer as Cognito with a pre token generation trigger', () => {
  const server = new LocalHttpServer();
  let url: string;
  const events: unknown[] = [];
  const redirectUri = () => `${url}/oauth/callback`;

  beforeAll(async () => {
    await createLocalIssuer(server, {
      customers: () => CUSTOMERS,
      clients: [{ clientId: 'centli-mcp', redirectUris: () => [redirectUri()] }],
      // A trigger that binds the token and tries to set reserved claims too, which Cognito ignores.
      preTokenGeneration: async (event) => {
        events.push(event);
        return { ...event, response: { claimsAndScopeOverrideDetails: { accessTokenGeneration: { claimsToAddOrOverride: { resource: 'https://api.example/mcp', 'custom:user_id': 'user-ana', aud: 'forged', sub: 'user-luis' } } } } };
      },
    });
    url = await server.start();
  });

  afterAll(() => server.stop());

  it('runs the trigger with a V2_0 event and gives, for API scopes alone, an access token only, without aud, with the trigger’s claims', async () => {
    // Prepare
    const verifier = randomBytes(32).toString('base64url');
    const fields = { response_type: 'code', client_id: 'centli-mcp', redirect_uri: redirectUri(), scope: 'centli/read centli/operate', state: 'relay', code_challenge: createHash('sha256').update(verifier).digest('base64url'), code_challenge_method: 'S256', user_id: 'user-ana' };
    const signedIn = await fetch(`${url}${AUTHORIZE_PATH}`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams(fields).toString(), redirect: 'manual' });
    const code = new URL(signedIn.headers.get('location') as string).searchParams.get('code') as string;

    // Act
    const response = await fetch(`${url}${TOKEN_PATH}`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ grant_type: 'authorization_code', client_id: 'centli-mcp', code, redirect_uri: redirectUri(), code_verifier: verifier }).toString(),
    });
    const body = (await response.json()) as Record<string, unknown>;

    // Assess
    expect(events).toEqual([
      expect.objectContaining({
        version: '2',
        triggerSource: 'TokenGeneration_HostedAuth',
        callerContext: expect.objectContaining({ clientId: 'centli-mcp' }),
        request: expect.objectContaining({ userAttributes: expect.objectContaining({ 'custom:user_id': 'user-ana', email: 'ana.garcia@example.com' }), scopes: ['centli/read', 'centli/operate'] }),
        response: { claimsAndScopeOverrideDetails: null },
      }),
    ]);
    expect(body).toEqual({ access_token: expect.any(String), token_type: 'Bearer', expires_in: 3600 });
    const claims = JSON.parse(Buffer.from((body.access_token as string).split('.')[1] as string, 'base64url').toString('utf8')) as Record<string, unknown>;
    expect(claims).toMatchObject({ sub: 'user-ana', token_use: 'access', client_id: 'centli-mcp', scope: 'centli/read centli/operate', resource: 'https://api.example/mcp', 'custom:user_id': 'user-ana' });
    expect(claims).not.toHaveProperty('aud');
  });
});
