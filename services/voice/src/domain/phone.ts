/**
 * Caller ids as E.164 (`+` and at most 15 digits), the one form the voice table is keyed by: Amazon
 * Connect passes `CustomerEndpoint.Address` in E.164 already, and the seeded customers' phones are
 * written for people ("+52 55 1234 5678").
 */

/** E.164 allows at most fifteen digits after the `+`, the country code included. */
const MAX_DIGITS = 15;
const MIN_DIGITS = 8;

/**
 * The E.164 form of a phone number written with spaces, dashes, dots or parentheses, or undefined
 * when it is not an international number (no leading `+` or `00`, letters, too short or too long):
 * a caller id that cannot be read is an unknown caller, never a guess.
 */
export function toE164(raw: unknown): string | undefined {
  if (typeof raw !== 'string') return undefined;
  const text = raw.trim();
  if (!/^(\+|00)?[\d\s().-]+$/.test(text)) return undefined;
  const international = text.startsWith('+') || text.startsWith('00');
  if (!international) return undefined;
  const all = text.replace(/\D/g, '');
  const digits = text.startsWith('00') ? all.slice(2) : all;
  if (digits.startsWith('0') || digits.length < MIN_DIGITS || digits.length > MAX_DIGITS) return undefined;
  return `+${digits}`;
}

/** The number as logs may show it: the country code and the last two digits. */
export function maskedPhone(e164: string): string {
  return `${e164.slice(0, 3)}…${e164.slice(-2)}`;
}
