/**
 * Amounts as customers say or type them, in Spanish or English, read into money: an integer count
 * of minor units (centavos) and an ISO 4217 code, never a float (see @centli/kit/money).
 *
 * What is read:
 * - digits, with an optional sign of `$` or `US$` and thousands/decimal separators:
 *   "$1,500.50", "1500.5", "1.500,50", "1,000,000", "$ 100", "2k", "1.5k";
 * - words: "cien", "ciento cincuenta", "mil quinientos", "dos mil trescientos cuarenta y cinco",
 *   "veintiún mil", "un millón", "medio millón", "un millón y medio", "mil millones",
 *   "one hundred", "a hundred", "one thousand five hundred", "fifteen hundred", "twenty-five";
 * - digits with word multipliers: "10 mil", "2 mil 500", "1.5 millones", "3 million";
 * - a currency before ("MXN 100", "USD 100", "US$100") or after ("100 pesos", "100 MXN",
 *   "100 dólares", "100 dollars", "a hundred bucks", "un millón de pesos"); `$` alone names no
 *   currency, since Mexico writes pesos with it too, so it takes the default;
 * - centavos: "quinientos pesos con cincuenta centavos", "cien pesos 50 centavos",
 *   "doscientos cincuenta y 75/100", "50 centavos".
 * Accents and case do not matter ("dolares", "MILLON").
 *
 * Separators: the last `.` or `,` is the decimal point when one or two digits follow it; a
 * separator followed by exactly three digits groups thousands, whichever character it is. So
 * "1,500" and "1.500" are both one thousand five hundred, "1.500,50" and "1,500.50" are both
 * 1500.50, "1500,5" is 1500.50, and "100.555" is one hundred thousand five hundred and fifty-five.
 * Mexico writes "1,500.50", but customers from elsewhere type "1.500" for a thousand and a half
 * and nobody types a sum of money to the tenth of a centavo; every transfer is read back to the
 * customer formatted before it happens. Anything else ("1.5000", "1,50,0", "1.500.5") is refused.
 *
 * Whatever cannot be read for certain is refused (undefined), never guessed: a negative sign,
 * zero, a fraction of a centavo, more than {@link MAX_AMOUNT}, two currencies that disagree,
 * or words that do not make one number ("dos tres", "mil mil").
 */
import { foldAccents } from '@centli/pure/fold';

/** An amount of money: integer minor units and an ISO 4217 code. */
export interface Amount {
  amount: number;
  currency: string;
}

/** An amount found inside a longer text, with where it was said. */
export interface AmountMatch extends Amount {
  /** Index in the text where the amount phrase starts (inclusive). */
  start: number;
  /** Index in the text just past the amount phrase. */
  end: number;
  /** The amount phrase exactly as written, e.g. "100 pesos", "mil quinientos". */
  text: string;
  /** Whether the phrase named its currency ("pesos", "MXN", "dólares"), rather than taking the default. */
  currencyNamed: boolean;
}

export interface AmountOptions {
  /** The currency of an amount that names none; `MXN` when absent. */
  defaultCurrency?: string;
}

/** The largest amount read, in minor units: a thousand million pesos, as transfers allow. */
export const MAX_AMOUNT = 100_000_000_000;

/**
 * Reads a text that is an amount and nothing else ("$1,500.50", "mil quinientos pesos",
 * "a hundred bucks"). Surrounding spaces and punctuation are ignored; any other word makes the
 * text unreadable.
 *
 * @returns integer minor units and the currency, or undefined when the text is not exactly one
 *   valid amount (none, negative, zero, a fraction of a centavo, over {@link MAX_AMOUNT}, ambiguous).
 */
