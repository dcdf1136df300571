/**
 * A conversation, as a pure state machine: the core of every door where the customer talks (the
 * chat today; the phone next). A turn starts from one customer message that asks for a tool, and
 * runs that tool's plan (./plan.ts, the same plan the MCP server runs) across events: each query
 * the plan needs is published and its answer, arriving at the door's responder, moves the turn on;
 * a question or a confirmation waits for the customer's next message; the request is published
 * only once the plan says `send`, or once the customer confirmed what they were shown.
 *
 * The whole machine is here: which transition a customer's message makes (`onMessage`: a yes or
 * no to the open confirmation, a choice, or something new for the intent engine), what the
 * engine's understanding starts (`understood`), and how each answer moves the turn (`answered`).
 * Every function returns the next turn and the effects to carry out (events to publish, messages
 * to push, a confirmation to create), never performing them, so a door can record the transition
 * before acting and act exactly once.
 *
 * One correlation_id runs through the whole turn: the message, every query and answer, the
 * confirmation, the request, the saga, and the answer to the customer.
 */
import { createHash } from 'node:crypto';
import { foldWords } from '@centli/pure/fold';
import { approvedRequestId, requestToRun, type Approval, type ApprovalPointer } from './approval';
import { bindingFor, type OpenedConfirmation, type PendingConfirmation } from './confirmation';
import { queryRequestId, sendRequestId, stamp, type StampedRequest } from './ids';
import { planTool, type Choice, type ToolAnswer, type ToolRequest } from './plan';
import { checkToolArguments, toolSpec, type ToolName } from './registry';
import { tell, texts, type AnswerContext, type Locale, type Told } from './text';

/** `approving`: an operation above the customer's MTU waits for their approval on the page (with the second factor), then for their yes here. */
export type TurnStatus = 'querying' | 'asking' | 'confirming' | 'approving' | 'sending' | 'done';

/** What the customer's socket receives: the contract of the chat page and any other client. */
export interface ServerMessage {
  kind: 'answer' | 'confirmation' | 'question' | 'error';
  text: string;
  correlation_id: string;
  locale: Locale;
  choices?: Array<{ label: string; value: string }>;
  /** When a confirmation stops being valid. */
  expires_at?: string;
  /**
   * A confirmation's own id (`cfm_…`), the same on every push of it: a button sends it back
   * (`confirmation_id`), and answers only that confirmation. Not the token, nor its key.
   */
  confirmation_id?: string;
  /** A purchase the answer is about: the page draws its saga. */
  purchase_id?: string;
  /** A SPEI transfer the answer is about: the page draws its saga. */
  transfer_id?: string;
  /** An operation above the customer's MTU: the approval page where they approve it with their second factor. */
  approval_url?: string;
  /** The answer event's detail-type, for clients that want structure. */
  data?: { detail_type: string };
  /**
   * The message's own id, the same on every push of it: a push can be repeated (after a crash, or
   * by two deliveries of one event racing), and a client shows a message_id once.
   */
  message_id?: string;
  /**
   * Something a service tells the customer on its own (a SPEI payment received), not an answer to
   * what they asked: a client shows it without taking it for the current request's answer (an
   * open confirmation stays open).
   */
  notice?: true;
}

/** A request event with its identifiers, ready for the bus. */
export type OutgoingRequest = StampedRequest;

