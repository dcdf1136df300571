/** What a customer has: each account, and the active balance per currency. */
import { formatMoney, sumMinorUnits } from '@centli/pure/money';
import type { AccountBalance, CurrencyTotal } from '@centli/schemas';
import type { Account } from './account';

export function describeBalances(accounts: readonly Account[]): { accounts: AccountBalance[]; totals: CurrencyTotal[] } {
  const sorted = [...accounts].sort((a, b) => a.account_id.localeCompare(b.account_id));
  const byCurrency = new Map<string, number[]>();
  for (const account of sorted) {
    if (account.status !== 'active') continue;
    byCurrency.set(account.currency, [...(byCurrency.get(account.currency) ?? []), account.balance]);
  }
  return {
    accounts: sorted.map((account) => ({
      account_id: account.account_id,
      ...(account.name === undefined ? {} : { name: account.name }),
      ...(account.type === undefined ? {} : { type: account.type }),
      status: account.status,
      balance: account.balance,
      currency: account.currency,
      formatted_balance: formatMoney(account.balance, account.currency),
      ...(account.clabe === undefined ? {} : { clabe: account.clabe }),
    })),
    totals: [...byCurrency.entries()]
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([currency, balances]) => {
        const balance = sumMinorUnits(balances);
        return { currency, balance, formatted_balance: formatMoney(balance, currency) };
      }),
  };
}
