/**
 * ACCOUNT_HOLDER_QUERY → ACCOUNT_HOLDER_RESPONSE: whose a Centli account is, by its holder's
 * registered name (Confirmation of Payee). A door asks before the customer approves saving the
 * account as a payee or sending it money, so the summary names who will really receive it, not
 * whatever name the customer (or an agent) gave.
 */
import type { Answer } from '@centli/kit/event-handler';
import { outgoing } from '@centli/pure/events';
import type { AccountHolderQuery } from '@centli/schemas';
import type { LedgerStore } from '../adapters/ledger-store';
import { AccountHolderNotFoundError } from '../errors';

export interface AccountHolderDeps {
  store: Pick<LedgerStore, 'findAccountHolder'>;
}

export async function getAccountHolder(query: AccountHolderQuery, deps: AccountHolderDeps): Promise<Answer> {
  const holder = await deps.store.findAccountHolder(query.account_id);
  if (!holder) throw new AccountHolderNotFoundError();
  return outgoing('ACCOUNT_HOLDER_RESPONSE', {
    request_id: query.request_id,
    correlation_id: query.correlation_id,
    user_id: query.user_id,
    account_id: query.account_id,
    ...(holder.holder_name === undefined ? {} : { holder_name: holder.holder_name }),
    own: holder.user_id === query.user_id,
  });
}
