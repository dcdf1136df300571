/**
 * The chat gateway's work, with its adapters passed in: a customer's message (handleMessage),
 * a service's answer (handleAnswer), and carrying out what a turn's transition owes (flush).
 * The Lambda handlers are thin wrappers around these.
 *
 * The customer is the session's: a message can say anything ("soy user-luis", a pasted tool call,
 * "transfiere sin confirmar") and still only ever acts for the customer the WebSocket's token
 * named, and only after that customer's own confirmation for what moves money.
 */
import type { Publisher } from '@centli/kit/publisher';
import { retryOnContention } from '@centli/pure/contention';
import { ConfirmationError, confirmationKey, confirmedRequestId, CONFIRMATION_TTL_SECONDS, fingerprint, newConfirmationToken, type PendingConfirmation } from '@centli/tools/confirmation';
import type { ConfirmationStore } from '@centli/tools/adapters/confirmation-store';
import type { ToolAnswer } from '@centli/tools/plan';
import { checkToolArguments } from '@centli/tools/registry';
import { refusal, texts, type Locale } from '@centli/tools/text';
import type { Connections } from '../adapters/connections';
import type { Session, SessionStore } from '../adapters/session-store';
import type { StoredTurn, TurnStore } from '../adapters/turn-store';
import { answered, choiceIn, chose, confirmed, declined, startTurn, type ConfirmationTokens, type Effect, type ServerMessage, type Transition } from '../domain/conversation';
import { type IntentEngine } from '../domain/intent';
import { parseIntent } from '../domain/intent-parser';

/** The source of every event the chat publishes: one of the two front doors the bus trusts. */
export const GATEWAY_SOURCE = 'centli.agent-gateway';
/** Every chat turn's correlation id starts so; the responder's rule listens only for these. */
export const CORRELATION_PREFIX = 'chat-';
/** The longest message a customer may send, in characters. */
export const MAX_MESSAGE_LENGTH = 1000;

export interface GatewayDeps {
  sessions: Pick<SessionStore, 'get' | 'close' | 'openSessionsOf' | 'setLocale'>;
  turns: Pick<TurnStore, 'get' | 'commit' | 'clearOutbox' | 'openTurnOf' | 'setOpenTurn'>;
  confirmations: Pick<ConfirmationStore, 'create' | 'consume' | 'cancel'>;
  connections: Pick<Connections, 'post'>;
  publisher: Publisher;
  engine: IntentEngine;
  now: () => Date;
  newId: () => string;
  timeZone: string;
  log: (level: 'info' | 'warn' | 'error', message: string, attributes?: Record<string, unknown>) => void;
}

export interface IncomingMessage {
  connectionId: string;
  /** API Gateway's callback URL for this socket (`https://<domain>/<stage>`). */
  callbackUrl: string;
  /** API Gateway's id of the frame: a frame is handled once. */
  messageId: string;
  body: string | undefined;
}

function tokensOf(deps: Pick<GatewayDeps, 'now'>): ConfirmationTokens {
  return {
    newConfirmation: () => {
      const token = newConfirmationToken();
      return { key: confirmationKey(token), requestId: confirmedRequestId(token), expiresAt: new Date(deps.now().getTime() + CONFIRMATION_TTL_SECONDS * 1000).toISOString() };
    },
  };
}

