/** Core Banking's seed accounts are consistent with themselves, with the schemas, with the other services' seeds and with seed/README.md. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { detailValidator } from '@centli/schemas';
import { formatMoney, isMinorUnits, minorUnitDigits } from '@centli/pure/money';
import type { Account } from '../../../../services/core-banking/src/domain/account';
import { describeBalances } from '../../../../services/core-banking/src/domain/balance';

const seed = join(__dirname, '../../../../seed');
const data = <T>(name: string) => JSON.parse(readFileSync(join(seed, 'data', `${name}.json`), 'utf8')) as T[];
const accounts = data<Account>('accounts');
const customers = data<{ user_id: string }>('customers');
const retailers = data<{ retailer_id: string; settlement_account_id: string }>('retailers');
const validBalances = detailValidator('BALANCE_RESPONSE');

describe('seed/data/accounts.json', () => {
  it('starts every row with user_id, the table’s partition key, then account_id, unique across owners', () => {
    // Assess: the account_id index finds one owner per account.
    expect(accounts.every((a) => Object.keys(a).slice(0, 2).join() === 'user_id,account_id')).toBe(true);
    expect(new Set(accounts.map((a) => a.account_id)).size).toBe(accounts.length);
  });

  it.each(accounts.map((a) => [a.account_id, a] as const))('%s holds whole minor units of a real currency, ends in four digits and has a known status', (_, a) => {
    // Assess
    expect(isMinorUnits(a.balance) && a.balance >= 0).toBe(true);
    expect(minorUnitDigits(a.currency)).toBeGreaterThanOrEqual(0);
    expect(a.account_id).toMatch(/-\d{4}$/);
    expect(['active', 'frozen', 'closed']).toContain(a.status);
    expect(['checking', 'savings', 'settlement', 'clearing']).toContain(a.type);
  });

  it.each(customers.map((c) => [c.user_id]))('gives %s accounts whose balance answer its schema accepts', (userId) => {
    // Prepare
    const own = accounts.filter((a) => a.user_id === userId);

    // Assess
    expect(own.length).toBeGreaterThan(0);
    expect(validBalances({ request_id: 'r', correlation_id: 'c', user_id: userId, ...describeBalances(own) })).toBeUndefined();
  });

  it('owns every settlement account by a retailer, and every retailer settles into one', () => {
    // Prepare
    const settlement = accounts.filter((a) => a.type === 'settlement');

    // Assess
    expect(settlement.every((a) => a.user_id.startsWith('ret-'))).toBe(true);
    expect(settlement.map((a) => a.account_id).sort()).toEqual(retailers.map((r) => r.settlement_account_id).sort());
  });

  it('has what the refusals need: a frozen account, an account in another currency, a customer who can barely pay', () => {
    // Assess
    expect(accounts.some((a) => a.status === 'frozen')).toBe(true);
    expect(accounts.some((a) => a.currency !== 'MXN' && a.status === 'active')).toBe(true);
    expect(accounts.filter((a) => a.user_id === 'user-luis').every((a) => a.balance < 10_000)).toBe(true);
  });

  it('shows in seed/README.md the balances it holds', () => {
    // Prepare: "acc-ana-nomina-4821 ($185,500.75)".
    const readme = readFileSync(join(seed, 'README.md'), 'utf8');
    const shown = [...readme.matchAll(/(acc-[\w-]+) \((\$[\d,]+\.\d\d)\)/g)].map(([, id, amount]) => [id, amount]);

    // Assess
    expect(shown.length).toBeGreaterThan(0);
    for (const [id, amount] of shown) {
      const account = accounts.find((a) => a.account_id === id);
      expect([id, account && formatMoney(account.balance, account.currency)]).toEqual([id, `${amount} MXN`]);
    }
  });
});
