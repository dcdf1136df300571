/**
 * Every minute (an EventBridge schedule): ends the open sessions whose token has expired. The
 * customer is told to sign in again and the socket is closed; a message sent on it before this
 * runs is refused the same way (app/gateway.ts), so a session never outlives its token by more
 * than the time to its next message or this schedule.
 */
import type { Context, ScheduledEvent } from 'aws-lambda';
import { correlate, observed } from '@centli/kit/observability';
import { endSession, sessionDeps } from '../app/sessions';
import { logger, observability } from '../app/telemetry';

async function expireSessions(event: Partial<ScheduledEvent>, context: Context): Promise<{ ended: number }> {
  correlate(observability, { correlation_id: event.id ?? context.awsRequestId });
  const deps = sessionDeps();
  const expired = await deps.sessions.expiredOpen(deps.now());
  for (const session of expired) await endSession(session, 'expired', deps);
  if (expired.length > 0) logger.info('ended sessions whose token expired', { ended: expired.length });
  return { ended: expired.length };
}

export const handler = observed(expireSessions, observability, { handler: 'expire-sessions' });
