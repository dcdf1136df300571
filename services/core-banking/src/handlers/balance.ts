/** The Lambda entry of BALANCE_QUERY (app/balance.ts), with the default MTU this stage sets. */
import { eventHandler } from '@centli/kit/event-handler';
import { LedgerStore } from '../adapters/ledger-store';
import { limitsFromEnv } from '../adapters/limit-settings';
import { getBalance, type BalanceDeps } from '../app/balance';

let defaults: BalanceDeps | undefined;
const defaultDeps = (): BalanceDeps => (defaults ??= { store: new LedgerStore(), defaultMtu: limitsFromEnv().defaultMtu });

export const handler = eventHandler((query) => getBalance(query, defaultDeps()), { service: 'core-banking', accepts: 'BALANCE_QUERY' });
