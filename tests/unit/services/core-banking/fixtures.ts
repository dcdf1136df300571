/** The requests Core Banking's unit tests share: Ana's transfer to Carlos, and a purchase charged to Ana. */
import type { TransferRequest } from '@centli/schemas';
import type { ChargeRequest } from '../../../../services/core-banking/src/domain/payment';
import type { TransferLimits } from '../../../../services/core-banking/src/domain/transfer';

export const limits: TransferLimits = { maxAmount: 5_000_000, dailyLimit: 10_000_000, timeZone: 'America/Mexico_City', newPayeeLimit: 200_000, newPayeeHours: 24, defaultMtu: 1_275_000 };

export const transferRequest: TransferRequest = {
  request_id: 'req-1',
  correlation_id: 'corr-1',
  user_id: 'user-ana',
  from_account_id: 'acc-ana-nomina-4821',
  to_account_id: 'acc-carlos-nomina-3954',
  amount: 10_000,
  currency: 'MXN',
};

export const chargeRequest: ChargeRequest = {
  purchase_id: 'pur_1',
  correlation_id: 'corr-1',
  request_id: 'req-1',
  user_id: 'user-ana',
  account_id: 'acc-ana',
  settlement_account_id: 'acc-ret-1',
  amount: 1_499_900,
  currency: 'MXN',
  description: 'Compra: Laptop',
};
