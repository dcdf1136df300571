/** The Lambda entry of LIMITS_QUERY (app/get-limits.ts), with the limits this stage sets. */
// Only the validators this function uses are in its bundle (schemas/validators/loaded.ts).
import '@centli/schemas/validators/for/LIMITS_QUERY';
import { eventHandler } from '@centli/kit/event-handler';
import { LedgerStore } from '../adapters/ledger-store';
import { limitsFromEnv } from '../adapters/limit-settings';
import { getLimits, type LimitsDeps } from '../app/get-limits';

let defaults: LimitsDeps | undefined;
const defaultDeps = (): LimitsDeps => (defaults ??= { store: new LedgerStore(), limits: limitsFromEnv(), now: () => new Date() });

export const handler = eventHandler((query) => getLimits(query, defaultDeps()), { service: 'core-banking', accepts: 'LIMITS_QUERY' });
