/**
 * The chat's WebSocket protocol, without the socket: reading the frames the agent gateway (or
 * API Gateway itself) sends, building the frames the page sends, following the current
 * request, and the reconnect backoff. No DOM, no timers: connection.js and conversation.js do
 * those.
 *
 * Server → client: `{ kind, text, correlation_id, locale?, choices?, expires_at?, confirmation_id?, purchase_id?, transfer_id?, approval_url?, data?, message_id? }`,
 * `kind` one of answer | confirmation | question | error. API Gateway's own answers (an unknown
 * route, a handler that failed) are `{ message, connectionId, requestId }` with no `kind`.
 * Client → server: `{ action: 'message', text, reply_to?, confirmation_id? }`. A button sends its
 * value with the `correlation_id` of the message that offered it (`reply_to`) and, for a
 * confirmation's, that confirmation's `confirmation_id`: the gateway takes it only for that
 * confirmation, while it is the customer's open one.
 *
 * @module
 */

export const KINDS = ['answer', 'confirmation', 'question', 'error'];
export const LOCALES = ['es', 'en'];
/** API Gateway refuses frames over 128 KB; a chat message never needs more than this. */
export const MAX_TEXT_LENGTH = 2000;

const GATEWAY_ERRORS = {
  Forbidden: { es: 'El servidor no aceptó el mensaje (Forbidden).', en: 'The server did not accept the message (Forbidden).' },
  'Internal server error': {
    es: 'Ocurrió un error en el servidor al procesar tu mensaje. Inténtalo de nuevo.',
    en: 'Something went wrong on the server while handling your message. Please try again.',
  },
};
const GENERIC = {
  invalid: { es: 'Llegó una respuesta que no se pudo leer.', en: 'A reply arrived that could not be read.' },
  gateway: { es: 'El servidor respondió con un error', en: 'The server answered with an error' },
  empty: { es: 'Llegó una respuesta vacía.', en: 'An empty reply arrived.' },
};
const YES_NO = {
  es: [
    { label: 'Sí', value: 'sí' },
    { label: 'No', value: 'no' },
  ],
  en: [
    { label: 'Yes', value: 'yes' },
    { label: 'No', value: 'no' },
  ],
};

/** `es` or `en` from whatever the server says (`es-MX`, `EN`…); `fallback` otherwise. */
export function normalizeLocale(value, fallback = 'es') {
  if (typeof value !== 'string') return fallback;
  const base = value.trim().toLowerCase().split(/[-_]/)[0];
  return LOCALES.includes(base) ? base : fallback;
}

function nonEmptyString(value) {
  return typeof value === 'string' && value.trim() !== '' ? value : undefined;
}

/**
 * Choices as buttons: `{ label, value }` objects (a bare string is both), blanks dropped.
 *
 * @returns {{ label: string, value: string }[]}
 */
export function normalizeChoices(choices) {
  if (!Array.isArray(choices)) return [];
  const out = [];
  for (const choice of choices) {
    if (typeof choice === 'string' || typeof choice === 'number') {
      const text = String(choice);
      if (text.trim()) out.push({ label: text, value: text });
      continue;
    }
    if (!choice || typeof choice !== 'object') continue;
    const label = nonEmptyString(choice.label) ?? nonEmptyString(choice.text) ?? (choice.value !== undefined ? String(choice.value) : undefined);
    const value = choice.value !== undefined && choice.value !== null ? String(choice.value) : label;
    if (label && value !== undefined && value !== '') out.push({ label, value });
  }
  return out;
}

/**
 * One server frame, read and classified. Never throws: what cannot be read becomes an error
 * message the page can show.
 *
 * @param {string | object} raw The frame's text (or an already parsed object).
 * @param {{ locale?: 'es'|'en', now?: number }} [options] `locale`: the page's, for errors the server did not word.
 * @returns {{
 *   kind: 'answer'|'confirmation'|'question'|'error', text: string, correlationId?: string, locale?: 'es'|'en',
 *   choices: { label: string, value: string }[], expiresAt?: string, expiresAtMs?: number, confirmationId?: string, purchaseId?: string, transferId?: string, data?: object, messageId?: string,
 *   origin: 'server'|'gateway'|'invalid', raw: unknown
 * }}
 */
