/**
 * The text the intent rules read: lowercase, accents folded ("mamá" → "mama", "ñ" → "n"),
 * punctuation and "¿¡" turned into spaces, one space between words. What carries meaning inside a
 * word survives: digits with their separators ("$1,500.50", "75/100"), a minus sign before
 * an amount ("-100", "-$100", so it is refused rather than read as positive), and the hyphens and underscores of identifiers ("acc-carlos-nomina-3954", "pur_3f2a…").
 *
 * Every character remembers where it came from, so what a rule finds can be handed on as the
 * customer wrote it ("Juan Pérez", not "juan perez"; "pur_AB12" keeps its case).
 */
import { foldAccents } from '@centli/pure/fold';

/** A message folded for matching, with the way back to the original. */
export interface Normalized {
  /** The folded text the rules match against. */
  readonly text: string;
  /** The message as the customer wrote it. */
  readonly source: string;
  /** `from[i]`: index in `source` where character i of `text` starts. */
  readonly from: readonly number[];
  /** `to[i]`: index in `source` just past character i of `text`. */
  readonly to: readonly number[];
}

const isDigit = (ch: string | undefined): boolean => ch !== undefined && ch >= '0' && ch <= '9';
const isWordChar = (ch: string | undefined): boolean => ch !== undefined && /[\p{L}\p{N}]/u.test(ch);

/** Folds a message for matching (see the module comment). */
export function normalize(source: string): Normalized {
  let text = '';
  const from: number[] = [];
  const to: number[] = [];
  const space = (): void => {
    if (text.length > 0 && !text.endsWith(' ')) {
      text += ' ';
      from.push(from.length > 0 ? (to[to.length - 1] as number) : 0);
      to.push(to.length > 0 ? (to[to.length - 1] as number) : 0);
    }
  };
  for (let i = 0; i < source.length; i++) {
    const raw = source[i] as string;
    const folded = foldAccents(raw);
    if (folded.length === 0) {
      // A combining accent typed apart from its letter belongs to that letter.
      if (to.length > 0 && !text.endsWith(' ')) to[to.length - 1] = i + 1;
      continue;
    }
    const prev = source[i - 1];
    const next = source[i + 1];
    for (const ch of folded) {
      let kept: string | undefined;
      if (isWordChar(ch) || ch === '$') kept = ch;
      else if ((ch === '.' || ch === ',' || ch === '/') && isDigit(prev) && isDigit(next)) kept = ch;
      else if ((ch === '-' || ch === '\u2212' || ch === '\u2013') && (isWordChar(next) || next === '$') && (isWordChar(prev) || isDigit(next) || next === '$')) kept = '-';
      else if (ch === '_' && isWordChar(prev) && isWordChar(next)) kept = ch;
      if (kept === undefined || /\s/u.test(kept)) {
        space();
        continue;
      }
      text += kept;
      from.push(i);
      to.push(i + 1);
    }
  }
  if (text.endsWith(' ')) {
    text = text.slice(0, -1);
    from.pop();
    to.pop();
  }
  return { text, source, from, to };
}

/** The original words behind `text.slice(start, end)`, trimmed. */
export function original(normalized: Normalized, start: number, end: number): string {
  if (end <= start) return '';
  const begin = normalized.from[start] as number;
  const finish = normalized.to[end - 1] as number;
  return normalized.source.slice(begin, finish).trim();
}
