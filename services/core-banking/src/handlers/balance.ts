/** The Lambda entry of BALANCE_QUERY (app/balance.ts), with the default MTU this stage sets. */
// Only the validators this function uses are in its bundle (schemas/validators/loaded.ts).
import '@centli/schemas/validators/for/BALANCE_QUERY';
import { eventHandler } from '@centli/kit/event-handler';
import { LedgerStore } from '../adapters/ledger-store';
import { limitsFromEnv } from '../adapters/limit-settings';
import { getBalance, type BalanceDeps } from '../app/balance';

let defaults: BalanceDeps | undefined;
const defaultDeps = (): BalanceDeps => (defaults ??= { store: new LedgerStore(), defaultMtu: limitsFromEnv().defaultMtu });

export const handler = eventHandler((query) => getBalance(query, defaultDeps()), { service: 'core-banking', accepts: 'BALANCE_QUERY' });
