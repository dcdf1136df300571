/**
 * Text folded for matching what people type: case and accents away ("Begoña NÚÑEZ" matches
 * "begona nunez"), and, for word matching, everything but letters and digits of any script made
 * one space. What is shown to a customer always keeps the original spelling. Pure.
 */

/** Lowercase without accents (the marks NFD splits off): "Begoña NÚÑEZ" → "begona nunez". A lone combining mark folds to "". */
export function foldAccents(text: string): string {
  return text.normalize('NFD').replace(/\p{M}+/gu, '').toLowerCase();
}

/** Words only, folded and one space apart: "  Portátil Dell-XPS! " → "portatil dell xps". */
export function foldWords(text: string): string {
  return foldAccents(text)
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();
}
