/**
 * WebSocket `$connect`: the customer is whoever the token names (`?token=…`, since a browser
 * cannot set headers on a WebSocket; or an Authorization header). A valid token opens a session
 * for that customer that lasts as long as the token (`sessionExpiry`); anything else is refused
 * with 401 and no session, and so is a token issued before the customer's access was revoked
 * (handlers/revoke-sessions.ts).
 */
import type { APIGatewayProxyResult, Context } from 'aws-lambda';
import { authenticate, bearerToken, UnauthenticatedError } from '@centli/kit/auth';
import { correlate, observed } from '@centli/kit/observability';
import { SessionStore, sessionExpiry } from '../adapters/session-store';
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
  const store = (sessions ??= new SessionStore());
  const revokedAt = await store.revokedAt(userId);
  if (revokedAt !== undefined && (customer.claims.iat ?? 0) <= revokedAt) {
    logger.warn('refused a token issued before the customer’s access was revoked', { user_id: userId });
    return { statusCode: 401, body: 'Unauthorized' };
  }
  await store.open({
    connection_id: event.requestContext.connectionId,
    user_id: userId,
    status: 'open',
    locale,
    callback_url: `https://${event.requestContext.domainName}/${event.requestContext.stage}`,
    connected_at: now.toISOString(),
    expires_at: sessionExpiry(now, customer.expiresAt),
  });
  logger.info('session opened', { user_id: userId });
  return { statusCode: 200, body: 'Connected' };
}

export const handler = observed(connect, observability, { handler: 'connect' });
