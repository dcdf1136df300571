/** The Lambda entry of the SPEI saga's Hold task (app/spei-hold.ts), with the limits this stage sets. */
// Only the validators this function uses are in its bundle (schemas/validators/loaded.ts).
import '@centli/schemas/validators/for/spei-hold';
import { taskHandler } from '@centli/kit/task-handler';
import { limitsFromEnv } from '../adapters/limit-settings';
import { SpeiOrderStore } from '../adapters/spei-orders';
import { speiAccountsFrom } from '../adapters/spei-settings';
import { holdSpeiTransfer, type HoldDeps } from '../app/spei-hold';

let defaults: HoldDeps | undefined;
const defaultDeps = (): HoldDeps => {
  if (defaults) return defaults;
  const store = new SpeiOrderStore();
  return (defaults = { store, accounts: speiAccountsFrom(store), limits: limitsFromEnv(), now: () => new Date() });
};

// Refusals are answered as data (the saga publishes them), so the task declares no business error.
export const handler = taskHandler((input) => holdSpeiTransfer(input, defaultDeps()), { service: 'core-banking', task: 'spei-hold', errors: [] });
