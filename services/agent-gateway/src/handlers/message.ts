/**
 * WebSocket `message` route (`{"action":"message","text":"…"}`): the customer's words become a
 * turn of the conversation (see ../gateway.ts). Answers go back on the socket through the
 * management API, here or, for what services answer later, from the `respond` function.
 */
import type { APIGatewayProxyResult, Context } from 'aws-lambda';
import { handleMessage } from '../gateway';
import { gatewayDeps, logger } from '../runtime';

export interface MessageEvent {
  body?: string;
  requestContext: { connectionId: string; domainName: string; stage: string; messageId?: string; requestId?: string };
}

export async function handler(event: MessageEvent, context: Context): Promise<APIGatewayProxyResult> {
  logger.addContext(context);
  logger.appendKeys({ connection_id: event.requestContext.connectionId });
  try {
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
  } finally {
    logger.resetKeys();
  }
}