export interface Turn {
  correlation_id: string;
  user_id: string;
  /** The socket the turn started on; the answer goes there, or to the customer's newest socket. */
  connection_id: string;
  locale: Locale;
  tool: ToolName;
  args: Record<string, unknown>;
  answers: Record<string, ToolAnswer>;
  status: TurnStatus;
  /** The request_id whose answer the turn waits for. */
  awaiting?: string;
  /** The plan's key for the awaited query's answer. */
  awaiting_key?: string;
  /** A question's choices, by their value ("1", "2"…). */
  choices?: Choice[];
  /** The request the customer is asked to confirm, or that was sent. */
  request?: ToolRequest;
  /** The pending confirmation's key (the hash of a token the customer never needs to see). */
  confirmation_key?: string;
  /** The id the confirmation is shown with (`confirmationIdFor`), which its buttons send back. */
  confirmation_id?: string;
  /**
   * The socket the confirmation's message first reached (its push succeeded), and when. Until
   * then the customer has not been shown it, and no yes confirms it (`onMessage`, `confirmed`).
   */
  confirmation_delivered_to?: string;
  confirmation_delivered_at?: string;
  /** The request_id the confirmed request goes out with. */
  confirmed_request_id?: string;
  /** An operation above the customer's MTU: the approval (on the page, with the second factor) it waits for. */
  approval_id?: string;
  purchase_id?: string;
  /** A SPEI transfer's id, from SPEI_TRANSFER_STARTED: the saga's answers follow under the request's id. */
  transfer_id?: string;
  /** Its clave de rastreo, told with what becomes of it. */
  clave_rastreo?: string;
  /** The customer was told the SPEI transfer was sent (SPEI_TRANSFER_SENT); the turn waits for it to settle or come back. */
  spei_sent?: boolean;
  /** How many times the customer's choices replanned the turn: part of every query's request_id, so each query is its own request. */
  round?: number;
}

export type Effect =
  | { kind: 'publish'; request: OutgoingRequest }
  | { kind: 'reply'; message: ServerMessage }
  /** A confirmation to store, pending, exactly as opened (./confirmation.ts). */
  | { kind: 'confirmation'; pending: PendingConfirmation }
  /** An approval to store, exactly as opened (./approval.ts): an operation above the customer's MTU, which a yes in the chat cannot approve. */
  | { kind: 'approval'; approval: Approval; pointer: ApprovalPointer };

export interface Transition {
  turn: Turn;
  effects: Effect[];
}

/** The door's clock, and how it opens confirmations on it: ./confirmation.ts's `openConfirmation`. */
export interface ConfirmationOpener {
  open(binding: ReturnType<typeof bindingFor>, request: ToolRequest, summary: string, correlationId: string): OpenedConfirmation;
  /** The door's clock, for what a plan dates (since when a payee is new). */
  now(): Date;
  /**
   * Opens an approval on the approval page for an operation above the customer's MTU (./approval.ts's
   * `openApproval`, at the door's clock), with its link; a door without the page has none, and such
   * an operation is refused there.
   */
  approve?(fields: { userId: string; tool: ToolName; args: Record<string, unknown>; request: ToolRequest; summary: string; answers: Record<string, ToolAnswer>; locale: Locale; correlationId: string }): { approval: Approval; pointer: ApprovalPointer; url: string };
}

/** Starts a turn for a tool call the intent engine proposed (already checked against the tool's schema). */
export function startTurn(base: Pick<Turn, 'correlation_id' | 'user_id' | 'connection_id' | 'locale' | 'tool' | 'args'>, confirmations: ConfirmationOpener): Transition {
  return step({ ...base, answers: {}, status: 'querying' }, confirmations);
}

/** Runs the plan from where the turn is. */
export function step(turn: Turn, confirmations: ConfirmationOpener): Transition {
  const { locale } = turn;
  const next = planTool(turn.tool, turn.args, { locale, answers: turn.answers, now: confirmations.now() });
  switch (next.kind) {
    case 'query': {
      const requestId = queryRequestId(turn.correlation_id, next.key, turn.round);
      return {
        turn: { ...turn, status: 'querying', awaiting: requestId, awaiting_key: next.key },
        effects: [{ kind: 'publish', request: stamp(next.request, { requestId, correlationId: turn.correlation_id, userId: turn.user_id }) }],
      };
    }
    case 'ask':
      return {
        turn: withoutWaiting({ ...turn, status: 'asking', choices: next.choices }),
        effects: [reply(turn, 'question', next.text, { choices: next.choices.map((choice, index) => ({ label: choice.label, value: String(index + 1) })) })],
      };
    case 'refuse':
      return { turn: withoutWaiting({ ...turn, status: 'done' }), effects: [reply(turn, 'error', next.refusal.text)] };
    case 'confirm': {
      // Above the customer's MTU: a "sí" here is no second factor, so only the approval page can approve it.
      if (next.stepUp) return stepUp(turn, next, confirmations);
      const opened = confirmations.open(bindingFor(turn.user_id, turn.tool, turn.args, next.request), next.request, next.summary, turn.correlation_id);
      const confirmationId = confirmationIdFor(opened.token);
      const t = texts(locale);
      return {
        turn: withoutWaiting({ ...turn, status: 'confirming', request: next.request, confirmation_key: opened.key, confirmed_request_id: opened.requestId, confirmation_id: confirmationId }),
        effects: [
          { kind: 'confirmation', pending: opened.pending },
          reply(turn, 'confirmation', next.summary, { choices: [{ label: t.yes, value: t.yes.toLowerCase() }, { label: t.no, value: t.no.toLowerCase() }], expires_at: opened.expiresAt, confirmation_id: confirmationId }),
        ],
      };
    }
    case 'send':
      return send(turn, next.request, sendRequestId(turn.correlation_id));
  }
}

