import { describeBalances } from '../../../../../services/core-banking/src/domain/balance';

describe('describeBalances', () => {
  it('formats each account and totals only the active ones, per currency', () => {
    const result = describeBalances([
      { user_id: 'u', account_id: 'b', balance: 845_075, currency: 'MXN', status: 'active', name: 'Nómina' },
      { user_id: 'u', account_id: 'a', balance: 30_000, currency: 'MXN', status: 'frozen' },
      { user_id: 'u', account_id: 'c', balance: 52_000, currency: 'USD', status: 'active' },
      { user_id: 'u', account_id: 'd', balance: 25, currency: 'MXN', status: 'active' },
    ]);
    expect(result.accounts.map((a) => [a.account_id, a.formatted_balance])).toEqual([
      ['a', '$300.00 MXN'],
      ['b', '$8,450.75 MXN'],
      ['c', '$520.00 USD'],
      ['d', '$0.25 MXN'],
    ]);
    expect(result.totals).toEqual([
      { currency: 'MXN', balance: 845_100, formatted_balance: '$8,451.00 MXN' },
      { currency: 'USD', balance: 52_000, formatted_balance: '$520.00 USD' },
    ]);
  });

  it('answers a customer with no accounts with empty lists', () => {
    expect(describeBalances([])).toEqual({ accounts: [], totals: [] });
  });
});
