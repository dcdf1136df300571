/**
 * What a service tells a customer on its own, not as an answer to anything they asked (a notice,
 * `x-centli-notice` in its schema: a SPEI payment received): pushed to every socket the customer
 * has open, in each socket's language, since no turn started it and any open chat page is theirs.
 * Pushed at least once (a notice may be published and delivered more than once) and shown once:
 * its message id is the notice's own (`<request_id>`, the same on every publication of it), and a
 * page shows an id once. A socket found gone has its session closed; an expired one is ended.
 */
import type { ListenedEvent } from '@centli/kit/event-listener';
import { tell } from '@centli/tools/text';
import { isLive } from '../adapters/session-store';
import { endSession, type SessionEndDeps } from './sessions';
import type { SessionStore } from '../adapters/session-store';

export type NoticeDeps = SessionEndDeps & { sessions: Pick<SessionStore, 'openSessionsOf' | 'close'> };

/** Tells the notice to the customer it names, on each of their open sockets; how many took it. */
export async function tellNotice(event: Pick<ListenedEvent, 'detailType' | 'detail'>, deps: NoticeDeps): Promise<number> {
  const { detail } = event;
  const userId = String(detail.user_id);
  const correlationId = String(detail.correlation_id);
  let reached = 0;
  for (const session of await deps.sessions.openSessionsOf(userId)) {
    if (session.user_id !== userId) continue;
    if (!isLive(session, deps.now())) {
      await endSession(session, 'expired', deps);
      continue;
    }
    const { text } = tell({ detailType: event.detailType, detail }, { locale: session.locale });
    const sent = await deps.connections.post(session.connection_id, session.callback_url, {
      kind: 'answer',
      text,
      correlation_id: correlationId,
      locale: session.locale,
      data: { detail_type: event.detailType },
      message_id: `notice.${String(detail.request_id)}`,
      notice: true,
    });
    if (sent === 'sent') reached++;
    else await deps.sessions.close(session.connection_id, deps.now());
  }
  if (reached === 0) deps.log('info', 'the customer has no open socket; the notice waits in their history', { correlation_id: correlationId, user_id: userId, detail_type: event.detailType });
  return reached;
}
