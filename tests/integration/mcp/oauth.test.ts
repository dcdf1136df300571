/**
 * MCP authorization end to end, as the specification (2025-06-18 and 2025-11-25) describes it,
 * with the SDK client's own OAuth support against the local stack, starting from nothing but the
 * MCP URL: the 401's challenge → the protected resource metadata (RFC 9728) → the authorization
 * front's metadata (RFC 8414) → dynamic registration at the front (RFC 7591) → the authorization
 * request with PKCE and the resource (RFC 8707) at the front, relayed to the local issuer playing
 * Cognito's managed login with the fixed MCP client, through its sign-in page by HTTP → the
 * front's callback → the token, forwarded to the issuer, bound to /mcp by the MCP service's pre
 * token generation trigger → tools. A token for reading only is refused an operation with 403
 * insufficient_scope, and the client steps up to the scope the challenge names.
 */
import { createHash, randomBytes } from 'node:crypto';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { discoverAuthorizationServerMetadata, discoverOAuthProtectedResourceMetadata, UnauthorizedError, type OAuthClientProvider } from '@modelcontextprotocol/sdk/client/auth.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { OAuthClientInformationMixed, OAuthClientMetadata, OAuthTokens } from '@modelcontextprotocol/sdk/shared/auth.js';
import { endpoints } from '../support';
import { call, structured, textOf } from './support';

/** Where the issuer sends the browser back: a desktop client's loopback listener (none listens; the test reads the redirect). */
const REDIRECT = 'http://127.0.0.1:53682/callback';
/** The MCP service's authorization front, the authorization server a client discovers. */
const front = () => `${endpoints().http}/oauth`;

/** What a sign-in gave: the code and state the client got back, and every URL the browser was sent to on the way. */
interface SignedIn {
  code: string;
  state: string | null;
  location: URL;
  hops: URL[];
}

/**
 * Signs `userId` in as a person's browser would: follows the authorization URL's redirects (the
 * front's relay) to the issuer's sign-in page, submits its form choosing the customer (with the
 * page's own Origin, as a browser sends it), and follows the redirects back (the front's
 * callback) to `backTo`, reading the code and state there.
 */
async function signIn(authorizationUrl: URL, userId: string, backTo = REDIRECT): Promise<SignedIn> {
  const hops: URL[] = [];
  let url = authorizationUrl;
  let page = await fetch(url, { redirect: 'manual' });
  while (page.status === 302 || page.status === 303) {
    url = new URL(page.headers.get('location') as string);
    hops.push(url);
    page = await fetch(url, { redirect: 'manual' });
  }
  const html = await page.text();
  if (page.status !== 200) throw new Error(`the sign-in page answered ${page.status}: ${html}`);
  expect(html).toContain(`value="${userId}"`);
  const form = new URLSearchParams(url.searchParams);
  form.set('user_id', userId);
  const answer = await fetch(new URL('/oauth2/authorize', endpoints().issuer), {
    method: 'POST',
    redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded', origin: new URL(endpoints().http).origin },
    body: form,
  });
  let location = new URL(answer.headers.get('location') ?? 'about:blank');
  hops.push(location);
  while (!location.href.startsWith(backTo)) {
    const next = await fetch(location, { redirect: 'manual' });
    if (next.status !== 302 && next.status !== 303) throw new Error(`the way back stopped at ${location}: ${next.status} ${await next.text()}`);
    location = new URL(next.headers.get('location') as string);
    hops.push(location);
  }
  const code = location.searchParams.get('code');
  if (!code) throw new Error(`the sign-in did not redirect back with a code: ${location}`);
  return { code, state: location.searchParams.get('state'), location, hops };
}

/** The claims of a JWT, unverified: what the test inspects of a token the stack verified. */
const claimsOf = (token: string) => JSON.parse(Buffer.from(token.split('.')[1] as string, 'base64url').toString('utf8')) as Record<string, unknown>;

