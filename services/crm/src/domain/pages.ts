/**
 * Paging through a customer's beneficiaries: the cursor is opaque to callers but bound to the
 * customer it was made for, so a cursor from one customer's list is refused for another's.
 */
import { BENEFICIARY_PREFIX } from './beneficiary';
import { InvalidCursorError } from '../errors';

export interface PageKey {
  user_id: string;
  beneficiary_id: string;
}

export function encodeCursor(userId: string, lastKey: PageKey | undefined): string | undefined {
  if (!lastKey) return undefined;
  return Buffer.from(JSON.stringify({ u: userId, k: { user_id: lastKey.user_id, beneficiary_id: lastKey.beneficiary_id } })).toString('base64url');
}

export function decodeCursor(userId: string, cursor: string | undefined): PageKey | undefined {
  if (cursor === undefined) return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw new InvalidCursorError();
  }
  const { u, k } = (parsed ?? {}) as { u?: unknown; k?: unknown };
  if (u !== userId || typeof k !== 'object' || k === null) throw new InvalidCursorError();
  const { user_id, beneficiary_id } = k as Record<string, unknown>;
  // The key must sit in this customer's partition, among the beneficiaries.
  if (user_id !== userId || typeof beneficiary_id !== 'string' || !beneficiary_id.startsWith(BENEFICIARY_PREFIX)) throw new InvalidCursorError();
  return { user_id, beneficiary_id };
}