/** An operation that needs the second factor: the turn ends with an approval on the page and its link, and nothing is sent. */
function stepUp(turn: Turn, next: { summary: string; request: ToolRequest }, confirmations: ConfirmationOpener): Transition {
  const t = texts(turn.locale);
  const done = withoutWaiting({ ...turn, status: 'done' });
  if (!confirmations.approve) return { turn: done, effects: [reply(turn, 'error', `${next.summary}\n${t.stepUpUnavailable}`)] };
  const { approval, pointer, url } = confirmations.approve({
    userId: turn.user_id,
    tool: turn.tool,
    args: turn.args,
    request: next.request,
    summary: next.summary,
    answers: turn.answers,
    locale: turn.locale,
    correlationId: turn.correlation_id,
  });
  return {
    turn: { ...done, status: 'approving', request: next.request, approval_id: approval.approval_id },
    effects: [{ kind: 'approval', approval, pointer }, reply(turn, 'answer', `${next.summary}\n${t.stepUpInChat(url)}`, { approval_url: url })],
  };
}

/**
 * The customer approved on the page (with the second factor) and said yes here: the approved
 * request goes out, with the factor that approved it, under the approval's own request_id, so
 * however often this happens it runs once.
 */
export function runApproved(turn: Turn, approval: Pick<Approval, 'approval_id' | 'request' | 'step_up' | 'second_factor_at'>): Transition | undefined {
  if (turn.status !== 'approving' || turn.approval_id !== approval.approval_id) return undefined;
  return send(turn, requestToRun(approval), approvedRequestId(approval.approval_id));
}

/** The approval the turn waited for will not run (declined, expired, not found): the turn ends, saying why. */
export function approvalEnded(turn: Turn, text: string): Transition | undefined {
  if (turn.status !== 'approving') return undefined;
  return { turn: withoutWaiting({ ...turn, status: 'done' }), effects: [reply(turn, 'error', text)] };
}

function send(turn: Turn, request: ToolRequest, requestId: string): Transition {
  return {
    turn: { ...turn, status: 'sending', request, awaiting: requestId, awaiting_key: undefined },
    effects: [{ kind: 'publish', request: stamp(request, { requestId, correlationId: turn.correlation_id, userId: turn.user_id }) }],
  };
}

/**
 * The id a confirmation is shown with, derived from its token (one way, apart from its key and its
 * request id), so every push of one confirmation carries the same id and the id confirms nothing by
 * itself: a yes counts only from the customer the confirmation was delivered to.
 */
export function confirmationIdFor(token: string): string {
  return `cfm_${createHash('sha256').update(`shown\u0000${token}`).digest('base64url').slice(0, 22)}`;
}

/**
 * Whether the turn's confirmation reached the customer: a socket of theirs took its message (the
 * door records the first such push on the turn, `confirmation_delivered_to`).
 */
export function isDelivered(turn: Turn): boolean {
  return turn.confirmation_delivered_to !== undefined;
}

/**
 * The customer confirmed (their confirmation was consumed by the store): the request goes out.
 * Only a confirmation that reached them can be confirmed: one never shown is never sent.
 */
export function confirmed(turn: Turn): Transition {
  if (turn.status !== 'confirming' || !turn.request || !turn.confirmed_request_id) throw new Error(`turn ${turn.correlation_id} has nothing to confirm`);
  if (!isDelivered(turn)) throw new Error(`turn ${turn.correlation_id}: its confirmation was never delivered to the customer`);
  return send(turn, turn.request, turn.confirmed_request_id);
}

