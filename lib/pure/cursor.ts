/**
 * Opaque page cursors: the last key of a DynamoDB page, bound to the scope it was read in
 * (`user:<id>`, `account:<id>`), as base64url JSON. A cursor presented for another scope, or
 * one that does not decode to string key attributes, is refused with the caller's own error.
 * Callers still check that the key lies in the partition they read: the scope binds the
 * cursor to a query, the check binds the key to the data.
 */
export type PageKey = Record<string, string>;

export function encodeCursor(scope: string, lastKey: Record<string, unknown> | undefined): string | undefined {
  if (!lastKey) return undefined;
  return Buffer.from(JSON.stringify({ s: scope, k: lastKey })).toString('base64url');
}

export function decodeCursor(scope: string, cursor: string | undefined, refuse: () => Error): PageKey | undefined {
  if (cursor === undefined) return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw refuse();
  }
  const { s, k } = (parsed ?? {}) as { s?: unknown; k?: unknown };
  if (s !== scope || typeof k !== 'object' || k === null || Array.isArray(k)) throw refuse();
  if (!Object.values(k).every((value) => typeof value === 'string')) throw refuse();
  return k as PageKey;
}
