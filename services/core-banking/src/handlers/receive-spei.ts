/**
 * The Lambda entry of the SPEI participant's notifications (`POST /spei/incoming-payments` on
 * Core Banking's HTTP API; app/receive-spei.ts). No customer token: the participant is believed
 * by its signature alone, which the function checks itself over the raw body.
 */
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Context } from 'aws-lambda';
import { applyLocalEndpoints, requireEnv } from '@centli/kit/config';
import { correlate, observabilityFor, observed, recordOutcome } from '@centli/kit/observability';
import { eventBridgePublisher } from '@centli/kit/publisher';
import { SIGNATURE_HEADER } from '@centli/pure/signed-body';
import { SpeiStore } from '../adapters/spei-store';
import { receiveSpei, type ReceiveSpeiDeps } from '../app/receive-spei';

const observability = observabilityFor('core-banking');

let defaults: ReceiveSpeiDeps | undefined;
const defaultDeps = (): ReceiveSpeiDeps =>
  (defaults ??= {
    store: new SpeiStore(),
    publisher: eventBridgePublisher(),
    settings: {
      // An empty secret (a stage that has none yet) refuses every notification rather than believing any.
      secret: process.env.SPEI_SIGNING_SECRET ?? '',
      bankCode: requireEnv('SPEI_BANK_CODE'),
      clearingAccountId: requireEnv('SPEI_CLEARING_ACCOUNT_ID'),
    },
    now: () => new Date(),
  });

async function serve(event: APIGatewayProxyEventV2, context: Context): Promise<APIGatewayProxyStructuredResultV2> {
  correlate(observability, { correlation_id: event.requestContext.requestId ?? context.awsRequestId });
  applyLocalEndpoints();
  const body = Buffer.from(event.body ?? '', event.isBase64Encoded ? 'base64' : 'utf8');
  const reply = await receiveSpei(body, event.headers[SIGNATURE_HEADER], defaultDeps());
  if (reply.status !== 200) recordOutcome(context, 'refused', reply.body.error);
  else if (reply.body.status === 'returned') recordOutcome(context, 'refused', reply.body.reason);
  return { statusCode: reply.status, headers: { 'content-type': 'application/json' }, body: JSON.stringify(reply.body) };
}

export const handler = observed(serve, observability, { handler: 'receive-spei' });
