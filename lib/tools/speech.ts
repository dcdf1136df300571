/**
 * Speech, not text: what a caller hears for any text of the catalogue (./text, @centli/pure/refusals),
 * made from the text the chat would show, so no answer is written twice. Amounts are said in words
 * ("mil doscientos cincuenta pesos con cincuenta centavos"), account and card endings digit by
 * digit ("terminación cuatro ocho dos uno"), dates and times in words; a list is said three items
 * at a time, then "¿Quieres oír más?", and the rest is handed back to say when the caller wants it.
 * No symbol, mask, markup or link is ever spoken: a link becomes "tu app de Centli", because a
 * caller cannot click and a spelled-out address is neither usable nor safe to dictate. Pure.
 */
import { minorUnitDigits } from '@centli/pure/money';
import type { Locale } from '@centli/pure/locale';

/** How a Spanish number that ends in one agrees with what follows it. */
export type Form = 'uno' | 'un' | 'una';

const ES_UNITS = [
  'cero', 'uno', 'dos', 'tres', 'cuatro', 'cinco', 'seis', 'siete', 'ocho', 'nueve', 'diez',
  'once', 'doce', 'trece', 'catorce', 'quince', 'dieciséis', 'diecisiete', 'dieciocho', 'diecinueve', 'veinte',
  'veintiuno', 'veintidós', 'veintitrés', 'veinticuatro', 'veinticinco', 'veintiséis', 'veintisiete', 'veintiocho', 'veintinueve',
];
const ES_TENS = ['', '', 'veinte', 'treinta', 'cuarenta', 'cincuenta', 'sesenta', 'setenta', 'ochenta', 'noventa'];
const ES_HUNDREDS = ['', 'ciento', 'doscientos', 'trescientos', 'cuatrocientos', 'quinientos', 'seiscientos', 'setecientos', 'ochocientos', 'novecientos'];
const EN_UNITS = [
  'zero', 'one', 'two', 'three', 'four', 'five', 'six', 'seven', 'eight', 'nine', 'ten',
  'eleven', 'twelve', 'thirteen', 'fourteen', 'fifteen', 'sixteen', 'seventeen', 'eighteen', 'nineteen',
];
const EN_TENS = ['', '', 'twenty', 'thirty', 'forty', 'fifty', 'sixty', 'seventy', 'eighty', 'ninety'];

/** 1 … 999 in Spanish; `one` says how a final one is said, `feminine` the hundreds' gender. */
function esBelowThousand(n: number, one: Form, feminine: boolean): string {
  const hundreds = Math.floor(n / 100);
  const rest = n % 100;
  const words: string[] = [];
  if (hundreds > 0) {
    const word = n === 100 ? 'cien' : (ES_HUNDREDS[hundreds] as string);
    words.push(feminine ? word.replace(/ientos$/, 'ientas') : word);
  }
  if (rest > 0) {
    let word: string;
    if (rest < 30) word = ES_UNITS[rest] as string;
    else word = `${ES_TENS[Math.floor(rest / 10)]}${rest % 10 ? ` y ${ES_UNITS[rest % 10]}` : ''}`;
    if (rest % 10 === 1 && rest !== 11) {
      if (one === 'un') word = word.replace(/uno$/, 'un').replace(/^veintiun$/, 'veintiún');
      else if (one === 'una') word = word.replace(/uno$/, 'una');
    }
    words.push(word);
  }
  return words.join(' ');
}

/** 0 … 999,999 in Spanish: "mil", "dos mil", "veintiún mil". */
function esBelowMillion(n: number, one: Form, feminine: boolean): string {
  const thousands = Math.floor(n / 1000);
  const rest = n % 1000;
  const words: string[] = [];
  if (thousands === 1) words.push('mil');
  else if (thousands > 1) words.push(`${esBelowThousand(thousands, feminine ? 'una' : 'un', feminine)} mil`);
  if (rest > 0) words.push(esBelowThousand(rest, one, feminine));
  return words.join(' ');
}