export function parseServerFrame(raw, options = {}) {
  const pageLocale = normalizeLocale(options.locale);
  let frame = raw;
  if (typeof raw === 'string') {
    try {
      frame = JSON.parse(raw);
    } catch {
      return { kind: 'error', text: GENERIC.invalid[pageLocale], choices: [], origin: 'invalid', raw };
    }
  }
  if (!frame || typeof frame !== 'object' || Array.isArray(frame)) {
    return { kind: 'error', text: GENERIC.invalid[pageLocale], choices: [], origin: 'invalid', raw };
  }

  // API Gateway's own error frame: `message` (and `connectionId`), no `kind`.
  if (frame.kind === undefined && typeof frame.message === 'string') {
    const known = GATEWAY_ERRORS[frame.message];
    return {
      kind: 'error',
      text: known ? known[pageLocale] : `${GENERIC.gateway[pageLocale]}: ${frame.message}`,
      choices: [],
      origin: 'gateway',
      gatewayMessage: frame.message,
      ...(typeof frame.requestId === 'string' ? { requestId: frame.requestId } : {}),
      raw: frame,
    };
  }

  const locale = frame.locale === undefined ? undefined : normalizeLocale(frame.locale, pageLocale);
  const wordsIn = locale ?? pageLocale;
  let kind = typeof frame.kind === 'string' ? frame.kind.toLowerCase() : undefined;
  const text = typeof frame.text === 'string' ? frame.text : typeof frame.message === 'string' ? frame.message : '';
  if (!KINDS.includes(kind)) kind = text ? 'answer' : 'error';
  let choices = normalizeChoices(frame.choices);
  if (kind === 'confirmation' && choices.length === 0) choices = YES_NO[wordsIn].map((c) => ({ ...c }));

  const message = {
    kind,
    text: text || (kind === 'error' ? GENERIC.empty[wordsIn] : ''),
    choices,
    origin: 'server',
    raw: frame,
  };
  const correlationId = nonEmptyString(frame.correlation_id);
  if (correlationId) message.correlationId = correlationId;
  const messageId = nonEmptyString(frame.message_id);
  if (messageId) message.messageId = messageId;
  if (frame.notice === true) message.notice = true;
  if (locale) message.locale = locale;
  if (typeof frame.expires_at === 'string' && Number.isFinite(Date.parse(frame.expires_at))) {
    message.expiresAt = frame.expires_at;
    message.expiresAtMs = Date.parse(frame.expires_at);
  }
  const confirmationId = nonEmptyString(frame.confirmation_id);
  if (confirmationId) message.confirmationId = confirmationId;
  const purchaseId = nonEmptyString(frame.purchase_id) ?? nonEmptyString(frame.data?.purchase_id);
  if (purchaseId) message.purchaseId = purchaseId;
  const transferId = nonEmptyString(frame.transfer_id);
  if (transferId) message.transferId = transferId;
  if (frame.data && typeof frame.data === 'object') message.data = frame.data;
  const approvalUrl = webUrl(frame.approval_url);
  if (approvalUrl) message.approvalUrl = approvalUrl;
  return message;
}

/**
 * A link the page may open: an http(s) URL, as the URL parser writes it; anything else (a
 * `javascript:` URL, text that is no URL) is no link.
 *
 * @param {unknown} value
 * @returns {string | undefined}
 */
