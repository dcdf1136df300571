/**
 * Money is an integer count of minor units (centavos) plus an ISO 4217 code; never a float.
 * Formatting works on a decimal *string*, so no amount ever passes through a binary float.
 *
 * The currencies Centli holds (MXN, USD) in the locales it speaks (es-MX, en-US) are written
 * without Intl: the first Intl object a process builds loads ICU's data, about 12 ms of CPU and
 * 20 ms of wall clock in a cold start, which a function that only needs "$1,234.56" should not
 * pay. Their format is the one Intl gives (`-$1,234.56`), which the unit tests check for every
 * safe integer; any other currency or locale is asked of Intl.
 */
export interface Money {
  amount: number;
  currency: string;
}

/** What is written without Intl: these currencies in these locales. */
export const WRITTEN_WITHOUT_INTL = {
  currencies: ['MXN', 'USD'],
  locales: ['es-MX', 'en-US'],
} as const;

/** ISO 4217 minor units of the currencies Centli holds. */
const KNOWN_DIGITS: Readonly<Record<string, number>> = { MXN: 2, USD: 2 };

const digitsCache = new Map<string, number>(Object.entries(KNOWN_DIGITS));

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

/** `-123456` → `"-$1,234.56"`: a `$` currency as es-MX and en-US write it, thousands grouped by commas. */
function dollarSign(decimal: string): string {
  const negative = decimal.startsWith('-');
  const [whole = '', fraction] = (negative ? decimal.slice(1) : decimal).split('.');
  const grouped = whole.replace(/\B(?=(\d{3})+$)/g, ',');
  return `${negative ? '-' : ''}$${grouped}${fraction === undefined ? '' : `.${fraction}`}`;
}

/** `123456` MXN → `"$1,234.56 MXN"` (es-MX): what the assistant reads to the customer. */
export function formatMoney(amount: number, currency: string, locale = 'es-MX'): string {
  const { currencies, locales }: { currencies: readonly string[]; locales: readonly string[] } = WRITTEN_WITHOUT_INTL;
  if (currencies.includes(currency) && locales.includes(locale)) {
    return `${dollarSign(toDecimalString(amount, currency))} ${currency}`;
  }
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
