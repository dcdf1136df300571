import { authorize, callbackLocation, frontMetadata, isClientIdShape, isRelayStateShape, isTokenError, registeredClientOf, registrationResponse, RELAY_TTL_SECONDS, REGISTRATION_TTL_SECONDS, tokenRequest, type FrontSettings, type RegisteredClient } from '../../../../services/mcp/src/domain/oauth-front';

const SETTINGS: FrontSettings = {
  issuer: 'https://api.centli.example/oauth',
  upstream: 'https://centli-dev-123.auth.us-east-1.amazoncognito.com',
  clientId: 'fixedmcpclient',
  resource: 'https://api.centli.example/mcp',
};
const NOW = new Date('2026-12-06T20:00:00Z');
const SECONDS = Math.floor(NOW.getTime() / 1000);
const RANDOM = 'r'.repeat(43);
const REDIRECT = 'http://127.0.0.1:53682/callback';
const CHALLENGE = 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM';
const VERIFIER = 'dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk';

const client: RegisteredClient = registeredClientOf(
  { client_name: 'Desktop', redirect_uris: [REDIRECT], grant_types: ['authorization_code'], response_types: ['code'], token_endpoint_auth_method: 'none', scope: 'centli/read centli/operate' },
  'c'.repeat(43),
  NOW,
);
const request = (overrides: Record<string, string | null> = {}) => {
  const params = new URLSearchParams({ response_type: 'code', client_id: client.client_id, redirect_uri: REDIRECT, state: 'client-state', code_challenge: CHALLENGE, code_challenge_method: 'S256', scope: 'centli/read', resource: SETTINGS.resource });
  for (const [name, value] of Object.entries(overrides)) {
    if (value === null) params.delete(name);
    else params.set(name, value);
  }
  return params;
};
const query = (location: string) => Object.fromEntries(new URL(location).searchParams);

describe('frontMetadata', () => {
  it('names the front as issuer and its own endpoints, PKCE S256 only, public clients, Centli’s scopes and openid', () => {
    expect(frontMetadata(SETTINGS.issuer)).toEqual({
      issuer: 'https://api.centli.example/oauth',
      authorization_endpoint: 'https://api.centli.example/oauth/authorize',
      token_endpoint: 'https://api.centli.example/oauth/token',
      registration_endpoint: 'https://api.centli.example/oauth/register',
      scopes_supported: ['openid', 'centli/read', 'centli/operate'],
      response_types_supported: ['code'],
      response_modes_supported: ['query'],
      grant_types_supported: ['authorization_code', 'refresh_token'],
      token_endpoint_auth_methods_supported: ['none'],
      code_challenge_methods_supported: ['S256'],
      client_id_metadata_document_supported: false,
    });
  });
});

describe('registeredClientOf', () => {
  it('keeps a public client under a random id, with a TTL, and answers RFC 7591’s client information without a secret', () => {
    // Assess
    expect(client).toMatchObject({ pk: `client#mcp-${'c'.repeat(43)}`, client_id: `mcp-${'c'.repeat(43)}`, client_id_issued_at: SECONDS, ttl: SECONDS + REGISTRATION_TTL_SECONDS });
    expect(registrationResponse(client)).toEqual({
      client_id: client.client_id,
      client_id_issued_at: SECONDS,
      client_name: 'Desktop',
      redirect_uris: [REDIRECT],
      grant_types: ['authorization_code'],
      response_types: ['code'],
      token_endpoint_auth_method: 'none',
      scope: 'centli/read centli/operate',
    });
    expect(isClientIdShape(client.client_id)).toBe(true);
    expect(isClientIdShape('fixedmcpclient')).toBe(false);
    expect(isRelayStateShape(RANDOM)).toBe(true);
    expect(isRelayStateShape('client-state')).toBe(false);
  });
});

describe('authorize', () => {
  it('relays a valid request to Cognito with the fixed client, the front’s callback, the client’s challenge and a relay state', () => {
    // Act
    const outcome = authorize(request(), client, SETTINGS, RANDOM, NOW);

    // Assess: the client's state and redirect are kept, never sent to Cognito.
    expect(outcome).toEqual({ kind: 'relay', relay: { pk: `relay#${RANDOM}`, client_id: client.client_id, redirect_uri: REDIRECT, state: 'client-state', ttl: SECONDS + RELAY_TTL_SECONDS }, location: expect.any(String) });
    const location = new URL((outcome as { location: string }).location);
    expect(`${location.origin}${location.pathname}`).toBe(`${SETTINGS.upstream}/oauth2/authorize`);
    expect(query(location.toString())).toEqual({
      response_type: 'code',
      client_id: 'fixedmcpclient',
      redirect_uri: 'https://api.centli.example/oauth/callback',
      scope: 'centli/read',
      state: RANDOM,
      code_challenge: CHALLENGE,
      code_challenge_method: 'S256',
    });
  });

  it('takes a request without a resource as one for the MCP endpoint, and the registered scope when none is asked', () => {
    const outcome = authorize(request({ resource: null, scope: null }), client, SETTINGS, RANDOM, NOW);
    expect(query((outcome as { location: string }).location)).toMatchObject({ scope: 'centli/read centli/operate' });
  });

  it('takes openid beside the API’s scopes', () => {
    const outcome = authorize(request({ scope: 'openid centli/read centli/operate' }), client, SETTINGS, RANDOM, NOW);
    expect(query((outcome as { location: string }).location)).toMatchObject({ scope: 'openid centli/read centli/operate' });
  });

  it.each([
    ['an unknown client', request(), undefined],
    ['a client id other than the one looked up', request({ client_id: 'mcp-other' }), client],
    ['a redirect URI not registered', request({ redirect_uri: 'http://127.0.0.1:9999/callback' }), client],
    ['an attacker’s redirect URI', request({ redirect_uri: 'https://attacker.example/callback' }), client],
  ])('never redirects the browser for %s: it answers a page', (_what, params, found) => {
    expect(authorize(params, found, SETTINGS, RANDOM, NOW)).toMatchObject({ kind: 'page' });
  });

  it.each([
    ['no PKCE', { code_challenge: null }, 'invalid_request'],
    ['plain PKCE', { code_challenge_method: 'plain' }, 'invalid_request'],
    ['a challenge of the wrong length', { code_challenge: 'short' }, 'invalid_request'],
    ['another resource', { resource: 'https://other.example/mcp' }, 'invalid_target'],
    ['an unknown scope', { scope: 'centli/read aws.cognito.signin.user.admin' }, 'invalid_scope'],
    ['openid alone', { scope: 'openid' }, 'invalid_scope'],
    ['another response type', { response_type: 'token' }, 'unsupported_response_type'],
  ])('tells the client at its redirect URI about %s, with its state', (_what, overrides, error) => {
    // Act
    const outcome = authorize(request(overrides), client, SETTINGS, RANDOM, NOW);

    // Assess
    expect(outcome.kind).toBe('redirect');
    const location = (outcome as { location: string }).location;
    expect(location.startsWith(`${REDIRECT}?`)).toBe(true);
    expect(query(location)).toMatchObject({ error, state: 'client-state' });
  });

  it('takes the only registered redirect URI when the request names none', () => {
    const outcome = authorize(request({ redirect_uri: null }), client, SETTINGS, RANDOM, NOW);
    expect(outcome).toMatchObject({ kind: 'relay', relay: { redirect_uri: REDIRECT } });
  });
});