function esWords(n: number, one: Form, feminine: boolean): string {
  if (n === 0) return 'cero';
  const words: string[] = [];
  // Long scale, as Spanish counts: a millón is 10⁶, a billón 10¹².
  const billions = Math.floor(n / 1e12);
  const millions = Math.floor((n % 1e12) / 1e6);
  const rest = n % 1e6;
  if (billions > 0) words.push(billions === 1 ? 'un billón' : `${esBelowMillion(billions, 'un', false)} billones`);
  if (millions > 0) words.push(millions === 1 ? 'un millón' : `${esBelowMillion(millions, 'un', false)} millones`);
  if (rest > 0) words.push(esBelowMillion(rest, one, feminine));
  return words.join(' ');
}

function enBelowThousand(n: number): string {
  const hundreds = Math.floor(n / 100);
  const rest = n % 100;
  const words: string[] = [];
  if (hundreds > 0) words.push(`${EN_UNITS[hundreds]} hundred`);
  if (rest > 0) words.push(rest < 20 ? (EN_UNITS[rest] as string) : `${EN_TENS[Math.floor(rest / 10)]}${rest % 10 ? `-${EN_UNITS[rest % 10]}` : ''}`);
  return words.join(' ');
}

const EN_SCALES: ReadonlyArray<[number, string]> = [
  [1e12, 'trillion'],
  [1e9, 'billion'],
  [1e6, 'million'],
  [1e3, 'thousand'],
];

function enWords(n: number): string {
  if (n === 0) return 'zero';
  const words: string[] = [];
  let rest = n;
  for (const [scale, name] of EN_SCALES) {
    const count = Math.floor(rest / scale);
    if (count > 0) words.push(`${scale === 1e12 ? enWords(count) : enBelowThousand(count)} ${name}`);
    rest %= scale;
  }
  if (rest > 0) words.push(enBelowThousand(rest));
  return words.join(' ');
}

export interface NumberOptions {
  /** Spanish only: "uno" when counting (the default), "un" before a masculine noun, "una" before a feminine one. */
  form?: Form;
}

/**
 * A whole number in words: 1250 → "mil doscientos cincuenta" / "one thousand two hundred fifty".
 * Any safe integer; a negative one is "menos …" / "minus …".
 */
export function numberToWords(n: number, locale: Locale, options: NumberOptions = {}): string {
  if (!Number.isSafeInteger(n)) throw new RangeError(`numberToWords needs a safe integer, got ${n}`);
  if (n < 0) return `${locale === 'es' ? 'menos' : 'minus'} ${numberToWords(-n, locale, options)}`;
  const form = options.form ?? 'uno';
  return locale === 'es' ? esWords(n, form, form === 'una') : enWords(n);
}

/** "1234" → "uno dos tres cuatro" / "one two three four": an ending, a CLABE, a code. */
export function digitsOneByOne(digits: string, locale: Locale): string {
  const names = locale === 'es' ? ES_UNITS : EN_UNITS;
  return Array.from(digits.replace(/\D/g, ''), (d) => names[Number(d)] as string).join(' ');
}

interface CurrencyNames {
  one: string;
  many: string;
  minorOne: string;
  minorMany: string;
}

const CURRENCIES: Record<Locale, Record<string, CurrencyNames>> = {
  es: {
    MXN: { one: 'peso', many: 'pesos', minorOne: 'centavo', minorMany: 'centavos' },
    USD: { one: 'dólar', many: 'dólares', minorOne: 'centavo', minorMany: 'centavos' },
    EUR: { one: 'euro', many: 'euros', minorOne: 'céntimo', minorMany: 'céntimos' },
  },
  en: {
    MXN: { one: 'peso', many: 'pesos', minorOne: 'cent', minorMany: 'cents' },
    USD: { one: 'dollar', many: 'dollars', minorOne: 'cent', minorMany: 'cents' },
    EUR: { one: 'euro', many: 'euros', minorOne: 'cent', minorMany: 'cents' },
  },
};

/** A currency the catalogue names not: its code, letter by letter ("G B P"). */
function namesOf(currency: string, locale: Locale): CurrencyNames {
  const known = CURRENCIES[locale][currency];
  if (known) return known;
  const code = currency.split('').join(' ');
  return locale === 'es'
    ? { one: code, many: code, minorOne: 'centavo', minorMany: 'centavos' }
    : { one: code, many: code, minorOne: 'cent', minorMany: 'cents' };
}

