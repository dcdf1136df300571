/** The Lambda entry of TRANSACTIONS_QUERY (app/transactions.ts). */
import { eventHandler } from '@centli/kit/event-handler';
import { LedgerStore } from '../adapters/ledger-store';
import { listTransactions, type HistoryDeps } from '../app/transactions';

let defaults: HistoryDeps | undefined;
const defaultDeps = (): HistoryDeps => (defaults ??= { store: new LedgerStore() });

export const handler = eventHandler((query) => listTransactions(query, defaultDeps()), { service: 'core-banking', accepts: 'TRANSACTIONS_QUERY' });
