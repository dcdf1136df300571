/**
 * The transfer limits a stage sets: serverless.yml's `custom.transferLimits`, in the environment
 * of the functions that hold transfers to them (transfer) and tell them (get-limits), so both
 * always read the same numbers.
 */
import { intFromEnv } from '@centli/kit/config';
import type { TransferLimits } from '../domain/transfer';

export function limitsFromEnv(): TransferLimits {
  return {
    maxAmount: intFromEnv('TRANSFER_MAX_AMOUNT', 5_000_000),
    dailyLimit: intFromEnv('TRANSFER_DAILY_LIMIT', 10_000_000),
    timeZone: process.env.TRANSFER_LIMIT_TIMEZONE || 'America/Mexico_City',
    newPayeeLimit: intFromEnv('TRANSFER_NEW_PAYEE_LIMIT', 200_000),
    newPayeeHours: intFromEnv('TRANSFER_NEW_PAYEE_HOURS', 24),
  };
}
