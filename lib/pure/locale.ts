/**
 * The customer's language: Spanish (Mexico) unless their token says English. Every door learns it
 * the same way, from the token's OIDC `locale` claim (`en`, `en-US`, `EN-us`, `en_GB`: English;
 * anything else, or none: Spanish). Pure.
 */
import { formatMoney, type Money } from './money';

export type Locale = 'es' | 'en';

/** The locale of amounts and dates for each language. */
export const REGION: Record<Locale, string> = { es: 'es-MX', en: 'en-US' };

/** The customer's language from their token's claims. */
export function localeOf(claims: Readonly<Record<string, unknown>>): Locale {
  const claimed = claims.locale;
  return typeof claimed === 'string' && /^en(?:$|[-_])/i.test(claimed.trim()) ? 'en' : 'es';
}

/** `123456` MXN → "$1,234.56 MXN", as the customer's language writes it. */
export function money(amount: number, currency: string, locale: Locale): string {
  return formatMoney(amount, currency, REGION[locale]);
}

/** An amount of money as a parameter of a text. */
export function moneyOf(value: Money, locale: Locale): string {
  return money(value.amount, value.currency, locale);
}

/** "a, b o c" / "a, b or c". */
export function listOf(items: readonly string[], locale: Locale): string {
  if (items.length <= 1) return items.join('');
  return `${items.slice(0, -1).join(', ')} ${locale === 'es' ? 'o' : 'or'} ${items.at(-1)}`;
}

/** The zone Centli tells times in: the bank's, Mexico City's. */
export const BANK_TIME_ZONE = 'America/Mexico_City';

/** An instant (ISO 8601) as the customer's language writes a date and time, in the bank's zone: "7 dic 2026, 10:15". */
export function momentOf(iso: string, locale: Locale, timeZone: string = BANK_TIME_ZONE): string {
  const at = new Date(iso);
  if (Number.isNaN(at.getTime())) return iso;
  return new Intl.DateTimeFormat(REGION[locale], { dateStyle: 'medium', timeStyle: 'short', timeZone }).format(at);
}
