/**
 * Paging through history: the cursor is opaque to callers but bound to the query that made
 * it, so a cursor from one customer's (or one account's) history is refused for another's.
 */
import { InvalidCursorError, InvalidRangeError } from '../errors';

export type PageKey = Record<string, string>;

export interface HistoryScope {
  /** `account` reads one account's partition; `user` reads the user_id index. */
  by: 'account' | 'user';
  key: string;
}

export function encodeCursor(scope: HistoryScope, lastKey: PageKey | undefined): string | undefined {
  if (!lastKey) return undefined;
  return Buffer.from(JSON.stringify({ s: `${scope.by}:${scope.key}`, k: lastKey })).toString('base64url');
}

export function decodeCursor(scope: HistoryScope, cursor: string | undefined, owner: string): PageKey | undefined {
  if (cursor === undefined) return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw new InvalidCursorError();
  }
  const { s, k } = (parsed ?? {}) as { s?: unknown; k?: unknown };
  if (s !== `${scope.by}:${scope.key}` || typeof k !== 'object' || k === null) throw new InvalidCursorError();
  const key = k as Record<string, unknown>;
  if (!Object.values(key).every((v) => typeof v === 'string')) throw new InvalidCursorError();
  // The key must sit in the partition being read, and (on the index) belong to this user.
  const partition = scope.by === 'account' ? key.account_id : key.user_id;
  if (partition !== scope.key || (scope.by === 'user' && key.user_id !== owner)) throw new InvalidCursorError();
  return key as PageKey;
}

/** Sort-key bounds for a date range; entries sort as `<ISO timestamp>#<transaction_id>`. */
export function sortKeyRange(from: string | undefined, to: string | undefined): { lower?: string; upper?: string } {
  const lower = from === undefined ? undefined : new Date(from).toISOString();
  // '~' sorts after '#' and every id character, so the whole `to` instant is included.
  const upper = to === undefined ? undefined : `${new Date(to).toISOString()}~`;
  if (lower !== undefined && upper !== undefined && lower > upper) throw new InvalidRangeError();
  return { ...(lower === undefined ? {} : { lower }), ...(upper === undefined ? {} : { upper }) };
}