export function parseAmount(text: string, options: AmountOptions = {}): Amount | undefined {
  const folded = fold(text);
  const tokens = tokenize(folded.text);
  if (tokens.length === 0) return undefined;
  const reading = readPhrase(tokens, 0, folded.text);
  if (reading.kind !== 'ok' || reading.next !== tokens.length) return undefined;
  const before = folded.text.slice(0, (tokens[0] as Token).start);
  const after = folded.text.slice((tokens[tokens.length - 1] as Token).end);
  if (!IGNORABLE.test(before) || !IGNORABLE.test(after)) return undefined;
  return { amount: Number(reading.centavos), currency: reading.currency ?? options.defaultCurrency ?? 'MXN' };
}

/**
 * Finds the first amount said inside a sentence ("Transfiere 100 pesos a mi hermano" → 10000
 * MXN at "100 pesos"), with its position so a caller can take the phrase out of the sentence.
 * An "un"/"a"/"one" on its own is an article, not an amount ("compra un celular").
 *
 * @returns the amount and where it is, or undefined when there is none or when the first
 *   number-like phrase is not a valid amount: a later number is never taken in its place.
 */
export function findAmount(text: string, options: AmountOptions = {}): AmountMatch | undefined {
  const folded = fold(text);
  const tokens = tokenize(folded.text);
  for (let i = 0; i < tokens.length; i++) {
    const reading = readPhrase(tokens, i, folded.text);
    if (reading.kind === 'none') continue;
    if (reading.kind === 'invalid') return undefined;
    const start = folded.at[(tokens[i] as Token).start] as number;
    const lastToken = tokens[reading.next - 1] as Token;
    const end = (folded.at[lastToken.end - 1] as number) + 1;
    return {
      amount: Number(reading.centavos),
      currency: reading.currency ?? options.defaultCurrency ?? 'MXN',
      start,
      end,
      text: text.slice(start, end),
      currencyNamed: reading.currency !== undefined,
    };
  }
  return undefined;
}

// ---------------------------------------------------------------------------------------------
// Folding and tokens

const IGNORABLE = /^[\s.,;:!?¿¡'"()]*$/u;

interface Folded {
  text: string;
  /** `at[i]` is the index in the original text of folded character i. */
  at: number[];
}

/** Lowercase with accents removed, keeping for each character where it came from. */
function fold(source: string): Folded {
  let text = '';
  const at: number[] = [];
  for (let i = 0; i < source.length; i++) {
    const folded = foldAccents(source[i] as string);
    for (let k = 0; k < folded.length; k++) {
      text += folded[k];
      at.push(i);
    }
  }
  return { text, at };
}

type Token =
  | {
      type: 'number';
      start: number;
      end: number;
      /** Minor units of the digits (with `k` applied); undefined when they are malformed. */
      centavos: bigint | undefined;
      negative: boolean;
      /** `us$` names dollars; `$` names nothing. */
      sign: '' | '$' | 'us$';
      /** Bare digits: no sign, separators, `k` or fraction. */
      plain: boolean;
      /** The numerator of "75/100". */
      fraction: number | undefined;
    }
  | { type: 'word'; start: number; end: number; word: string };

// A number may not start inside an identifier ("acc-123", "x100"), and must end at a word edge.
const TOKEN = /(?<![\p{L}\p{N}_$.,/-])(-\s?)?((?:us)?\$\s?)?(\d(?:[\d.,]*\d)?)(\/100(?!\d))?(k)?(?![\p{L}\p{N}_])|\p{L}+/gu;

function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  for (const match of text.matchAll(TOKEN)) {
    const start = match.index;
    const end = start + match[0].length;
    const digits = match[3];
    if (digits === undefined) {
      tokens.push({ type: 'word', start, end, word: match[0] });
      continue;
    }
    const sign = (match[2] ?? '').trim().startsWith('us') ? 'us$' : match[2] ? '$' : '';
    const isFraction = match[4] !== undefined;
    let centavos = literalCentavos(digits);
    if (centavos !== undefined && match[5]) centavos *= 1000n;
    tokens.push({
      type: 'number',
      start,
      end,
      centavos,
      negative: match[1] !== undefined,
      sign,
      plain: /^\d+$/.test(digits) && !sign && !match[5] && !isFraction,
      fraction: isFraction && /^\d{1,3}$/.test(digits) ? Number(digits) : isFraction ? Number.NaN : undefined,
    });
  }
  return tokens;
}

