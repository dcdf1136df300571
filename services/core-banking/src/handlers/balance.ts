/** The Lambda entry of BALANCE_QUERY (app/balance.ts). */
import { eventHandler } from '@centli/kit/event-handler';
import { LedgerStore } from '../adapters/ledger-store';
import { getBalance, type BalanceDeps } from '../app/balance';

let defaults: BalanceDeps | undefined;
const defaultDeps = (): BalanceDeps => (defaults ??= { store: new LedgerStore() });

export const handler = eventHandler((query) => getBalance(query, defaultDeps()), { service: 'core-banking', accepts: 'BALANCE_QUERY' });
