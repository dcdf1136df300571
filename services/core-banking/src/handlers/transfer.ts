/** The Lambda entry of TRANSFER_REQUEST (app/transfer.ts), with the limits this stage sets. */
// Only the validators this function uses are in its bundle (schemas/validators/loaded.ts).
import '@centli/schemas/validators/for/TRANSFER_REQUEST';
import { eventHandler } from '@centli/kit/event-handler';
import { LedgerStore } from '../adapters/ledger-store';
import { limitsFromEnv } from '../adapters/limit-settings';
import { transferFunds, type TransferDeps } from '../app/transfer';

let defaults: TransferDeps | undefined;
const defaultDeps = (): TransferDeps => (defaults ??= { store: new LedgerStore(), limits: limitsFromEnv(), now: () => new Date() });

export const handler = eventHandler((request) => transferFunds(request, defaultDeps()), { service: 'core-banking', accepts: 'TRANSFER_REQUEST' });
