import { authorizationServerMetadata, isBoundTo, isRegistrationError, redirectUriProblem, registrationOf, resourceProblem, scopesOf } from '../../../../lib/pure/oauth';

describe('registrationOf', () => {
  it('registers a public client with its redirect URIs and fills in the defaults', () => {
    // Act
    const registration = registrationOf({ client_name: 'Desktop', redirect_uris: ['http://127.0.0.1:53682/callback', 'https://client.example/cb'] });

    // Assess
    expect(registration).toEqual({
      client_name: 'Desktop',
      redirect_uris: ['http://127.0.0.1:53682/callback', 'https://client.example/cb'],
      grant_types: ['authorization_code'],
      response_types: ['code'],
      token_endpoint_auth_method: 'none',
      scope: 'centli/read centli/operate',
    });
  });

  it('keeps the scopes of Centli’s it asked for and drops the ones it does not know', () => {
    expect(registrationOf({ redirect_uris: ['https://c.example/cb'], scope: 'centli/read admin' })).toMatchObject({ scope: 'centli/read' });
    expect(registrationOf({ redirect_uris: ['https://c.example/cb'], scope: 'admin' })).toMatchObject({ scope: 'centli/read centli/operate' });
  });

  it('takes the refresh token grant beside the authorization code grant, as desktop clients ask', () => {
    expect(registrationOf({ redirect_uris: ['http://localhost:6274/oauth/callback'], grant_types: ['authorization_code', 'refresh_token'] })).toMatchObject({ grant_types: ['authorization_code', 'refresh_token'] });
  });

  it.each([
    ['http on another host', 'http://attacker.example/callback'],
    ['http on a private address', 'http://192.168.1.10/callback'],
    ['a loopback look-alike', 'http://127.0.0.1.attacker.example/callback'],
    ['a custom scheme', 'myapp://callback'],
    ['javascript', 'javascript:alert(1)'],
    ['a fragment', 'https://client.example/cb#frag'],
    ['credentials', 'https://user:pass@client.example/cb'],
    ['a relative URI', '/callback'],
  ])('refuses a redirect URI with %s', (_what, uri) => {
    // Act
    const refused = registrationOf({ redirect_uris: ['https://client.example/cb', uri] });

    // Assess
    expect(refused).toMatchObject({ error: 'invalid_redirect_uri' });
  });

  it.each([
    ['no redirect URIs', {}, 'invalid_redirect_uri'],
    ['an empty list', { redirect_uris: [] }, 'invalid_redirect_uri'],
    ['too many', { redirect_uris: Array.from({ length: 11 }, (_, i) => `https://c.example/${i}`) }, 'invalid_redirect_uri'],
    ['a client secret method', { redirect_uris: ['https://c.example/cb'], token_endpoint_auth_method: 'client_secret_basic' }, 'invalid_client_metadata'],
    ['the implicit grant', { redirect_uris: ['https://c.example/cb'], grant_types: ['implicit'] }, 'invalid_client_metadata'],
    ['client credentials', { redirect_uris: ['https://c.example/cb'], grant_types: ['authorization_code', 'client_credentials'] }, 'invalid_client_metadata'],
    ['a token response', { redirect_uris: ['https://c.example/cb'], response_types: ['token'] }, 'invalid_client_metadata'],
    ['a name that is not text', { redirect_uris: ['https://c.example/cb'], client_name: 7 }, 'invalid_client_metadata'],
    ['a scope list', { redirect_uris: ['https://c.example/cb'], scope: ['centli/read'] }, 'invalid_client_metadata'],
  ])('refuses a registration with %s', (_what, body, error) => {
    expect(registrationOf(body)).toMatchObject({ error });
  });

  it.each([null, 'text', [], 42])('refuses a body that is not a JSON object: %p', (body) => {
    const refused = registrationOf(body);
    expect(isRegistrationError(refused) && refused.error).toBe('invalid_client_metadata');
  });
});

describe('redirectUriProblem', () => {
  it.each(['https://client.example/cb', 'http://127.0.0.1:1234/cb', 'http://[::1]:1234/cb', 'http://localhost/cb'])('lets %s be registered', (uri) => {
    expect(redirectUriProblem(uri)).toBeUndefined();
  });
});

describe('resource binding', () => {
  const MCP = 'https://api.centli.example/mcp';

  it.each([
    ['aud naming it', { aud: MCP }],
    ['aud listing it', { aud: ['centli', MCP] }],
    ['a resource claim naming it (Cognito)', { aud: 'client-1', resource: MCP }],
  ])('takes a token with %s', (_what, claims) => {
    expect(isBoundTo(claims, MCP)).toBe(true);
  });

  it.each([
    ['no audience', {}],
    ['the client’s audience only (an ID token)', { aud: 'centli' }],
    ['another resource', { aud: 'https://api.centli.example/other' }],
    ['the resource with a trailing slash', { aud: `${MCP}/` }],
    ['the same path on another origin', { aud: 'https://attacker.example/mcp' }],
  ])('refuses a token with %s', (_what, claims) => {
    expect(isBoundTo(claims, MCP)).toBe(false);
  });

  it.each([
    ['not absolute', '/mcp', 'absolute'],
    ['with a fragment', 'https://api.centli.example/mcp#x', 'fragment'],
  ])('refuses a resource indicator %s', (_what, resource, problem) => {
    expect(resourceProblem(resource)).toContain(problem);
  });
});

describe('scopesOf', () => {
  it.each([
    [{ scope: 'centli/read centli/operate' }, ['centli/read', 'centli/operate']],
    [{ scp: ['centli/read'] }, ['centli/read']],
    [{ scope: '' }, []],
    [{}, []],
    [{ scope: 7 }, []],
  ])('reads %p', (claims, scopes) => {
    expect([...scopesOf(claims)]).toEqual(scopes);
  });
});

describe('authorizationServerMetadata', () => {
  it('advertises PKCE with S256, public clients, registration and Centli’s scopes, under the issuer', () => {
    // Act
    const metadata = authorizationServerMetadata({ issuer: 'http://127.0.0.1:4010', authorize: '/oauth2/authorize', token: '/oauth2/token', register: '/register', jwks: '/.well-known/jwks.json' });

    // Assess
    expect(metadata).toMatchObject({
      issuer: 'http://127.0.0.1:4010',
      authorization_endpoint: 'http://127.0.0.1:4010/oauth2/authorize',
      token_endpoint: 'http://127.0.0.1:4010/oauth2/token',
      registration_endpoint: 'http://127.0.0.1:4010/register',
      jwks_uri: 'http://127.0.0.1:4010/.well-known/jwks.json',
      scopes_supported: ['openid', 'email', 'centli/read', 'centli/operate'],
      response_types_supported: ['code'],
      grant_types_supported: ['authorization_code'],
      token_endpoint_auth_methods_supported: ['none'],
      code_challenge_methods_supported: ['S256'],
    });
  });
});
