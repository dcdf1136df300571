/**
 * A transfer's concepto made from the customer's own words, for the chat, whose engines (the
 * parser, a model) transcribe what the customer said ("por la cena de ayer!!! 🎉") rather than
 * type a field. The rule is SPEI's, as the schema holds it (`concepto` in @centli/schemas: 1 to
 * 40 letters, digits, spaces and . , -); MCP callers type the field themselves and are refused
 * when it breaks the rule, but the chat's customer never sees the field, so their words are made
 * to fit: other accented letters lose their accent, any other character becomes a space, spaces
 * collapse, and a longer text is cut at the last whole word that fits. Pure.
 */
import { concepto } from '@centli/schemas';

/** The concepto the words make, or undefined when no letter is left. */
export function conceptoFrom(words: string): string | undefined {
  const kept = Array.from(words.normalize('NFC'), keep)
    .join('')
    .replace(/ {2,}/g, ' ')
    .trim();
  const cut = kept.length <= concepto.max ? kept : wholeWords(kept, concepto.max);
  return /\p{L}/u.test(cut) && concepto.pattern.test(cut) ? cut : undefined;
}

/** A character as a concepto can hold it: itself, its letter without the accent ("è" → "e"), or a space. */
function keep(character: string): string {
  if (concepto.characters.test(character)) return character;
  const plain = character.normalize('NFD').replace(/\p{M}/gu, '');
  return plain.length === 1 && concepto.characters.test(plain) ? plain : ' ';
}

/** The longest run of whole words within `max` characters (a single longer word is cut). */
function wholeWords(text: string, max: number): string {
  const head = text.slice(0, max + 1);
  const space = head.lastIndexOf(' ');
  return (space > 0 ? head.slice(0, space) : text.slice(0, max)).trim();
}
