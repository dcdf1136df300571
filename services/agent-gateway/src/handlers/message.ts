/**
 * WebSocket `message` route (`{"action":"message","text":"…"}`): the customer's words become a
 * turn of the conversation (see ../gateway.ts). Answers go back on the socket through the
 * management API, here or, for what services answer later, from the `respond` function.
 *
 * Until the message starts or answers a turn, its log lines carry API Gateway's request id as
 * their correlation id; from then on, the turn's (`chat-…`), which every event, service and
 * saga step of the turn carries too.
 */
// A front door validates nearly every schema: compiled on first use (schemas/validators/compiled-at-run-time.ts).
import '@centli/schemas/validators/compiled-at-run-time';
import type { APIGatewayProxyResult, Context } from 'aws-lambda';
import { correlate, observed } from '@centli/kit/observability';
import { handleMessage } from '../app/gateway';
import { gatewayDeps, observability } from '../app/runtime';

export interface MessageEvent {
  body?: string;
  requestContext: { connectionId: string; domainName: string; stage: string; messageId?: string; requestId?: string };
}

async function message(event: MessageEvent, context: Context): Promise<APIGatewayProxyResult> {
  correlate(observability, { correlation_id: event.requestContext.requestId ?? context.awsRequestId, connection_id: event.requestContext.connectionId });
  await handleMessage(
    {
      connectionId: event.requestContext.connectionId,
      callbackUrl: `https://${event.requestContext.domainName}/${event.requestContext.stage}`,
      messageId: event.requestContext.messageId ?? event.requestContext.requestId ?? context.awsRequestId,
      body: event.body,
    },
    gatewayDeps(),
  );
  return { statusCode: 200, body: 'OK' };
}

export const handler = observed(message, observability, { handler: 'message' });
