/** The Lambda entry of TRANSFER_REQUEST (app/transfer.ts), with the limits this stage sets. */
import { intFromEnv } from '@centli/kit/config';
import { eventHandler } from '@centli/kit/event-handler';
import { LedgerStore } from '../adapters/ledger-store';
import { transferFunds, type TransferDeps } from '../app/transfer';
import type { TransferLimits } from '../domain/transfer';

export function limitsFromEnv(): TransferLimits {
  return {
    maxAmount: intFromEnv('TRANSFER_MAX_AMOUNT', 5_000_000),
    dailyLimit: intFromEnv('TRANSFER_DAILY_LIMIT', 10_000_000),
    timeZone: process.env.TRANSFER_LIMIT_TIMEZONE || 'America/Mexico_City',
  };
}

let defaults: TransferDeps | undefined;
const defaultDeps = (): TransferDeps => (defaults ??= { store: new LedgerStore(), limits: limitsFromEnv(), now: () => new Date() });

export const handler = eventHandler((request) => transferFunds(request, defaultDeps()), { service: 'core-banking', accepts: 'TRANSFER_REQUEST', failure: 'TRANSFER_FAILED' });
