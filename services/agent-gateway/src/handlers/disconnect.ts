/** WebSocket `$disconnect`: the session is closed (kept until its TTL, never deleted). */
import type { APIGatewayProxyResult, Context } from 'aws-lambda';
import { correlate, observed } from '@centli/kit/observability';
import { SessionStore } from '../adapters/session-store';
import { logger, observability } from '../app/runtime';

export interface DisconnectEvent {
  requestContext: { connectionId: string; requestId?: string };
}

let sessions: SessionStore | undefined;

async function disconnect(event: DisconnectEvent, context: Context): Promise<APIGatewayProxyResult> {
  correlate(observability, { correlation_id: event.requestContext.requestId ?? context.awsRequestId, connection_id: event.requestContext.connectionId });
  await (sessions ??= new SessionStore()).close(event.requestContext.connectionId, new Date());
  logger.info('session closed');
  return { statusCode: 200, body: 'Disconnected' };
}

export const handler = observed(disconnect, observability, { handler: 'disconnect' });
