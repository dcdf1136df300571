/** The Lambda entry of the purchase saga's ReserveInventory task (app/reserve-inventory.ts). */
// Only the validators this function uses are in its bundle (schemas/validators/loaded.ts).
import '@centli/schemas/validators/for/reserve-inventory';
import { taskHandler } from '@centli/kit/task-handler';
import { PurchaseStore } from '../adapters/purchase-store';
import { reserveInventory, type ReserveDeps } from '../app/reserve-inventory';
import { InstallmentsNotAvailableError, OutOfStockError, PriceChangedError, ProductNotFoundError } from '../errors';

let defaults: ReserveDeps | undefined;
const defaultDeps = (): ReserveDeps => (defaults ??= { store: new PurchaseStore(), now: () => new Date() });

export const handler = taskHandler((input) => reserveInventory(input, defaultDeps()), {
  service: 'marketplace',
  task: 'reserve-inventory',
  errors: [ProductNotFoundError, OutOfStockError, InstallmentsNotAvailableError, PriceChangedError],
});
