/**
 * The Lambda entry of the SPEI participant's order results (`POST /spei/order-results` on Core
 * Banking's HTTP API; app/spei-order-result.ts). No customer token: the participant is believed by
 * its signature alone, which the function checks itself over the raw body.
 */
// Validates schemas no generated module groups yet: compiled on first use (schemas/validators/compiled-at-run-time.ts).
import '@centli/schemas/validators/compiled-at-run-time';
import type { APIGatewayProxyEventV2, Context } from 'aws-lambda';
import { observabilityFor, observed } from '@centli/kit/observability';
import { secureParameter } from '@centli/kit/secure-parameter';
import { SpeiOrderStore } from '../adapters/spei-orders';
import { SpeiSaga } from '../adapters/spei-saga';
import { answerOrderResult, type OrderResultDeps } from '../app/spei-order-result';

const observability = observabilityFor('core-banking');

// The shared secret: a SecureString parameter (SPEI_SIGNING_SECRET_PARAMETER), read and cached by the kit.
const signingSecret = secureParameter('SPEI_SIGNING_SECRET_PARAMETER');

let defaults: Omit<OrderResultDeps, 'secret'> | undefined;
const base = () => (defaults ??= { store: new SpeiOrderStore(), saga: new SpeiSaga(), now: () => new Date() });
const defaultDeps = (): Promise<OrderResultDeps> => signingSecret().then((secret) => ({ ...base(), secret }));

export const handler = observed((event: APIGatewayProxyEventV2, context: Context) => answerOrderResult(event, context, defaultDeps, observability), observability, { handler: 'spei-order-result' });
