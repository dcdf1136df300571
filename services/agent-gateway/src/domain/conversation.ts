/**
 * A conversation turn, as a pure state machine. A turn starts from one customer message that
 * asks for a tool, and runs that tool's plan (lib/tools/plan.ts, the same plan the MCP server
 * runs) across bus events: each query the plan needs is published and its answer, arriving at the
 * `respond` function, moves the turn on; a question or a confirmation waits for the customer's
 * next message; the request is published only once the plan says `send`, or once the customer
 * confirmed what they were shown. Every function here returns the next turn and the effects to
 * carry out (events to publish, messages to push, a confirmation to create), never performing
 * them, so the handlers can record the transition before acting and act exactly once.
 *
 * One correlation_id runs through the whole turn: the message, every query and answer, the
 * confirmation, the request, the saga, and the answer on the socket.
 */
import { foldWords } from '@centli/pure/fold';
import { isFailureType } from '@centli/schemas';
import { fingerprint } from '@centli/tools/confirmation';
import { planTool, type Choice, type ToolAnswer, type ToolRequest } from '@centli/tools/plan';
import { toolSpec, type ToolName } from '@centli/tools/registry';
import { describeAnswer, refusal, texts, type Locale } from '@centli/tools/text';

export type TurnStatus = 'querying' | 'asking' | 'confirming' | 'sending' | 'done';

/** What the customer's socket receives: the contract of the chat page and any other client. */
export interface ServerMessage {
  kind: 'answer' | 'confirmation' | 'question' | 'error';
  text: string;
  correlation_id: string;
  locale: Locale;
  choices?: Array<{ label: string; value: string }>;
  /** When a confirmation stops being valid. */
  expires_at?: string;
  /** A purchase the answer is about: the page draws its saga. */
  purchase_id?: string;
  /** The answer event's detail-type, for clients that want structure. */
  data?: { detail_type: string };
  /**
   * The message's own id, the same on every push of it: a push can be repeated (after a crash, or
   * by two deliveries of one event racing), and a client shows a message_id once.
   */
  message_id?: string;
}

/** A request event with its identifiers, ready for the bus. */
export interface OutgoingRequest {
  detailType: string;
  detail: Record<string, unknown> & { request_id: string; correlation_id: string; user_id: string };
}

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
  /** The request_id the confirmed request goes out with. */
  confirmed_request_id?: string;
  purchase_id?: string;
  /** How many times the customer's choices replanned the turn: part of every query's request_id, so each query is its own request. */
  round?: number;
}

export type Effect =
  | { kind: 'publish'; request: OutgoingRequest }
  | { kind: 'reply'; message: ServerMessage }
  | { kind: 'confirmation'; key: string; requestId: string; summary: string; request: ToolRequest; argsHash: string; requestHash: string };

export interface Transition {
  turn: Turn;
  effects: Effect[];
}

export interface ConfirmationTokens {
  /** A fresh confirmation: the key it is stored under and the request_id the confirmed request will carry. */
  newConfirmation: () => { key: string; requestId: string; expiresAt: string };
}

/** Starts a turn for a tool call the intent engine proposed (already checked against the tool's schema). */
export function startTurn(base: Pick<Turn, 'correlation_id' | 'user_id' | 'connection_id' | 'locale' | 'tool' | 'args'>, tokens: ConfirmationTokens): Transition {
  return step({ ...base, answers: {}, status: 'querying' }, tokens);
}

