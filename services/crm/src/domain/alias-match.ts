/**
 * Turns the words a customer used for a person into one of their beneficiaries, safely.
 *
 * In order, stopping at the first step that finds anyone:
 * 1. exact: the alias's key ({@link aliasKey}) equals a beneficiary's alias key (what the
 *    alias index answers), then an equivalent word's ("my brother" → "hermano"), then a
 *    beneficiary's whole name ("juan perez");
 * 2. whole words: every word asked is a whole word of one beneficiary's name or alias, in any
 *    order ("Juan" is Juan Pérez and not Juana Pérez; "Pérez" is both);
 * 3. fuzzy: fuse.js over the folded names, aliases and their words, less a penalty for a
 *    difference in length, for typos ("hermno", "kasero"). A word for a relationship is never
 *    taken for another one: "hermano" is one letter from "hermana", and a brother asked for is
 *    not a sister found (at best a suggestion, so the assistant asks).
 *
 * One beneficiary found is `resolved`; several found equally well are `ambiguous`, so the
 * assistant asks which; nobody is `not_found`, with the closest beneficiaries as suggestions.
 * Only the customer's own beneficiaries are ever considered.
 */
import Fuse from 'fuse.js';
import type { BeneficiaryItem } from './beneficiary';
import { aliasKey, equivalentKeys, foldForMatching, isRelationshipWord } from './normalize';
import { EmptyAliasError } from '../errors';

/**
 * Scores below this (0 perfect … 1 anything) are a match: fewer than one wrong letter in
 * three. Scores are fuse.js's (errors ÷ letters asked) plus the length penalty below, so
 * "hermno" → "hermano" is 0.24, "kasero" → "casero" 0.17, "Matteo" → "Mateo" 0.25, while
 * "brother" → "roberto" (0.43) and "Pedro" → "Pérez" (0.40) are no match.
 */
export const MATCH_THRESHOLD = 0.35;

/**
 * Fuse.js finds what was asked anywhere in a text, so on its own "tita" is a perfect-but-one
 * match for the end of "Juanita". Each word and whole key is therefore compared on its own,
 * and the difference in length costs this much times its share of the longer of the two:
 * "tita" → "juanita" 0.25 + 0.21 = 0.46, no match.
 */
export const LENGTH_WEIGHT = 0.5;

/**
 * Matches within this distance of the best are "close", and more than one close match is
 * ambiguous: about two wrong letters in ten. With Juan Pérez and Juana Pérez, "Juan Peres"
 * (0.10 and 0.25) is asked about; "hermno" (hermano 0.24, hermana 0.40) is not.
 */
export const AMBIGUITY_MARGIN = 0.2;

/** How far a beneficiary may be from the alias and still be suggested when nobody matches. */
export const SUGGESTION_THRESHOLD = 0.55;

/** Fuzzy matching needs this many letters: one wrong letter in three is "tía" for "Lucía". */
export const MIN_FUZZY_LENGTH = 4;

export const MAX_CANDIDATES = 5;
export const MAX_SUGGESTIONS = 3;

export type MatchedBy = 'alias' | 'equivalent' | 'name' | 'words' | 'fuzzy';

export type AliasMatch =
  | { status: 'resolved'; beneficiary: BeneficiaryItem; by: MatchedBy; score?: number }
  | { status: 'ambiguous'; candidates: BeneficiaryItem[]; by: MatchedBy }
  | { status: 'not_found'; candidates: BeneficiaryItem[] };

/** The matching key of `alias`; throws when nothing is left to match (only punctuation). */
export function queryKey(alias: string): string {
  const key = aliasKey(alias);
  if (key === '') throw new EmptyAliasError();
  return key;
}

/**
 * Resolves `alias` among `beneficiaries`, of which only those of `userId` are considered.
 *
 * @param beneficiaries - The customer's beneficiaries (helper items must not be among them).
 */
