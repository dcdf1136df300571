/** The Lambda entry of the purchase saga's ConfirmPurchase task (app/confirm-purchase.ts). */
// Only the validators this function uses are in its bundle (schemas/validators/loaded.ts).
import '@centli/schemas/validators/for/confirm-purchase';
import { taskHandler } from '@centli/kit/task-handler';
import { PurchaseStore } from '../adapters/purchase-store';
import { confirmPurchase, type ConfirmDeps } from '../app/confirm-purchase';

let defaults: ConfirmDeps | undefined;
const defaultDeps = (): ConfirmDeps => (defaults ??= { store: new PurchaseStore(), now: () => new Date() });

export const handler = taskHandler((input) => confirmPurchase(input, defaultDeps()), { service: 'marketplace', task: 'confirm-purchase', errors: [] });
