/** The Lambda entry of the SPEI saga's ResolveTimeout task (app/spei-resolve-timeout.ts). */
// Only the validators this function uses are in its bundle (schemas/validators/loaded.ts).
import '@centli/schemas/validators/for/spei-resolve-timeout';
import { taskHandler } from '@centli/kit/task-handler';
import { SpeiOrderStore } from '../adapters/spei-orders';
import { resolveSpeiTimeout, type ResolveTimeoutDeps } from '../app/spei-resolve-timeout';

let defaults: ResolveTimeoutDeps | undefined;
const defaultDeps = (): ResolveTimeoutDeps => (defaults ??= { store: new SpeiOrderStore(), now: () => new Date() });

export const handler = taskHandler((input) => resolveSpeiTimeout(input, defaultDeps()), { service: 'core-banking', task: 'spei-resolve-timeout', errors: [] });
