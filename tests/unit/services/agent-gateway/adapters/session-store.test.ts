import { isLive, OPEN_SHARDS, SESSION_TTL_SECONDS, sessionExpiry, shardOf } from '../../../../../services/agent-gateway/src/adapters/session-store';

const NOW = new Date('2026-12-06T18:00:00.000Z');
const now = Math.floor(NOW.getTime() / 1000);

describe('sessionExpiry', () => {
  it.each([
    ['a token that expires within the two hours', now + 3600, now + 3600],
    ['a token that outlives API Gateway’s two hours', now + 12 * 3600, now + SESSION_TTL_SECONDS],
    ['a token without an expiry (never accepted by the doors, but never longer than two hours)', undefined, now + SESSION_TTL_SECONDS],
  ])('ends a session opened with %s at the sooner of the two', (_case, tokenExpiresAt, expected) => {
    expect(sessionExpiry(NOW, tokenExpiresAt)).toBe(expected);
  });
});

describe('isLive', () => {
  it.each([
    ['open and before its expiry', 'open' as const, now + 1, true],
    ['open at its expiry', 'open' as const, now, false],
    ['open after its expiry', 'open' as const, now - 1, false],
    ['closed before its expiry', 'closed' as const, now + 3600, false],
  ])('says a session %s is %s', (_case, status, expiresAt, live) => {
    expect(isLive({ status, expires_at: expiresAt }, NOW)).toBe(live);
  });

  it('says no session is not live', () => {
    expect(isLive(undefined, NOW)).toBe(false);
  });
});

describe('shardOf', () => {
  it('puts a connection in one of the expiry index’s partitions, always the same one', () => {
    const shards = new Set(Array.from({ length: 400 }, (_, i) => shardOf(`conn-${i}=`)));
    expect([...shards].sort()).toEqual(Array.from({ length: OPEN_SHARDS }, (_, i) => `open#${i}`));
    expect(shardOf('Zx1b2c3d4e5f=')).toBe(shardOf('Zx1b2c3d4e5f='));
  });
});