/**
 * The customer declined: nothing more happens. A lost or stolen card the turn locked before
 * asking (./plan.ts, `planReplacement`) stays locked, and the customer is told so and how to
 * unlock it.
 */
export function declined(turn: Turn): Transition {
  const t = texts(turn.locale);
  const lock = turn.answers.lock;
  const card = lock?.detailType === 'CARD_LOCKED' ? (lock.detail.card as { last_four?: unknown } | undefined) : undefined;
  const text = typeof card?.last_four === 'string' ? t.declinedLocked(card.last_four) : t.declined;
  return { turn: withoutWaiting({ ...turn, status: 'done' }), effects: [reply(turn, 'answer', text)] };
}

/** The customer picked one of a question's choices: the same tool, with the choice's arguments, planned afresh. */
export function chose(turn: Turn, value: string, confirmations: ConfirmationOpener): Transition | undefined {
  const index = Number(value) - 1;
  const choice = turn.choices?.[index];
  if (turn.status !== 'asking' || !choice) return undefined;
  return step({ ...turn, args: choice.args, answers: {}, choices: undefined, status: 'querying', round: (turn.round ?? 0) + 1 }, confirmations);
}

const ORDINALS: Record<string, number> = { primero: 1, primera: 1, first: 1, segundo: 2, segunda: 2, second: 2, tercero: 3, tercera: 3, third: 3, cuarto: 4, cuarta: 4, fourth: 4, quinto: 5, quinta: 5, fifth: 5 };
const FILLER = new Set(['el', 'la', 'los', 'las', 'lo', 'un', 'una', 'mi', 'a', 'al', 'de', 'the', 'one', 'my', 'opcion', 'option', 'numero', 'number', 'quiero', 'want', 'i', 'esa', 'ese', 'that']);

/**
 * Which choice a message names: its number ("2", "la segunda"), its whole label, or words that
 * only one label has ("la HP", "Juanita"). Nothing when it names none or several.
 */
export function choiceIn(turn: Turn, text: string): string | undefined {
  if (turn.status !== 'asking' || !turn.choices) return undefined;
  const count = turn.choices.length;
  const said = fold(text);
  const words = said.split(' ').filter((word) => word && !FILLER.has(word));
  const position = words.length === 1 ? (/^\d{1,2}$/.test(words[0] as string) ? Number(words[0]) : ORDINALS[words[0] as string]) : undefined;
  if (position !== undefined && position >= 1 && position <= count) return String(position);
  if (words.length === 0) return undefined;
  const labels = turn.choices.map((choice) => fold(choice.label));
  const exact = labels.indexOf(said);
  if (exact !== -1) return String(exact + 1);
  const matching = labels.flatMap((label, index) => (words.every((word) => label.split(/[\s(),·$]+/).includes(word)) ? [index] : []));
  return matching.length === 1 ? String((matching[0] as number) + 1) : undefined;
}

/**
 * An event from a service. The awaited query's answer moves the plan on; the request's answer is
 * told to the customer (a purchase's PURCHASE_STARTED and a SPEI transfer's SPEI_TRANSFER_STARTED
 * only note their ids: the saga answers later; SPEI_TRANSFER_SENT is told at once, and the turn
 * waits on for the transfer to settle or come back, which the chat pushes as it comes).
 * Anything else (an answer already handled, another request's) changes nothing.
 */