export function matchAlias(userId: string, alias: string, beneficiaries: readonly BeneficiaryItem[]): AliasMatch {
  const key = queryKey(alias);
  const own = beneficiaries.filter((b) => b.user_id === userId).map(keyed);

  const equivalents = equivalentKeys(key);
  const exact =
    found(own.filter((b) => b.alias === key), 'alias') ??
    found(own.filter((b) => equivalents.includes(b.alias)), 'equivalent') ??
    found(own.filter((b) => b.name === key), 'name');
  if (exact) return exact;

  const asked = key.split(' ');
  const byWords = found(own.filter((b) => asked.every((word) => b.words.has(word))), 'words');
  if (byWords) return byWords;

  if (key.length < MIN_FUZZY_LENGTH) return { status: 'not_found', candidates: [] };
  const scored = fuzzyScores(key, own);
  const matches = scored.filter((s) => s.score < MATCH_THRESHOLD);
  const best = matches[0];
  if (!best) return { status: 'not_found', candidates: scored.slice(0, MAX_SUGGESTIONS).map((s) => s.beneficiary) };
  const close = matches.filter((s) => s.score - best.score <= AMBIGUITY_MARGIN);
  if (close.length === 1) return { status: 'resolved', beneficiary: best.beneficiary, by: 'fuzzy', score: round(best.score) };
  return { status: 'ambiguous', candidates: close.slice(0, MAX_CANDIDATES).map((s) => s.beneficiary), by: 'fuzzy' };
}

/** A beneficiary with its matching keys, computed once. */
interface Keyed {
  beneficiary: BeneficiaryItem;
  alias: string;
  name: string;
  words: ReadonlySet<string>;
}

function keyed(beneficiary: BeneficiaryItem): Keyed {
  const alias = aliasKey(beneficiary.alias);
  const name = foldForMatching(beneficiary.name);
  return { beneficiary, alias, name, words: new Set([...alias.split(' '), ...name.split(' ')]) };
}

function found(matches: readonly Keyed[], by: MatchedBy): AliasMatch | undefined {
  const [first, ...others] = matches.map((m) => m.beneficiary);
  if (!first) return undefined;
  if (others.length === 0) return { status: 'resolved', beneficiary: first, by };
  return { status: 'ambiguous', candidates: [first, ...others].sort(byName).slice(0, MAX_CANDIDATES), by };
}

interface Scored {
  beneficiary: BeneficiaryItem;
  score: number;
}

/**
 * Each beneficiary's best score over its alias key, its folded name and each of their words,
 * best first (ties by name), those within {@link SUGGESTION_THRESHOLD} only. Location and
 * field length are left to the length penalty: a surname is as good a place to match as a
 * first name.
 */
function fuzzyScores(key: string, beneficiaries: readonly Keyed[]): Scored[] {
  const documents = beneficiaries.flatMap(({ beneficiary, alias, name, words }) =>
    [...new Set([alias, name, ...words])].map((text) => ({ beneficiary, text })),
  );
  const fuse = new Fuse(documents, {
    keys: ['text'],
    includeScore: true,
    ignoreLocation: true,
    ignoreFieldNorm: true,
    threshold: SUGGESTION_THRESHOLD,
  });
  const best = new Map<string, Scored>();
  const askedRelationship = isRelationshipWord(key);
  for (const hit of fuse.search(key)) {
    const { beneficiary, text } = hit.item;
    let score = (hit.score ?? 1) + (LENGTH_WEIGHT * Math.abs(text.length - key.length)) / Math.max(text.length, key.length);
    // A relationship asked for is never another relationship found (hermano is not hermana): at
    // best it is suggested.
    if (askedRelationship && isRelationshipWord(text)) score = Math.max(score, MATCH_THRESHOLD);
    if (score > SUGGESTION_THRESHOLD) continue;
    const seen = best.get(beneficiary.beneficiary_id);
    if (!seen || score < seen.score) best.set(beneficiary.beneficiary_id, { beneficiary, score });
  }
  return [...best.values()].sort((a, b) => a.score - b.score || byName(a.beneficiary, b.beneficiary));
}

function byName(a: BeneficiaryItem, b: BeneficiaryItem): number {
  return a.name.localeCompare(b.name, 'es') || a.beneficiary_id.localeCompare(b.beneficiary_id);
}

const round = (score: number) => Math.round(score * 1000) / 1000;
