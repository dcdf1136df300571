/** The Lambda entry of the SPEI saga's Settle task (app/spei-settle.ts). */
// Only the validators this function uses are in its bundle (schemas/validators/loaded.ts).
import '@centli/schemas/validators/for/spei-settle';
import { taskHandler } from '@centli/kit/task-handler';
import { SpeiOrderStore } from '../adapters/spei-orders';
import { speiAccountsFrom } from '../adapters/spei-settings';
import type { EndDeps } from '../app/spei-end';
import { settleSpeiTransfer } from '../app/spei-settle';

let defaults: EndDeps | undefined;
const defaultDeps = (): EndDeps => {
  if (defaults) return defaults;
  const store = new SpeiOrderStore();
  return (defaults = { store, accounts: speiAccountsFrom(store), now: () => new Date() });
};

export const handler = taskHandler((input) => settleSpeiTransfer(input, defaultDeps()), { service: 'core-banking', task: 'spei-settle', errors: [] });