export function answered(turn: Turn, event: ToolAnswer, confirmations: ConfirmationOpener): Transition | undefined {
  const requestId = event.detail.request_id;
  if (turn.status === 'querying' && requestId === turn.awaiting && turn.awaiting_key) {
    return step({ ...turn, answers: { ...turn.answers, [turn.awaiting_key]: event } }, confirmations);
  }
  if (turn.status !== 'sending') return undefined;
  if (event.detailType === 'PURCHASE_STARTED' && requestId === turn.awaiting) {
    return turn.purchase_id ? undefined : { turn: { ...turn, purchase_id: String(event.detail.purchase_id) }, effects: [] };
  }
  if (event.detailType === 'SPEI_TRANSFER_STARTED' && requestId === turn.awaiting) {
    return turn.transfer_id ? undefined : { turn: { ...turn, transfer_id: String(event.detail.transfer_id), clave_rastreo: String(event.detail.clave_rastreo) }, effects: [] };
  }
  const ours = requestId === turn.awaiting || (turn.purchase_id !== undefined && event.detail.purchase_id === turn.purchase_id);
  if (!ours) return undefined;
  const told = tell(event, contextOf(turn, 'told'));
  if (event.detailType === 'SPEI_TRANSFER_SENT') {
    // Told at once; the turn goes on waiting for the saga's last word (settled, or given back). Told once.
    if (turn.spei_sent) return undefined;
    return {
      turn: { ...turn, spei_sent: true, transfer_id: String(event.detail.transfer_id), clave_rastreo: String(event.detail.clave_rastreo) },
      effects: [reply(turn, 'answer', told.text, { data: { detail_type: event.detailType }, transfer_id: String(event.detail.transfer_id) })],
    };
  }
  return ended(turn, event, told);
}

/**
 * The request's last answer told, and the turn done. A door that answers once (the phone) ends a
 * SPEI transfer's turn so with whatever its follow-up learnt (./follow.ts): sent, settled, given
 * back, or still under way.
 */
export function ended(turn: Turn, event: ToolAnswer, told: Told = tell(event, contextOf(turn, 'ask'))): Transition {
  const purchaseId = typeof event.detail.purchase_id === 'string' ? event.detail.purchase_id : turn.purchase_id;
  return {
    turn: withoutWaiting({ ...turn, status: 'done' }),
    effects: [
      reply(turn, told.failed ? 'error' : 'answer', told.text, { data: { detail_type: event.detailType }, ...(purchaseId ? { purchase_id: purchaseId } : {}), ...(turn.transfer_id ? { transfer_id: turn.transfer_id } : {}) }),
    ],
  };
}

/** What the texts know of a turn's answer: what its plan read, the request it sent, and how a SPEI transfer's later news reach the customer. */
function contextOf(turn: Turn, later: 'told' | 'ask'): AnswerContext {
  return { locale: turn.locale, answers: turn.answers, later, ...(turn.request ? { request: turn.request } : {}), ...(turn.clave_rastreo ? { claveRastreo: turn.clave_rastreo } : {}) };
}

/** Whether a tool asks before it acts (the registry says so). */
export function needsConfirmation(tool: ToolName): boolean {
  return toolSpec(tool).confirmation;
}

export function reply(turn: Pick<Turn, 'correlation_id' | 'locale'>, kind: ServerMessage['kind'], text: string, extra: Partial<ServerMessage> = {}): Effect {
  return { kind: 'reply', message: { kind, text, correlation_id: turn.correlation_id, locale: turn.locale, ...extra } };
}

function withoutWaiting(turn: Turn): Turn {
  const { awaiting: _awaiting, awaiting_key: _key, ...rest } = turn;
  return rest;
}

const fold = foldWords;

/** What the customer's message is, as far as a yes or a no goes (the parser's whole-message rule, never a model). */
export type Said = 'confirm' | 'cancel' | 'other';

/** Which transition a customer's message makes, given the turn they have open. */
export type MessageDecision =
  /** A yes or no to the open confirmation: the door consumes (or cancels) it, then `confirmed` / `declined`. */
  | { kind: 'confirm'; turn: Turn; yes: boolean }
  /** A yes or no to an operation waiting for its approval on the page: the door reads the approval, then `runApproved` / `approvalEnded` / `declined`. */
  | { kind: 'approval'; turn: Turn; yes: boolean }
  /** A yes to the open confirmation, whose message never reached the customer: told, and nothing moves. */
  | { kind: 'not-shown'; turn: Turn; text: string }
  /** One of the open question's choices: `chose`. */
  | { kind: 'choose'; turn: Turn; value: string }
  /** A yes to a confirmation already sent: its answer is on its way, nothing to add. */
  | { kind: 'already-sent' }
  /** A yes or no with nothing to confirm. */
  | { kind: 'nothing-pending'; text: string }
  /** Something new: the intent engine reads it, then `understood`. */
  | { kind: 'understand' };

