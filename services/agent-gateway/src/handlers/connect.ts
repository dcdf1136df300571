/**
 * WebSocket `$connect`: the customer is whoever the token names (`?token=…`, since a browser
 * cannot set headers on a WebSocket; or an Authorization header). A valid token opens a session
 * for that customer; anything else is refused with 401 and no session.
 */
import type { APIGatewayProxyResult, Context } from 'aws-lambda';
import { authenticate, bearerToken, UnauthenticatedError } from '@centli/kit/auth';
import { correlate, observed } from '@centli/kit/observability';
import { SESSION_TTL_SECONDS, SessionStore } from '../adapters/session-store';
import { logger, observability, tokenVerifier } from '../app/runtime';

export interface ConnectEvent {
  queryStringParameters?: Record<string, string | undefined> | null;
  headers?: Record<string, string | undefined> | null;
  requestContext: { connectionId: string; domainName: string; stage: string; requestId?: string };
}

let sessions: SessionStore | undefined;

async function connect(event: ConnectEvent, context: Context): Promise<APIGatewayProxyResult> {
  correlate(observability, { correlation_id: event.requestContext.requestId ?? context.awsRequestId, connection_id: event.requestContext.connectionId });
  const token = event.queryStringParameters?.token ?? bearerToken(event.headers?.Authorization ?? event.headers?.authorization);
  const customer = await authenticate(token, { verifier: tokenVerifier(), logger, context });
  if (customer instanceof UnauthenticatedError) return { statusCode: 401, body: 'Unauthorized' };
  const { userId, locale } = customer;
  const now = new Date();
  await (sessions ??= new SessionStore()).open({
    connection_id: event.requestContext.connectionId,
    user_id: userId,
    status: 'open',
    locale,
    callback_url: `https://${event.requestContext.domainName}/${event.requestContext.stage}`,
    connected_at: now.toISOString(),
    expires_at: Math.floor(now.getTime() / 1000) + SESSION_TTL_SECONDS,
  });
  logger.info('session opened', { user_id: userId });
  return { statusCode: 200, body: 'Connected' };
}

export const handler = observed(connect, observability, { handler: 'connect' });
