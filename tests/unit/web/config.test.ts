/**
 * The chat page's configuration (web/chat/config.js): config.json read tolerantly, every URL
 * taken from it, and what a pasted token says.
 */
import { customerFromToken, decodeJwtPayload, parseConfig } from '../../../web/chat/config.js';

const b64url = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
const jwt = (claims: Record<string, unknown>) => `${b64url({ alg: 'ES256', typ: 'JWT', kid: 'k' })}.${b64url(claims)}.c2ln`;
const NOW = Date.parse('2026-11-22T16:00:00.000Z');

describe('parseConfig', () => {
  it('reads the local stack’s config', () => {
    const token = jwt({ sub: 'user-ana' });
    expect(
      parseConfig({
        websocket: 'ws://127.0.0.1:4010/ws',
        http: 'http://127.0.0.1:4010/',
        customers: [{ user_id: 'user-ana', name: 'Ana García', token }],
        failure_types: ['TRANSFER_FAILED', 'BENEFICIARY_REJECTED', 42],
      }),
    ).toEqual({
      ok: true,
      websocket: 'ws://127.0.0.1:4010/ws',
      http: 'http://127.0.0.1:4010',
      customers: [{ userId: 'user-ana', name: 'Ana García', token }],
      failureTypes: ['TRANSFER_FAILED', 'BENEFICIARY_REJECTED'],
      warnings: [],
    });
  });

  it('reads a deployed stage’s config: a WebSocket, where to sign in, no customers and no read API', () => {
    // Prepare
    const auth = 'https://centli-dev.auth.us-east-1.amazoncognito.com';

    // Act
    const config = parseConfig({
      websocket: 'wss://abc.execute-api.us-east-1.amazonaws.com/dev',
      auth: { authorize_url: `${auth}/oauth2/authorize`, token_url: `${auth}/oauth2/token`, client_id: '4h2k9client', redirect_uri: 'https://d111.cloudfront.net/', logout_url: `${auth}/logout` },
    });

    // Assess
    expect(config).toEqual({
      failureTypes: [],
      ok: true,
      websocket: 'wss://abc.execute-api.us-east-1.amazonaws.com/dev',
      auth: {
        authorizeUrl: `${auth}/oauth2/authorize`,
        tokenUrl: `${auth}/oauth2/token`,
        clientId: '4h2k9client',
        redirectUri: 'https://d111.cloudfront.net/',
        scopes: ['openid', 'email'],
        logoutUrl: `${auth}/logout`,
      },
      warnings: [],
    });
    expect(config).not.toHaveProperty('customers');
  });

  it('never derives the read API from the WebSocket URL: that host is API Gateway’s', () => {
    const config = parseConfig({ websocket: 'wss://abc.execute-api.us-east-1.amazonaws.com/dev' });
    expect(config).toEqual({ ok: true, websocket: 'wss://abc.execute-api.us-east-1.amazonaws.com/dev', failureTypes: [], warnings: [] });
    expect(config).not.toHaveProperty('http');
  });

  it('derives the local stack’s WebSocket from its HTTP URL', () => {
    expect(parseConfig({ http: 'http://127.0.0.1:4010' })).toMatchObject({ ok: true, websocket: 'ws://127.0.0.1:4010/ws', http: 'http://127.0.0.1:4010', warnings: ['no websocket URL: using ws://127.0.0.1:4010/ws'] });
  });

  it('reads the local stack’s sign-in with its quick demo customers', () => {
    const config = parseConfig({
      websocket: 'ws://127.0.0.1:4010/ws',
      http: 'http://127.0.0.1:4010',
      auth: { authorize_url: 'http://127.0.0.1:4010/oauth2/authorize', token_url: 'http://127.0.0.1:4010/oauth2/token', client_id: 'centli', redirect_uri: 'http://127.0.0.1:4010/chat/', scopes: 'openid email profile' },
      customers: [{ user_id: 'user-ana', name: 'Ana García', token: jwt({ sub: 'user-ana' }) }],
    });
    expect(config).toMatchObject({ ok: true, auth: { clientId: 'centli', scopes: ['openid', 'email', 'profile'] }, customers: [{ userId: 'user-ana' }], warnings: [] });
  });

  it.each([
    ['without a token endpoint', { authorize_url: 'https://a.example/oauth2/authorize', client_id: 'c', redirect_uri: 'https://p.example/' }, 'auth has no token_url: sign-in is off'],
    ['over plain http to another machine', { authorize_url: 'http://a.example/oauth2/authorize', token_url: 'https://a.example/oauth2/token', client_id: 'c', redirect_uri: 'https://p.example/' }, 'auth authorize_url http://a.example/oauth2/authorize is not an https:// URL (or http:// on this machine): sign-in is off'],
    ['that is not an object', 'https://a.example', 'auth is not an object'],
  ])('turns sign-in off for an auth block %s', (_case, auth, warning) => {
    const config = parseConfig({ websocket: 'wss://h/ws', auth });
    expect(config).toMatchObject({ ok: true, warnings: [warning] });
    expect(config).not.toHaveProperty('auth');
  });

  it('always asks for openid, without which there is no ID token', () => {
    const config = parseConfig({ websocket: 'wss://h/ws', auth: { authorize_url: 'https://a.example/authorize', token_url: 'https://a.example/token', client_id: 'c', redirect_uri: 'https://p.example/', scopes: ['email'] } });
    expect(config).toMatchObject({ ok: true, auth: { scopes: ['openid', 'email'] }, warnings: ['auth scopes lack openid: adding it'] });
  });

  it('skips customers without a token and fills what a token names', () => {
    const config = parseConfig({ websocket: 'ws://h/ws', http: 'http://h', customers: [{ user_id: 'user-x' }, { token: jwt({ sub: 'user-luis' }) }, 'nope'] });
    expect(config).toMatchObject({ ok: true, customers: [{ userId: 'user-luis', name: 'user-luis' }], warnings: ['customer user-x has no token'] });
  });

  it('refuses what it cannot use', () => {
    expect(parseConfig(null)).toMatchObject({ ok: false });
    expect(parseConfig([])).toMatchObject({ ok: false });
    expect(parseConfig({ websocket: 'http://wrong', http: 'ftp://nope' })).toMatchObject({ ok: false, warnings: [expect.stringContaining('websocket'), expect.stringContaining('http')] });
    expect(parseConfig({ http: 'not a url' })).toMatchObject({ ok: false, error: 'config.json names no websocket URL' });
    expect(parseConfig({ websocket: 'ws://h/ws', http: 'http://h', customers: 'x' })).toMatchObject({ ok: true, warnings: ['customers is not a list'] });
  });
});

