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

export function newPendingConfirmation(token: string, binding: Required<ConfirmationBinding>, request: PendingConfirmation['request'], summary: string, now: Date, correlationId?: string): PendingConfirmation {
  return {
    pk: confirmationKey(token),
    user_id: binding.userId,
    tool: binding.tool,
    args_hash: binding.argsHash,
    request_hash: binding.requestHash,
    request,
    summary,
    status: 'pending',
    expires_at: Math.floor(now.getTime() / 1000) + CONFIRMATION_TTL_SECONDS,
    created_at: now.toISOString(),
    ...(correlationId ? { correlation_id: correlationId } : {}),
  };
}

/** A confirmation that cannot be used; the code says why, the message is safe to show. */
export class ConfirmationError extends CentliError {}

export class ConfirmationInvalidError extends ConfirmationError {
  constructor() {
    super('CONFIRMATION.INVALID', 'That confirmation is not valid. Nothing was done; ask again to get a new one.', { field: 'confirmation_token' });
  }
}

export class ConfirmationExpiredError extends ConfirmationError {
  constructor() {
    super('CONFIRMATION.EXPIRED', 'That confirmation expired. Nothing was done; ask again to get a new one.', { field: 'confirmation_token' });
  }
}

export class ConfirmationUsedError extends ConfirmationError {
  constructor() {
    super('CONFIRMATION.USED', 'That confirmation was already used; nothing was done again.', { field: 'confirmation_token' });
  }
}

export class ConfirmationAlteredError extends ConfirmationError {
  constructor() {
    super('CONFIRMATION.ALTERED', 'That confirmation was for something else: the request changed since it was shown. Nothing was done; ask again.', { field: 'confirmation_token' });
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
