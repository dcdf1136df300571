/**
 * Revokes a customer's chat access (invoked by the bank's operators when a customer is disabled
 * or signed out everywhere: `npm run revoke-sessions -- <user_id>`, or an EventBridge rule):
 * every token issued before now opens no session again (handlers/connect.ts), and every open
 * session is ended at once, the socket closed.
 */
import type { Context } from 'aws-lambda';
import { CentliError } from '@centli/pure/errors';
import { correlate, observed } from '@centli/kit/observability';
import { endSession, sessionDeps } from '../app/sessions';
import { logger, observability } from '../app/telemetry';

export interface RevokeSessionsEvent {
  user_id: string;
}

const USER_ID = /^[A-Za-z0-9][A-Za-z0-9._:-]{0,127}$/;

async function revokeSessions(event: RevokeSessionsEvent, context: Context): Promise<{ user_id: string; ended: number }> {
  correlate(observability, { correlation_id: context.awsRequestId });
  const userId = (event as Partial<RevokeSessionsEvent> | null)?.user_id;
  if (typeof userId !== 'string' || !USER_ID.test(userId)) throw new CentliError('REQUEST.INVALID', { field: 'user_id', problem: 'a customer user id is required' });
  correlate(observability, { user_id: userId });
  const deps = sessionDeps();
  await deps.sessions.revoke(userId, deps.now());
  const open = await deps.sessions.openSessionsOf(userId);
  for (const session of open) await endSession(session, 'revoked', deps);
  logger.info('revoked the customer’s chat access', { ended: open.length });
  return { user_id: userId, ended: open.length };
}

export const handler = observed(revokeSessions, observability, { handler: 'revoke-sessions' });
