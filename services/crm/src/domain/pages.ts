/**
 * Paging through a customer's beneficiaries: the cursor is opaque to callers but bound to the
 * customer it was made for, so a cursor from one customer's list is refused for another's.
 */
import { decodeCursor as decodeCursor_, encodeCursor as encodeCursor_ } from '@centli/pure/cursor';
import { BENEFICIARY_PREFIX } from './beneficiary';
import { InvalidCursorError } from '../errors';

export interface PageKey {
  user_id: string;
  beneficiary_id: string;
}

const scopeOf = (userId: string) => `user:${userId}`;

export function encodeCursor(userId: string, lastKey: PageKey | undefined): string | undefined {
  return encodeCursor_(scopeOf(userId), lastKey && { user_id: lastKey.user_id, beneficiary_id: lastKey.beneficiary_id });
}

export function decodeCursor(userId: string, cursor: string | undefined): PageKey | undefined {
  const key = decodeCursor_(scopeOf(userId), cursor, () => new InvalidCursorError());
  if (!key) return undefined;
  const { user_id, beneficiary_id } = key;
  // The key must sit in this customer's partition, among the beneficiaries.
  if (user_id !== userId || typeof beneficiary_id !== 'string' || !beneficiary_id.startsWith(BENEFICIARY_PREFIX)) throw new InvalidCursorError();
  return { user_id, beneficiary_id };
}
