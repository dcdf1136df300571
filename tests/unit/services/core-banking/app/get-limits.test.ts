import type { OutgoingEvent } from '@centli/pure/events';
import { detailValidator, type LimitsQuery } from '@centli/schemas';
import type { Account } from '../../../../../services/core-banking/src/domain/account';
import { getLimits, type LimitsDeps } from '../../../../../services/core-banking/src/app/get-limits';
import { LimitsAccountNotFoundError } from '../../../../../services/core-banking/src/errors';

const query: LimitsQuery = { request_id: 'req-1', correlation_id: 'corr-1', user_id: 'user-ana' };
const NOMINA: Account = { user_id: 'user-ana', account_id: 'acc-ana-nomina-4821', name: 'Cuenta Nómina', balance: 18_550_075, currency: 'MXN', status: 'active' };
const AHORRO: Account = { user_id: 'user-ana', account_id: 'acc-ana-ahorro-7305', name: 'Ahorro', balance: 125_000_000, currency: 'MXN', status: 'active' };
const FROZEN: Account = { user_id: 'user-ana', account_id: 'acc-ana-vieja-0001', balance: 0, currency: 'MXN', status: 'frozen' };

function deps(debited: Record<string, number> = {}, mtu?: number): LimitsDeps & { asked: Array<{ accounts: readonly string[]; day: string }> } {
  const asked: Array<{ accounts: readonly string[]; day: string }> = [];
  return {
    asked,
    store: {
      listAccounts: async (userId) => (userId === 'user-ana' ? [NOMINA, AHORRO, FROZEN] : []),
      getAccount: async (userId, accountId) => [NOMINA, AHORRO, FROZEN].find((a) => a.user_id === userId && a.account_id === accountId),
      debitedOn: async (accounts, day) => {
        asked.push({ accounts, day });
        return new Map(Object.entries(debited));
      },
      getMtu: async (userId) => (mtu === undefined ? undefined : { pk: `mtu#${userId}`, user_id: userId, currency: 'MXN', mtu, updated_at: '2026-11-26T00:00:00.000Z' }),
    },
    limits: { maxAmount: 5_000_000, dailyLimit: 10_000_000, timeZone: 'America/Mexico_City', newPayeeLimit: 200_000, newPayeeHours: 24, defaultMtu: 1_275_000 },
    // 23:30 on Thursday in Mexico City, already Friday in UTC.
    now: () => new Date('2026-11-27T05:30:00.000Z'),
  };
}

describe('getLimits', () => {
  it('tells every active account what it may still send today, counting the day in Mexico City', async () => {
    // Prepare
    const d = deps({ 'acc-ana-nomina-4821': 9_000_000 });

    // Act
    const answer = (await getLimits(query, d)) as OutgoingEvent;

    // Assess
    expect(answer.detailType).toBe('LIMITS_RESPONSE');
    expect(detailValidator('LIMITS_RESPONSE')(answer.detail)).toBeUndefined();
    expect(d.asked).toEqual([{ accounts: ['acc-ana-nomina-4821', 'acc-ana-ahorro-7305'], day: '2026-11-26' }]);
    expect(answer.detail).toMatchObject({ day: '2026-11-26', resets_at: '2026-11-27T06:00:00.000Z', request_id: 'req-1', user_id: 'user-ana' });
    expect((answer.detail as unknown as { accounts: Array<Record<string, unknown>> }).accounts.map((a) => [a.account_id, a.remaining_today])).toEqual([
      ['acc-ana-ahorro-7305', 10_000_000],
      ['acc-ana-nomina-4821', 1_000_000],
    ]);
  });

  it.each([
    ['the default of 1,500 UDIs when they never set one', undefined, { amount: 1_275_000, currency: 'MXN', formatted_amount: '$12,750.00 MXN', is_default: true, udis: 1500, max_amount: 10_000_000 }],
    ['their own when they set one', 300_000, { amount: 300_000, formatted_amount: '$3,000.00 MXN', is_default: false }],
  ])('tells the customer’s MTU: %s', async (_name, mtu, expected) => {
    // Act
    const answer = (await getLimits(query, deps({}, mtu))) as OutgoingEvent;

    // Assess
    expect(detailValidator('LIMITS_RESPONSE')(answer.detail)).toBeUndefined();
    expect((answer.detail as unknown as Record<string, unknown>).mtu).toMatchObject(expected);
  });

  it('tells one account when asked for it', async () => {
    const answer = (await getLimits({ ...query, account_id: 'acc-ana-ahorro-7305' }, deps())) as OutgoingEvent;
    expect((answer.detail as unknown as { accounts: Array<{ account_id: string }> }).accounts.map((a) => a.account_id)).toEqual(['acc-ana-ahorro-7305']);
  });

  it('refuses another customer’s account as one that does not exist, reading no counter', async () => {
    // Prepare
    const d = deps();

    // Act
    const refused = getLimits({ ...query, account_id: 'acc-carlos-nomina-3954' }, d);

    // Assess
    await expect(refused).rejects.toBeInstanceOf(LimitsAccountNotFoundError);
    expect(d.asked).toEqual([]);
  });
});