/** A desktop client's OAuth state, in memory; "opening the browser" signs `userId` in by HTTP. */
class DesktopClient implements OAuthClientProvider {
  client: OAuthClientInformationMixed | undefined;
  saved: OAuthTokens | undefined;
  verifier = '';
  /** Every authorization URL it was sent to, and the code each sign-in gave. */
  readonly authorizations: URL[] = [];
  code: string | undefined;
  /** The last sign-in's way through the front and the issuer. */
  signedIn: SignedIn | undefined;
  private expectedState = '';

  constructor(private readonly userId: string) {}

  get redirectUrl(): string {
    return REDIRECT;
  }

  get clientMetadata(): OAuthClientMetadata {
    return { client_name: 'Centli integration test', redirect_uris: [REDIRECT], grant_types: ['authorization_code'], response_types: ['code'], token_endpoint_auth_method: 'none' };
  }

  state(): string {
    return (this.expectedState = randomBytes(16).toString('base64url'));
  }

  clientInformation(): OAuthClientInformationMixed | undefined {
    return this.client;
  }

  saveClientInformation(information: OAuthClientInformationMixed): void {
    this.client = information;
  }

  tokens(): OAuthTokens | undefined {
    return this.saved;
  }

  saveTokens(tokens: OAuthTokens): void {
    this.saved = tokens;
  }

  saveCodeVerifier(verifier: string): void {
    this.verifier = verifier;
  }

  codeVerifier(): string {
    return this.verifier;
  }

  async redirectToAuthorization(url: URL): Promise<void> {
    this.authorizations.push(url);
    this.signedIn = await signIn(url, this.userId);
    expect(this.signedIn.state).toBe(this.expectedState);
    this.code = this.signedIn.code;
  }
}

const mcpUrl = () => new URL(endpoints().mcp);
const rpc = (method: string, params: Record<string, unknown> = {}) => JSON.stringify({ jsonrpc: '2.0', id: 1, method, params });

/** One JSON-RPC message posted to /mcp with a bearer token, as any MCP client sends it. */
async function post(token: string | undefined, body: string): Promise<Response> {
  return fetch(mcpUrl(), {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream', 'mcp-protocol-version': '2025-11-25', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body,
  });
}

/** Connects with the SDK's OAuth support: the first connection ends in the sign-in, the second uses its token. */
async function connectSignedIn(provider: DesktopClient): Promise<{ client: Client; transport: StreamableHTTPClientTransport }> {
  const first = new StreamableHTTPClientTransport(mcpUrl(), { authProvider: provider });
  await expect(new Client({ name: 'centli-oauth-test', version: '1.0.0' }).connect(first)).rejects.toThrow(UnauthorizedError);
  await first.finishAuth(provider.code as string);
  const transport = new StreamableHTTPClientTransport(mcpUrl(), { authProvider: provider });
  const client = new Client({ name: 'centli-oauth-test', version: '1.0.0' });
  await client.connect(transport);
  return { client, transport };
}

