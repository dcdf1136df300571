/**
 * The confirmation rule both front doors share: nothing that moves money (or cancels a card)
 * happens until the customer confirms exactly what they were shown. A pending confirmation is
 * - single-use: consuming it is one conditional write from `pending` to `used`;
 * - expiring: five minutes after it was shown;
 * - bound to the customer it was shown to, the tool, the arguments that asked for it and the
 *   request it summarised (their fingerprints), so a token replayed by someone else, for other
 *   arguments, or after what it summarised changed, is refused and nothing moves.
 * The token itself is never stored: the table keys a pending confirmation by the token's hash,
 * and the request it sends is idempotent on an id derived from the token, so even a race of two
 * confirmations reaches the ledger as one request.
 */
import { createHash, randomBytes } from 'node:crypto';
import { canonicalJson, fingerprint } from '@centli/pure/canonical';
import { CentliError } from '@centli/pure/errors';
import { refusal, type Locale } from './text';

export { canonicalJson, fingerprint };

export const CONFIRMATION_TTL_SECONDS = 300;

/** 256 random bits: what the customer (or agent) gets to confirm with. */
export function newConfirmationToken(): string {
  return randomBytes(32).toString('base64url');
}

/** Where a token's pending confirmation is kept: its hash, so the table holds no usable token. */
export function confirmationKey(token: string): string {
  return `cf_${createHash('sha256').update(`confirmation\u0000${token}`).digest('base64url')}`;
}

/** The request_id of the request a confirmation sends: the same for every use of one token. */
export function confirmedRequestId(token: string): string {
  return `cf-${createHash('sha256').update(`request\u0000${token}`).digest('base64url').slice(0, 40)}`;
}

export type ConfirmationStatus = 'pending' | 'used' | 'cancelled';

/** A confirmation waiting for the customer. */
export interface PendingConfirmation {
  pk: string;
  user_id: string;
  tool: string;
  args_hash: string;
  request_hash: string;
  /** The request that confirming sends (without identifiers), and what the customer was told. */
  request: { detailType: string; detail: Record<string, unknown> };
  summary: string;
  status: ConfirmationStatus;
  /** Epoch seconds; also the table's TTL attribute. */
  expires_at: number;
  created_at: string;
  correlation_id?: string;
}

/** What a confirmation must match to be consumed. */
export interface ConfirmationBinding {
  userId: string;
  tool: string;
  argsHash: string;
  /** Undefined when the caller cannot recompute the request (the chat confirms what it stored). */
  requestHash?: string;
}

/**
 * What a confirmation is bound to: the customer, the tool, the arguments that asked for it (a
 * confirmation_token among them is not part of what was asked) and the request it summarises.
 */
export function bindingFor(userId: string, tool: string, args: Record<string, unknown>, request: PendingConfirmation['request']): Required<ConfirmationBinding> {
  const { confirmation_token: _token, ...asked } = args;
  return { userId, tool, argsHash: fingerprint(asked), requestHash: fingerprint(request) };
}

/** A confirmation just opened: what to store, and what the customer (or agent) is told. */
export interface OpenedConfirmation {
  /** What confirms it (an MCP agent gets it; the chat never shows it). */
  token: string;
  /** Where it is stored: the token's hash. */
  key: string;
  /** The request_id the confirmed request goes out with. */
  requestId: string;
  /** The record to create, pending. */
  pending: PendingConfirmation;
  /** When it stops being valid (ISO 8601): the same instant as `pending.expires_at`. */
  expiresAt: string;
}

/**
 * Opens a confirmation of `request` for the customer of `binding`, as of `now` (read once, so the
 * expiry shown and the one stored are the same instant). The one record shape every door stores.
 */
export function openConfirmation(binding: Required<ConfirmationBinding>, request: PendingConfirmation['request'], summary: string, now: Date, correlationId?: string, token: string = newConfirmationToken()): OpenedConfirmation {
  const expiresAt = Math.floor(now.getTime() / 1000) + CONFIRMATION_TTL_SECONDS;
  const pending: PendingConfirmation = {
    pk: confirmationKey(token),
    user_id: binding.userId,
    tool: binding.tool,
    args_hash: binding.argsHash,
    request_hash: binding.requestHash,
    request,
    summary,
    status: 'pending',
    expires_at: expiresAt,
    created_at: now.toISOString(),
    ...(correlationId ? { correlation_id: correlationId } : {}),
  };
  return { token, key: pending.pk, requestId: confirmedRequestId(token), pending, expiresAt: new Date(expiresAt * 1000).toISOString() };
}

/** A confirmation that cannot be used; the code says why, the message is safe to show. */
export class ConfirmationError extends CentliError {}

export class ConfirmationInvalidError extends ConfirmationError {
  constructor() {
    super('CONFIRMATION.INVALID', {}, { field: 'confirmation_token' });
  }
}

export class ConfirmationExpiredError extends ConfirmationError {
  constructor() {
    super('CONFIRMATION.EXPIRED', {}, { field: 'confirmation_token' });
  }
}

export class ConfirmationUsedError extends ConfirmationError {
  constructor() {
    super('CONFIRMATION.USED', {}, { field: 'confirmation_token' });
  }
}

export class ConfirmationAlteredError extends ConfirmationError {
  constructor() {
    super('CONFIRMATION.ALTERED', {}, { field: 'confirmation_token' });
  }
}

/**
 * Why a confirmation could not be consumed, from the item as it was. Someone else's token is
 * answered like a token that never existed: nothing about another customer leaks.
 */
export function explainRejection(item: PendingConfirmation | undefined, binding: ConfirmationBinding, nowSeconds: number): ConfirmationError {
  if (!item || item.user_id !== binding.userId) return new ConfirmationInvalidError();
  if (item.status === 'used') return new ConfirmationUsedError();
  if (item.status !== 'pending') return new ConfirmationInvalidError();
  if (item.expires_at <= nowSeconds) return new ConfirmationExpiredError();
  if (item.tool !== binding.tool || item.args_hash !== binding.argsHash || (binding.requestHash !== undefined && item.request_hash !== binding.requestHash)) return new ConfirmationAlteredError();
  // Every condition holds now: it changed between the write and this read. Treat it as used.
  return new ConfirmationUsedError();
}

/** Where pending confirmations are consumed (lib/tools/adapters/confirmation-store.ts, or a test's fake). */
export interface ConfirmationConsumer {
  consume(key: string, binding: ConfirmationBinding, now: Date): Promise<PendingConfirmation>;
}

/** A confirmation consumed, or why not, in the customer's words. */
export type Consumed = { ok: true; pending: PendingConfirmation } | { ok: false; code: string; text: string };

/**
 * Consumes a confirmation for exactly this binding: the customer's yes, once. A confirmation
 * that cannot be used (someone else's, used, expired, for something else) is told in the
 * customer's language; anything else (the store failing) is thrown.
 */
export async function consumeConfirmation(store: ConfirmationConsumer, key: string, binding: ConfirmationBinding, now: Date, locale: Locale): Promise<Consumed> {
  try {
    return { ok: true, pending: await store.consume(key, binding, now) };
  } catch (error) {
    if (!(error instanceof ConfirmationError)) throw error;
    return { ok: false, code: error.code, text: refusal({ reason: error.code, params: error.params, message: error.message }, { locale }) };
  }
}
