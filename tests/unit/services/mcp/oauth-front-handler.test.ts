import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { clientKey, relayKey, type RegisteredClient, type Relay } from '../../../../services/mcp/src/domain/oauth-front';
import { serveFront, type FrontDeps } from '../../../../services/mcp/src/handlers/oauth-front';

const NOW = new Date('2026-12-06T20:00:00Z');
const REDIRECT = 'http://127.0.0.1:53682/callback';
const CHALLENGE = 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM';

type FrontStore = FrontDeps['store'];

/** The front's table in memory, as the adapter keeps it: registrations and single-use relays. */
class MemoryStore implements FrontStore {
  readonly clients = new Map<string, RegisteredClient>();
  readonly relays = new Map<string, Relay & { used?: boolean }>();
  renewed: string[] = [];
  async register(client: RegisteredClient) {
    this.clients.set(client.pk, client);
  }
  async client(clientId: string) {
    return this.clients.get(clientKey(clientId));
  }
  async renew(clientId: string) {
    this.renewed.push(clientId);
  }
  async keepRelay(relay: Relay) {
    this.relays.set(relay.pk, relay);
  }
  async takeRelay(state: string) {
    const relay = this.relays.get(relayKey(state));
    if (!relay || relay.used) return undefined;
    relay.used = true;
    return relay;
  }
}

const event = (method: string, path: string, options: { query?: string; body?: string; headers?: Record<string, string> } = {}): APIGatewayProxyEventV2 =>
  ({
    version: '2.0',
    routeKey: `${method} ${path}`,
    rawPath: path,
    rawQueryString: options.query ?? '',
    headers: options.headers ?? {},
    requestContext: { domainName: 'api.centli.example', requestId: 'r1', http: { method, path } },
    isBase64Encoded: false,
    ...(options.body === undefined ? {} : { body: options.body }),
  }) as unknown as APIGatewayProxyEventV2;

