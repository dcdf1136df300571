/**
 * Paging through history: the cursor is opaque to callers but bound to the query that made
 * it, so a cursor from one customer's (or one account's) history is refused for another's.
 */
import { decodeCursor, encodeCursor, type PageKey } from '@centli/pure/cursor';
import { InvalidCursorError, InvalidRangeError } from '../errors';

export type { PageKey };

export interface HistoryScope {
  /** `account` reads one account's partition; `user` reads the user_id index. */
  by: 'account' | 'user';
  key: string;
}

const scopeOf = (scope: HistoryScope) => `${scope.by}:${scope.key}`;

export function encodeHistoryCursor(scope: HistoryScope, lastKey: PageKey | undefined): string | undefined {
  return encodeCursor(scopeOf(scope), lastKey);
}

export function decodeHistoryCursor(scope: HistoryScope, cursor: string | undefined, owner: string): PageKey | undefined {
  const key = decodeCursor(scopeOf(scope), cursor, () => new InvalidCursorError());
  if (!key) return undefined;
  // The key must sit in the partition being read, and (on the index) belong to this user.
  const partition = scope.by === 'account' ? key.account_id : key.user_id;
  if (partition !== scope.key || (scope.by === 'user' && key.user_id !== owner)) throw new InvalidCursorError();
  return key;
}

/** Sort-key bounds for a date range; entries sort as `<ISO timestamp>#<transaction_id>`. */
export function sortKeyRange(from: string | undefined, to: string | undefined): { lower?: string; upper?: string } {
  const lower = from === undefined ? undefined : new Date(from).toISOString();
  // '~' sorts after '#' and every id character, so the whole `to` instant is included.
  const upper = to === undefined ? undefined : `${new Date(to).toISOString()}~`;
  if (lower !== undefined && upper !== undefined && lower > upper) throw new InvalidRangeError();
  return { ...(lower === undefined ? {} : { lower }), ...(upper === undefined ? {} : { upper }) };
}
