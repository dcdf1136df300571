/** LIMITS_QUERY → LIMITS_RESPONSE: what the customer may still transfer today, account by account, and their MTU. */
import type { Answer } from '@centli/kit/event-handler';
import { outgoing } from '@centli/pure/events';
import type { LimitsQuery } from '@centli/schemas';
import type { LedgerStore } from '../adapters/ledger-store';
import { describeLimits, limitsDay } from '../domain/limits';
import { describeMtu } from '../domain/mtu';
import type { TransferLimits } from '../domain/transfer';
import { LimitsAccountNotFoundError } from '../errors';

export interface LimitsDeps {
  store: Pick<LedgerStore, 'listAccounts' | 'getAccount' | 'debitedOn' | 'getMtu'>;
  /** The limits the transfers are held to (the same settings as the transfer function's). */
  limits: TransferLimits;
  now: () => Date;
}

export async function getLimits(query: LimitsQuery, deps: LimitsDeps): Promise<Answer> {
  let accounts;
  if (query.account_id === undefined) {
    accounts = await deps.store.listAccounts(query.user_id);
  } else {
    // Someone else's account is answered as one that does not exist.
    const account = await deps.store.getAccount(query.user_id, query.account_id);
    if (!account) throw new LimitsAccountNotFoundError();
    accounts = [account];
  }
  const now = deps.now();
  const active = accounts.filter((account) => account.status === 'active');
  const [debited, mtu] = await Promise.all([deps.store.debitedOn(
    active.map((account) => account.account_id),
    limitsDay(now, deps.limits.timeZone).day,
  ), deps.store.getMtu(query.user_id)]);
  return outgoing('LIMITS_RESPONSE', {
    request_id: query.request_id,
    correlation_id: query.correlation_id,
    user_id: query.user_id,
    ...describeLimits(accounts, debited, deps.limits, now),
    mtu: describeMtu(mtu, deps.limits.defaultMtu),
  });
}