/** "un peso", "veintiún pesos", "un millón de pesos", "one peso". */
function counted(n: number, one: string, many: string, locale: Locale): string {
  if (locale === 'en') return `${numberToWords(n, 'en')} ${n === 1 ? one : many}`;
  const words = numberToWords(n, 'es', { form: 'un' });
  // "un millón de pesos", "dos billones de pesos": a round millón takes "de".
  const of = n > 0 && n % 1e6 === 0 ? ' de' : '';
  return `${words}${of} ${n === 1 ? one : many}`;
}

/**
 * Minor units in words: 125050 MXN → "mil doscientos cincuenta pesos con cincuenta centavos" /
 * "one thousand two hundred fifty pesos and fifty cents"; 0 → "cero pesos"; 50 → "cincuenta centavos".
 */
export function amountInWords(amount: number, currency: string, locale: Locale): string {
  if (!Number.isSafeInteger(amount)) throw new RangeError(`amount must be a safe integer of minor units, got ${amount}`);
  if (amount < 0) return `${locale === 'es' ? 'menos' : 'minus'} ${amountInWords(-amount, currency, locale)}`;
  const names = namesOf(currency, locale);
  const scale = 10 ** minorUnitDigits(currency);
  const units = Math.floor(amount / scale);
  const minor = amount % scale;
  const major = counted(units, names.one, names.many, locale);
  if (minor === 0) return major;
  const cents = counted(minor, names.minorOne, names.minorMany, locale);
  if (units === 0) return cents;
  return `${major} ${locale === 'es' ? 'con' : 'and'} ${cents}`;
}

const MONTHS: Record<Locale, readonly string[]> = {
  es: ['enero', 'febrero', 'marzo', 'abril', 'mayo', 'junio', 'julio', 'agosto', 'septiembre', 'octubre', 'noviembre', 'diciembre'],
  en: ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'],
};
const ES_MONTH_ABBR = ['ene', 'feb', 'mar', 'abr', 'may', 'jun', 'jul', 'ago', 'sep', 'oct', 'nov', 'dic'];
const EN_MONTH_ABBR = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

const EN_ORDINALS: Readonly<Record<string, string>> = {
  one: 'first', two: 'second', three: 'third', five: 'fifth', eight: 'eighth', nine: 'ninth', twelve: 'twelfth',
};

/** 21 → "twenty-first". */
function enOrdinal(n: number): string {
  const words = numberToWords(n, 'en');
  return words.replace(/(\w+)$/, (last) => EN_ORDINALS[last] ?? (last.endsWith('y') ? `${last.slice(0, -1)}ieth` : `${last}th`));
}

/** Day and month (and year), in words. */
function dateInWords(day: number | undefined, month: number, year: number | undefined, locale: Locale): string {
  const name = MONTHS[locale][month - 1] ?? '';
  if (locale === 'es') {
    const head = day === undefined ? name : `${day === 1 ? 'primero' : numberToWords(day, 'es')} de ${name}`;
    return year === undefined ? head : `${head} de ${numberToWords(year, 'es')}`;
  }
  const head = day === undefined ? name : `${name} ${enOrdinal(day)}`;
  return year === undefined ? head : `${head}, ${numberToWords(year, 'en')}`;
}

/** "10:15" → "diez y quince" / "ten fifteen"; "9:05" → "nueve y cinco" / "nine oh five"; "9:00" → "nueve en punto" / "nine o’clock". */
function timeInWords(hours: number, minutes: number, locale: Locale): string {
  if (locale === 'es') {
    const hour = hours === 1 ? 'una' : numberToWords(hours, 'es');
    return minutes === 0 ? `${hour} en punto` : `${hour} y ${numberToWords(minutes, 'es')}`;
  }
  const hour = numberToWords(hours, 'en');
  if (minutes === 0) return `${hour} o’clock`;
  return `${hour} ${minutes < 10 ? 'oh ' : ''}${numberToWords(minutes, 'en')}`;
}