/** Minor units of a run of digits and separators, by the rule in the module comment. */
function literalCentavos(digits: string): bigint | undefined {
  const groups = digits.split(/[.,]/);
  const marks = digits.replace(/[^.,]/g, '');
  if (marks.length === 0) return BigInt(digits) * 100n;
  let fraction = '';
  let whole = groups;
  let thousandMarks = marks;
  const last = groups[groups.length - 1] as string;
  if (last.length !== 3) {
    if (last.length > 2) return undefined;
    fraction = last;
    whole = groups.slice(0, -1);
    thousandMarks = marks.slice(0, -1);
  }
  if (thousandMarks.length > 0) {
    if (new Set(thousandMarks).size > 1) return undefined;
    if (fraction && thousandMarks[0] === marks[marks.length - 1]) return undefined;
    const [first, ...rest] = whole as [string, ...string[]];
    if (!/^[1-9]\d{0,2}$/.test(first) || rest.some((group) => group.length !== 3)) return undefined;
  }
  return BigInt(whole.join('')) * 100n + BigInt(fraction.padEnd(2, '0'));
}

// ---------------------------------------------------------------------------------------------
// Vocabulary (folded)

/** Words worth less than a hundred, Spanish and English. */
const SMALL: Readonly<Record<string, number>> = {
  un: 1, uno: 1, una: 1, one: 1,
  dos: 2, tres: 3, cuatro: 4, cinco: 5, seis: 6, siete: 7, ocho: 8, nueve: 9,
  two: 2, three: 3, four: 4, five: 5, six: 6, seven: 7, eight: 8, nine: 9,
  diez: 10, once: 11, doce: 12, trece: 13, catorce: 14, quince: 15,
  dieciseis: 16, diecisiete: 17, dieciocho: 18, diecinueve: 19,
  ten: 10, eleven: 11, twelve: 12, thirteen: 13, fourteen: 14, fifteen: 15,
  sixteen: 16, seventeen: 17, eighteen: 18, nineteen: 19,
  veinte: 20, veintiun: 21, veintiuno: 21, veintiuna: 21, veintidos: 22, veintitres: 23,
  veinticuatro: 24, veinticinco: 25, veintiseis: 26, veintisiete: 27, veintiocho: 28, veintinueve: 29,
  treinta: 30, cuarenta: 40, cincuenta: 50, sesenta: 60, setenta: 70, ochenta: 80, noventa: 90,
  twenty: 20, thirty: 30, forty: 40, fifty: 50, sixty: 60, seventy: 70, eighty: 80, ninety: 90,
};

/** Spanish hundreds, which are words of their own. */
const HUNDREDS: Readonly<Record<string, number>> = {
  cien: 100, ciento: 100,
  doscientos: 200, doscientas: 200, trescientos: 300, trescientas: 300,
  cuatrocientos: 400, cuatrocientas: 400, quinientos: 500, quinientas: 500,
  seiscientos: 600, seiscientas: 600, setecientos: 700, setecientas: 700,
  ochocientos: 800, ochocientas: 800, novecientos: 900, novecientas: 900,
};

/** "un"/"one" alone is an article ("compra un celular"), an amount only with a currency. */
const BARE_ONE = new Set(['un', 'una', 'uno', 'one']);
const THOUSAND = new Set(['mil', 'thousand', 'thousands']);
const MILLION = new Set(['millon', 'millones', 'million', 'millions']);
const BILLION = new Set(['billion', 'billions']);
const ENGLISH_ARTICLES = new Set(['a', 'an']);

