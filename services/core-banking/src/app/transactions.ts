/** TRANSACTIONS_QUERY → TRANSACTIONS_RESPONSE: a page of history, newest first. */
import type { Answer } from '@centli/kit/event-handler';
import { outgoing } from '@centli/pure/events';
import { formatMoney } from '@centli/pure/money';
import type { LedgerEntry, TransactionsQuery } from '@centli/schemas';
import type { LedgerStore } from '../adapters/ledger-store';
import { decodeHistoryCursor, encodeHistoryCursor, sortKeyRange, type HistoryScope } from '../domain/history';
import type { LedgerEntryItem } from '../domain/transfer';
import { HistoryAccountNotFoundError } from '../errors';

export interface HistoryDeps {
  store: Pick<LedgerStore, 'getAccount' | 'queryHistory'>;
}

export async function listTransactions(query: TransactionsQuery, deps: HistoryDeps): Promise<Answer> {
  const scope: HistoryScope = query.account_id === undefined ? { by: 'user', key: query.user_id } : { by: 'account', key: query.account_id };
  if (query.account_id !== undefined && !(await deps.store.getAccount(query.user_id, query.account_id))) {
    throw new HistoryAccountNotFoundError();
  }
  const range = sortKeyRange(query.from, query.to);
  const start = decodeHistoryCursor(scope, query.cursor, query.user_id);
  const page = await deps.store.queryHistory(scope, range, query.limit ?? 20, start);
  const nextCursor = encodeHistoryCursor(scope, page.lastKey);
  return outgoing('TRANSACTIONS_RESPONSE', {
    request_id: query.request_id,
    correlation_id: query.correlation_id,
    user_id: query.user_id,
    ...(query.account_id === undefined ? {} : { account_id: query.account_id }),
    transactions: page.entries.map(toWire),
    ...(nextCursor === undefined ? {} : { next_cursor: nextCursor }),
  });
}

function toWire(entry: LedgerEntryItem): LedgerEntry {
  return {
    transaction_id: entry.transaction_id,
    account_id: entry.account_id,
    direction: entry.direction,
    amount: entry.amount,
    currency: entry.currency,
    formatted_amount: formatMoney(entry.amount, entry.currency),
    counterparty_account_id: entry.counterparty_account_id,
    ...(entry.description === undefined ? {} : { description: entry.description }),
    ...(entry.counterparty_name === undefined ? {} : { counterparty_name: entry.counterparty_name }),
    ...(entry.counterparty_bank === undefined ? {} : { counterparty_bank: entry.counterparty_bank }),
    ...(entry.clave_rastreo === undefined ? {} : { clave_rastreo: entry.clave_rastreo }),
    timestamp: entry.timestamp,
  };
}
