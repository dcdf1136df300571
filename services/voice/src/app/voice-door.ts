/**
 * The voice door: one utterance of a verified caller in, what Centli says out. It is the third
 * door over the conversation core the chat uses (lib/tools/conversation.ts: the same turn
 * machine, intent engine, plans, confirmations and texts), run synchronously because a Lex V2
 * code hook must answer within its invocation: each request a turn publishes is sent at once to
 * the service's own function through the ServiceCaller the MCP door uses (as `centli.voice`), and
 * its answer fed back with `answered`, until the turn waits for the caller (a question, a
 * read-back) or is done. Between utterances the call's turn lives in the voice service's own
 * table (adapters/call-store.ts), keyed by the Connect contact id.
 *
 * The caller is the one the contact flow verified (PIN, then a KMS-MAC'd token bound to this
 * contact): nothing said can name another customer. Money moves only on the caller's own yes
 * ("sí", "yes" or the 1 key) to a read-back they were read, consumed once from the confirmation
 * store as the chat consumes it; a no (or the 2 key) moves nothing. An operation above the
 * caller's MTU is not done by phone: no approval is opened, since a caller cannot reach the
 * approval page, and they are told to do it from their app, where the second factor is.
 */
import type { ConfirmationStore } from '@centli/tools/adapters/confirmation-store';
import type { RateLimiter } from '@centli/tools/adapters/rate-limiter';
import type { ServiceCaller } from '@centli/tools/adapters/service-caller';
import { bindingFor, consumeConfirmation, openConfirmation } from '@centli/tools/confirmation';
import {
  answered,
  chose,
  confirmationRefused,
  confirmed,
  declined,
  ended,
  onMessage,
  understood,
  type ConfirmationOpener,
  type ServerMessage,
  type Transition,
  type Turn,
} from '@centli/tools/conversation';
import { correlationIdFor, followUpRequestId } from '@centli/tools/ids';
import type { IntentEngine } from '@centli/tools/intent/intent';
import { parseIntent } from '@centli/tools/intent/intent-parser';
import { followSpeiTransfer } from '@centli/tools/follow';
import { QUERIES, queryLocks, type ToolAnswer } from '@centli/tools/plan';
import { toolSpec } from '@centli/tools/registry';
import { speechMessages, spoken, spokenChoices, spokenMore, type SpeechMessage } from '@centli/tools/speech';
import { say, texts, type Locale } from '@centli/tools/text';
import { rateKindOf, type RateKind } from '@centli/pure/rate-limit';
import { TransientError } from '@centli/pure/errors';
import type { CallState, CallStore } from '../adapters/call-store';
import { hear, isGoodbye, keypadAnswer, type Heard } from '../domain/utterance';
import type { VerifiedCaller } from './verify-caller-identity';

/** The source of every request the voice door sends: a front door's, as the services' rules and roles expect. */
export const VOICE_SOURCE = 'centli.voice';

/** The most service calls one utterance makes (a plan's queries, its request, a purchase's follow-ups). */
const MAX_CALLS = 16;

export interface VoiceDoorDeps {
  calls: Pick<CallStore, 'get' | 'save'>;
  /** The read-backs' confirmations, in the voice service's table, consumed as the chat consumes its own. */
  confirmations: Pick<ConfirmationStore, 'create' | 'consume' | 'cancel'>;
  /** The services' own functions, called as `centli.voice` (lib/tools/adapters/service-caller.ts). */
  services: ServiceCaller;
  engine: IntentEngine;
  /** The customer's per-minute limits, shared with every door; none: unlimited (tests of other things). */
  rates?: Pick<RateLimiter, 'take'>;
  now: () => Date;
  newId: () => string;
  sleep: (ms: number) => Promise<void>;
  /** How long a purchase (or a SPEI transfer) is followed before the caller hears it is under way (the MCP door's purchaseWaitMs). */
  purchaseWaitMs: number;
  timeZone: string;
  log: (level: 'info' | 'warn' | 'error', message: string, attributes?: Record<string, unknown>) => void;
}

export interface Utterance {
  /** The Amazon Connect contact: the call, and the key of what the door keeps of it. */
  contactId: string;
  /** Who the contact flow verified: the only customer this call acts for. */
  caller: VerifiedCaller;
  /** What the caller said, or the keys they pressed (Lex's input transcript). */
  transcript: string;
}