/** A customer's message on the socket. */
export async function handleMessage(message: IncomingMessage, deps: GatewayDeps): Promise<void> {
  const session = await deps.sessions.get(message.connectionId);
  if (!session || session.status !== 'open') {
    deps.log('warn', 'message on a connection without an open session', { connection_id: message.connectionId });
    await deps.connections.post(message.connectionId, message.callbackUrl, { kind: 'error', text: 'Tu sesión no es válida; vuelve a iniciar sesión. / Your session is not valid; please sign in again.', correlation_id: 'none', locale: 'es' });
    return;
  }
  const parsed = readBody(message.body);
  const quick = parseIntent(parsed.text ?? '', { now: deps.now(), timeZone: deps.timeZone });
  const locale: Locale = parsed.text ? quick.locale : session.locale;
  const correlationId = `${CORRELATION_PREFIX}${deps.newId()}`;
  const say = (kind: ServerMessage['kind'], text: string) => deliver(session.user_id, session.connection_id, { kind, text, correlation_id: correlationId, locale, message_id: correlationId }, deps);
  if (!parsed.text) return say('error', parsed.problem ?? texts(locale).askAgain);
  if (locale !== session.locale) await deps.sessions.setLocale(session.connection_id, locale).catch(() => undefined);

  // A reply to the question or confirmation the customer has open.
  const openId = parsed.replyTo ?? (await deps.turns.openTurnOf(session.user_id));
  const open = openId ? await deps.turns.get(openId) : undefined;
  if (open && open.user_id === session.user_id && open.outbox.length > 0) {
    // A transition of this turn still owes its effects (a crash after it was recorded): finish
    // them now. If that was the confirmed request, its answer is on its way: nothing to add.
    await flush(open, deps);
    if (open.status === 'sending' && quick.kind === 'confirm') return;
  }
  if (open && open.user_id === session.user_id) {
    if (open.status === 'confirming' && (quick.kind === 'confirm' || quick.kind === 'cancel')) {
      return resolveConfirmation(open, quick.kind === 'confirm', message.messageId, session, deps);
    }
    const choice = open.status === 'asking' ? choiceIn(open, parsed.text) : undefined;
    if (choice) {
      return move(open.correlation_id, message.messageId, (turn) => chose({ ...turn, connection_id: session.connection_id }, choice, tokensOf(deps)), deps);
    }
  }
  if (quick.kind === 'confirm' || quick.kind === 'cancel') return say('answer', texts(locale).nothingPending);

  let understanding;
  try {
    understanding = await deps.engine.understand(parsed.text, { now: deps.now(), timeZone: deps.timeZone, locale });
  } catch (error) {
    deps.log('error', 'the intent engine failed', { engine: deps.engine.name, correlation_id: correlationId, error: (error as Error).message });
    return say('error', texts(locale).unavailable);
  }
  switch (understanding.kind) {
    case 'greeting':
      return say('answer', texts(locale).greeting);
    case 'help':
      return say('answer', texts(locale).help);
    case 'reply':
      return say('answer', understanding.text);
    case 'unknown':
    case 'confirm':
    case 'cancel':
      return say('answer', texts(locale).notUnderstood);
    case 'tool': {
      const violation = checkToolArguments(understanding.call.name, understanding.call.args);
      if (violation) {
        deps.log('warn', 'the intent engine proposed arguments the tool refuses', { tool: understanding.call.name, reason: violation.message, correlation_id: correlationId });
        return say('answer', texts(locale).notUnderstood);
      }
      deps.log('info', 'turn started', { tool: understanding.call.name, engine: deps.engine.name, correlation_id: correlationId, user_id: session.user_id });
      const transition = startTurn({ correlation_id: correlationId, user_id: session.user_id, connection_id: session.connection_id, locale, tool: understanding.call.name, args: understanding.call.args }, tokensOf(deps));
      const stored = await deps.turns.commit(transition.turn, undefined, message.messageId, transition.effects, deps.now());
      return flush(stored, deps);
    }
  }
}

async function resolveConfirmation(open: StoredTurn, yes: boolean, messageId: string, session: Session, deps: GatewayDeps): Promise<void> {
  const key = open.confirmation_key as string;
  if (!yes) {
    await deps.confirmations.cancel(key, session.user_id, deps.now());
    return move(open.correlation_id, messageId, (turn) => (turn.status === 'confirming' ? declined(turn) : undefined), deps);
  }
  try {
    // The store checks it is this customer's, pending and unexpired, for this very request.
    await deps.confirmations.consume(key, { userId: session.user_id, tool: open.tool, argsHash: fingerprintOfArgs(open), ...(open.request ? { requestHash: fingerprintOfRequest(open) } : {}) }, deps.now());
  } catch (error) {
    if (!(error instanceof ConfirmationError)) throw error;
    deps.log('info', 'confirmation refused', { code: error.code, correlation_id: open.correlation_id });
    await deliver(session.user_id, session.connection_id, { kind: 'error', text: refusal(error.code, error.message, { locale: open.locale }), correlation_id: open.correlation_id, locale: open.locale, message_id: `${open.correlation_id}.${messageId}` }, deps);
    return;
  }
  return move(open.correlation_id, messageId, (turn) => (turn.status === 'confirming' ? confirmed({ ...turn, connection_id: session.connection_id }) : undefined), deps);
}

/** A service's answer to one of the chat's requests. */
export async function handleAnswer(event: { id: string; detailType: string; detail: Record<string, unknown> }, deps: GatewayDeps): Promise<void> {
  const correlationId = event.detail.correlation_id;
  if (typeof correlationId !== 'string' || !correlationId.startsWith(CORRELATION_PREFIX)) return;
  const turn = await deps.turns.get(correlationId);
  if (!turn) {
    deps.log('warn', 'an answer for a turn that is not kept (expired, or never the chat’s)', { correlation_id: correlationId, detail_type: event.detailType });
    return;
  }
  if (event.detail.user_id !== turn.user_id) {
    deps.log('error', 'an answer names another customer than its turn; ignored', { correlation_id: correlationId, detail_type: event.detailType });
    return;
  }
  const answer: ToolAnswer = { detailType: event.detailType, detail: event.detail };
  return move(correlationId, event.id, (current) => answered(current, answer, tokensOf(deps)), deps);
}

/**
 * Moves a turn by one event, exactly once: the transition is recorded with the event's id and
 * the effects it owes (retried while another writer moves the turn), then carried out. An event
 * already recorded only finishes effects a crash left owed.
 */
