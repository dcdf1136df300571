/**
 * The Lambda entry of the SPEI participant's notifications (`POST /spei/incoming-payments` on
 * Core Banking's HTTP API; app/receive-spei.ts), with this stage's SPEI settings. No customer
 * token: the participant is believed by its signature alone, which the function checks itself
 * over the raw body.
 */
// Validates schemas no generated module groups yet: compiled on first use (schemas/validators/compiled-at-run-time.ts).
import '@centli/schemas/validators/compiled-at-run-time';
import type { APIGatewayProxyEventV2, Context } from 'aws-lambda';
import { requireEnv } from '@centli/kit/config';
import { secureParameter } from '@centli/kit/secure-parameter';
import { observabilityFor, observed } from '@centli/kit/observability';
import { eventBridgePublisher } from '@centli/kit/publisher';
import { SpeiStore } from '../adapters/spei-store';
import { answerNotification, type ReceiveSpeiDeps } from '../app/receive-spei';

const observability = observabilityFor('core-banking');

// The shared secret: a SecureString parameter (SPEI_SIGNING_SECRET_PARAMETER), read and cached by the kit.
const signingSecret = secureParameter('SPEI_SIGNING_SECRET_PARAMETER');

let defaults: (Omit<ReceiveSpeiDeps, 'settings'> & { settings: Omit<ReceiveSpeiDeps['settings'], 'secret'> }) | undefined;
const base = () =>
  (defaults ??= {
    store: new SpeiStore(),
    publisher: eventBridgePublisher(),
    settings: { bankCode: requireEnv('SPEI_BANK_CODE'), clearingAccountId: requireEnv('SPEI_CLEARING_ACCOUNT_ID') },
    now: () => new Date(),
  });
const defaultDeps = (): Promise<ReceiveSpeiDeps> => signingSecret().then((secret) => ({ ...base(), settings: { ...base().settings, secret } }));

export const handler = observed((event: APIGatewayProxyEventV2, context: Context) => answerNotification(event, context, defaultDeps, observability), observability, { handler: 'receive-spei' });