/** "de la mañana", "del mediodía", "de la tarde", "de la noche", "de la madrugada", for a 12-hour clock's hour. */
function partOfDay(hour: number, pm: boolean): string {
  if (pm) return hour === 12 ? 'del mediodía' : hour >= 8 ? 'de la noche' : 'de la tarde';
  return hour === 12 || hour < 6 ? 'de la madrugada' : 'de la mañana';
}

/** A number as the chat writes it ("1,250", "3.5", "2026") in words; a long run of digits one by one. */
function figureInWords(figure: string, locale: Locale, form: Form): string {
  const [whole = '', fraction] = figure.replace(/,/g, '').split('.');
  // Five digits or more without separators is a code (a CLABE, a postcode, a phone), not a quantity.
  const code = (!figure.includes(',') && whole.length >= 5) || !Number.isSafeInteger(Number(whole));
  const integer = code ? digitsOneByOne(whole, locale) : numberToWords(Number(whole), locale, { form: fraction === undefined ? form : 'uno' });
  if (fraction === undefined) return integer;
  return `${integer} ${locale === 'es' ? 'punto' : 'point'} ${digitsOneByOne(fraction, locale)}`;
}

const MARKS: Record<Locale, Readonly<Record<string, string>>> = {
  es: { '.': 'punto', ',': 'coma', "'": 'apóstrofo', '’': 'apóstrofo', '&': 'ampersand', '-': 'guion' },
  en: { '.': 'period', ',': 'comma', "'": 'apostrophe', '’': 'apostrophe', '&': 'ampersand', '-': 'hyphen' },
};

/** "punto, coma y guion" / "period, comma and hyphen". */
function listed(items: readonly string[], locale: Locale): string {
  return items.length <= 1 ? items.join('') : `${items.slice(0, -1).join(', ')} ${locale === 'es' ? 'y' : 'and'} ${items.at(-1)}`;
}

/** Spanish words after which a figure is counted alone ("de 1 a 40"), not a noun's ("1 segundo"). */
const NOT_A_NOUN = /^ (?:a|al|con|de|del|e|en|o|para|por|que|u|y)\b/;

/** What a spoken answer is: what to say now, and the rest of a long list for when the caller asks. */
export interface Spoken {
  text: string;
  /** Further list items, already spoken; say them with `spokenMore`. */
  more?: string[];
}

/** The most items of a list said at once. */
export const LIST_AT_ONCE = 3;

const ASK_MORE: Record<Locale, string> = { es: '¿Quieres oír más?', en: 'Want to hear more?' };
const APP: Record<Locale, { at: string; bare: string }> = {
  es: { at: 'en tu app de Centli', bare: 'tu app de Centli' },
  en: { at: 'in your Centli app', bare: 'your Centli app' },
};
const ENDING: Record<Locale, string> = { es: 'con terminación', en: 'ending in' };

