import fc from 'fast-check';
import { clabeCheckDigit, clabeParts, isValidClabe, makeClabe, maskedClabe, withBankCode } from '@centli/pure/clabe';

describe('clabe', () => {
  // Published examples: Wikipedia's "CLABE" article (002 010 07777777777 1; 032 180 00011835971 9)
  // and an STP CLABE often used as an example (646 180 15700000000 4).
  it.each(['002010077777777771', '032180000118359719', '646180157000000004'])('accepts the published CLABE %s', (clabe) => {
    expect(isValidClabe(clabe)).toBe(true);
    expect(clabeCheckDigit(clabe.slice(0, 17))).toBe(Number(clabe[17]));
  });

  it.each([
    ['a wrong check digit', '002010077777777772'],
    ['17 digits', '00201007777777777'],
    ['19 digits', '0020100777777777710'],
    ['a letter', '00201007777777777a'],
    ['spaces', '002 010 07777777777 1'],
  ])('refuses %s', (_what, text) => {
    expect(isValidClabe(text)).toBe(false);
  });

  it('makes a CLABE from its parts and reads them back', () => {
    const clabe = makeClabe({ bank: '002', plaza: '010', account: '07777777777' });
    expect(clabe).toBe('002010077777777771');
    expect(clabeParts(clabe)).toEqual({ bank: '002', plaza: '010', account: '07777777777' });
  });

  it('refuses parts of the wrong length', () => {
    expect(() => makeClabe({ bank: '02', plaza: '010', account: '07777777777' })).toThrow(/3-digit bank code/);
  });

  it('moves an account to another bank code with a new check digit', () => {
    const moved = withBankCode('002010077777777771', '999');
    expect(moved.slice(0, 17)).toBe('99901007777777777');
    expect(isValidClabe(moved)).toBe(true);
  });

  it('catches every single-digit change (property, fixed seed)', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^[0-9]{17}$/), fc.integer({ min: 0, max: 16 }), fc.integer({ min: 1, max: 9 }), (first17, position, delta) => {
        const clabe = `${first17}${clabeCheckDigit(first17)}`;
        const changed = `${clabe.slice(0, position)}${(Number(clabe[position]) + delta) % 10}${clabe.slice(position + 1)}`;
        // Weights 3, 7 and 1 are all coprime with 10, so changing one digit always changes the sum mod 10.
        expect(isValidClabe(changed)).toBe(false);
      }),
      { seed: 19, numRuns: 500 },
    );
  });

  it('masks a CLABE as accounts are masked', () => {
    expect(maskedClabe('002010077777777771')).toBe('****7771');
  });
});
