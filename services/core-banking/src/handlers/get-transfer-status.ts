/** The Lambda entry of TRANSFER_STATUS_QUERY (app/get-transfer-status.ts). */
// Only the validators this function uses are in its bundle (schemas/validators/loaded.ts).
import '@centli/schemas/validators/for/TRANSFER_STATUS_QUERY';
import { eventHandler } from '@centli/kit/event-handler';
import { SpeiOrderStore } from '../adapters/spei-orders';
import { getTransferStatus, type TransferStatusDeps } from '../app/get-transfer-status';

let defaults: TransferStatusDeps | undefined;
const defaultDeps = (): TransferStatusDeps => (defaults ??= { store: new SpeiOrderStore(), timeZone: process.env.TRANSFER_LIMIT_TIMEZONE || 'America/Mexico_City' });

export const handler = eventHandler((query) => getTransferStatus(query, defaultDeps()), { service: 'core-banking', accepts: 'TRANSFER_STATUS_QUERY' });