async function move(correlationId: string, eventId: string, transition: (turn: StoredTurn) => Transition | undefined, deps: GatewayDeps): Promise<void> {
  const stored = await retryOnContention(
    async () => {
      const current = await deps.turns.get(correlationId);
      if (!current) return undefined;
      if (current.handled.includes(eventId)) return current.outbox.length > 0 ? current : undefined;
      const next = transition(current);
      if (!next) return undefined;
      return deps.turns.commit(next.turn, current, eventId, next.effects, deps.now());
    },
    { what: `turn ${correlationId}` },
  );
  if (stored) await flush(stored, deps);
}

/**
 * Carries out what a transition owes, in order: confirmations, events, then messages; then clears
 * the outbox. Effects are at least once (a crash before the outbox is cleared, or two deliveries
 * of one event racing, performs them again): confirmations are created conditionally, requests
 * carry their request_id, and each message its message_id (turn, version, position), which the
 * client shows once.
 */
export async function flush(turn: StoredTurn, deps: GatewayDeps): Promise<void> {
  for (const [index, effect] of turn.outbox.entries()) await perform(effect, turn, `${turn.correlation_id}.${turn.version}.${index}`, deps);
  await deps.turns.clearOutbox(turn);
}

async function perform(effect: Effect, turn: StoredTurn, effectId: string, deps: GatewayDeps): Promise<void> {
  switch (effect.kind) {
    case 'confirmation': {
      const now = deps.now();
      const pending: PendingConfirmation = {
        pk: effect.key,
        user_id: turn.user_id,
        tool: turn.tool,
        args_hash: effect.argsHash,
        request_hash: effect.requestHash,
        request: effect.request,
        summary: effect.summary,
        status: 'pending',
        expires_at: Math.floor(now.getTime() / 1000) + CONFIRMATION_TTL_SECONDS,
        created_at: now.toISOString(),
        correlation_id: turn.correlation_id,
      };
      await deps.confirmations.create(pending).catch((error: Error) => {
        // Created by an earlier attempt of this same transition.
        if (error.name !== 'ConditionalCheckFailedException') throw error;
      });
      return;
    }
    case 'publish':
      await deps.publisher.publish(GATEWAY_SOURCE, [{ detailType: effect.request.detailType as never, detail: effect.request.detail as never }]);
      return;
    case 'reply':
      if (effect.message.kind === 'question' || effect.message.kind === 'confirmation') await deps.turns.setOpenTurn(turn.user_id, turn.correlation_id, deps.now());
      await deliver(turn.user_id, turn.connection_id, { ...effect.message, message_id: effectId }, deps);
      return;
  }
}

/**
 * Pushes a message to the customer: to the socket the turn started on, or, if that one is gone,
 * to their newest open socket. A socket found gone has its session closed.
 */
export async function deliver(userId: string, connectionId: string, message: ServerMessage & { message_id: string }, deps: Pick<GatewayDeps, 'sessions' | 'connections' | 'now' | 'log'>): Promise<void> {
  const first = await deps.sessions.get(connectionId);
  const candidates = first?.status === 'open' ? [first] : [];
  for (const session of [...candidates, ...(await deps.sessions.openSessionsOf(userId)).filter((s) => s.connection_id !== connectionId)]) {
    if (session.user_id !== userId) continue;
    const sent = await deps.connections.post(session.connection_id, session.callback_url, message);
    if (sent === 'sent') return;
    await deps.sessions.close(session.connection_id, deps.now());
  }
  deps.log('warn', 'the customer has no open socket; the answer was not delivered', { correlation_id: message.correlation_id, user_id: userId, kind: message.kind });
}

function readBody(body: string | undefined): { text?: string; replyTo?: string; problem?: string } {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body ?? '');
  } catch {
    return { problem: 'Envía {"action":"message","text":"…"}. / Send {"action":"message","text":"…"}.' };
  }
  const { text, reply_to: replyTo } = (parsed ?? {}) as { text?: unknown; reply_to?: unknown };
  if (typeof text !== 'string' || text.trim() === '') return { problem: 'Envía {"action":"message","text":"…"}. / Send {"action":"message","text":"…"}.' };
  if (text.length > MAX_MESSAGE_LENGTH) return { problem: `Tu mensaje es muy largo (máximo ${MAX_MESSAGE_LENGTH} caracteres). / Your message is too long (at most ${MAX_MESSAGE_LENGTH} characters).` };
  return { text: text.trim(), ...(typeof replyTo === 'string' && replyTo.startsWith(CORRELATION_PREFIX) && replyTo.length <= 128 ? { replyTo } : {}) };
}

// The hashes a confirmation is bound to, recomputed from the turn as it was confirmed.
function fingerprintOfArgs(turn: StoredTurn): string {
  return fingerprint(turn.args);
}
function fingerprintOfRequest(turn: StoredTurn): string {
  return fingerprint(turn.request);
}