const CURRENCY_WORDS: Readonly<Record<string, string>> = {
  peso: 'MXN', pesos: 'MXN', mxn: 'MXN', mxp: 'MXN', varos: 'MXN',
  dolar: 'USD', dolares: 'USD', dollar: 'USD', dollars: 'USD', usd: 'USD', bucks: 'USD', buck: 'USD', dls: 'USD', dlls: 'USD',
  euro: 'EUR', euros: 'EUR', eur: 'EUR',
};
/** Codes that may come before the number ("MXN 100", "USD 100"). */
const CURRENCY_CODES: Readonly<Record<string, string>> = { mxn: 'MXN', usd: 'USD', eur: 'EUR' };
/** Words that may follow a currency word and add nothing ("pesos mexicanos"). */
const CURRENCY_QUALIFIERS = new Set(['mexicanos', 'americanos', 'estadounidenses']);
const CENTS_WORDS = new Set(['centavo', 'centavos', 'cent', 'cents', 'ctvs', 'ctv', 'centimos', 'centimo']);
const CENTS_CONNECTORS = new Set(['con', 'y', 'and']);

// ---------------------------------------------------------------------------------------------
// Reading a phrase

type Reading =
  | { kind: 'none' }
  | { kind: 'invalid' }
  | { kind: 'ok'; next: number; centavos: bigint; currency: string | undefined };

type Core =
  | { kind: 'none' }
  | { kind: 'invalid' }
  | {
      kind: 'ok';
      next: number;
      centavos: bigint;
      /** Whether the digits had decimals (then no "con 50 centavos" may follow). */
      whole: boolean;
      sign: '' | '$' | 'us$';
      bareOne: boolean;
      afterMillion: boolean;
    };

const PESO = 100n;
const MAX = BigInt(MAX_AMOUNT);

function wordAt(tokens: readonly Token[], i: number): string | undefined {
  const token = tokens[i];
  return token?.type === 'word' ? token.word : undefined;
}

/** Whether token b directly follows token a: only spaces between, or a hyphen inside "twenty-five". */
function adjacent(tokens: readonly Token[], a: number, b: number, text: string): boolean {
  const left = tokens[a];
  const right = tokens[b];
  if (!left || !right) return false;
  const gap = text.slice(left.end, right.start);
  if (/^\s*$/.test(gap)) return true;
  return gap === '-' && left.type === 'word' && right.type === 'word';
}

function readPhrase(tokens: readonly Token[], first: number, text: string): Reading {
  let i = first;
  let currency: string | undefined;
  const prefix = CURRENCY_CODES[wordAt(tokens, i) ?? ''];
  if (prefix && adjacent(tokens, i, i + 1, text) && startsNumber(tokens, i + 1, text)) {
    currency = prefix;
    i++;
  }
  const core = readCore(tokens, i, text);
  if (core.kind !== 'ok') return core;
  if (core.sign === 'us$') currency = agree(currency, 'USD');
  let k = core.next;
  let centavos = core.centavos;

  // "un millón de pesos": Spanish puts "de" between a million and what it counts.
  if (core.afterMillion && wordAt(tokens, k) === 'de' && CURRENCY_WORDS[wordAt(tokens, k + 1) ?? ''] && adjacent(tokens, k - 1, k, text)) k++;
  const currencyWord = adjacent(tokens, k - 1, k, text) ? CURRENCY_WORDS[wordAt(tokens, k) ?? ''] : undefined;
  if (currencyWord) {
    currency = agree(currency, currencyWord);
    k++;
    if (CURRENCY_QUALIFIERS.has(wordAt(tokens, k) ?? '') && adjacent(tokens, k - 1, k, text)) k++;
  } else if (core.bareOne) {
    return { kind: 'none' };
  } else if (CENTS_WORDS.has(wordAt(tokens, k) ?? '') && adjacent(tokens, k - 1, k, text)) {
    // "50 centavos": the number counts centavos, not pesos.
    if (!core.whole || core.sign || currency) return { kind: 'invalid' };
    return finish({ kind: 'ok', next: k + 1, centavos: centavos / PESO, currency });
  }
  if (currency === CONFLICT) return { kind: 'invalid' };

  if (core.whole) {
    const cents = readCents(tokens, k, text);
    if (cents.kind === 'invalid') return cents;
    if (cents.kind === 'ok') {
      centavos += cents.centavos;
      k = cents.next;
    }
  }
  return finish({ kind: 'ok', next: k, centavos, currency });
}

