/**
 * What a caller said, as the voice door reads it. Amazon Connect hands keypad digits to the bot
 * as the input transcript (`inputMode: 'DTMF'`, "1" for the 1 key), so a transcript of digits is
 * the keypad whatever the mode says: 1 is a yes and 2 a no, except while a question's choices
 * are open, when a digit picks the choice in that place. Who is calling never comes from here:
 * a transcript is only ever what the verified caller asks for. Pure.
 */
import { foldWords } from '@centli/pure/fold';
import type { Locale } from '@centli/pure/locale';

/** The longest utterance the door reads, in characters (the chat's limit for a message). */
export const MAX_UTTERANCE_LENGTH = 1000;

/** The Lex V2 locale of each language Centli speaks: the bot's locales (Latin American Spanish, US English). */
export const LEX_LOCALE: Readonly<Record<Locale, string>> = { es: 'es_419', en: 'en_US' };

/** Centli's language for a Lex V2 locale id, or undefined for one the bot does not have. */
export function localeOfLex(localeId: unknown): Locale | undefined {
  return localeId === LEX_LOCALE.es ? 'es' : localeId === LEX_LOCALE.en ? 'en' : undefined;
}

export interface Heard {
  /** The transcript, trimmed and cut to MAX_UTTERANCE_LENGTH; keypad digits without a closing # or *. */
  text: string;
  /** Only digits: keys, or digits the recogniser heard. */
  keypad: boolean;
}

export function hear(transcript: unknown): Heard {
  const raw = typeof transcript === 'string' ? transcript.normalize('NFC').trim().slice(0, MAX_UTTERANCE_LENGTH) : '';
  const keys = raw.replace(/\s+/g, '').replace(/[#*]+$/, '');
  if (/^\d+$/.test(keys)) return { text: keys, keypad: true };
  return { text: raw, keypad: false };
}

/** A yes or a no on the keypad: 1 yes, 2 no, anything else neither. */
export function keypadAnswer(heard: Heard): 'confirm' | 'cancel' | undefined {
  if (!heard.keypad) return undefined;
  return heard.text === '1' ? 'confirm' : heard.text === '2' ? 'cancel' : undefined;
}

/** Whole utterances that end a call ("adiós", "eso es todo, gracias"); a goodbye inside a request is no goodbye. */
const GOODBYES = new Set([
  'adios',
  'adios gracias',
  'gracias adios',
  'hasta luego',
  'gracias hasta luego',
  'eso es todo',
  'eso es todo gracias',
  'es todo gracias',
  'nada mas',
  'nada mas gracias',
  'no gracias adios',
  'colgar',
  'bye',
  'goodbye',
  'bye bye',
  'thanks bye',
  'thank you goodbye',
  'thats all',
  'thats all thanks',
  'that is all',
  'nothing else',
  'nothing else thanks',
  'hang up',
]);

export function isGoodbye(heard: Heard): boolean {
  return !heard.keypad && GOODBYES.has(foldWords(heard.text.replace(/[’']/g, '')));
}
