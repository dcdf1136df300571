/** WebSocket `$disconnect`: the session is closed (kept until its TTL, never deleted). */
import type { APIGatewayProxyResult, Context } from 'aws-lambda';
import { SessionStore } from '../adapters/session-store';
import { logger } from '../runtime';

let sessions: SessionStore | undefined;

export async function handler(event: { requestContext: { connectionId: string } }, context: Context): Promise<APIGatewayProxyResult> {
  logger.addContext(context);
  await (sessions ??= new SessionStore()).close(event.requestContext.connectionId, new Date());
  logger.info('session closed', { connection_id: event.requestContext.connectionId });
  return { statusCode: 200, body: 'Disconnected' };
}
