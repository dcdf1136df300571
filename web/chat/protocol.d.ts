/** Types of protocol.js (the page loads the .js as it is; tests and editors read these). */

export type Kind = 'answer' | 'confirmation' | 'question' | 'error';
export type Locale = 'es' | 'en';

export interface Choice {
  label: string;
  value: string;
}

export interface ServerMessage {
  kind: Kind;
  text: string;
  correlationId?: string;
  locale?: Locale;
  choices: Choice[];
  expiresAt?: string;
  expiresAtMs?: number;
  /** A confirmation's own id: its buttons send it back. */
  confirmationId?: string;
  purchaseId?: string;
  /** A SPEI transfer the message is about: the page draws its saga. */
  transferId?: string;
  /** An operation above the customer's MTU: the approval page where they approve it with their passkey (http(s) only). */
  approvalUrl?: string;
  data?: Record<string, unknown>;
  /** The server's id of the message: a repeated push carries the same one. */
  messageId?: string;
  /** Told by a service on its own (a payment received): it answers no request. */
  notice?: true;
  /** `server`: the gateway's message; `gateway`: API Gateway's own error frame; `invalid`: unreadable. */
  origin: 'server' | 'gateway' | 'invalid';
  gatewayMessage?: string;
  requestId?: string;
  raw: unknown;
}

export const KINDS: Kind[];
export const LOCALES: Locale[];
export const MAX_TEXT_LENGTH: number;

export function normalizeLocale(value: unknown, fallback?: Locale): Locale;
export function normalizeChoices(choices: unknown): Choice[];
export function parseServerFrame(raw: unknown, options?: { locale?: Locale }): ServerMessage;
export function buildMessageFrame(text: unknown, replyTo?: string, confirmationId?: string): string | undefined;
export function socketUrl(websocketUrl: string, token: string): string;
export function reconnectDelay(attempt: number, options?: { baseMs?: number; maxMs?: number; random?: () => number }): number;

export class SeenMessages {
  constructor(limit?: number);
  firstTime(id: string | undefined): boolean;
}

export function sagaOf(message: Pick<ServerMessage, 'purchaseId' | 'transferId'>): { machine: 'purchase' | 'spei-transfer'; id: string } | undefined;

export class RequestTracker {
  phase: 'idle' | 'waiting' | 'answered';
  correlationId: string | undefined;
  sentAt: number | undefined;
  answeredAt: number | undefined;
  awaitingCustomer: boolean;
  purchaseId: string | undefined;
  send(now?: number): void;
  receive(message: Pick<ServerMessage, 'kind' | 'correlationId' | 'purchaseId' | 'notice'>, now?: number): { newCorrelation: boolean; correlationId?: string };
  abandon(now?: number): boolean;
  readonly waiting: boolean;
}

export function shouldPollEvents(state: { correlationId?: string; waiting: boolean; pollsSinceAnswer: number; sagaRunning?: boolean; afterPolls?: number }): boolean;
