/** The Lambda entry of the purchase saga's RefundPayment compensation (app/refund-payment.ts). */
// Only the validators this function uses are in its bundle (schemas/validators/loaded.ts).
import '@centli/schemas/validators/for/refund-payment';
import { taskHandler } from '@centli/kit/task-handler';
import { PaymentStore } from '../adapters/payment-store';
import { refundPayment, type RefundDeps } from '../app/refund-payment';

let defaults: RefundDeps | undefined;
const defaultDeps = (): RefundDeps => (defaults ??= { payments: new PaymentStore(), now: () => new Date() });

export const handler = taskHandler((request) => refundPayment(request, defaultDeps()), { service: 'core-banking', task: 'refund-payment', errors: [] });