const MONEY = /([−+-]?)([^\s\d.,:;()«»"“”]{0,3}?)(\d{1,3}(?:,\d{3})*(?:\.\d+)?|\d+(?:\.\d+)?)[\u00a0\u202f ]([A-Z]{3})\b/g;
const BARE_PESOS = /([−+-]?)\$(\d{1,3}(?:,\d{3})*(?:\.\d+)?|\d+(?:\.\d+)?)/g;
const URL = /(?:https?:\/\/|www\.)(?:[^\s«»"“”<>]*[^\s«»"“”<>.,;:!?)])?/gi;

/** Minor units from a figure as the chat writes it: "1,250.5" MXN → 125050. */
function minorUnitsOf(figure: string, currency: string): number {
  const digits = minorUnitDigits(currency);
  const [whole = '0', fraction = ''] = figure.replace(/,/g, '').split('.');
  return Number(whole) * 10 ** digits + Number(fraction.padEnd(digits, '0').slice(0, digits) || '0');
}

/** One line of a catalogue text (no list bullet) as it is said. */
function speakLine(line: string, locale: Locale): string {
  const es = locale === 'es';
  const sign = (s: string) => (s === '' ? '' : s === '+' ? (es ? 'más ' : 'plus ') : es ? 'menos ' : 'minus ');
  let text = line.normalize('NFC').replace(/[\u00a0\u202f\t]/g, ' ');

  // Markup first, so its brackets are not read as anything else.
  text = text
    .replace(/<[^>]*>/g, ' ')
    .replace(/\[([^\]]*)\]\([^)]*\)/g, '$1')
    .replace(/`+/g, '');

  // Characters a text names ("espacios y . , ' & -"): said by their names.
  text = text.replace(/(?<=\s)([.,'’&-](?: [.,'’&-])+)(?=[.,]?(?:\s|$))/g, (run: string) => listed(run.split(' ').map((mark) => MARKS[locale][mark] ?? mark), locale));

  // Banxico's CEP site is named by the sentence that gives it ("en el sitio de Banxico"): its link is not said.
  text = text.replace(/\s*\((?:https?:\/\/)?(?:www\.)?banxico\.org\.mx[^)\s]*\)/gi, '');

  // Links: a caller cannot follow one, so the phrase names where they will find it.
  text = text
    .replace(new RegExp(`\\b(?:en|at|in) ${URL.source}`, 'gi'), APP[locale].at)
    .replace(URL, APP[locale].bare)
    // What is left of a scheme glued to other words is no word either.
    .replace(/https?:?/gi, ' ');

  // A clave de rastreo is 30 characters at most: its last four, one by one, are what a caller can note and recognise.
  text = text.replace(/\b(Clave de rastreo|clave de rastreo|Tracking key \(clave de rastreo\)|tracking key \(clave de rastreo\)|tracking key) ([A-Za-z0-9]{5,30})\b/g, (_all, words: string, clave: string) => {
    const said = Array.from(clave.slice(-4), (c) => (/\d/.test(c) ? digitsOneByOne(c, locale) : c.toUpperCase())).join(' ');
    const lead = /^[CT]/.test(words) ? (es ? 'Clave de rastreo' : 'Tracking key') : es ? 'clave de rastreo' : 'tracking key';
    return `${lead} ${ENDING[locale]} ${said}`;
  });

  // References and ids (tx-…, pur-…): not worth dictating; the app shows them.
  text = text
    .replace(/\b(?:Folio|Reference) [\w-]+\./g, es ? 'El folio está en tu app.' : 'The reference is in your app.')
    // An id is lowercase, prefixed and holds a digit; a product's name ("HP-15") is no id.
    .replace(/\(\s*[a-z]+[-_][a-z0-9_-]*\d[a-z0-9_-]*\s*\)/g, '')
    .replace(/(?<![\p{L}\d-])[a-z]+[-_][a-z0-9_-]*\d[a-z0-9_-]*(?![\p{L}\d])/gu, '');

  // Amounts ("6 MSI" is no amount of a currency called MSI).
  // An amount past the safe integers is no amount Centli formats: its figure is said as a figure.
  const amount = (s: string, figure: string, currency: string) => {
    const minor = minorUnitsOf(figure, currency);
    return Number.isSafeInteger(minor) ? `${sign(s)}${amountInWords(minor, currency, locale)}` : `${sign(s)}${figure} ${namesOf(currency, locale).many}`;
  };
  text = text
    .replace(/\bMSI\b/g, es ? 'meses sin intereses' : 'interest-free months')
    .replace(MONEY, (_all, s: string, _symbol: string, figure: string, currency: string) => amount(s, figure, currency))
    .replace(BARE_PESOS, (_all, s: string, figure: string) => amount(s, figure, 'MXN'));

  // Masks and endings, digit by digit.
  text = text
    .replace(/\b(a|de|to|from) (?=[*•]{2,}\d)/g, (_all, by: string) => `${by} ${es ? 'la cuenta' : 'account'} `)
    .replace(/(?:\d*[*•]{2,})(\d{2,})\b/g, (_all, digits: string) => `${ENDING[locale]} ${digitsOneByOne(digits, locale)}`)
    .replace(/\b(terminación|ending in|ending|terminaci[oó]n)\s+(\d+)\b/gi, (_all, word: string, digits: string) => `${word} ${digitsOneByOne(digits, locale)}`)
    .replace(/\bcon terminación con terminación\b/g, 'con terminación')
    .replace(/\bending in ending in\b/g, 'ending in');

  // Dates and times.
  text = text
    .replace(/\b(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2})(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?\b/g, (_all, y: string, m: string, d: string, hh?: string, mm?: string) => {
      const date = dateInWords(Number(d), Number(m), Number(y), locale);
      return hh === undefined ? date : `${date}, ${timeInWords(Number(hh), Number(mm), locale)}`;
    })
    .replace(/\b(0?[1-9]|1[0-2])\/(\d{4})\b/g, (_all, m: string, y: string) => dateInWords(undefined, Number(m), Number(y), locale))
    .replace(/\b(\d{1,2})\/(\d{1,2})\/(\d{4})\b/g, (_all, a: string, b: string, y: string) =>
      es ? dateInWords(Number(a), Number(b), Number(y), locale) : dateInWords(Number(b), Number(a), Number(y), locale),
    )
    .replace(new RegExp(`\\b(\\d{1,2}) (${ES_MONTH_ABBR.join('|')})\\.?(?: (\\d{4}))?(?=[\\s,.;:)]|$)`, 'g'), (_all, d: string, m: string, y?: string) =>
      dateInWords(Number(d), ES_MONTH_ABBR.indexOf(m) + 1, y === undefined ? undefined : Number(y), locale),
    )
    .replace(new RegExp(`\\b(${MONTHS.en.join('|')}) (\\d{1,2})(?:, (\\d{4}))?\\b`, 'g'), (_all, m: string, d: string, y?: string) =>
      dateInWords(Number(d), MONTHS.en.indexOf(m) + 1, y === undefined ? undefined : Number(y), locale),
    )
    .replace(new RegExp(`\\b(${EN_MONTH_ABBR.join('|')})\\.? (\\d{1,2})(?:, (\\d{4}))?\\b`, 'g'), (_all, m: string, d: string, y?: string) =>
      dateInWords(Number(d), EN_MONTH_ABBR.indexOf(m) + 1, y === undefined ? undefined : Number(y), locale),
    )
    .replace(/\b(\d{1,2}):(\d{2})(?:\s*([ap])(\.?)\s*m(\.?))?(?=[\s,.;:)]|$)/gi, (_all, h: string, m: string, half?: string, dotted?: string, stop?: string) => {
      const time = timeInWords(Number(h), Number(m), locale);
      if (half === undefined) return time;
      const pm = half.toLowerCase() === 'p';
      // "10:15 AM." ends a sentence; "10:15 a.m." keeps its own dot as an abbreviation's.
      const end = dotted === '' && stop === '.' ? '.' : '';
      return `${es ? `${time} ${partOfDay(Number(h), pm)}` : `${time} ${pm ? 'p m' : 'a m'}`}${end}`;
    });

  // What the chat asks to be typed, a caller says.
  text = es
    ? text.replace(/\bescribe\b/g, 'di').replace(/\bEscribe\b/g, 'Di').replace(/\bpara ver ejemplos\b/g, 'para oír ejemplos')
    : text.replace(/\btype\b/g, 'say').replace(/\bType\b/g, 'Say');

  // Words the chat abbreviates, and symbols that stand for words.
  text = text
    .replace(/(\d+(?:[.,]\d+)?)\s*%/g, (_all, n: string) => `${n} ${es ? 'por ciento' : 'percent'}`)
    .replace(/\bUDIs\b/g, 'udis')
    // "monto transaccional (MTU)": the words are said, the acronym would only be spelled.
    .replace(/\s*\(MTU\)/g, '')
    .replace(/\bMTU\b/g, es ? 'eme te u' : 'M T U')
    .replace(/\bCLABE\b/g, 'clabe')
    .replace(/\s×\s/g, es ? ' unidades de ' : ' units of ')
    .replace(/\s&\s/g, es ? ' y ' : ' and ')
    .replace(/\s\/\s/g, '. ')
    .replace(/#\s?(\d)/g, `${es ? 'número' : 'number'} $1`)
    .replace(/@/g, es ? ' arroba ' : ' at ');

  // Every figure left is a quantity, a year or a code.
  // Before a word, Spanish says "un segundo", "veintiún días"; alone, "uno".
  text = text.replace(/(\p{L})(?=\d)|(\d)(?=\p{L})/gu, '$1$2 ');
  text = text.replace(/\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?/g, (figure, at: number, whole: string) =>
    figureInWords(figure, locale, formBefore(whole.slice(at + figure.length, at + figure.length + 16))),
  );

  // What is left of the symbols: quotes and markers go, parentheses and dashes become pauses.
  text = text
    .replace(/[«»"“”„‘’']/g, (quote) => (quote === '’' || quote === "'" ? '’' : ''))
    .replace(/(^|\s)’|’(?=\s|$|[.,;:!?])/g, '$1')
    .replace(/[—–·|]/g, ',')
    .replace(/[()[\]{}]/g, ', ')
    .replace(/([^\s\d]):(?=[^\s\d])/g, '$1 ')
    .replace(/[*•#<>_\\^~`=$€¥£…]/g, ' ')
    .replace(/[−+](?=\s|$)/g, ' ')
    .replace(/\//g, ' ')
    // Whatever else is left is no word: letters, pauses and a word's own hyphen or apostrophe stay.
    .replace(/[^\p{L}\p{M}\s.,;:!?¿¡’-]/gu, ' ')
    .replace(/(^|\s)-+(?=\s|$)/g, '$1');

  return tidy(text);
}

