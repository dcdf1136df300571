/** The Lambda entry of ACCOUNT_HOLDER_QUERY (app/get-account-holder.ts). */
import { eventHandler } from '@centli/kit/event-handler';
import { LedgerStore } from '../adapters/ledger-store';
import { getAccountHolder, type AccountHolderDeps } from '../app/get-account-holder';

let defaults: AccountHolderDeps | undefined;
const defaultDeps = (): AccountHolderDeps => (defaults ??= { store: new LedgerStore() });

export const handler = eventHandler((query) => getAccountHolder(query, defaultDeps()), { service: 'core-banking', accepts: 'ACCOUNT_HOLDER_QUERY' });