describe('MCP authorization', () => {
  const clients: Client[] = [];
  afterAll(async () => {
    await Promise.all(clients.map((client) => client.close()));
  });

  it('signs a customer in from nothing but the MCP URL through the authorization front, and serves them with a token bound to it for reading', async () => {
    // Prepare
    const provider = new DesktopClient('user-ana');

    // Act
    const { client } = await connectSignedIn(provider);
    clients.push(client);
    const { tools } = await client.listTools();
    const balance = await call(client, 'get_balance');

    // Assess: registered at the front as a public client, asked it with PKCE for the scope of the challenge and the MCP resource.
    expect(provider.client).toMatchObject({ client_id: expect.stringMatching(/^mcp-/), token_endpoint_auth_method: 'none', redirect_uris: [REDIRECT] });
    const [asked] = provider.authorizations as [URL];
    expect(`${asked.origin}${asked.pathname}`).toBe(`${front()}/authorize`);
    expect(Object.fromEntries(asked.searchParams)).toMatchObject({ response_type: 'code', client_id: provider.client?.client_id, redirect_uri: REDIRECT, code_challenge_method: 'S256', scope: 'centli/read', resource: endpoints().mcp });
    // Relayed to the issuer ("Cognito") with the fixed client, the front's callback, the client's own challenge and a relay state.
    const [relayed, callback] = provider.signedIn?.hops as [URL, URL];
    expect(`${relayed.origin}${relayed.pathname}`).toBe(`${endpoints().issuer}/oauth2/authorize`);
    expect(Object.fromEntries(relayed.searchParams)).toEqual({
      response_type: 'code',
      client_id: 'centli-mcp',
      redirect_uri: `${front()}/callback`,
      scope: 'centli/read',
      state: expect.stringMatching(/^[A-Za-z0-9_-]{43}$/),
      code_challenge: asked.searchParams.get('code_challenge'),
      code_challenge_method: 'S256',
    });
    expect(relayed.searchParams.get('state')).not.toBe(asked.searchParams.get('state'));
    expect(`${callback.origin}${callback.pathname}`).toBe(`${front()}/callback`);
    expect(provider.signedIn?.location.searchParams.get('iss')).toBe(front());
    // A Cognito-shaped access token: no aud, the fixed client, the scope, and the trigger's claims.
    expect(provider.saved).toMatchObject({ token_type: 'Bearer' });
    expect(provider.saved?.id_token).toBeUndefined();
    const claims = claimsOf(provider.saved?.access_token as string);
    expect(claims).toMatchObject({ iss: endpoints().issuer, sub: 'user-ana', token_use: 'access', client_id: 'centli-mcp', scope: 'centli/read', resource: endpoints().mcp, 'custom:user_id': 'user-ana' });
    expect(claims).not.toHaveProperty('aud');
    expect(tools.map((tool) => tool.name)).toContain('transfer_funds');
    expect(balance.isError).toBeFalsy();
    expect(structured(balance)).toMatchObject({ user_id: 'user-ana' });
  });

  it('refuses an operation to a token for reading only with 403 insufficient_scope, and the client steps up to the scope named', async () => {
    // Prepare
    const provider = new DesktopClient('user-luis');
    const { client, transport } = await connectSignedIn(provider);
    clients.push(client);
    const readOnly = provider.saved?.access_token as string;
    // From an account that is not Luis's: once the scope lets it through, the service itself refuses it, and nothing moves.
    const transfer = { name: 'transfer_funds', arguments: { from_account_id: 'acc-ana-nomina-4821', to_account_id: 'acc-luis-nomina-1532', amount: 100_000 } };

    // Act
    const refused = await post(readOnly, rpc('tools/call', transfer));
    const refusedBody = (await refused.json()) as { error: { message: string } };
    const steppedUp = await client.callTool(transfer).then(
      () => 'called',
      (error: unknown) => error,
    );
    await transport.finishAuth(provider.code as string);
    const result = await call(client, 'transfer_funds', transfer.arguments);

    // Assess
    expect(refused.status).toBe(403);
    expect(refused.headers.get('www-authenticate')).toBe(
      `Bearer realm="centli", error="insufficient_scope", scope="centli/read centli/operate", resource_metadata="${endpoints().http}/.well-known/oauth-protected-resource/mcp"`,
    );
    expect(refusedBody.error.message).toContain('(necesita centli/read centli/operate)');
    expect(steppedUp).toBeInstanceOf(UnauthorizedError);
    expect(provider.authorizations).toHaveLength(2);
    expect(provider.authorizations[1]?.searchParams.get('scope')).toBe('centli/read centli/operate');
    expect(claimsOf(provider.saved?.access_token as string)).toMatchObject({ scope: 'centli/read centli/operate', resource: endpoints().mcp });
    expect(textOf(result)).toBe('Esa cuenta de origen no es tuya. No se movió dinero.');
  });

  it('points a caller without a token at the protected resource metadata, which names the front, whose metadata names every endpoint', async () => {
    // Act
    const challenged = await post(undefined, rpc('tools/list'));
    const metadataUrl = /resource_metadata="([^"]+)"/.exec(challenged.headers.get('www-authenticate') ?? '')?.[1] as string;
    const resource = (await (await fetch(metadataUrl)).json()) as Record<string, unknown>;
    const atRoot = (await (await fetch(`${endpoints().http}/.well-known/oauth-protected-resource`)).json()) as Record<string, unknown>;
    const server = (await (await fetch(`${endpoints().http}/.well-known/oauth-authorization-server/oauth`)).json()) as Record<string, unknown>;

    // Assess
    expect(challenged.status).toBe(401);
    expect(challenged.headers.get('www-authenticate')).toBe(`Bearer realm="centli", error="invalid_token", scope="centli/read", resource_metadata="${endpoints().http}/.well-known/oauth-protected-resource/mcp"`);
    expect(resource).toEqual({ resource: endpoints().mcp, authorization_servers: [front()], scopes_supported: ['centli/read', 'centli/operate'], bearer_methods_supported: ['header'], resource_name: 'Centli' });
    expect(atRoot).toEqual(resource);
    expect(server).toMatchObject({
      issuer: front(),
      authorization_endpoint: `${front()}/authorize`,
      token_endpoint: `${front()}/token`,
      registration_endpoint: `${front()}/register`,
      code_challenge_methods_supported: ['S256'],
      scopes_supported: ['openid', 'centli/read', 'centli/operate'],
    });
  });

  it('is found by the SDK without a challenge too, at the well-known URIs (what a client does behind API Gateway’s own 401)', async () => {
    // Act
    const resource = await discoverOAuthProtectedResourceMetadata(endpoints().mcp);
    const server = await discoverAuthorizationServerMetadata(resource.authorization_servers?.[0] as string);

    // Assess: both parse under the SDK's own schemas
    expect(resource).toMatchObject({ resource: endpoints().mcp, authorization_servers: [front()] });
    expect(server).toMatchObject({ issuer: front(), registration_endpoint: `${front()}/register`, code_challenge_methods_supported: ['S256'] });
  });

  it('refuses a valid token of the issuer that is not bound to the MCP endpoint: the chat’s sign-in', async () => {
    // Prepare: the chat page's own sign-in (client centli, openid, no resource).
    const verifier = randomBytes(32).toString('base64url');
    const challenge = createHash('sha256').update(verifier).digest('base64url');
    const chat = endpoints().chat;
    const authorize = new URL(`${endpoints().issuer}/oauth2/authorize`);
    for (const [name, value] of Object.entries({ response_type: 'code', client_id: 'centli', redirect_uri: chat, scope: 'openid email', state: 's', code_challenge: challenge, code_challenge_method: 'S256' })) authorize.searchParams.set(name, value);
    const { code } = await signIn(authorize, 'user-ana', chat);
    const tokens = (await (
      await fetch(`${endpoints().issuer}/oauth2/token`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ grant_type: 'authorization_code', client_id: 'centli', code, redirect_uri: chat, code_verifier: verifier }),
      })
    ).json()) as { id_token: string; access_token: string };

    // Act
    const answers = await Promise.all([tokens.id_token, tokens.access_token].map((token) => post(token, rpc('tools/list'))));

    // Assess
    for (const answer of answers) {
      expect(answer.status).toBe(401);
      expect(answer.headers.get('www-authenticate')).toContain('error="invalid_token"');
    }
  });

  it.each([
    ['the front', () => `${front()}/register`],
    ['the issuer', () => `${endpoints().issuer}/register`],
  ])('registers at %s no client whose redirect URI is neither https nor loopback', async (_where, register) => {
    // Act
    const answer = await fetch(register(), { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ redirect_uris: ['http://attacker.example/callback'] }) });

    // Assess
    expect(answer.status).toBe(400);
    expect(await answer.json()).toMatchObject({ error: 'invalid_redirect_uri' });
  });
});

