import { DEFAULT_RATE_LIMITS, rateKindOf, rateLimitsFrom, rateWindow } from '@centli/pure/rate-limit';

describe('per-customer rate limits', () => {
  it('counts one fixed minute per customer and kind, and says how long until the next', () => {
    // Prepare
    const at = (iso: string) => rateWindow('user-ana', 'read', new Date(iso));

    // Act
    const start = at('2026-12-06T15:00:00.000Z');
    const late = at('2026-12-06T15:00:59.900Z');
    const next = at('2026-12-06T15:01:00.000Z');
    const writes = rateWindow('user-ana', 'write', new Date('2026-12-06T15:00:10Z'));
    const other = rateWindow('user-luis', 'read', new Date('2026-12-06T15:00:10Z'));

    // Assess
    expect(start.key).toBe(late.key);
    expect(next.key).not.toBe(start.key);
    expect(new Set([start.key, writes.key, other.key]).size).toBe(3);
    expect([start.retryAfter, late.retryAfter, next.retryAfter]).toEqual([60, 1, 60]);
    expect(start.ttl).toBe(Date.parse('2026-12-06T15:01:00Z') / 1000 + 120);
  });

  it('reads the stage’s limits, 60 reads and 10 operations a minute by default', () => {
    // Act and assess
    expect(rateLimitsFrom({})).toEqual(DEFAULT_RATE_LIMITS);
    expect(DEFAULT_RATE_LIMITS).toEqual({ read: 60, write: 10 });
    expect(rateLimitsFrom({ CENTLI_RATE_READS_PER_MINUTE: '120', CENTLI_RATE_WRITES_PER_MINUTE: '' })).toEqual({ read: 120, write: 10 });
    expect(() => rateLimitsFrom({ CENTLI_RATE_WRITES_PER_MINUTE: '0' })).toThrow('CENTLI_RATE_WRITES_PER_MINUTE');
    expect(() => rateLimitsFrom({ CENTLI_RATE_READS_PER_MINUTE: 'many' })).toThrow('CENTLI_RATE_READS_PER_MINUTE');
  });

  it('tells a read-only tool’s call from an operation’s', () => {
    // Act and assess
    expect([rateKindOf({ read_only: true }), rateKindOf({ read_only: false })]).toEqual(['read', 'write']);
  });
});