const CONFLICT = 'conflict';

function agree(current: string | undefined, named: string): string {
  return current === undefined || current === named ? named : CONFLICT;
}

function finish(reading: Extract<Reading, { kind: 'ok' }>): Reading {
  return reading.centavos > 0n && reading.centavos <= MAX ? reading : { kind: 'invalid' };
}

function startsNumber(tokens: readonly Token[], i: number, text: string): boolean {
  return readCore(tokens, i, text).kind !== 'none';
}

/**
 * The number itself, in minor units: digits, words, or digits with word multipliers. Words are
 * added the way they are said, left to right, and a word that cannot come where it stands ends
 * the number there ("dos tres" is "dos" and then something else).
 */
function readCore(tokens: readonly Token[], first: number, text: string): Core {
  const head = tokens[first];
  if (!head) return { kind: 'none' };
  let total = 0n; // what the multipliers have already taken
  let current = 0n; // the group being said, below a thousand (or "fifteen hundred")
  let last: 'literal' | 'word' | 'hundred' | 'multiplier' | undefined;
  let seenThousand = false;
  let seenMillion = false;
  let afterMillion = false;
  let sign: '' | '$' | 'us$' = '';
  let j = first;

  if (head.type === 'number') {
    if (head.fraction !== undefined) return { kind: 'none' };
    if (head.negative || head.centavos === undefined) return { kind: 'invalid' };
    current = head.centavos;
    sign = head.sign;
    last = 'literal';
    j++;
  } else if (ENGLISH_ARTICLES.has(head.word)) {
    const next = wordAt(tokens, first + 1) ?? '';
    if (!(next === 'hundred' || THOUSAND.has(next) || MILLION.has(next)) || !adjacent(tokens, first, first + 1, text)) return { kind: 'none' };
    current = PESO;
    last = 'word';
    j++;
  } else if (head.word === 'medio') {
    if (!MILLION.has(wordAt(tokens, first + 1) ?? '') || !adjacent(tokens, first, first + 1, text)) return { kind: 'none' };
    current = PESO / 2n;
    last = 'word';
    j++;
  } else if (SMALL[head.word] === undefined && HUNDREDS[head.word] === undefined && head.word !== 'mil') {
    return { kind: 'none' };
  }

  for (; j < tokens.length; j++) {
    if (j > first && !adjacent(tokens, j - 1, j, text)) break;
    const token = tokens[j] as Token;
    const group = current % PESO === 0n ? Number(current / PESO) : undefined;
    if (token.type === 'number') {
      // "2 mil 500": bare digits may say the rest after a multiplier.
      if (last === 'multiplier' && token.plain && token.centavos !== undefined && token.centavos < 1000n * PESO && !token.negative) {
        current = token.centavos;
        last = 'literal';
        continue;
      }
      break;
    }
    const word = token.word;
    const small = SMALL[word];
    const hundreds = HUNDREDS[word];
    if (small !== undefined) {
      if (last === 'literal' || group === undefined || !fitsSmall(group, small)) break;
      current += BigInt(small) * PESO;
      last = 'word';
    } else if (hundreds !== undefined) {
      if (last === 'literal' || group === undefined || group % 1000 !== 0) break;
      current += BigInt(hundreds) * PESO;
      last = 'word';
    } else if (word === 'hundred' || word === 'hundreds') {
      if (last !== 'word' || group === undefined || group < 1 || group > 99) break;
      current *= 100n;
      last = 'hundred';
    } else if (THOUSAND.has(word)) {
      if (seenThousand || current >= 1000n * PESO) break;
      if (current === 0n && (word !== 'mil' || last === 'literal')) break;
      total += (current === 0n ? PESO : current) * 1000n;
      current = 0n;
      seenThousand = true;
      last = 'multiplier';
      afterMillion = false;
    } else if (MILLION.has(word) || BILLION.has(word)) {
      const count = total + current;
      if (seenMillion || count === 0n || count >= 1_000_000n * PESO) break;
      total = count * (BILLION.has(word) ? 1_000_000_000n : 1_000_000n);
      current = 0n;
      seenMillion = true;
      seenThousand = BILLION.has(word);
      last = 'multiplier';
      afterMillion = true;
      // "un millón y medio"
      if (wordAt(tokens, j + 1) === 'y' && wordAt(tokens, j + 2) === 'medio' && adjacent(tokens, j, j + 1, text) && adjacent(tokens, j + 1, j + 2, text)) {
        total += (BILLION.has(word) ? 500_000_000n : 500_000n) * PESO;
        j += 2;
      }
    } else if (word === 'y' || word === 'and') {
      // Only inside a number: "treinta y cinco", "one hundred and fifty"; otherwise it is the
      // sentence's "and" or the "y 75/100" of centavos, and the number ends before it.
      const nextSmall = SMALL[wordAt(tokens, j + 1) ?? ''];
      if (nextSmall === undefined || !adjacent(tokens, j, j + 1, text) || group === undefined) break;
      const spanish = word === 'y' && last === 'word' && group % 100 >= 20 && group % 10 === 0 && nextSmall < 10;
      const english = word === 'and' && (last === 'hundred' || last === 'multiplier') && group % 100 === 0;
      if (!spanish && !english) break;
    } else {
      break;
    }
  }
  // A trailing "y"/"and" never ends a number.
  while (j > first && ['y', 'and'].includes(wordAt(tokens, j - 1) ?? '')) j--;
  if (j === first) return { kind: 'none' };
  const centavos = total + current;
  if (centavos === 0n) return { kind: 'invalid' };
  const bareOne = j === first + 1 && head.type === 'word' && BARE_ONE.has(head.word);
  return { kind: 'ok', next: j, centavos, whole: centavos % PESO === 0n, sign, bareOne, afterMillion: afterMillion && last === 'multiplier' };
}