/** Feminine nouns the catalogue counts ("una hora", "veintiuna tarjetas"). */
const FEMININE = /^ (?:horas?|tarjetas?|cuentas?|transferencias?|compras?|semanas?|personas?|veces|vez|unidades|unidad|operaciones|operación|solicitudes|solicitud)\b/;

/** How a figure agrees with the words after it. */
function formBefore(after: string): Form {
  if (!/^ \p{L}/u.test(after) || NOT_A_NOUN.test(after)) return 'uno';
  return FEMININE.test(after) ? 'una' : 'un';
}

/** Spaces and punctuation as a speech engine pauses on them. */
function tidy(text: string): string {
  return text
    .replace(/\s+/g, ' ')
    .replace(/\s+([,.;:!?])/g, '$1')
    .replace(/([¿¡])\s+/g, '$1')
    .replace(/,(?:\s*,)+/g, ',')
    .replace(/,(?=[^\s\d])/g, ', ')
    .replace(/,\s*([.;:!?])/g, '$1')
    .replace(/([.;:!?])\s*,/g, '$1')
    .replace(/^[\s,.;:]+/, '')
    .replace(/:\s*\./g, '.')
    .replace(/\.{2,}/g, '.')
    .trim();
}

/** A sentence ends: a line said alone gets a full stop when the chat ended it with none. */
function closed(said: string): string {
  const trimmed = said.replace(/[\s,]+$/, '');
  if (trimmed === '') return trimmed;
  const sentence = trimmed.replace(/^[¿¡]?\p{Ll}/u, (first) => first.toUpperCase());
  // A heading ("Tus saldos:") keeps its colon: a pause that announces what follows.
  return /[.!?:;]$/.test(sentence) ? sentence : `${sentence}.`;
}

