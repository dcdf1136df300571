/**
 * A shared-secret signature over an HTTP body, as webhook senders sign theirs (Stripe's
 * `t=…,v1=…` scheme): HMAC-SHA256 over `<unix seconds>.<body bytes>`, hex, in one header with the
 * timestamp. The timestamp is signed, so an old notification cannot be made fresh; one outside the
 * tolerance either way is refused as stale, and a replay inside it finds what the first delivery
 * did (the receiver is idempotent on the payment's own key, the clave de rastreo), so it moves
 * nothing. Pure: node:crypto only.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';

/** The header that carries the timestamp and the signature. */
export const SIGNATURE_HEADER = 'x-centli-signature';

/** How far a signed timestamp may be from the receiver's clock, either way: five minutes (Stripe's default). */
export const DEFAULT_TOLERANCE_SECONDS = 300;

/** Why a signature was refused. */
export type SignatureProblem = 'missing' | 'malformed' | 'stale' | 'mismatch';

function mac(secret: string, timestamp: number, body: Buffer | string): Buffer {
  return createHmac('sha256', secret).update(`${timestamp}.`).update(body).digest();
}

/** The header value that signs `body` at `now`. */
export function signBody(secret: string, body: Buffer | string, now: Date): string {
  if (secret === '') throw new Error('a signature needs a secret');
  const timestamp = Math.floor(now.getTime() / 1000);
  return `t=${timestamp},v1=${mac(secret, timestamp, body).toString('hex')}`;
}

/**
 * Checks the header against the body: the signature must be the secret's over this body and the
 * signed timestamp, and that timestamp within `toleranceSeconds` of `now`. Returns the problem,
 * or nothing when it holds. An empty secret verifies nothing (a stage without one refuses all).
 */
export function verifySignedBody(secret: string, body: Buffer | string, header: string | undefined, now: Date, toleranceSeconds = DEFAULT_TOLERANCE_SECONDS): SignatureProblem | undefined {
  if (header === undefined || header === '') return 'missing';
  const fields = new Map(header.split(',').map((part) => part.trim().split('=', 2) as [string, string | undefined]));
  const t = fields.get('t');
  const v1 = fields.get('v1');
  if (t === undefined || !/^[0-9]{1,12}$/.test(t) || v1 === undefined || !/^[0-9a-f]{64}$/.test(v1)) return 'malformed';
  if (secret === '') return 'mismatch';
  const timestamp = Number(t);
  // Checked before the MAC is compared, so a stale header is refused whatever it signs; it says nothing about the secret.
  if (Math.abs(Math.floor(now.getTime() / 1000) - timestamp) > toleranceSeconds) return 'stale';
  const given = Buffer.from(v1, 'hex');
  const expected = mac(secret, timestamp, body);
  return timingSafeEqual(given, expected) ? undefined : 'mismatch';
}

/** How a receiver refuses a signed JSON body: 401 when the signature does not hold, 400 when the body is not what its contract says. */
export type SignedJsonRefusal =
  | { status: 401; body: { error: 'signature'; problem: SignatureProblem } }
  | { status: 400; body: { error: 'invalid'; message: string } };

/**
 * A signed JSON body, believed in this order: the signature over the raw bytes (`verifySignedBody`),
 * then JSON, then its contract (`validate`, which names what breaks it). Returns the value `validate`
 * accepted, or the refusal to answer; either refusal comes before anything is written.
 */
export function readSignedJson<T>(secret: string, body: Buffer | string, header: string | undefined, now: Date, validate: (value: unknown) => { message: string } | undefined): { value: T } | { refusal: SignedJsonRefusal } {
  const problem = verifySignedBody(secret, body, header, now);
  if (problem) return { refusal: { status: 401, body: { error: 'signature', problem } } };
  let parsed: unknown;
  try {
    parsed = JSON.parse(body.toString('utf8'));
  } catch {
    return { refusal: { status: 400, body: { error: 'invalid', message: 'the body is not JSON' } } };
  }
  const violation = validate(parsed);
  if (violation) return { refusal: { status: 400, body: { error: 'invalid', message: violation.message } } };
  return { value: parsed as T };
}
