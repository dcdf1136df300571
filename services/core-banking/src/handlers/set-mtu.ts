/** The Lambda entry of MTU_SET_REQUEST (app/set-mtu.ts), with the default MTU this stage sets. */
// Only the validators this function uses are in its bundle (schemas/validators/loaded.ts).
import '@centli/schemas/validators/for/MTU_SET_REQUEST';
import { eventHandler } from '@centli/kit/event-handler';
import { LedgerStore } from '../adapters/ledger-store';
import { limitsFromEnv } from '../adapters/limit-settings';
import { setMtu, type SetMtuDeps } from '../app/set-mtu';

let defaults: SetMtuDeps | undefined;
const defaultDeps = (): SetMtuDeps => (defaults ??= { store: new LedgerStore(), defaultMtu: limitsFromEnv().defaultMtu, now: () => new Date() });

export const handler = eventHandler((request) => setMtu(request, defaultDeps()), { service: 'core-banking', accepts: 'MTU_SET_REQUEST' });
