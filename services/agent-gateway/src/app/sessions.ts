/**
 * Ending chat sessions: a session whose token expired, or whose customer's access was revoked, is
 * told to sign in again, its socket closed and the session with it. The gateway ends one it meets
 * on a message or a push (app/gateway.ts); the sweeper and the revocation end them on their own
 * (handlers/expire-sessions.ts, handlers/revoke-sessions.ts), with only what this needs: the
 * sessions and the sockets, never the bus.
 */
import { say } from '@centli/tools/text';
import { Connections } from '../adapters/connections';
import { SessionStore, type Session } from '../adapters/session-store';
import { logger } from './telemetry';

export interface SessionEndDeps {
  sessions: Pick<SessionStore, 'close'>;
  connections: Pick<Connections, 'post' | 'disconnect'>;
  now: () => Date;
  log: (level: 'info' | 'warn' | 'error', message: string, attributes?: Record<string, unknown>) => void;
}

/** Ends one session: it is closed, the customer is told why in their language, and the socket is closed. */
export async function endSession(session: Session, why: 'expired' | 'revoked', deps: SessionEndDeps): Promise<void> {
  deps.log('info', 'session ended', { connection_id: session.connection_id, user_id: session.user_id, why });
  const text = say('AUTH.UNAUTHENTICATED', { expired: why === 'expired' }, session.locale);
  // Closed first: from here on nothing is delivered to it, whatever happens to the socket.
  await deps.sessions.close(session.connection_id, deps.now());
  await deps.connections.post(session.connection_id, session.callback_url, { kind: 'error', text, correlation_id: 'none', locale: session.locale });
  await deps.connections.disconnect(session.connection_id, session.callback_url);
}

let deps: (SessionEndDeps & { sessions: SessionStore }) | undefined;

/** What the sweeper and the revocation run with, once per container: the sessions table and the sockets. */
export function sessionDeps(): SessionEndDeps & { sessions: SessionStore } {
  return (deps ??= { sessions: new SessionStore(), connections: new Connections(), now: () => new Date(), log: (level, message, attributes = {}) => logger[level](message, attributes) });
}
