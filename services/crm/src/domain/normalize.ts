/**
 * How the words a customer uses for a person become a key to match on. Matching ignores case,
 * accents (so "ñ" matches "n"), punctuation, surrounding and repeated spaces, and a leading
 * possessive, article or "to" ("mi", "my", "el", "la", "a", "al", "para", "to", …). What is
 * shown to the customer always keeps the original spelling.
 */

import { foldWords } from '@centli/pure/fold';

/**
 * Words stripped from the front of an alias: Spanish and English possessives and articles,
 * and the prepositions a transfer phrase puts before a person ("a mi hermano", "to my mom").
 * Only ever from the front, and never the last word, so an alias of one word stays itself.
 */
const LEADING_FILLERS: ReadonlySet<string> = new Set([
  'mi', 'mis', 'my', 'nuestro', 'nuestra', 'our',
  'el', 'la', 'los', 'las', 'the',
  'a', 'al', 'para', 'to', 'for',
]);

/**
 * Case, accents and spacing folded: "  Begoña   NÚÑEZ " → "begona nunez". Letters and digits
 * of every script are kept; everything else separates words.
 */
export function foldForMatching(text: string): string {
  // English possessive: "Juan's" is Juan.
  return foldWords(text.replace(/['’]s\b/giu, ''));
}

/** The matching key of an alias: folded, with leading possessives, articles and "to" removed. */
export function aliasKey(alias: string): string {
  const words = foldForMatching(alias).split(' ').filter(Boolean);
  while (words.length > 1 && LEADING_FILLERS.has(words[0] as string)) words.shift();
  return words.join(' ');
}

/** The words of a folded text. */
export function wordsOf(text: string): string[] {
  return foldForMatching(text).split(' ').filter(Boolean);
}

/**
 * Words customers use for the same person, in Spanish and English (as folded keys). A query
 * for any word of a group also finds an alias saved as another word of it: "my brother" finds
 * "hermano", "mamá" finds an alias saved as "mom". Groups are not merged: a word in two groups
 * ("sibling", "cousin", "boss") finds the aliases of both, which is an ambiguous answer.
 */
const EQUIVALENT_WORDS: readonly (readonly string[])[] = [
  ['hermano', 'brother', 'bro', 'hermanito', 'sibling', 'siblings', 'hermanos'],
  ['hermana', 'sister', 'sis', 'hermanita', 'sibling', 'siblings', 'hermanos', 'hermanas'],
  ['mama', 'mom', 'mum', 'mother', 'mommy', 'mami', 'mamita', 'madre', 'jefecita'],
  ['papa', 'dad', 'father', 'daddy', 'papi', 'papito', 'padre'],
  ['casero', 'landlord'],
  ['casera', 'landlady', 'landlord'],
  ['esposo', 'husband', 'marido'],
  ['esposa', 'wife'],
  ['hijo', 'son'],
  ['hija', 'daughter'],
  ['abuelo', 'grandpa', 'grandfather', 'abuelito'],
  ['abuela', 'grandma', 'grandmother', 'abuelita'],
  ['tio', 'uncle'],
  ['tia', 'aunt', 'auntie'],
  ['primo', 'cousin'],
  ['prima', 'cousin'],
  ['amigo', 'friend'],
  ['amiga', 'friend'],
  ['novio', 'boyfriend'],
  ['novia', 'girlfriend'],
  ['jefe', 'boss'],
  ['jefa', 'boss'],
  ['plomero', 'plumber', 'fontanero'],
  ['ninera', 'nanny', 'babysitter'],
];

const RELATIONSHIP_WORDS: ReadonlySet<string> = new Set(EQUIVALENT_WORDS.flat());

/** Whether `word` is one of the words for a relationship ("hermano", "sister", "jefa"…). */
export function isRelationshipWord(word: string): boolean {
  return RELATIONSHIP_WORDS.has(word);
}

/** The other keys that name the same person as `key` (see {@link EQUIVALENT_WORDS}); never `key` itself. */
export function equivalentKeys(key: string): string[] {
  const found = new Set<string>();
  for (const group of EQUIVALENT_WORDS) if (group.includes(key)) for (const word of group) found.add(word);
  found.delete(key);
  return [...found];
}
