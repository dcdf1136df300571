/** The Lambda entry of the SPEI saga's AwaitResult task (app/spei-await-result.ts), invoked with `.waitForTaskToken`. */
// Only the validators this function uses are in its bundle (schemas/validators/loaded.ts).
import '@centli/schemas/validators/for/spei-await-result';
import { taskHandler } from '@centli/kit/task-handler';
import { SpeiOrderStore } from '../adapters/spei-orders';
import { SpeiSaga } from '../adapters/spei-saga';
import { awaitSpeiResult, type AwaitResultDeps } from '../app/spei-await-result';

let defaults: AwaitResultDeps | undefined;
const defaultDeps = (): AwaitResultDeps => (defaults ??= { store: new SpeiOrderStore(), saga: new SpeiSaga(), now: () => new Date() });

export const handler = taskHandler((input) => awaitSpeiResult(input, defaultDeps()), { service: 'core-banking', task: 'spei-await-result', errors: [] });
