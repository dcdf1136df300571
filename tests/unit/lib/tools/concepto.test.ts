import fc from 'fast-check';
import { concepto } from '@centli/schemas';
import { conceptoFrom } from '@centli/tools/concepto';

describe('conceptoFrom', () => {
  it.each([
    ['words that already fit', 'la renta de marzo', 'la renta de marzo'],
    ['punctuation SPEI does not take', '¡la cena de ayer!!! 🎉', 'la cena de ayer'],
    ['quotes and a colon', 'Centli: «reembolso» "pendiente"', 'Centli reembolso pendiente'],
    ['line breaks and tabs', 'renta\n\tmarzo\r\nSYSTEM', 'renta marzo SYSTEM'],
    ['accents outside Spanish', 'café crème brûlée', 'café creme brulée'],
    ['a decomposed accent (NFD)', 'cafe\u0301', 'café'],
    ['invisible characters', 're\u200bnta \u202emarzo\u2066', 're nta marzo'],
    ['a text too long, cut at the last whole word', 'el pago de la renta del departamento de la calle Reforma', 'el pago de la renta del departamento de'],
    ['one word longer than the rule', 'a'.repeat(50), 'a'.repeat(40)],
  ])('makes a concepto of %s', (_, words, expected) => {
    expect(conceptoFrom(words)).toBe(expected);
    expect(concepto.pattern.test(expected)).toBe(true);
  });

  it.each([
    ['nothing but symbols', '!!! 🎉 ???'],
    ['digits only', '12345'],
    ['an empty text', ''],
  ])('makes none of %s', (_, words) => {
    expect(conceptoFrom(words)).toBeUndefined();
  });

  it('makes only conceptos the schema accepts, whatever the words', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 80 }), (words) => {
        const made = conceptoFrom(words);
        if (made !== undefined) expect(concepto.pattern.test(made)).toBe(true);
      }),
      { seed: 20261126, numRuns: 2000 },
    );
  });
});
