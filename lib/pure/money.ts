/**
 * Money is an integer count of minor units (centavos) plus an ISO 4217 code; never a float.
 * Formatting hands Intl a decimal *string*, so no amount ever passes through a binary float.
 */
export interface Money {
  amount: number;
  currency: string;
}

const digitsCache = new Map<string, number>();

/** Minor-unit digits of a currency (MXN 2, JPY 0, KWD 3), as ISO 4217 and Intl define them. */
export function minorUnitDigits(currency: string): number {
  let digits = digitsCache.get(currency);
  if (digits === undefined) {
    digits = new Intl.NumberFormat('en', { style: 'currency', currency }).resolvedOptions().maximumFractionDigits ?? 2;
    digitsCache.set(currency, digits);
  }
  return digits;
}

export function isMinorUnits(amount: unknown): amount is number {
  return typeof amount === 'number' && Number.isSafeInteger(amount);
}

/** `123456` MXN → `"1234.56"`; exact for every safe integer. */
export function toDecimalString(amount: number, currency: string): string {
  if (!isMinorUnits(amount)) throw new RangeError(`amount must be a safe integer of minor units, got ${amount}`);
  const digits = minorUnitDigits(currency);
  const sign = amount < 0 ? '-' : '';
  const units = BigInt(Math.abs(amount));
  if (digits === 0) return `${sign}${units}`;
  const scale = 10n ** BigInt(digits);
  return `${sign}${units / scale}.${(units % scale).toString().padStart(digits, '0')}`;
}

const formatters = new Map<string, Intl.NumberFormat>();

/** `123456` MXN → `"$1,234.56 MXN"` (es-MX): what the assistant reads to the customer. */
export function formatMoney(amount: number, currency: string, locale = 'es-MX'): string {
  const key = `${locale}|${currency}`;
  let formatter = formatters.get(key);
  if (!formatter) {
    formatter = new Intl.NumberFormat(locale, { style: 'currency', currency, currencyDisplay: 'narrowSymbol' });
    formatters.set(key, formatter);
  }
  // Intl accepts decimal strings exactly (ECMA-402 NumberFormat v3).
  const text = formatter.format(toDecimalString(amount, currency) as unknown as number);
  return `${text} ${currency}`;
}

/** Sums amounts of one currency, refusing to leave the safe-integer range. */
export function sumMinorUnits(amounts: readonly number[]): number {
  let total = 0n;
  for (const amount of amounts) total += BigInt(amount);
  if (total > BigInt(Number.MAX_SAFE_INTEGER) || total < BigInt(Number.MIN_SAFE_INTEGER)) {
    throw new RangeError('sum leaves the safe-integer range');
  }
  return Number(total);
}
