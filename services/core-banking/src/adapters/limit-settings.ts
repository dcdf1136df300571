/**
 * The transfer limits a stage sets: serverless.yml's `custom.transferLimits`, in the environment
 * of the functions that hold transfers to them (transfer, charge-payment, set-mtu) and tell them
 * (get-limits), so all read the same numbers.
 */
import { intFromEnv } from '@centli/kit/config';
import { DEFAULT_MTU_UDIS, DEFAULT_UDI_MXN, mtuFromUdis, udiMicros } from '../domain/mtu';
import type { TransferLimits } from '../domain/transfer';

export function limitsFromEnv(): TransferLimits {
  return {
    maxAmount: intFromEnv('TRANSFER_MAX_AMOUNT', 5_000_000),
    dailyLimit: intFromEnv('TRANSFER_DAILY_LIMIT', 10_000_000),
    timeZone: process.env.TRANSFER_LIMIT_TIMEZONE || 'America/Mexico_City',
    newPayeeLimit: intFromEnv('TRANSFER_NEW_PAYEE_LIMIT', 200_000),
    newPayeeHours: intFromEnv('TRANSFER_NEW_PAYEE_HOURS', 24),
    defaultMtu: mtuFromUdis(DEFAULT_MTU_UDIS, udiMicros(process.env.CENTLI_UDI_MXN || DEFAULT_UDI_MXN)),
  };
}