describe('callbackLocation', () => {
  const relay = { redirect_uri: REDIRECT, state: 'client-state' };

  it('hands Cognito’s code to the client with its own state and the front as issuer', () => {
    expect(query(callbackLocation(relay, new URLSearchParams({ code: 'cognito-code', state: RANDOM }), SETTINGS.issuer))).toEqual({ code: 'cognito-code', state: 'client-state', iss: SETTINGS.issuer });
  });

  it('relays Cognito’s error as RFC 6749 says, never the relay state', () => {
    const location = callbackLocation(relay, new URLSearchParams({ error: 'access_denied', error_description: 'cancelled', state: RANDOM }), SETTINGS.issuer);
    expect(query(location)).toEqual({ error: 'access_denied', error_description: 'cancelled', state: 'client-state', iss: SETTINGS.issuer });
  });

  it('answers server_error when neither came back, and leaves out a state the client never sent', () => {
    expect(query(callbackLocation({ redirect_uri: REDIRECT }, new URLSearchParams({ state: RANDOM }), SETTINGS.issuer))).toMatchObject({ error: 'server_error' });
    expect(query(callbackLocation({ redirect_uri: REDIRECT }, new URLSearchParams({ code: 'c' }), SETTINGS.issuer))).not.toHaveProperty('state');
  });
});

describe('tokenRequest', () => {
  const code = (overrides: Record<string, string> = {}) => new URLSearchParams({ grant_type: 'authorization_code', client_id: client.client_id, code: 'cognito-code', code_verifier: VERIFIER, redirect_uri: REDIRECT, resource: SETTINGS.resource, ...overrides });

  it('forwards the code and the client’s verifier for the fixed client, with the front’s callback as redirect_uri', () => {
    // Act
    const forwarded = tokenRequest(code(), client, SETTINGS);

    // Assess: no resource to Cognito, which binds the token through its trigger instead.
    expect(isTokenError(forwarded)).toBe(false);
    expect(Object.fromEntries((forwarded as { form: URLSearchParams }).form)).toEqual({
      grant_type: 'authorization_code',
      client_id: 'fixedmcpclient',
      code: 'cognito-code',
      code_verifier: VERIFIER,
      redirect_uri: 'https://api.centli.example/oauth/callback',
    });
  });

  it('forwards a refresh token for a client that registered the grant', () => {
    const refreshing = { ...client, grant_types: ['authorization_code', 'refresh_token'] };
    const forwarded = tokenRequest(new URLSearchParams({ grant_type: 'refresh_token', client_id: client.client_id, refresh_token: 'rt' }), refreshing, SETTINGS);
    expect(Object.fromEntries((forwarded as { form: URLSearchParams }).form)).toEqual({ grant_type: 'refresh_token', client_id: 'fixedmcpclient', refresh_token: 'rt' });
    expect(tokenRequest(new URLSearchParams({ grant_type: 'refresh_token', client_id: client.client_id, refresh_token: 'rt' }), client, SETTINGS)).toMatchObject({ error: 'unsupported_grant_type' });
  });

  it.each([
    ['an unknown client', code(), undefined, 401, 'invalid_client'],
    ['no verifier', code({ code_verifier: '' }), client, 400, 'invalid_request'],
    ['a verifier too short', code({ code_verifier: 'abc' }), client, 400, 'invalid_request'],
    ['no code', code({ code: '' }), client, 400, 'invalid_request'],
    ['a redirect URI not registered', code({ redirect_uri: 'https://attacker.example/cb' }), client, 400, 'invalid_grant'],
    ['another resource', code({ resource: 'https://other.example/mcp' }), client, 400, 'invalid_target'],
    ['the client credentials grant', code({ grant_type: 'client_credentials' }), client, 400, 'unsupported_grant_type'],
  ])('refuses %s before Cognito sees it', (_what, params, found, status, error) => {
    expect(tokenRequest(params, found, SETTINGS)).toMatchObject({ status, error });
  });
});