export interface VoiceAnswer {
  /** What Centli says, as spoken text (the messages' words, for a transcript or a test). */
  text: string;
  /** The Lex V2 messages that say it (SSML, at most 1,000 characters each). */
  messages: SpeechMessage[];
  /** The call ends after this answer. */
  hangUp: boolean;
  /** Whether what the caller asked for was refused or failed (for the invocation's metrics), and the refusal's code when the door knows it. */
  refused: boolean;
  code?: string;
}

/** Confirmations opened at the door's clock; no approvals (a caller cannot reach the approval page). */
function opener(deps: Pick<VoiceDoorDeps, 'now'>): ConfirmationOpener {
  return { open: (binding, request, summary, correlationId) => openConfirmation(binding, request, summary, deps.now(), correlationId), now: deps.now };
}

/** What one utterance leads to, before it is spoken: the call as it is after it, what to say, and whether to hang up. */
interface Reply {
  call: CallState;
  said: ServerMessage[];
  hangUp?: boolean;
  code?: string;
}

/** A reply and the call as it is kept after it (with the rest of a list the answer cut). */
interface Spoken extends VoiceAnswer {
  call: CallState;
}

/**
 * Answers one utterance of a verified caller: reads what they said against the call's open turn,
 * moves the conversation (calling the services it needs), records the call, and says the result.
 */
export async function answerUtterance(utterance: Utterance, deps: VoiceDoorDeps): Promise<VoiceAnswer> {
  const { contactId, caller } = utterance;
  const stored = await deps.calls.get(contactId);
  // The token binds the customer to the contact, so a call kept for another customer is no call of this caller's.
  if (stored && stored.user_id !== caller.user_id) {
    deps.log('error', 'a call is kept for another customer than its verified caller; refused', { contact_id: contactId });
    const { call: _call, ...answer } = speak({ call: stored, said: [message('error', say('VOICE.UNVERIFIED', {}, caller.locale), caller.locale, contactId)], hangUp: true, code: 'VOICE.UNVERIFIED' }, caller.locale);
    return answer;
  }
  const call: CallState = stored ? { contact_id: stored.contact_id, user_id: stored.user_id, locale: caller.locale, ...(stored.turn ? { turn: stored.turn } : {}), ...(stored.more ? { more: stored.more } : {}) } : { contact_id: contactId, user_id: caller.user_id, locale: caller.locale };
  const { call: after, ...answer } = speak(await converse(call, hear(utterance.transcript), deps), caller.locale);
  await deps.calls.save(after, stored, deps.now());
  return answer;
}