describe('decodeJwtPayload', () => {
  it('reads the claims, UTF-8 included', () => {
    expect(decodeJwtPayload(jwt({ sub: 'user-ana', name: 'Ana García' }))).toEqual({ sub: 'user-ana', name: 'Ana García' });
  });

  it.each([['not-a-token'], ['a.b'], ['a.!!!.c'], [`x.${b64url([1])}.y`], [undefined]])('gives nothing for %s', (token) => {
    expect(decodeJwtPayload(token)).toBeUndefined();
  });
});

describe('customerFromToken', () => {
  it('names the customer and the expiry', () => {
    expect(customerFromToken(jwt({ sub: 'user-ana', name: 'Ana García', exp: NOW / 1000 + 60 }), NOW)).toEqual({ userId: 'user-ana', name: 'Ana García', expiresAt: NOW + 60_000 });
  });

  it('names the customer of a Cognito ID token by its custom:user_id, not the pool’s sub', () => {
    expect(customerFromToken(jwt({ sub: '5f1c-uuid', 'custom:user_id': 'user-ana', email: 'ana.garcia@example.com', exp: NOW / 1000 + 60 }), NOW)).toEqual({
      userId: 'user-ana',
      name: 'ana.garcia@example.com',
      expiresAt: NOW + 60_000,
    });
  });

  it('says when a token has expired or is not a JWT', () => {
    expect(customerFromToken(jwt({ sub: 'user-ana', exp: NOW / 1000 - 1 }), NOW)).toMatchObject({ problem: 'expired' });
    expect(customerFromToken('garbage', NOW)).toEqual({ problem: 'malformed' });
  });
});
