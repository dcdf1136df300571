/** The Lambda entry of the purchase saga's ChargePayment task (app/charge-payment.ts). */
// Only the validators this function uses are in its bundle (schemas/validators/loaded.ts).
import '@centli/schemas/validators/for/charge-payment';
import { taskHandler } from '@centli/kit/task-handler';
import { LedgerStore } from '../adapters/ledger-store';
import { limitsFromEnv } from '../adapters/limit-settings';
import { PaymentStore } from '../adapters/payment-store';
import { chargePayment, type ChargeDeps } from '../app/charge-payment';
import { PaymentAccountInactiveError, PaymentAccountNotFoundError, PaymentCurrencyMismatchError, PaymentInsufficientFundsError, PaymentSecondFactorRequiredError } from '../errors';

let defaults: ChargeDeps | undefined;
const defaultDeps = (): ChargeDeps => (defaults ??= { ledger: new LedgerStore(), payments: new PaymentStore(), now: () => new Date(), defaultMtu: limitsFromEnv().defaultMtu });

export const handler = taskHandler((request) => chargePayment(request, defaultDeps()), {
  service: 'core-banking',
  task: 'charge-payment',
  errors: [PaymentAccountNotFoundError, PaymentAccountInactiveError, PaymentCurrencyMismatchError, PaymentInsufficientFundsError, PaymentSecondFactorRequiredError],
});
