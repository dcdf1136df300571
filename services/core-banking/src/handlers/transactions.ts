/** The Lambda entry of TRANSACTIONS_QUERY (app/transactions.ts). */
// Only the validators this function uses are in its bundle (schemas/validators/loaded.ts).
import '@centli/schemas/validators/for/TRANSACTIONS_QUERY';
import { eventHandler } from '@centli/kit/event-handler';
import { LedgerStore } from '../adapters/ledger-store';
import { listTransactions, type HistoryDeps } from '../app/transactions';

let defaults: HistoryDeps | undefined;
const defaultDeps = (): HistoryDeps => (defaults ??= { store: new LedgerStore() });

export const handler = eventHandler((query) => listTransactions(query, defaultDeps()), { service: 'core-banking', accepts: 'TRANSACTIONS_QUERY' });