const BULLET = /^\s*(?:[•*\-–·]|\d+[.)])\s+/;

/**
 * A catalogue text, as the chat would show it, as it is said: amounts in words, endings digit by
 * digit, dates in words, no symbol, mask, markup or link, and a list cut after three items with
 * "¿Quieres oír más?"; the items left out come back, spoken, in `more`.
 */
export function spoken(text: string, locale: Locale): Spoken {
  const said: string[] = [];
  const more: string[] = [];
  let items = 0;
  for (const raw of text.split(/\r?\n/)) {
    if (raw.trim() === '') continue;
    const bullet = BULLET.test(raw);
    const line = closed(speakLine(raw.replace(BULLET, ''), locale));
    if (line === '') continue;
    if (bullet && ++items > LIST_AT_ONCE) more.push(line);
    else said.push(line);
  }
  if (more.length === 0) return { text: tidy(said.join(' ')) };
  return { text: tidy(`${said.join(' ')} ${ASK_MORE[locale]}`), more };
}

/** The next part of a list the caller asked to hear more of: three more items, and the question again while any are left. */
export function spokenMore(more: readonly string[], locale: Locale): Spoken {
  const now = more.slice(0, LIST_AT_ONCE);
  const rest = more.slice(LIST_AT_ONCE);
  if (rest.length === 0) return { text: tidy(now.join(' ')) };
  return { text: tidy(`${now.join(' ')} ${ASK_MORE[locale]}`), more: rest };
}

