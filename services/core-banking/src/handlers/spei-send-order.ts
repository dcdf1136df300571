/** The Lambda entry of the SPEI saga's SendOrder task (app/spei-send-order.ts): the participant from this stage's configuration. */
// Only the validators this function uses are in its bundle (schemas/validators/loaded.ts).
import '@centli/schemas/validators/for/spei-send-order';
import { secureParameter } from '@centli/kit/secure-parameter';
import { taskHandler } from '@centli/kit/task-handler';
import { SpeiOrderStore } from '../adapters/spei-orders';
import { HttpSpeiParticipant } from '../adapters/spei-participant';
import { sendSpeiOrder, type SendOrderDeps } from '../app/spei-send-order';

let defaults: SendOrderDeps | undefined;
const defaultDeps = (): SendOrderDeps =>
  (defaults ??= {
    store: new SpeiOrderStore(),
    participant: new HttpSpeiParticipant({ baseUrl: process.env.SPEI_PARTICIPANT_URL ?? '', secret: secureParameter('SPEI_SIGNING_SECRET_PARAMETER') }),
    now: () => new Date(),
  });

export const handler = taskHandler((input) => sendSpeiOrder(input, defaultDeps()), { service: 'core-banking', task: 'spei-send-order', errors: [] });
