/** The Lambda entry of ACCOUNT_HOLDER_QUERY (app/get-account-holder.ts). */
// Only the validators this function uses are in its bundle (schemas/validators/loaded.ts).
import '@centli/schemas/validators/for/ACCOUNT_HOLDER_QUERY';
import { eventHandler } from '@centli/kit/event-handler';
import { LedgerStore } from '../adapters/ledger-store';
import { getAccountHolder, type AccountHolderDeps } from '../app/get-account-holder';

let defaults: AccountHolderDeps | undefined;
const defaultDeps = (): AccountHolderDeps => (defaults ??= { store: new LedgerStore() });

export const handler = eventHandler((query) => getAccountHolder(query, defaultDeps()), { service: 'core-banking', accepts: 'ACCOUNT_HOLDER_QUERY' });