/** A customer's message, as far as the conversation goes. */
export interface CustomerMessage {
  userId: string;
  said: Said;
  text: string;
  locale: Locale;
  /** Whether the open turn still owed effects a crash left (the door finished them first). */
  owed: boolean;
  /** A button's turn: the correlation id of the message that offered it. */
  replyTo?: string;
  /** A confirmation button's confirmation: the `confirmation_id` of the message that offered it. */
  confirmationId?: string;
}

/**
 * The transition a message makes. `open` is the customer's open turn (a question or a
 * confirmation waits on it); a turn of another customer is never answered. A button answers only
 * that open turn, and a confirmation button only the confirmation it was shown with: one of an
 * older, superseded or declined confirmation (or question) answers nothing. A yes confirms only a
 * confirmation whose message reached the customer (`isDelivered`); a no may decline any, since
 * declining moves nothing.
 */
export function onMessage(open: Turn | undefined, message: CustomerMessage): MessageDecision {
  const mine = open !== undefined && open.user_id === message.userId ? open : undefined;
  const namesAnother = mine !== undefined && ((message.replyTo !== undefined && message.replyTo !== mine.correlation_id) || (message.confirmationId !== undefined && message.confirmationId !== mine.confirmation_id));
  const current = namesAnother ? undefined : mine;
  const yesOrNo = message.said === 'confirm' || message.said === 'cancel';
  // The confirmed request's effects were owed, so it is going out now: a second yes adds nothing.
  if (current && message.owed && current.status === 'sending' && message.said === 'confirm') return { kind: 'already-sent' };
  if (current?.status === 'approving' && yesOrNo) return { kind: 'approval', turn: current, yes: message.said === 'confirm' };
  if (current?.status === 'confirming' && yesOrNo) {
    if (message.said === 'confirm' && !isDelivered(current)) return { kind: 'not-shown', turn: current, text: texts(message.locale).confirmationNotShown };
    return { kind: 'confirm', turn: current, yes: message.said === 'confirm' };
  }
  const choice = current?.status === 'asking' ? choiceIn(current, message.text) : undefined;
  if (current && choice) return { kind: 'choose', turn: current, value: choice };
  if (yesOrNo) return { kind: 'nothing-pending', text: texts(message.locale).nothingPending };
  return { kind: 'understand' };
}

/** What an intent engine understood of a message (./intent/intent.ts). */
export type Understood =
  | { kind: 'greeting' | 'help' | 'unknown' | 'confirm' | 'cancel' }
  | { kind: 'reply'; text: string }
  | { kind: 'tool'; call: { name: ToolName; args: Record<string, unknown> } };

/** What an understanding leads to: words for the customer, or a new turn. */
export type Outcome = { kind: 'say'; text: string; problem?: string } | { kind: 'start'; transition: Transition };

/**
 * Starts what the engine understood: a tool call becomes a turn, once its arguments pass the
 * tool's schema (an engine's proposal is checked like any input); anything else is told.
 */
export function understood(understanding: Understood, base: Pick<Turn, 'correlation_id' | 'user_id' | 'connection_id' | 'locale'>, confirmations: ConfirmationOpener): Outcome {
  const t = texts(base.locale);
  switch (understanding.kind) {
    case 'greeting':
      return { kind: 'say', text: t.greeting };
    case 'help':
      return { kind: 'say', text: t.help };
    case 'reply':
      return { kind: 'say', text: understanding.text };
    case 'unknown':
    case 'confirm':
    case 'cancel':
      return { kind: 'say', text: t.notUnderstood };
    case 'tool': {
      const violation = checkToolArguments(understanding.call.name, understanding.call.args);
      if (violation) return { kind: 'say', text: t.notUnderstood, problem: violation.message };
      return { kind: 'start', transition: startTurn({ ...base, tool: understanding.call.name, args: understanding.call.args }, confirmations) };
    }
  }
}

/** A confirmation the store refused (used, expired, someone else's): told, and the turn stays as it is. */
export function confirmationRefused(turn: Turn, text: string): Transition {
  return { turn, effects: [reply(turn, 'error', text)] };
}
