/**
 * MCP authorization end to end, as the specification (2025-06-18 and 2025-11-25) describes it,
 * with the SDK client's own OAuth support against the local stack, starting from nothing but the
 * MCP URL: the 401's challenge → the protected resource metadata (RFC 9728) → the authorization
 * server's metadata (RFC 8414) → dynamic registration (RFC 7591) → the authorization request with
 * PKCE and the resource (RFC 8707), through the local issuer's sign-in page by HTTP → the token →
 * tools. A token for reading only is refused an operation with 403 insufficient_scope, and the
 * client steps up to the scope the challenge names.
 */
import { randomBytes } from 'node:crypto';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { discoverAuthorizationServerMetadata, discoverOAuthProtectedResourceMetadata, UnauthorizedError, type OAuthClientProvider } from '@modelcontextprotocol/sdk/client/auth.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { OAuthClientInformationMixed, OAuthClientMetadata, OAuthTokens } from '@modelcontextprotocol/sdk/shared/auth.js';
import { endpoints } from '../support';
import { call, structured, textOf } from './support';

/** Where the issuer sends the browser back: a desktop client's loopback listener (none listens; the test reads the redirect). */
const REDIRECT = 'http://127.0.0.1:53682/callback';

/**
 * Signs `userId` in on the local issuer's page as a person would: opens the authorization URL,
 * submits the page's form choosing the customer (with the page's own Origin, as a browser sends
 * it), and reads the code and state from the redirect back.
 */
async function signIn(authorizationUrl: URL, userId: string): Promise<{ code: string; state: string | null; location: URL }> {
  const page = await fetch(authorizationUrl, { redirect: 'manual' });
  const html = await page.text();
  if (page.status !== 200) throw new Error(`the sign-in page answered ${page.status}: ${html}`);
  expect(html).toContain(`value="${userId}"`);
  const form = new URLSearchParams(authorizationUrl.searchParams);
  form.set('user_id', userId);
  const answer = await fetch(new URL('/oauth2/authorize', endpoints().issuer), {
    method: 'POST',
    redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded', origin: new URL(endpoints().http).origin },
    body: form,
  });
  const location = new URL(answer.headers.get('location') ?? 'about:blank');
  const code = location.searchParams.get('code');
  if (answer.status !== 303 || !code) throw new Error(`the sign-in did not redirect back with a code: ${answer.status} ${location} ${await answer.text()}`);
  return { code, state: location.searchParams.get('state'), location };
}

/** A desktop client's OAuth state, in memory; "opening the browser" signs `userId` in by HTTP. */
class DesktopClient implements OAuthClientProvider {
  client: OAuthClientInformationMixed | undefined;
  saved: OAuthTokens | undefined;
  verifier = '';
  /** Every authorization URL it was sent to, and the code each sign-in gave. */
  readonly authorizations: URL[] = [];
  code: string | undefined;
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
    const { code, state } = await signIn(url, this.userId);
    expect(state).toBe(this.expectedState);
    this.code = code;
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

  it('signs a customer in from nothing but the MCP URL, and serves them with a token bound to it for reading', async () => {
    // Prepare
    const provider = new DesktopClient('user-ana');

    // Act
    const { client } = await connectSignedIn(provider);
    clients.push(client);
    const { tools } = await client.listTools();
    const balance = await call(client, 'get_balance');

    // Assess: registered as a public client, asked with PKCE for the scope of the challenge and the MCP resource.
    expect(provider.client).toMatchObject({ client_id: expect.stringMatching(/^mcp-/), token_endpoint_auth_method: 'none', redirect_uris: [REDIRECT] });
    const [asked] = provider.authorizations as [URL];
    expect(`${asked.origin}${asked.pathname}`).toBe(`${endpoints().issuer}/oauth2/authorize`);
    expect(Object.fromEntries(asked.searchParams)).toMatchObject({ response_type: 'code', client_id: provider.client?.client_id, redirect_uri: REDIRECT, code_challenge_method: 'S256', scope: 'centli/read', resource: endpoints().mcp });
    expect(provider.saved).toMatchObject({ token_type: 'Bearer', scope: 'centli/read' });
    expect(provider.saved?.id_token).toBeUndefined();
    const claims = JSON.parse(Buffer.from((provider.saved?.access_token as string).split('.')[1] as string, 'base64url').toString('utf8')) as Record<string, unknown>;
    expect(claims).toMatchObject({ iss: endpoints().issuer, sub: 'user-ana', aud: endpoints().mcp, scope: 'centli/read' });
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
    expect(provider.saved?.scope).toBe('centli/read centli/operate');
    expect(textOf(result)).toBe('Esa cuenta de origen no es tuya. No se movió dinero.');
  });