const XML: Readonly<Record<string, string>> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' };

/**
 * Spoken text as SSML for Amazon Lex V2 and Polly: `<speak>…</speak>`, escaped, with a short
 * pause between sentences so a list is heard as one.
 */
export function ssml(spokenText: string): string {
  const escaped = spokenText.replace(/[&<>"']/g, (c) => XML[c] ?? c).replace(/([.?!]) (?=\S)/g, '$1 <break time="300ms"/>');
  return `<speak>${escaped}</speak>`;
}

/** The most characters of one Lex V2 message (Message.content, SSMLMessage.value). */
export const LEX_MESSAGE_MAX = 1000;

/** A Lex V2 message, as the code hook's response lists them (`@types/aws-lambda`'s LexV2Message). */
export interface SpeechMessage {
  contentType: 'SSML';
  content: string;
}

/**
 * Spoken text as the Lex V2 messages that say it: each `<speak>…</speak>` of at most 1,000
 * characters, cut between sentences (Lex refuses a longer message; Lex says a response's messages
 * one after another).
 */
export function speechMessages(spokenText: string): SpeechMessage[] {
  const sentences = spokenText.match(/[^.?!]+[.?!]*\s*/g) ?? [spokenText];
  const messages: SpeechMessage[] = [];
  let current = '';
  const flush = () => {
    if (current.trim() !== '') messages.push({ contentType: 'SSML', content: ssml(current.trim()) });
    current = '';
  };
  for (const sentence of sentences) {
    if (current !== '' && ssml(`${current}${sentence}`.trim()).length > LEX_MESSAGE_MAX) flush();
    current += sentence;
    // One sentence longer than a message: cut it between words.
    while (ssml(current.trim()).length > LEX_MESSAGE_MAX) {
      const words = current.trim().split(' ');
      let head = '';
      while (words.length > 0 && ssml(`${head} ${words[0]}`.trim()).length <= LEX_MESSAGE_MAX) head = `${head} ${words.shift()}`.trim();
      if (head === '') head = words.shift() ?? '';
      messages.push({ contentType: 'SSML', content: ssml(head) });
      current = words.join(' ');
    }
  }
  flush();
  return messages;
}

/** What the voice door answers with: the spoken text (for a transcript), the Lex V2 messages that say it, and what is left of a list. */
export interface Voiced extends Spoken {
  messages: SpeechMessage[];
}

/** A catalogue text, as the chat would show it, straight to the Lex V2 messages that say it. */
export function voiced(text: string, locale: Locale): Voiced {
  const said = spoken(text, locale);
  return { ...said, messages: speechMessages(said.text) };
}

/**
 * A question's choices (a plan's `choices`, the chat's buttons), said as a spoken list: "Carlos
 * García, hermano; Carlos Ruiz, primo; o Carla Díaz, amiga." Three at most, then "¿Quieres oír
 * más?", the rest in `more`, as `spoken` cuts a list.
 */
export function spokenChoices(labels: readonly string[], locale: Locale): Spoken {
  const items = labels.map((label) => speakLine(label, locale).replace(/[\s,.;:]+$/, '')).filter((item) => item !== '');
  const now = items.slice(0, LIST_AT_ONCE);
  const rest = items.slice(LIST_AT_ONCE);
  const or = locale === 'es' ? 'o' : 'or';
  const list = now.length <= 1 ? now.join('') : `${now.slice(0, -1).join('; ')}; ${rest.length ? '' : `${or} `}${now.at(-1)}`;
  const text = closed(list);
  if (rest.length === 0) return { text };
  return { text: tidy(`${text} ${ASK_MORE[locale]}`), more: rest.map(closed) };
}
