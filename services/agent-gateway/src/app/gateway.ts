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
import { rateKindOf, type RateKind } from '@centli/pure/rate-limit';
import type { RateLimiter } from '@centli/tools/adapters/rate-limiter';
import type { ApprovalStore } from '@centli/tools/adapters/approval-store';
import { approvalState, approvalUrl, openApproval } from '@centli/tools/approval';
import type { ConfirmationStore } from '@centli/tools/adapters/confirmation-store';
import { bindingFor, consumeConfirmation, openConfirmation } from '@centli/tools/confirmation';
import {
  answered,
  approvalEnded,
  chose,
  confirmationRefused,
  confirmed,
  declined,
  onMessage,
  runApproved,
  understood,
  type ConfirmationOpener,
  type Effect,
  type ServerMessage,
  type Transition,
  type Turn,
} from '@centli/tools/conversation';
import { correlationIdFor, isCorrelationOf } from '@centli/tools/ids';
import type { ToolAnswer } from '@centli/tools/plan';
import { toolSpec } from '@centli/tools/registry';
import { bilingual, say, texts, type Locale } from '@centli/tools/text';
import type { Connections } from '../adapters/connections';
import { isLive, type Session, type SessionStore } from '../adapters/session-store';
import { endSession } from './sessions';
import type { Delivery, StoredTurn, TurnStore } from '../adapters/turn-store';
import { type IntentEngine } from '@centli/tools/intent/intent';
import { parseIntent } from '@centli/tools/intent/intent-parser';

/** The source of every event the chat publishes: one of the two front doors the bus trusts. */
export const GATEWAY_SOURCE = 'centli.agent-gateway';
/** Every chat turn's correlation id starts so; the responder's rule listens only for these. */
export const CORRELATION_PREFIX = correlationIdFor('chat', '');
/** The longest message a customer may send, in characters. */
export const MAX_MESSAGE_LENGTH = 1000;

