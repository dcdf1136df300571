/** The Lambda entry of the purchase saga's ReleaseInventory compensation (app/release-inventory.ts). */
// Only the validators this function uses are in its bundle (schemas/validators/loaded.ts).
import '@centli/schemas/validators/for/release-inventory';
import { taskHandler } from '@centli/kit/task-handler';
import { PurchaseStore } from '../adapters/purchase-store';
import { releaseInventory, type ReleaseDeps } from '../app/release-inventory';

let defaults: ReleaseDeps | undefined;
const defaultDeps = (): ReleaseDeps => (defaults ??= { store: new PurchaseStore(), now: () => new Date() });

export const handler = taskHandler((input) => releaseInventory(input, defaultDeps()), { service: 'marketplace', task: 'release-inventory', errors: [] });
