/**
 * Caller PINs, stored only as scrypt hashes: `scrypt$<N>$<r>$<p>$<salt>$<hash>` (salt and hash
 * base64url), so each hash carries its own salt and cost and the cost can rise without rehashing
 * every PIN at once. A PIN has few digits, so the hash is slow on purpose and the lockout
 * (lockout.ts) is what really bounds guessing.
 */
import { randomBytes, scrypt, timingSafeEqual, type ScryptOptions } from 'node:crypto';

export interface PinHashParameters {
  /** CPU/memory cost, a power of two. */
  N: number;
  r: number;
  p: number;
}

/** 2^15 × 8 × 128 bytes = 32 MiB and about 50-100 ms per hash on a Lambda core (docs/decisions.md). */
export const PIN_HASH_PARAMETERS: PinHashParameters = { N: 2 ** 15, r: 8, p: 1 };
const KEY_BYTES = 32;
const SALT_BYTES = 16;

/** Four to eight keypad digits. */
export function isPinShaped(pin: unknown): pin is string {
  return typeof pin === 'string' && /^\d{4,8}$/.test(pin);
}

function derive(pin: string, salt: Buffer, { N, r, p }: PinHashParameters): Promise<Buffer> {
  const options: ScryptOptions = { N, r, p, maxmem: 256 * N * r };
  return new Promise((resolve, reject) => scrypt(pin, salt, KEY_BYTES, options, (error, key) => (error ? reject(error) : resolve(key))));
}

/** The stored form of a PIN, with a fresh random salt. */
export async function hashPin(pin: string, parameters: PinHashParameters = PIN_HASH_PARAMETERS, salt: Buffer = randomBytes(SALT_BYTES)): Promise<string> {
  const key = await derive(pin, salt, parameters);
  return ['scrypt', parameters.N, parameters.r, parameters.p, salt.toString('base64url'), key.toString('base64url')].join('$');
}

/**
 * Whether the PIN is the one hashed, compared in constant time. A stored value that is not a
 * scrypt hash of this format matches nothing.
 */
export async function verifyPin(pin: string, stored: string): Promise<boolean> {
  const parts = stored.split('$');
  if (parts.length !== 6 || parts[0] !== 'scrypt') return false;
  const [N, r, p] = parts.slice(1, 4).map(Number) as [number, number, number];
  if (![N, r, p].every((n) => Number.isInteger(n) && n > 0) || N > 2 ** 20) return false;
  const expected = Buffer.from(parts[5] as string, 'base64url');
  if (expected.length !== KEY_BYTES) return false;
  const actual = await derive(pin, Buffer.from(parts[4] as string, 'base64url'), { N, r, p });
  return timingSafeEqual(actual, expected);
}
