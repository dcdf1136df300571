/** BALANCE_QUERY → BALANCE_RESPONSE: the customer's accounts, or one of them, and their MTU. */
import type { Answer } from '@centli/kit/event-handler';
import { outgoing } from '@centli/pure/events';
import type { BalanceQuery } from '@centli/schemas';
import type { LedgerStore } from '../adapters/ledger-store';
import { describeBalances } from '../domain/balance';
import { describeMtu } from '../domain/mtu';
import { BalanceAccountNotFoundError } from '../errors';

export interface BalanceDeps {
  store: Pick<LedgerStore, 'listAccounts' | 'getAccount'> & Partial<Pick<LedgerStore, 'getMtu'>>;
  /** The MTU of a customer who set none; with the store's `getMtu`, the answer tells the customer's MTU (plans read it to know when an operation needs a second factor). */
  defaultMtu?: number;
}

export async function getBalance(query: BalanceQuery, deps: BalanceDeps): Promise<Answer> {
  let accounts;
  if (query.account_id === undefined) {
    accounts = await deps.store.listAccounts(query.user_id);
  } else {
    const account = await deps.store.getAccount(query.user_id, query.account_id);
    if (!account) throw new BalanceAccountNotFoundError();
    accounts = [account];
  }
  return outgoing('BALANCE_RESPONSE', {
    request_id: query.request_id,
    correlation_id: query.correlation_id,
    user_id: query.user_id,
    ...describeBalances(accounts),
    ...(deps.store.getMtu && deps.defaultMtu !== undefined ? { mtu: describeMtu(await deps.store.getMtu(query.user_id), deps.defaultMtu) } : {}),
  });
}
