/**
 * Card numbers in Centli are only ever masked: at most the first six digits (the issuer's BIN)
 * and the last four, the rest as asterisks (PCI DSS 3.4's maximum display). Every card number
 * the seed or the code writes, returns or logs goes through `maskCardNumber`.
 */

/** Payment card numbers have up to 19 digits (ISO/IEC 7812); the masked form hides at least three. */
export const MIN_CARD_NUMBER_LENGTH = 13;
export const MAX_CARD_NUMBER_LENGTH = 19;
export const VISIBLE_PREFIX = 6;
export const VISIBLE_SUFFIX = 4;

const MASKED = /^[0-9]{6}[*]{3,9}[0-9]{4}$/;

/**
 * Masks a card number to its first six and last four digits ("4152 3134 5678 1234" →
 * "415231******1234"). Spaces and dashes are ignored. A number already masked is returned
 * as it is, so masking twice changes nothing.
 *
 * @throws RangeError when the input is not a card number of 13 to 19 positions, or when a
 *   masked input hides one of the first six or last four digits (it cannot be completed).
 */
export function maskCardNumber(number: string): string {
  const compact = number.replace(/[\s-]/g, '');
  if (!/^[0-9*]+$/.test(compact)) throw new RangeError('a card number holds digits (and asterisks, when masked) only');
  if (compact.length < MIN_CARD_NUMBER_LENGTH || compact.length > MAX_CARD_NUMBER_LENGTH) {
    throw new RangeError(`a card number has ${MIN_CARD_NUMBER_LENGTH} to ${MAX_CARD_NUMBER_LENGTH} digits, not ${compact.length}`);
  }
  const prefix = compact.slice(0, VISIBLE_PREFIX);
  const suffix = compact.slice(-VISIBLE_SUFFIX);
  if (!/^[0-9]+$/.test(prefix + suffix)) throw new RangeError('a masked card number must show its first six and last four digits');
  return `${prefix}${'*'.repeat(compact.length - VISIBLE_PREFIX - VISIBLE_SUFFIX)}${suffix}`;
}

/** How many digits a string shows. */
export function visibleDigits(value: string): number {
  return value.replace(/[^0-9]/g, '').length;
}

/**
 * Whether a value is a masked card number as Centli stores and sends it: six digits,
 * asterisks, four digits, and never more than 6 + 4 digits visible.
 */
export function isMaskedCardNumber(value: string): boolean {
  return MASKED.test(value) && visibleDigits(value) <= VISIBLE_PREFIX + VISIBLE_SUFFIX;
}

/**
 * The masked number as it may leave the service. Refuses (rather than repairs) a stored value
 * that shows more than the first six and last four digits: that is a defect to fix at its
 * source, never something to publish.
 *
 * @throws RangeError when `value` is not a masked card number.
 */
export function assertMasked(value: string): string {
  if (!isMaskedCardNumber(value)) throw new RangeError(`refusing a card number that is not masked to 6 + 4 digits (${visibleDigits(value)} visible)`);
  return value;
}

/** The last four digits of a (masked or full) card number. */
export function lastFourOf(number: string): string {
  return maskCardNumber(number).slice(-VISIBLE_SUFFIX);
}