/** Whether a word worth less than a hundred can follow what has been said of this group. */
function fitsSmall(group: number, value: number): boolean {
  const tens = group % 100;
  if (value < 10) return group % 10 === 0 && (tens === 0 || tens >= 20);
  return tens === 0;
}

/** Centavos after whole pesos: "con cincuenta centavos", "50 centavos", "y 75/100". */
function readCents(tokens: readonly Token[], from: number, text: string): Reading {
  if (from === 0 || !adjacent(tokens, from - 1, from, text)) return { kind: 'none' };
  let i = from;
  if (CENTS_CONNECTORS.has(wordAt(tokens, i) ?? '') && adjacent(tokens, i, i + 1, text)) i++;
  const token = tokens[i];
  if (token?.type === 'number' && token.fraction !== undefined) {
    if (token.negative || !(token.fraction >= 0 && token.fraction <= 99)) return { kind: 'invalid' };
    return { kind: 'ok', next: i + 1, centavos: BigInt(token.fraction), currency: undefined };
  }
  if (token?.type === 'number' && !token.plain) return { kind: 'none' };
  const count = readCore(tokens, i, text);
  if (count.kind !== 'ok' || !CENTS_WORDS.has(wordAt(tokens, count.next) ?? '') || !adjacent(tokens, count.next - 1, count.next, text)) {
    return { kind: 'none' };
  }
  if (!count.whole || count.centavos >= 100n * PESO) return { kind: 'invalid' };
  return { kind: 'ok', next: count.next + 1, centavos: count.centavos / PESO, currency: undefined };
}