describe('the authorization front', () => {
  /** A client registered at the front, and an authorization request of it with a fresh PKCE pair. */
  async function registeredRequest(): Promise<{ clientId: string; verifier: string; authorize: URL }> {
    const registered = await fetch(`${front()}/register`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ client_name: 'front test', redirect_uris: [REDIRECT] }) });
    expect(registered.status).toBe(201);
    const { client_id: clientId } = (await registered.json()) as { client_id: string };
    const verifier = randomBytes(32).toString('base64url');
    const authorize = new URL(`${front()}/authorize`);
    const query = { response_type: 'code', client_id: clientId, redirect_uri: REDIRECT, scope: 'centli/read', state: 'client-state', code_challenge: createHash('sha256').update(verifier).digest('base64url'), code_challenge_method: 'S256', resource: endpoints().mcp };
    for (const [name, value] of Object.entries(query)) authorize.searchParams.set(name, value);
    return { clientId, verifier, authorize };
  }
  const token = (form: Record<string, string>) => fetch(`${front()}/token`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams(form) });

  it('never sends the browser to a redirect URI the client did not register', async () => {
    // Prepare
    const { authorize } = await registeredRequest();
    authorize.searchParams.set('redirect_uri', 'http://127.0.0.1:9999/elsewhere');

    // Act
    const answer = await fetch(authorize, { redirect: 'manual' });

    // Assess
    expect(answer.status).toBe(400);
    expect(answer.headers.get('location')).toBeNull();
    expect(await answer.text()).toContain('is not registered');
  });

  it('relays a callback once: the same relay state a second time is refused', async () => {
    // Prepare
    const { authorize } = await registeredRequest();
    const { hops, state } = await signIn(authorize, 'user-ana');
    const callback = hops.find((hop) => hop.href.startsWith(`${front()}/callback`)) as URL;

    // Act
    const again = await fetch(callback, { redirect: 'manual' });

    // Assess
    expect(state).toBe('client-state');
    expect(again.status).toBe(400);
    expect(again.headers.get('location')).toBeNull();
    expect(await again.text()).toContain('already used');
  });

  it('trades a code for a token only with the client’s own verifier', async () => {
    // Prepare
    const { clientId, verifier, authorize } = await registeredRequest();
    const { code } = await signIn(authorize, 'user-ana');
    const other = randomBytes(32).toString('base64url');

    // Act
    const refused = await token({ grant_type: 'authorization_code', client_id: clientId, code, redirect_uri: REDIRECT, code_verifier: other });
    const { code: second } = await signIn(authorize, 'user-ana');
    const granted = await token({ grant_type: 'authorization_code', client_id: clientId, code: second, redirect_uri: REDIRECT, code_verifier: verifier, resource: endpoints().mcp });

    // Assess: the issuer ("Cognito") refused it, and the front passed its answer on; the verifier that belongs to the challenge works.
    expect(refused.status).toBe(400);
    expect(await refused.json()).toMatchObject({ error: 'invalid_grant' });
    expect(granted.status).toBe(200);
    expect(granted.headers.get('cache-control')).toBe('no-store');
    const { access_token: accessToken } = (await granted.json()) as { access_token: string };
    expect(claimsOf(accessToken)).toMatchObject({ client_id: 'centli-mcp', resource: endpoints().mcp, 'custom:user_id': 'user-ana' });
    expect((await post(accessToken, rpc('tools/list'))).status).toBe(200);
  });

  it('refuses a token request of a client it never registered, before the issuer sees it', async () => {
    const answer = await token({ grant_type: 'authorization_code', client_id: 'mcp-never-registered-client', code: 'x', redirect_uri: REDIRECT, code_verifier: randomBytes(32).toString('base64url') });
    expect(answer.status).toBe(401);
    expect(await answer.json()).toMatchObject({ error: 'invalid_client' });
  });
});
