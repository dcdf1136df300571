/**
 * The local issuer as an MCP client's authorization server (local/oauth-server.ts with
 * local/identity.ts), over loopback HTTP: its metadata, dynamic registration, and access tokens
 * bound to the resource an authorization request names (RFC 8707).
 */
import { createHash, randomBytes } from 'node:crypto';
import { decodeJwt } from 'jose';
import { LocalHttpServer } from '../../../local/http';
import { AUTHORIZE_PATH, createLocalIssuer, TOKEN_PATH } from '../../../local/identity';
import { mountOAuthServer, REGISTER_PATH } from '../../../local/oauth-server';

const CUSTOMERS = [{ user_id: 'user-ana', name: 'Ana García' }];
const REDIRECT = 'http://127.0.0.1:53682/callback';

describe('the local issuer as an MCP client’s authorization server', () => {
  const server = new LocalHttpServer();
  let url: string;
  const resource = () => `${url}/mcp`;

  beforeAll(async () => {
    const registry = mountOAuthServer(server);
    await createLocalIssuer(server, { customers: () => CUSTOMERS, registeredClient: (id) => registry.clientOf(id), resources: () => [resource()] });
    url = await server.start();
  });

  afterAll(() => server.stop());

  const register = (body: unknown) => fetch(`${url}${REGISTER_PATH}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  const formPost = (path: string, fields: Record<string, string>) =>
    fetch(`${url}${path}`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams(fields).toString(), redirect: 'manual' });

  async function registered(): Promise<string> {
    const answer = await register({ client_name: 'Desktop', redirect_uris: [REDIRECT] });
    expect(answer.status).toBe(201);
    return ((await answer.json()) as { client_id: string }).client_id;
  }

  /** Signs Ana in for `clientId` with `fields` over the defaults; the redirect's query. */
  async function signIn(clientId: string, verifier: string, fields: Record<string, string> = {}): Promise<URLSearchParams> {
    const answer = await formPost(AUTHORIZE_PATH, {
      response_type: 'code',
      client_id: clientId,
      redirect_uri: REDIRECT,
      scope: 'centli/read',
      state: 'st',
      code_challenge: createHash('sha256').update(verifier).digest('base64url'),
      code_challenge_method: 'S256',
      resource: resource(),
      user_id: 'user-ana',
      ...fields,
    });
    expect(answer.status).toBe(303);
    return new URL(answer.headers.get('location') as string).searchParams;
  }

  it.each(['/.well-known/oauth-authorization-server', '/.well-known/openid-configuration'])('publishes its metadata at %s', async (path) => {
    // Act
    const metadata = (await (await fetch(`${url}${path}`)).json()) as Record<string, unknown>;

    // Assess
    expect(metadata).toMatchObject({ issuer: url, registration_endpoint: `${url}/register`, authorization_endpoint: `${url}/oauth2/authorize`, token_endpoint: `${url}/oauth2/token`, code_challenge_methods_supported: ['S256'] });
  });

  it('registers a public client and answers its registration', async () => {
    // Act
    const answer = await register({ client_name: 'Desktop', redirect_uris: [REDIRECT] });

    // Assess
    expect(answer.status).toBe(201);
    expect(answer.headers.get('cache-control')).toBe('no-store');
    expect(await answer.json()).toMatchObject({ client_id: expect.stringMatching(/^mcp-[0-9a-f-]{36}$/), client_id_issued_at: expect.any(Number), redirect_uris: [REDIRECT], token_endpoint_auth_method: 'none' });
  });

  it.each([
    ['a redirect URI on another host over http', { redirect_uris: ['http://attacker.example/cb'] }, 'invalid_redirect_uri'],
    ['a confidential client', { redirect_uris: [REDIRECT], token_endpoint_auth_method: 'client_secret_post' }, 'invalid_client_metadata'],
    ['a body that is not JSON', '{', 'invalid_client_metadata'],
  ])('refuses to register %s', async (_what, body, error) => {
    // Act
    const answer = typeof body === 'string' ? await fetch(`${url}${REGISTER_PATH}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body }) : await register(body);

    // Assess
    expect(answer.status).toBe(400);
    expect(await answer.json()).toMatchObject({ error });
  });

  it('issues a registered client an access token bound to the resource, with the scope asked for and no ID token', async () => {
    // Prepare
    const clientId = await registered();
    const verifier = randomBytes(32).toString('base64url');
    const back = await signIn(clientId, verifier);

    // Act
    const answer = await formPost(TOKEN_PATH, { grant_type: 'authorization_code', client_id: clientId, code: back.get('code') as string, redirect_uri: REDIRECT, code_verifier: verifier, resource: resource() });
    const tokens = (await answer.json()) as Record<string, unknown>;

    // Assess
    expect(answer.status).toBe(200);
    expect(tokens).toMatchObject({ token_type: 'Bearer', scope: 'centli/read', expires_in: 3600 });
    expect(tokens.id_token).toBeUndefined();
    expect(decodeJwt(tokens.access_token as string)).toMatchObject({ iss: url, sub: 'user-ana', aud: resource(), scope: 'centli/read', client_id: clientId, token_use: 'access' });
  });

  it('grants a token for the resource only the API’s scopes it asked for', async () => {
    // Prepare
    const clientId = await registered();
    const verifier = randomBytes(32).toString('base64url');
    const back = await signIn(clientId, verifier, { scope: 'openid centli/operate admin centli/read' });

    // Act
    const answer = await formPost(TOKEN_PATH, { grant_type: 'authorization_code', client_id: clientId, code: back.get('code') as string, redirect_uri: REDIRECT, code_verifier: verifier });
    const tokens = (await answer.json()) as Record<string, unknown>;

    // Assess
    expect(tokens).toMatchObject({ scope: 'centli/operate centli/read' });
    expect(decodeJwt(tokens.access_token as string)).toMatchObject({ scope: 'centli/operate centli/read', aud: resource() });
  });

  it('refuses a token request naming another resource than the authorization request', async () => {
    // Prepare
    const clientId = await registered();
    const verifier = randomBytes(32).toString('base64url');
    const back = await signIn(clientId, verifier);

    // Act
    const answer = await formPost(TOKEN_PATH, { grant_type: 'authorization_code', client_id: clientId, code: back.get('code') as string, redirect_uri: REDIRECT, code_verifier: verifier, resource: `${url}/other` });

    // Assess
    expect(answer.status).toBe(400);
    expect(await answer.json()).toMatchObject({ error: 'invalid_target' });
  });

  it.each<[string, () => Record<string, string>, string]>([
    ['a resource it issues no tokens for', () => ({ resource: 'https://api.example/mcp' }), 'invalid_target'],
    ['a resource with a fragment', () => ({ resource: 'https://api.example/mcp#x' }), 'invalid_target'],
    ['neither openid, nor only the API’s scopes (as Cognito takes them), nor a resource', () => ({ scope: 'email' }), 'invalid_scope'],
    ['a resource and none of its scopes', () => ({ resource: resource(), scope: 'openid admin' }), 'invalid_scope'],
  ])('redirects back with an error for %s', async (_what, fields, error) => {
    // Prepare
    const clientId = await registered();
    const overrides = fields();

    // Act
    const answer = await formPost(AUTHORIZE_PATH, {
      response_type: 'code',
      client_id: clientId,
      redirect_uri: REDIRECT,
      scope: 'centli/read',
      state: 'st',
      code_challenge: createHash('sha256').update(randomBytes(32).toString('base64url')).digest('base64url'),
      code_challenge_method: 'S256',
      user_id: 'user-ana',
      ...overrides,
    });

    // Assess
    expect(answer.status).toBe(303);
    expect(Object.fromEntries(new URL(answer.headers.get('location') as string).searchParams)).toMatchObject({ error, state: 'st' });
  });

  it('carries the resource through its sign-in page’s form', async () => {
    // Prepare
    const clientId = await registered();
    const query = new URLSearchParams({ response_type: 'code', client_id: clientId, redirect_uri: REDIRECT, scope: 'centli/read', code_challenge: 'a'.repeat(43), code_challenge_method: 'S256', resource: resource() });

    // Act
    const page = await fetch(`${url}${AUTHORIZE_PATH}?${query}`);

    // Assess
    expect(page.status).toBe(200);
    expect(await page.text()).toContain(`<input type="hidden" name="resource" value="${resource()}">`);
  });

  it('knows no client it did not register', async () => {
    // Act
    const answer = await fetch(`${url}${AUTHORIZE_PATH}?client_id=mcp-unknown&redirect_uri=${encodeURIComponent(REDIRECT)}`);

    // Assess
    expect(answer.status).toBe(400);
    expect(await answer.text()).toContain('Unknown client_id');
  });
});