/** The conversation's move for one utterance. */
async function converse(call: CallState, heard: Heard, deps: VoiceDoorDeps): Promise<Reply> {
  const { locale, user_id: userId, contact_id: contactId } = call;
  const t = texts(locale);
  const now = deps.now();
  const correlationId = correlationIdFor('voice', deps.newId());
  // A list's rest is heard now or never: whatever the caller says next, it is no longer kept.
  const { more: heldMore, ...rest } = call;
  const tell = (text: string, kind: ServerMessage['kind'] = 'answer', code?: string): Reply => ({ call: rest, said: [message(kind, text, locale, correlationId)], ...(code ? { code } : {}) });
  const open = rest.turn && (rest.turn.status === 'asking' || rest.turn.status === 'confirming') ? rest.turn : undefined;
  // Silence, or nothing Lex could transcribe: the call (and a list's rest) stays as it was.
  if (heard.text === '') return { call, said: [message('answer', t.notUnderstood, locale, correlationId)] };

  const quick = parseIntent(heard.text, { now, timeZone: deps.timeZone });
  // A digit picks a choice while one is asked; otherwise 1 is a yes and 2 a no.
  const keyed = open?.status === 'asking' ? undefined : keypadAnswer(heard);
  const yesOrNo = keyed ?? (quick.kind === 'confirm' || quick.kind === 'cancel' ? quick.kind : undefined);

  if (isGoodbye(heard)) {
    // Hanging up with a read-back open declines it: nothing moves.
    if (open?.status === 'confirming' && open.confirmation_key) await deps.confirmations.cancel(open.confirmation_key, userId, now);
    return { call: open ? { ...rest, turn: { ...open, status: 'done' } } : rest, said: [message('answer', t.goodbye, locale, correlationId)], hangUp: true };
  }

  // The rest of a list: a yes says the next three items, a no moves on; anything else is a new request.
  if (heldMore && yesOrNo === 'confirm') {
    const next = spokenMore(heldMore, locale);
    return { call: { ...rest, ...(next.more ? { more: next.more } : {}) }, said: [spokenMessage(next.text, locale, correlationId)] };
  }
  if (heldMore && yesOrNo === 'cancel') return tell(t.anythingElse);

  const decision = onMessage(rest.turn, { userId, said: yesOrNo ?? 'other', text: heard.text, locale, owed: false });
  switch (decision.kind) {
    case 'confirm':
      return decision.yes ? resolveYes(rest, decision.turn, deps) : resolveNo(rest, decision.turn, deps);
    case 'choose': {
      const moved = chose({ ...decision.turn, connection_id: contactId }, decision.value, opener(deps));
      return moved ? drive(rest, moved, deps) : tell(t.notUnderstood);
    }
    case 'nothing-pending':
      return tell(decision.text);
    case 'not-shown':
    case 'approval':
    case 'already-sent':
      // The phone never opens an approval, and records its read-back as said when it says it.
      return tell(t.nothingPending);
    case 'understand':
      break;
  }

  // Something new to understand: a model call, so a read of the customer's minute.
  const limited = await rateLimited(rest, 'read', correlationId, deps);
  if (limited) return limited;
  let understanding;
  try {
    understanding = await deps.engine.understand(heard.text, { now, timeZone: deps.timeZone, locale });
  } catch (error) {
    deps.log('error', 'the intent engine failed', { engine: deps.engine.name, correlation_id: correlationId, error: (error as Error).message });
    return tell(t.unavailable, 'error', 'TOOL.UNAVAILABLE');
  }
  const outcome = understood(understanding, { correlation_id: correlationId, user_id: userId, connection_id: contactId, locale }, opener(deps));
  if (outcome.kind === 'say') {
    if (outcome.problem) deps.log('warn', 'the intent engine proposed arguments the tool refuses', { reason: outcome.problem, correlation_id: correlationId });
    return tell(outcome.text);
  }
  // A new operation (not a read) counts against the customer's operations this minute too.
  if (rateKindOf(toolSpec(outcome.transition.turn.tool)) === 'write') {
    const spent = await rateLimited(rest, 'write', correlationId, deps);
    if (spent) return spent;
  }
  deps.log('info', 'turn started', { tool: outcome.transition.turn.tool, engine: deps.engine.name, correlation_id: correlationId, user_id: userId });
  return drive(rest, outcome.transition, deps);
}

/** The caller's yes to the read-back they were read: consumed once from the store, for exactly that request, then sent. */
async function resolveYes(call: CallState, open: Turn, deps: VoiceDoorDeps): Promise<Reply> {
  if (!open.request || !open.confirmation_key) throw new Error(`turn ${open.correlation_id} is confirming nothing`);
  const consumed = await consumeConfirmation(deps.confirmations, open.confirmation_key, bindingFor(call.user_id, open.tool, open.args, open.request), deps.now(), open.locale);
  if (!consumed.ok) {
    deps.log('info', 'confirmation refused', { code: consumed.code, correlation_id: open.correlation_id });
    const refused = confirmationRefused(open, consumed.text);
    return { call: { ...call, turn: { ...open, status: 'done' } }, said: replies(refused), code: consumed.code };
  }
  return drive(call, confirmed({ ...open, connection_id: call.contact_id }), deps);
}

/** The caller's no: the confirmation is cancelled, nothing is sent. */
async function resolveNo(call: CallState, open: Turn, deps: VoiceDoorDeps): Promise<Reply> {
  if (open.confirmation_key) await deps.confirmations.cancel(open.confirmation_key, call.user_id, deps.now());
  const transition = declined(open);
  return { call: { ...call, turn: transition.turn }, said: replies(transition) };
}

/**
 * Carries out a transition's effects synchronously until the turn waits for the caller or is
 * done: a confirmation is stored, a request is sent to its service's function and its answer
 * moves the turn (`answered`), and a message is said. A read-back is recorded as delivered to
 * this contact when it is said (the code hook's answer is what Lex speaks); a purchase, once
 * started, is followed for `purchaseWaitMs` like the MCP door's, then told as under way.
 */
