/** The Lambda entry of the SPEI saga's GiveBack task (app/spei-give-back.ts). */
// Only the validators this function uses are in its bundle (schemas/validators/loaded.ts).
import '@centli/schemas/validators/for/spei-give-back';
import { taskHandler } from '@centli/kit/task-handler';
import { SpeiOrderStore } from '../adapters/spei-orders';
import { speiAccountsFrom } from '../adapters/spei-settings';
import type { EndDeps } from '../app/spei-end';
import { giveBackSpeiTransfer } from '../app/spei-give-back';

let defaults: EndDeps | undefined;
const defaultDeps = (): EndDeps => {
  if (defaults) return defaults;
  const store = new SpeiOrderStore();
  return (defaults = { store, accounts: speiAccountsFrom(store), now: () => new Date() });
};

export const handler = taskHandler((input) => giveBackSpeiTransfer(input, defaultDeps()), { service: 'core-banking', task: 'spei-give-back', errors: [] });
