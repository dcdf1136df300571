import { describeMtu } from '../../../../../services/core-banking/src/domain/mtu';
import { detailValidator } from '@centli/schemas';
import type { Account } from '../../../../../services/core-banking/src/domain/account';
import { dailyCounterKey, describeLimits, limitsDay } from '../../../../../services/core-banking/src/domain/limits';

const LIMITS = { maxAmount: 5_000_000, dailyLimit: 10_000_000, timeZone: 'America/Mexico_City', newPayeeLimit: 200_000, newPayeeHours: 24, defaultMtu: 1_275_000 };
const account = (account_id: string, fields: Partial<Account> = {}): Account => ({ user_id: 'user-ana', account_id, balance: 100_000, currency: 'MXN', status: 'active', ...fields });
// Thursday 26 November 2026, 23:30 in Mexico City (05:30 UTC on Friday).
const LATE = new Date('2026-11-27T05:30:00.000Z');

describe('limitsDay', () => {
  it('counts the day in the limits’ zone and ends it at the next local midnight', () => {
    expect(limitsDay(LATE, 'America/Mexico_City')).toEqual({ day: '2026-11-26', resetsAt: '2026-11-27T06:00:00.000Z' });
    expect(limitsDay(LATE, 'UTC')).toEqual({ day: '2026-11-27', resetsAt: '2026-11-28T00:00:00.000Z' });
  });
});

describe('describeLimits', () => {
  it('tells each active account what it sent today and what is left, never less than nothing', () => {
    // Prepare
    const accounts = [account('acc-b', { name: 'Ahorro' }), account('acc-a', { name: 'Nómina' }), account('acc-frozen', { status: 'frozen' })];
    const debited = new Map([
      ['acc-a', 250_000],
      ['acc-b', 12_000_000],
    ]);

    // Act
    const limits = describeLimits(accounts, debited, LIMITS, LATE);

    // Assess
    expect(limits).toMatchObject({ day: '2026-11-26', time_zone: 'America/Mexico_City', resets_at: '2026-11-27T06:00:00.000Z' });
    expect(limits.accounts.map((a) => [a.account_id, a.used_today, a.remaining_today])).toEqual([
      ['acc-a', 250_000, 9_750_000],
      ['acc-b', 12_000_000, 0],
    ]);
    expect(limits.accounts[0]).toMatchObject({ name: 'Nómina', per_transfer_limit: 5_000_000, daily_limit: 10_000_000, formatted_remaining_today: '$97,500.00 MXN', formatted_daily_limit: '$100,000.00 MXN' });
  });

  it('answers a detail its schema accepts', () => {
    // Act
    const body = describeLimits([account('acc-a')], new Map(), LIMITS, LATE);

    // Assess
    expect(detailValidator('LIMITS_RESPONSE')({ request_id: 'r', correlation_id: 'c', user_id: 'user-ana', ...body, mtu: describeMtu(undefined, LIMITS.defaultMtu) })).toBeUndefined();
  });
});

describe('dailyCounterKey', () => {
  it('keys one counter per account and day', () => {
    expect(dailyCounterKey('acc-a', '2026-11-26')).toBe('daily#acc-a#2026-11-26');
  });
});