export interface GatewayDeps {
  sessions: Pick<SessionStore, 'get' | 'close' | 'openSessionsOf' | 'setLocale' | 'expiredOpen' | 'revoke'>;
  turns: Pick<TurnStore, 'get' | 'commit' | 'clearOutbox' | 'openTurnOf' | 'setOpenTurn'>;
  confirmations: Pick<ConfirmationStore, 'create' | 'consume' | 'cancel'>;
  /** Where an operation above the customer's MTU goes instead of running: an approval on the approval page (the MCP server's store). */
  approvals?: Pick<ApprovalStore, 'open' | 'get' | 'use' | 'decide'>;
  /** Centli's approval page (`https://<site>/approve.html`). */
  approvalPage?: string;
  connections: Pick<Connections, 'post' | 'disconnect'>;
  publisher: Publisher;
  engine: IntentEngine;
  /** The customer's per-minute limits, shared with every door: a message is a read (it is a model call), a new operation a write. */
  rates?: Pick<RateLimiter, 'take'>;
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

/** Confirmations opened at the gateway's clock (the conversation core never reads a clock). */
function opener(deps: Pick<GatewayDeps, 'now' | 'approvals' | 'approvalPage'>): ConfirmationOpener {
  const { approvals, approvalPage } = deps;
  return {
    open: (binding, request, summary, correlationId) => openConfirmation(binding, request, summary, deps.now(), correlationId),
    now: deps.now,
    ...(approvals && approvalPage
      ? {
          approve: (fields) => {
            const opened = openApproval({ ...fields, stepUp: true }, deps.now());
            return { ...opened, url: approvalUrl(approvalPage, opened.approval.approval_id) };
          },
        }
      : {}),
  };
}

/** A customer's message on the socket: the conversation core decides what it does (`onMessage`), the gateway carries it out. */
export async function handleMessage(message: IncomingMessage, deps: GatewayDeps): Promise<void> {
  const session = await deps.sessions.get(message.connectionId);
  if (session?.status === 'open' && !isLive(session, deps.now())) return endSession(session, 'expired', deps);
  if (!session || session.status !== 'open') {
    deps.log('warn', 'message on a connection without an open session', { connection_id: message.connectionId });
    // No session, so no language: both.
    await deps.connections.post(message.connectionId, message.callbackUrl, { kind: 'error', text: bilingual((locale) => say('AUTH.UNAUTHENTICATED', {}, locale)), correlation_id: 'none', locale: 'es' });
    return;
  }
  const parsed = readBody(message.body);
  const quick = parseIntent(parsed.text ?? '', { now: deps.now(), timeZone: deps.timeZone });
  const locale: Locale = parsed.text ? quick.locale : session.locale;
  const correlationId = correlationIdFor('chat', deps.newId());
  const post = async (kind: ServerMessage['kind'], text: string) => {
    await deliver(session.user_id, session.connection_id, { kind, text, correlation_id: correlationId, locale, message_id: correlationId }, deps);
  };
  if (!parsed.text) return post('error', bilingual((l) => problemText(parsed.problem, l)));
  /** Whether the customer's limit of this kind is spent for the minute; if so they are told when to come back. */
  const rateLimited = async (kind: RateKind): Promise<boolean> => {
    const decision = deps.rates ? await deps.rates.take(session.user_id, kind, deps.now()) : { allowed: true as const };
    if (decision.allowed) return false;
    deps.log('warn', 'a customer went over their rate limit', { kind, retry_after: decision.retryAfter, correlation_id: correlationId, user_id: session.user_id });
    await post('answer', say('RATE.LIMITED', { retry_after: decision.retryAfter, kind }, locale));
    return true;
  };
  if (locale !== session.locale) await deps.sessions.setLocale(session.connection_id, locale).catch(() => undefined);

  // The turn the customer has open (a question or a confirmation waits on it): the only one a
  // message answers. A button's reply_to and confirmation_id must name it (onMessage checks).
  const openId = await deps.turns.openTurnOf(session.user_id);
  let open = openId ? await deps.turns.get(openId) : undefined;
  const owed = open !== undefined && open.user_id === session.user_id && open.outbox.length > 0;
  // A transition of this turn still owes its effects (a crash after it was recorded): finish them
  // first, then read what finishing them recorded (a confirmation delivered).
  if (open && owed) {
    await flush(open, deps);
    open = await deps.turns.get(open.correlation_id);
  }

  const said = quick.kind === 'confirm' || quick.kind === 'cancel' ? quick.kind : 'other';
  const button = { ...(parsed.replyTo !== undefined ? { replyTo: parsed.replyTo } : {}), ...(parsed.confirmationId !== undefined ? { confirmationId: parsed.confirmationId } : {}) };
  const decision = onMessage(open, { userId: session.user_id, said, text: parsed.text, locale, owed, ...button });
  switch (decision.kind) {
    case 'already-sent':
      return;
    case 'confirm':
      return resolveConfirmation(decision.turn as StoredTurn, decision.yes, message.messageId, session, deps);
    case 'approval':
      return resolveApproval(decision.turn, decision.yes, message.messageId, session, deps);
    case 'not-shown':
      deps.log('info', 'a yes to a confirmation that never reached the customer; nothing moves', { correlation_id: decision.turn.correlation_id });
      return tellOnTurn(decision.turn, decision.text, message.messageId, session, deps);
    case 'choose':
      return move(decision.turn.correlation_id, message.messageId, (turn) => chose({ ...turn, connection_id: session.connection_id }, decision.value, opener(deps)), deps);
    case 'nothing-pending':
      return post('answer', decision.text);
    case 'understand':
      break;
  }

  // Something new to understand: a model call, so a read of the customer's minute.
  if (await rateLimited('read')) return;

  let understanding;
  try {
    understanding = await deps.engine.understand(parsed.text, { now: deps.now(), timeZone: deps.timeZone, locale });
  } catch (error) {
    deps.log('error', 'the intent engine failed', { engine: deps.engine.name, correlation_id: correlationId, error: (error as Error).message });
    return post('error', texts(locale).unavailable);
  }
  const outcome = understood(understanding, { correlation_id: correlationId, user_id: session.user_id, connection_id: session.connection_id, locale }, opener(deps));
  if (outcome.kind === 'say') {
    if (outcome.problem) deps.log('warn', 'the intent engine proposed arguments the tool refuses', { reason: outcome.problem, correlation_id: correlationId });
    return post('answer', outcome.text);
  }
  // A new operation (not a read) counts against the customer's operations this minute too.
  const tool = outcome.transition.turn.tool;
  if (rateKindOf(toolSpec(tool)) === 'write' && (await rateLimited('write'))) return;
  deps.log('info', 'turn started', { tool: outcome.transition.turn.tool, engine: deps.engine.name, correlation_id: correlationId, user_id: session.user_id });
  const stored = await deps.turns.commit(outcome.transition.turn, undefined, message.messageId, outcome.transition.effects, deps.now());
  return flush(stored, deps);
}

/** The customer's yes (consumed by the store, for exactly what they were shown) or no to their open confirmation. */
async function resolveConfirmation(open: Turn, yes: boolean, messageId: string, session: Session, deps: GatewayDeps): Promise<void> {
  const key = open.confirmation_key as string;
  if (!yes) {
    await deps.confirmations.cancel(key, session.user_id, deps.now());
    return move(open.correlation_id, messageId, (turn) => (turn.status === 'confirming' ? declined(turn) : undefined), deps);
  }
  // The store checks it is this customer's, pending and unexpired, for this very request.
  if (!open.request) throw new Error(`turn ${open.correlation_id} is confirming nothing`);
  const consumed = await consumeConfirmation(deps.confirmations, key, bindingFor(session.user_id, open.tool, open.args, open.request), deps.now(), open.locale);
  if (!consumed.ok) {
    deps.log('info', 'confirmation refused', { code: consumed.code, correlation_id: open.correlation_id });
    return tellOnTurn(open, consumed.text, messageId, session, deps);
  }
  return move(open.correlation_id, messageId, (turn) => (turn.status === 'confirming' ? confirmed({ ...turn, connection_id: session.connection_id }) : undefined), deps);
}

/**
 * The customer's yes (or no) to an operation above their MTU: it runs only if they approved it on
 * the page, with the second factor, and then once (the approval is marked used, and the request
 * goes out under the approval's own request_id, carrying the factor).
 */
async function resolveApproval(open: Turn, yes: boolean, messageId: string, session: Session, deps: GatewayDeps): Promise<void> {
  if (!yes) {
    // The customer's "no" on their own socket declines the approval too: the page can no longer approve it.
    if (deps.approvals && open.approval_id) await deps.approvals.decide(open.approval_id, session.user_id, 'declined', 'chat', deps.now());
    return move(open.correlation_id, messageId, (turn) => (turn.status === 'approving' ? declined(turn) : undefined), deps);
  }
  if (!deps.approvals || !open.approval_id) throw new Error(`turn ${open.correlation_id} waits for an approval this gateway cannot read`);
  const now = deps.now();
  let approval = await deps.approvals.get(open.approval_id);
  const state = approvalState(approval, { userId: session.user_id, tool: open.tool, args: open.args }, now);
  if (state === 'pending') return tellOnTurn(open, texts(open.locale).stepUpPending(approvalUrl(deps.approvalPage ?? '', open.approval_id)), messageId, session, deps);
  if (state === 'approved' && !(await deps.approvals.use(open.approval_id, session.user_id, now))) approval = await deps.approvals.get(open.approval_id);
  if ((state === 'approved' || state === 'used') && approval && (approval.status === 'approved' || approval.status === 'used')) {
    const approved = approval;
    return move(open.correlation_id, messageId, (turn) => runApproved({ ...turn, connection_id: session.connection_id }, approved), deps);
  }
  const code = state === 'declined' ? 'APPROVAL.DECLINED' : state === 'expired' ? 'APPROVAL.EXPIRED' : 'APPROVAL.INVALID';
  return move(open.correlation_id, messageId, (turn) => approvalEnded(turn, say(code, {}, turn.locale)), deps);
}

/** Tells the customer why their answer to a turn changed nothing, under the turn's correlation id; the turn stays as it is. */
async function tellOnTurn(turn: Turn, text: string, messageId: string, session: Session, deps: GatewayDeps): Promise<void> {
  const [effect] = confirmationRefused(turn, text).effects;
  if (effect?.kind === 'reply') await deliver(session.user_id, session.connection_id, { ...effect.message, message_id: `${turn.correlation_id}.${messageId}` }, deps);
}

/** A service's answer to one of the chat's requests. */
export async function handleAnswer(event: { id: string; detailType: string; detail: Record<string, unknown> }, deps: GatewayDeps): Promise<void> {
  const correlationId = event.detail.correlation_id;
  if (!isCorrelationOf('chat', correlationId)) return;
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
  return move(correlationId, event.id, (current) => answered(current, answer, opener(deps)), deps);
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
 * the outbox, recording in the same write the socket its confirmation reached, if it reached one.
 * Effects are at least once (a crash before the outbox is cleared, or two deliveries of one event
 * racing, performs them again): confirmations are created conditionally, requests carry their
 * request_id, each message its message_id (turn, version, position), which the client shows once,
 * and a delivery is recorded once, after a push that succeeded.
 */
export async function flush(turn: StoredTurn, deps: GatewayDeps): Promise<void> {
  let delivered: Delivery | undefined;
  for (const [index, effect] of turn.outbox.entries()) {
    const reached = await perform(effect, turn, `${turn.correlation_id}.${turn.version}.${index}`, deps);
    if (reached && effect.kind === 'reply' && effect.message.kind === 'confirmation') delivered ??= { connectionId: reached, at: deps.now() };
  }
  await deps.turns.clearOutbox(turn, delivered);
}

/** Carries out one effect; for a message, returns the socket it reached (none when no socket took it). */
async function perform(effect: Effect, turn: StoredTurn, effectId: string, deps: GatewayDeps): Promise<string | undefined> {
  switch (effect.kind) {
    case 'confirmation':
      await deps.confirmations.create(effect.pending).catch((error: Error) => {
        // Created by an earlier attempt of this same transition.
        if (error.name !== 'ConditionalCheckFailedException') throw error;
      });
      return undefined;
    case 'approval':
      if (!deps.approvals) throw new Error(`turn ${turn.correlation_id} owes an approval, and this gateway has no approval store`);
      await deps.approvals.open(effect.approval, effect.pointer).catch((error: Error) => {
        // Opened by an earlier attempt of this same transition.
        if (error.name !== 'TransactionCanceledException') throw error;
      });
      return undefined;
    case 'publish':
      await deps.publisher.publish(GATEWAY_SOURCE, [{ detailType: effect.request.detailType as never, detail: effect.request.detail as never }]);
      return undefined;
    case 'reply':
      // Open before the push, so a yes said after this answers this turn (or is told it was never shown), never an older one.
      if (effect.message.kind === 'question' || effect.message.kind === 'confirmation' || effect.message.approval_url !== undefined) await deps.turns.setOpenTurn(turn.user_id, turn.correlation_id, deps.now());
      return deliver(turn.user_id, turn.connection_id, { ...effect.message, message_id: effectId }, deps);
  }
}

/**
 * Pushes a message to the customer: to the socket the turn started on, or, if that one is gone,
 * to their newest open socket. A socket found gone has its session closed. Returns the socket
 * that took the message, or nothing when none did.
 */
export async function deliver(userId: string, connectionId: string, message: ServerMessage & { message_id: string }, deps: Pick<GatewayDeps, 'sessions' | 'connections' | 'now' | 'log'>): Promise<string | undefined> {
  const first = await deps.sessions.get(connectionId);
  const candidates = first?.status === 'open' ? [first] : [];
  for (const session of [...candidates, ...(await deps.sessions.openSessionsOf(userId)).filter((s) => s.connection_id !== connectionId)]) {
    if (session.user_id !== userId) continue;
    if (!isLive(session, deps.now())) {
      await endSession(session, 'expired', deps);
      continue;
    }
    const sent = await deps.connections.post(session.connection_id, session.callback_url, message);
    if (sent === 'sent') return session.connection_id;
    await deps.sessions.close(session.connection_id, deps.now());
  }
  deps.log('warn', 'the customer has no open socket; the answer was not delivered', { correlation_id: message.correlation_id, user_id: userId, kind: message.kind });
  return undefined;
}

/** What is wrong with a frame, if anything: not the protocol's shape, or too long. */
type FrameProblem = 'format' | 'too-long';

/**
 * A frame's text and, for a button, what it answers: `reply_to` (the turn) and `confirmation_id`
 * (the confirmation). A confirmation id of any other form is kept as given, so that it answers
 * nothing rather than being taken for a typed "sí".
 */
function readBody(body: string | undefined): { text?: string; replyTo?: string; confirmationId?: string; problem?: FrameProblem } {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body ?? '');
  } catch {
    return { problem: 'format' };
  }
  const { text, reply_to: replyTo, confirmation_id: confirmationId } = (parsed ?? {}) as { text?: unknown; reply_to?: unknown; confirmation_id?: unknown };
  if (typeof text !== 'string' || text.trim() === '') return { problem: 'format' };
  if (text.length > MAX_MESSAGE_LENGTH) return { problem: 'too-long' };
  return {
    text: text.trim(),
    ...(typeof replyTo === 'string' && isCorrelationOf('chat', replyTo) && replyTo.length <= 128 ? { replyTo } : {}),
    ...(typeof confirmationId === 'string' && confirmationId !== '' ? { confirmationId: confirmationId.slice(0, 128) } : {}),
  };
}

function problemText(problem: FrameProblem | undefined, locale: Locale): string {
  return problem === 'too-long' ? texts(locale).tooLong(MAX_MESSAGE_LENGTH) : texts(locale).sendFormat;
}