function webUrl(value) {
  if (typeof value !== 'string' || !value) return undefined;
  try {
    const url = new URL(value);
    return url.protocol === 'https:' || url.protocol === 'http:' ? url.toString() : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The frame a customer message becomes, or `undefined` for a blank one.
 *
 * @param {string} text
 * @param {string} [replyTo] The correlation id of the message whose button was pressed.
 * @param {string} [confirmationId] The confirmation id of the confirmation whose button was pressed.
 * @returns {string | undefined} JSON text.
 */
export function buildMessageFrame(text, replyTo, confirmationId) {
  if (typeof text !== 'string') return undefined;
  const trimmed = text.trim().slice(0, MAX_TEXT_LENGTH);
  if (!trimmed) return undefined;
  const frame = { action: 'message', text: trimmed };
  if (typeof replyTo === 'string' && replyTo) frame.reply_to = replyTo;
  if (typeof confirmationId === 'string' && confirmationId) frame.confirmation_id = confirmationId;
  return JSON.stringify(frame);
}

/**
 * The WebSocket URL for a token: the configured URL with `token` added to its query.
 *
 * @param {string} websocketUrl
 * @param {string} token
 */
export function socketUrl(websocketUrl, token) {
  const separator = websocketUrl.includes('?') ? '&' : '?';
  return `${websocketUrl}${separator}token=${encodeURIComponent(token)}`;
}

/**
 * Reconnect delay: exponential from `baseMs`, capped at `maxMs`, with equal jitter (between half
 * and all of it), so many pages do not come back at once.
 *
 * @param {number} attempt 1 for the first retry.
 * @param {{ baseMs?: number, maxMs?: number, random?: () => number }} [options]
 */
export function reconnectDelay(attempt, options = {}) {
  const { baseMs = 500, maxMs = 15_000, random = Math.random } = options;
  const ceiling = Math.min(maxMs, baseMs * 2 ** Math.max(0, attempt - 1));
  return Math.round(ceiling / 2 + random() * (ceiling / 2));
}

/**
 * The message ids already shown. The server may push a message twice (its pushes are at least
 * once); a repeat carries the same `message_id` and is dropped. Remembers the last `limit` ids.
 */
export class SeenMessages {
  constructor(limit = 500) {
    this.limit = limit;
    this.ids = new Set();
  }

  /** True the first time `id` is seen (and for messages without an id); false for a repeat. */
  firstTime(id) {
    if (!id) return true;
    if (this.ids.has(id)) return false;
    this.ids.add(id);
    if (this.ids.size > this.limit) this.ids.delete(this.ids.values().next().value);
    return true;
  }
}

/**
 * Follows the current request: the customer's latest message, whose correlation id the page
 * learns from the first server message after it.
 *
 * States: `idle` (nothing asked yet), `waiting` (sent; no reply yet: the typing indicator),
 * `answered` (a reply came; `awaitingCustomer` when it asked a question or a confirmation).
 */
/**
 * The saga a message is about, as the page draws it: its execution's name and the state
 * machine's key the stack serves its definition under (`/sagas/<machine>`): a purchase's
 * (`purchase`, by its purchase id) or a SPEI transfer's (`spei-transfer`, by its transfer id).
 *
 * @param {{ purchaseId?: string, transferId?: string }} message
 * @returns {{ machine: 'purchase'|'spei-transfer', id: string } | undefined}
 */
export function sagaOf(message) {
  if (message.purchaseId) return { machine: 'purchase', id: message.purchaseId };
  if (message.transferId) return { machine: 'spei-transfer', id: message.transferId };
  return undefined;
}

export class RequestTracker {
  constructor() {
    this.phase = 'idle';
    this.correlationId = undefined;
    this.sentAt = undefined;
    this.answeredAt = undefined;
    this.awaitingCustomer = false;
    this.purchaseId = undefined;
  }

  /** The customer sent a message (typed, or a button with `replyTo`). */
  send(now = Date.now()) {
    this.phase = 'waiting';
    this.correlationId = undefined;
    this.sentAt = now;
    this.answeredAt = undefined;
    this.awaitingCustomer = false;
    this.purchaseId = undefined;
  }

  /**
   * A server message arrived.
   *
   * @param {ReturnType<typeof parseServerFrame>} message
   * @returns {{ newCorrelation: boolean, correlationId?: string }} Whether the current request's id changed.
   */
  receive(message, now = Date.now()) {
    // A notice (a payment received) answers nothing: the request under way is still under way.
    if (message.notice) return { newCorrelation: false, correlationId: this.correlationId };
    let newCorrelation = false;
    if (message.correlationId && message.correlationId !== this.correlationId) {
      this.correlationId = message.correlationId;
      this.purchaseId = undefined;
      newCorrelation = true;
    }
    if (message.purchaseId && (message.correlationId === undefined || message.correlationId === this.correlationId)) this.purchaseId = message.purchaseId;
    if (this.phase === 'idle' && !message.correlationId) return { newCorrelation, correlationId: this.correlationId };
    this.phase = 'answered';
    this.answeredAt = now;
    this.awaitingCustomer = message.kind === 'confirmation' || message.kind === 'question';
    return { newCorrelation, correlationId: this.correlationId };
  }

  /** The socket dropped: an outstanding request will get no answer on this connection. */
  abandon(now = Date.now()) {
    const wasWaiting = this.phase === 'waiting';
    if (wasWaiting) {
      this.phase = 'answered';
      this.answeredAt = now;
    }
    return wasWaiting;
  }

  /** Whether the typing indicator shows. */
  get waiting() {
    return this.phase === 'waiting';
  }
}

/**
 * Whether to poll the events of the request the panel shows: while the customer waits for a
 * reply, then `afterPolls` more times after it (events that follow the answer), and as long as
 * a saga the request started still runs.
 *
 * @param {{ correlationId?: string, waiting: boolean, pollsSinceAnswer: number, sagaRunning?: boolean, afterPolls?: number }} state
 */
export function shouldPollEvents(state) {
  if (!state.correlationId) return false;
  if (state.waiting || state.sagaRunning) return true;
  return state.pollsSinceAnswer < (state.afterPolls ?? 6);
}