/** Runs the plan from where the turn is. */
export function step(turn: Turn, tokens: ConfirmationTokens): Transition {
  const { locale } = turn;
  const next = planTool(turn.tool, turn.args, { locale, answers: turn.answers });
  const ids = (requestId: string) => ({ request_id: requestId, correlation_id: turn.correlation_id, user_id: turn.user_id });
  switch (next.kind) {
    case 'query': {
      const requestId = `${turn.correlation_id}-${next.key}${turn.round ? `-${turn.round}` : ''}`;
      return {
        turn: { ...turn, status: 'querying', awaiting: requestId, awaiting_key: next.key },
        effects: [{ kind: 'publish', request: { detailType: next.request.detailType, detail: { ...next.request.detail, ...ids(requestId) } } }],
      };
    }
    case 'ask':
      return {
        turn: withoutWaiting({ ...turn, status: 'asking', choices: next.choices }),
        effects: [reply(turn, 'question', next.text, { choices: next.choices.map((choice, index) => ({ label: choice.label, value: String(index + 1) })) })],
      };
    case 'refuse':
      return { turn: withoutWaiting({ ...turn, status: 'done' }), effects: [reply(turn, 'error', next.refusal.text || refusal(next.refusal.code, '', { locale }))] };
    case 'confirm': {
      const { key, requestId, expiresAt } = tokens.newConfirmation();
      const argsHash = fingerprint(turn.args);
      const requestHash = fingerprint(next.request);
      const yes = locale === 'es' ? 'Sí' : 'Yes';
      return {
        turn: withoutWaiting({ ...turn, status: 'confirming', request: next.request, confirmation_key: key, confirmed_request_id: requestId }),
        effects: [
          { kind: 'confirmation', key, requestId, summary: next.summary, request: next.request, argsHash, requestHash },
          reply(turn, 'confirmation', next.summary, { choices: [{ label: yes, value: yes.toLowerCase() }, { label: 'No', value: 'no' }], expires_at: expiresAt }),
        ],
      };
    }
    case 'send': {
      const requestId = `${turn.correlation_id}-send`;
      return send(turn, next.request, requestId);
    }
  }
}

function send(turn: Turn, request: ToolRequest, requestId: string): Transition {
  return {
    turn: { ...turn, status: 'sending', request, awaiting: requestId, awaiting_key: undefined },
    effects: [{ kind: 'publish', request: { detailType: request.detailType, detail: { ...request.detail, request_id: requestId, correlation_id: turn.correlation_id, user_id: turn.user_id } } }],
  };
}

/** The customer confirmed (their confirmation was consumed by the store): the request goes out. */
export function confirmed(turn: Turn): Transition {
  if (turn.status !== 'confirming' || !turn.request || !turn.confirmed_request_id) throw new Error(`turn ${turn.correlation_id} has nothing to confirm`);
  return send(turn, turn.request, turn.confirmed_request_id);
}

/** The customer declined: nothing happens. */
export function declined(turn: Turn): Transition {
  return { turn: withoutWaiting({ ...turn, status: 'done' }), effects: [reply(turn, 'answer', texts(turn.locale).declined)] };
}

/** The customer picked one of a question's choices: the same tool, with the choice's arguments, planned afresh. */
export function chose(turn: Turn, value: string, tokens: ConfirmationTokens): Transition | undefined {
  const index = Number(value) - 1;
  const choice = turn.choices?.[index];
  if (turn.status !== 'asking' || !choice) return undefined;
  return step({ ...turn, args: choice.args, answers: {}, choices: undefined, status: 'querying', round: (turn.round ?? 0) + 1 }, tokens);
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
 * told to the customer (a purchase's PURCHASE_STARTED only notes its id: the saga answers later).
 * Anything else (an answer already handled, another request's) changes nothing.
 */
export function answered(turn: Turn, event: ToolAnswer, tokens: ConfirmationTokens): Transition | undefined {
  const requestId = event.detail.request_id;
  if (turn.status === 'querying' && requestId === turn.awaiting && turn.awaiting_key) {
    return step({ ...turn, answers: { ...turn.answers, [turn.awaiting_key]: event } }, tokens);
  }
  if (turn.status !== 'sending') return undefined;
  if (event.detailType === 'PURCHASE_STARTED' && requestId === turn.awaiting) {
    return turn.purchase_id ? undefined : { turn: { ...turn, purchase_id: String(event.detail.purchase_id) }, effects: [] };
  }
  const ours = requestId === turn.awaiting || (turn.purchase_id !== undefined && event.detail.purchase_id === turn.purchase_id);
  if (!ours) return undefined;
  const failure = isFailureType(event.detailType);
  const text = describeAnswer(event, { locale: turn.locale, answers: turn.answers, ...(turn.request ? { request: turn.request } : {}) });
  const purchaseId = typeof event.detail.purchase_id === 'string' ? event.detail.purchase_id : turn.purchase_id;
  return {
    turn: withoutWaiting({ ...turn, status: 'done' }),
    effects: [reply(turn, failure ? 'error' : 'answer', text, { data: { detail_type: event.detailType }, ...(purchaseId ? { purchase_id: purchaseId } : {}) })],
  };
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