async function drive(call: CallState, first: Transition, deps: VoiceDoorDeps): Promise<Reply> {
  const said: ServerMessage[] = [];
  let transition: Transition | undefined = first;
  let turn = first.turn;
  let calls = 0;
  const call1 = async (request: { detailType: string; detail: Record<string, unknown> & { request_id: string; correlation_id: string; user_id: string } }): Promise<ToolAnswer> => {
    if (++calls > MAX_CALLS) throw new Error(`turn ${turn.correlation_id} made more than ${MAX_CALLS} service calls`);
    const answers = await deps.services.call(request);
    const answer = answers.find((candidate) => candidate.detail.request_id === request.detail.request_id) ?? answers[0];
    if (!answer) throw new TransientError(`${request.detailType} got no answer`);
    return answer;
  };
  while (transition) {
    turn = transition.turn;
    let next: Transition | undefined;
    for (const effect of transition.effects) {
      switch (effect.kind) {
        case 'confirmation':
          await deps.confirmations.create(effect.pending);
          break;
        case 'approval':
          // No opener of this door approves: a transition with an approval is no transition of the phone's.
          throw new Error(`turn ${turn.correlation_id} opened an approval on the phone`);
        case 'reply':
          said.push(effect.message);
          if (effect.message.kind === 'confirmation') turn = { ...turn, confirmation_delivered_to: call.contact_id, confirmation_delivered_at: deps.now().toISOString() };
          break;
        case 'publish': {
          const sending = turn.status === 'sending';
          // A read the turn sends changes nothing, so its failure still did nothing.
          const acting = sending && !toolSpec(turn.tool).read_only;
          let answer: ToolAnswer;
          try {
            answer = await call1(effect.request);
          } catch (error) {
            deps.log('error', 'a service call of the phone failed', { correlation_id: turn.correlation_id, detail_type: effect.request.detailType, error: (error as Error).message });
            // Once a request has gone out, "nothing was done" can no longer be promised; nor once a lost card's lock has.
            const refusal = acting ? 'TOOL.OUTCOME_UNKNOWN' : queryLocks(effect.request.detailType) ? 'CARD.LOCK_UNCONFIRMED' : 'TOOL.UNAVAILABLE';
            return { call: { ...call, turn: { ...turn, status: 'done' } }, said: [...said, message('error', say(refusal, {}, turn.locale), turn.locale, turn.correlation_id)], code: refusal };
          }
          if (sending && answer.detailType === 'PURCHASE_STARTED') {
            // The turn notes the purchase (its id is how the saga's answers are recognised), then hears how it stands.
            turn = answered(turn, answer, opener(deps))?.turn ?? turn;
            answer = await followPurchase(turn, answer, call1, deps);
          }
          let spei = false;
          if (sending && answer.detailType === 'SPEI_TRANSFER_STARTED') {
            // The turn notes the transfer, then the caller hears it was sent (its clave de rastreo), or came back, or is under way.
            turn = answered(turn, answer, opener(deps))?.turn ?? turn;
            const at = turn;
            answer = await followSpeiTransfer(answer, effect.request, {
              ask: (query, attempt) => call1({ detailType: query.detailType, detail: { ...query.detail, request_id: followUpRequestId(at.correlation_id, 'status', attempt), correlation_id: at.correlation_id, user_id: at.user_id } }),
              now: deps.now,
              sleep: deps.sleep,
              waitMs: deps.purchaseWaitMs,
            });
            spei = true;
          }
          // A call answers once: what the transfer does after it was sent, the caller asks about later (get_transfer_status).
          next = spei ? ended(turn, answer) : answered(turn, answer, opener(deps));
          if (!next) {
            deps.log('warn', 'an answer moved no turn', { correlation_id: turn.correlation_id, detail_type: answer.detailType });
            return { call: { ...call, turn: { ...turn, status: 'done' } }, said: [...said, message('error', say('TOOL.UNAVAILABLE', {}, turn.locale), turn.locale, turn.correlation_id)], code: 'TOOL.UNAVAILABLE' };
          }
          break;
        }
      }
    }
    transition = next;
  }
  return { call: { ...call, turn }, said };
}

