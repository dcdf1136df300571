/** The Lambda entry of the SPEI saga's ResolveTimeout task (app/spei-resolve-timeout.ts): the participant it asks from this stage's configuration. */
// Only the validators this function uses are in its bundle (schemas/validators/loaded.ts).
import '@centli/schemas/validators/for/spei-resolve-timeout';
import { secureParameter } from '@centli/kit/secure-parameter';
import { taskHandler } from '@centli/kit/task-handler';
import { SpeiOrderStore } from '../adapters/spei-orders';
import { HttpSpeiParticipant } from '../adapters/spei-participant';
import { resolveSpeiTimeout, type ResolveTimeoutDeps } from '../app/spei-resolve-timeout';

let defaults: ResolveTimeoutDeps | undefined;
const defaultDeps = (): ResolveTimeoutDeps =>
  (defaults ??= {
    store: new SpeiOrderStore(),
    participant: new HttpSpeiParticipant({ baseUrl: process.env.SPEI_PARTICIPANT_URL ?? '', secret: secureParameter('SPEI_SIGNING_SECRET_PARAMETER') }),
    now: () => new Date(),
  });

export const handler = taskHandler((input) => resolveSpeiTimeout(input, defaultDeps()), { service: 'core-banking', task: 'spei-resolve-timeout', errors: [] });