describe('serveFront', () => {
  const saved = { ...process.env };
  let store: MemoryStore;
  let posted: Array<[string, Record<string, string>]>;
  let deps: FrontDeps;
  let counter: number;
  beforeEach(() => {
    process.env.CENTLI_OAUTH_FRONT_URL = 'https://api.centli.example/oauth';
    process.env.CENTLI_OAUTH_UPSTREAM = 'https://centli-dev.auth.us-east-1.amazoncognito.com';
    process.env.CENTLI_MCP_OAUTH_CLIENT_ID = 'fixedmcpclient';
    process.env.CENTLI_MCP_RESOURCE = 'https://api.centli.example/mcp';
    store = new MemoryStore();
    posted = [];
    counter = 0;
    deps = {
      store,
      postToken: async (url, form) => {
        posted.push([url, Object.fromEntries(form)]);
        return { status: 200, body: { access_token: 'at', token_type: 'Bearer', expires_in: 3600 } };
      },
      random: () => `${'r'.repeat(42)}${counter++}`,
      now: () => NOW,
    };
  });
  afterEach(() => {
    process.env = { ...saved };
  });

  const register = async () => {
    const answer = await serveFront(event('POST', '/oauth/register', { body: JSON.stringify({ redirect_uris: [REDIRECT] }), headers: { 'content-type': 'application/json' } }), deps);
    return { answer, body: JSON.parse(answer.body as string) as { client_id: string } };
  };

  it('serves its metadata public and cacheable', async () => {
    const answer = await serveFront(event('GET', '/.well-known/oauth-authorization-server/oauth'), deps);
    expect(answer).toMatchObject({ statusCode: 200, headers: { 'access-control-allow-origin': '*', 'cache-control': 'public, max-age=3600' } });
    expect(JSON.parse(answer.body as string)).toMatchObject({ issuer: 'https://api.centli.example/oauth', registration_endpoint: 'https://api.centli.example/oauth/register' });
  });

  it('registers a client in its table and answers 201 without a secret, never cached', async () => {
    // Act
    const { answer, body } = await register();

    // Assess
    expect(answer).toMatchObject({ statusCode: 201, headers: { 'cache-control': 'no-store' } });
    expect(body).toMatchObject({ client_id: expect.stringMatching(/^mcp-/), token_endpoint_auth_method: 'none', redirect_uris: [REDIRECT] });
    expect(body).not.toHaveProperty('client_secret');
    expect(store.clients.get(clientKey(body.client_id))).toMatchObject({ client_id: body.client_id });
  });

  it('refuses a registration that is not JSON', async () => {
    const answer = await serveFront(event('POST', '/oauth/register', { body: '{redirect_uris' }), deps);
    expect(answer.statusCode).toBe(400);
    expect(JSON.parse(answer.body as string)).toMatchObject({ error: 'invalid_client_metadata' });
    expect(store.clients.size).toBe(0);
  });

  it('keeps the relay and renews the client before it sends the browser to Cognito, and relays the callback once', async () => {
    // Prepare
    const { body } = await register();
    const query = new URLSearchParams({ response_type: 'code', client_id: body.client_id, redirect_uri: REDIRECT, state: 'mine', code_challenge: CHALLENGE, code_challenge_method: 'S256', scope: 'centli/read' });

    // Act
    const relayed = await serveFront(event('GET', '/oauth/authorize', { query: query.toString() }), deps);
    const relayState = new URL(relayed.headers?.location as string).searchParams.get('state') as string;
    const back = await serveFront(event('GET', '/oauth/callback', { query: new URLSearchParams({ code: 'cognito-code', state: relayState }).toString() }), deps);
    const again = await serveFront(event('GET', '/oauth/callback', { query: new URLSearchParams({ code: 'cognito-code', state: relayState }).toString() }), deps);

    // Assess
    expect(relayed.statusCode).toBe(302);
    expect(relayed.headers?.location).toMatch(/^https:\/\/centli-dev\.auth\.us-east-1\.amazoncognito\.com\/oauth2\/authorize\?/);
    expect(store.renewed).toEqual([body.client_id]);
    expect(back).toMatchObject({ statusCode: 302, headers: { 'cache-control': 'no-store', 'referrer-policy': 'no-referrer' } });
    expect(Object.fromEntries(new URL(back.headers?.location as string).searchParams)).toEqual({ code: 'cognito-code', state: 'mine', iss: 'https://api.centli.example/oauth' });
    expect(again).toMatchObject({ statusCode: 400, headers: { 'content-type': 'text/plain; charset=utf-8' } });
    expect(again.headers).not.toHaveProperty('location');
  });

  it('forwards a token request to Cognito’s token endpoint and answers what Cognito answered', async () => {
    // Prepare
    const { body } = await register();
    const form = new URLSearchParams({ grant_type: 'authorization_code', client_id: body.client_id, code: 'cognito-code', code_verifier: 'v'.repeat(43), redirect_uri: REDIRECT });

    // Act
    const answer = await serveFront(event('POST', '/oauth/token', { body: form.toString(), headers: { 'content-type': 'application/x-www-form-urlencoded' } }), deps);

    // Assess
    expect(answer).toMatchObject({ statusCode: 200, headers: { 'cache-control': 'no-store' } });
    expect(JSON.parse(answer.body as string)).toEqual({ access_token: 'at', token_type: 'Bearer', expires_in: 3600 });
    expect(posted).toEqual([['https://centli-dev.auth.us-east-1.amazoncognito.com/oauth2/token', { grant_type: 'authorization_code', client_id: 'fixedmcpclient', code: 'cognito-code', code_verifier: 'v'.repeat(43), redirect_uri: 'https://api.centli.example/oauth/callback' }]]);
  });

  it('refuses a token request that is not form-encoded, and forwards nothing', async () => {
    const answer = await serveFront(event('POST', '/oauth/token', { body: '{}', headers: { 'content-type': 'application/json' } }), deps);
    expect(answer.statusCode).toBe(400);
    expect(JSON.parse(answer.body as string)).toMatchObject({ error: 'invalid_request' });
    expect(posted).toEqual([]);
  });

  it('answers a browser’s preflight, and 404 for a path it does not serve', async () => {
    expect(await serveFront(event('OPTIONS', '/oauth/token'), deps)).toMatchObject({ statusCode: 204, headers: { 'access-control-allow-origin': '*' } });
    expect((await serveFront(event('GET', '/oauth/elsewhere'), deps)).statusCode).toBe(404);
  });
});
