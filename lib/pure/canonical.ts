/**
 * Canonical JSON and its fingerprint: equal values give equal text (object keys sorted,
 * undefined dropped), so a hash of it says whether two requests, arguments or summaries are the
 * same. Pure.
 */
import { createHash } from 'node:crypto';

export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, item]) => item !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([key, item]) => `${JSON.stringify(key)}:${canonicalJson(item)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

/** SHA-256 of the canonical JSON, base64url. */
export function fingerprint(value: unknown): string {
  return createHash('sha256').update(canonicalJson(value)).digest('base64url');
}

/**
 * What makes a request the request it is, whichever delivery carries it: the whole detail but
 * its correlation id (which only ties events together for the logs). An idempotency key
 * (`request_id`) reused with another fingerprint is another request, refused as
 * REQUEST.ID_REUSED, never answered with the first one's outcome (Stripe's rule).
 */
export function requestFingerprint(detail: Readonly<Record<string, unknown>>): string {
  const { correlation_id: _correlation, ...rest } = detail;
  return fingerprint(rest);
}