/**
 * A purchase the marketplace started: its status is asked for until it settles or the wait is
 * over; the answer is the settled status, or the pending one (the caller hears it is under way).
 */
async function followPurchase(turn: Turn, started: ToolAnswer, call: (request: { detailType: string; detail: Record<string, unknown> & { request_id: string; correlation_id: string; user_id: string } }) => Promise<ToolAnswer>, deps: VoiceDoorDeps): Promise<ToolAnswer> {
  const purchaseId = String(started.detail.purchase_id);
  const pending: ToolAnswer = { detailType: 'PURCHASE_STATUS_RESPONSE', detail: { ...started.detail, purchase_id: purchaseId, status: 'pending' } };
  delete pending.detail.started_at;
  const deadline = deps.now().getTime() + deps.purchaseWaitMs;
  for (let attempt = 1; deps.now().getTime() < deadline; attempt++) {
    await deps.sleep(Math.min(250 * attempt, 1000));
    let status: ToolAnswer;
    try {
      const requestId = followUpRequestId(turn.correlation_id, 'status', attempt);
      status = await call({ detailType: QUERIES.purchaseStatus, detail: { purchase_id: purchaseId, request_id: requestId, correlation_id: turn.correlation_id, user_id: turn.user_id } });
    } catch {
      // The purchase is under way whatever happens here: it is told as pending, never as "nothing was done".
      return pending;
    }
    if (status.detailType !== 'PURCHASE_STATUS_RESPONSE' || status.detail.status !== 'pending') return status;
  }
  return pending;
}

/** The customer's limit of this kind is spent for the minute: they hear when to come back. */
async function rateLimited(call: CallState, kind: RateKind, correlationId: string, deps: VoiceDoorDeps): Promise<Reply | undefined> {
  const decision = deps.rates ? await deps.rates.take(call.user_id, kind, deps.now()) : { allowed: true as const };
  if (decision.allowed) return undefined;
  deps.log('warn', 'a customer went over their rate limit', { kind, retry_after: decision.retryAfter, correlation_id: correlationId, user_id: call.user_id });
  return { call, said: [message('answer', say('RATE.LIMITED', { retry_after: decision.retryAfter, kind }, call.locale), call.locale, correlationId)], code: 'RATE.LIMITED' };
}

function replies(transition: Transition): ServerMessage[] {
  return transition.effects.flatMap((effect) => (effect.kind === 'reply' ? [effect.message] : []));
}

function message(kind: ServerMessage['kind'], text: string, locale: Locale, correlationId: string): ServerMessage {
  return { kind, text, locale, correlation_id: correlationId };
}

/** Text already spoken (the rest of a list), marked so `speak` does not speak it again. */
const SPOKEN = Symbol('spoken');
function spokenMessage(text: string, locale: Locale, correlationId: string): ServerMessage {
  return Object.assign(message('answer', text, locale, correlationId), { [SPOKEN]: true });
}

/**
 * What the caller hears: every message the chat would have shown, spoken (lib/tools/speech.ts): a
 * question's choices said as a list, then how to pick one; a read-back, then how to say yes. The
 * rest of a long list is kept with the call for a "sí".
 */
function speak(reply: Reply, locale: Locale): Spoken {
  const t = texts(locale);
  const parts: string[] = [];
  let more: string[] | undefined;
  for (const said of reply.said) {
    if ((said as ServerMessage & { [SPOKEN]?: boolean })[SPOKEN]) {
      parts.push(said.text);
      continue;
    }
    const heard = spoken(said.text, locale);
    parts.push(heard.text);
    if (heard.more) more = heard.more;
    if (said.kind === 'question' && said.choices && said.choices.length > 0) {
      const choices = spokenChoices(said.choices.map((choice) => choice.label), locale);
      parts.push(choices.text, spoken(t.voiceChoose, locale).text);
      if (choices.more) more = choices.more;
    }
    if (said.kind === 'confirmation') parts.push(spoken(t.voiceConfirm, locale).text);
  }
  const text = parts.filter((part) => part !== '').join(' ');
  const refused = reply.code !== undefined || reply.said.some((said) => said.kind === 'error');
  return { call: more ? { ...reply.call, more } : reply.call, text, messages: speechMessages(text), hangUp: reply.hangUp === true, refused, ...(reply.code ? { code: reply.code } : {}) };
}
