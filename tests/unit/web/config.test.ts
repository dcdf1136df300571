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
      }),
    ).toEqual({ ok: true, websocket: 'ws://127.0.0.1:4010/ws', http: 'http://127.0.0.1:4010', customers: [{ userId: 'user-ana', name: 'Ana García', token }], warnings: [] });
  });

  it('has no customers list on a deployed stage', () => {
    const config = parseConfig({ websocket: 'wss://abc.execute-api.us-east-1.amazonaws.com/dev', http: 'https://api.example.com' });
    expect(config).toEqual({ ok: true, websocket: 'wss://abc.execute-api.us-east-1.amazonaws.com/dev', http: 'https://api.example.com', warnings: [] });
    expect(config).not.toHaveProperty('customers');
  });

  it('derives a missing URL from the other one', () => {
    expect(parseConfig({ http: 'https://api.example.com' })).toMatchObject({ ok: true, websocket: 'wss://api.example.com/ws', warnings: ['no websocket URL: using wss://api.example.com/ws'] });
    expect(parseConfig({ websocketUrl: 'ws://127.0.0.1:4010/ws' })).toMatchObject({ ok: true, http: 'http://127.0.0.1:4010' });
  });

  it('skips customers without a token and fills what a token names', () => {
    const config = parseConfig({ websocket: 'ws://h/ws', http: 'http://h', customers: [{ user_id: 'user-x' }, { token: jwt({ sub: 'user-luis' }) }, 'nope'] });
    expect(config).toMatchObject({ ok: true, customers: [{ userId: 'user-luis', name: 'user-luis' }], warnings: ['customer user-x has no token'] });
  });

  it('refuses what it cannot use', () => {
    expect(parseConfig(null)).toMatchObject({ ok: false });
    expect(parseConfig([])).toMatchObject({ ok: false });
    expect(parseConfig({ websocket: 'http://wrong', http: 'ftp://nope' })).toMatchObject({ ok: false, warnings: [expect.stringContaining('websocket'), expect.stringContaining('http')] });
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

  it('says when a token has expired or is not a JWT', () => {
    expect(customerFromToken(jwt({ sub: 'user-ana', exp: NOW / 1000 - 1 }), NOW)).toMatchObject({ problem: 'expired' });
    expect(customerFromToken('garbage', NOW)).toEqual({ problem: 'malformed' });
  });
});