  it('points a caller without a token at the protected resource metadata, which names the issuer, whose metadata names every endpoint', async () => {
    // Act
    const challenged = await post(undefined, rpc('tools/list'));
    const metadataUrl = /resource_metadata="([^"]+)"/.exec(challenged.headers.get('www-authenticate') ?? '')?.[1] as string;
    const resource = (await (await fetch(metadataUrl)).json()) as Record<string, unknown>;
    const atRoot = (await (await fetch(`${endpoints().http}/.well-known/oauth-protected-resource`)).json()) as Record<string, unknown>;
    const server = (await (await fetch(`${endpoints().issuer}/.well-known/oauth-authorization-server`)).json()) as Record<string, unknown>;

    // Assess
    expect(challenged.status).toBe(401);
    expect(challenged.headers.get('www-authenticate')).toBe(`Bearer realm="centli", error="invalid_token", scope="centli/read", resource_metadata="${endpoints().http}/.well-known/oauth-protected-resource/mcp"`);
    expect(resource).toEqual({ resource: endpoints().mcp, authorization_servers: [endpoints().issuer], scopes_supported: ['centli/read', 'centli/operate'], bearer_methods_supported: ['header'], resource_name: 'Centli' });
    expect(atRoot).toEqual(resource);
    expect(server).toMatchObject({
      issuer: endpoints().issuer,
      authorization_endpoint: `${endpoints().issuer}/oauth2/authorize`,
      token_endpoint: `${endpoints().issuer}/oauth2/token`,
      registration_endpoint: `${endpoints().issuer}/register`,
      code_challenge_methods_supported: ['S256'],
      scopes_supported: expect.arrayContaining(['centli/read', 'centli/operate']),
    });
  });

  it('is found by the SDK without a challenge too, at the well-known URIs (what a client does behind API Gateway’s own 401)', async () => {
    // Act
    const resource = await discoverOAuthProtectedResourceMetadata(endpoints().mcp);
    const server = await discoverAuthorizationServerMetadata(resource.authorization_servers?.[0] as string);

    // Assess: both parse under the SDK's own schemas
    expect(resource).toMatchObject({ resource: endpoints().mcp, authorization_servers: [endpoints().issuer] });
    expect(server).toMatchObject({ issuer: endpoints().issuer, registration_endpoint: `${endpoints().issuer}/register`, code_challenge_methods_supported: ['S256'] });
  });

  it('refuses a valid token of the issuer that is not bound to the MCP endpoint: the chat’s sign-in', async () => {
    // Prepare: the chat page's own sign-in (client centli, openid, no resource).
    const verifier = randomBytes(32).toString('base64url');
    const challenge = (await import('node:crypto')).createHash('sha256').update(verifier).digest('base64url');
    const chat = endpoints().chat;
    const authorize = new URL(`${endpoints().issuer}/oauth2/authorize`);
    for (const [name, value] of Object.entries({ response_type: 'code', client_id: 'centli', redirect_uri: chat, scope: 'openid email', state: 's', code_challenge: challenge, code_challenge_method: 'S256' })) authorize.searchParams.set(name, value);
    const { code } = await signIn(authorize, 'user-ana');
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

  it('registers no client whose redirect URI is neither https nor loopback', async () => {
    // Act
    const answer = await fetch(`${endpoints().issuer}/register`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ redirect_uris: ['http://attacker.example/callback'] }) });

    // Assess
    expect(answer.status).toBe(400);
    expect(await answer.json()).toMatchObject({ error: 'invalid_redirect_uri' });
  });
});
