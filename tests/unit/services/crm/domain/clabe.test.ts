import fc from 'fast-check';
import { clabeCheckDigit, parseClabe } from '../../../../../services/crm/src/domain/clabe';

describe('clabeCheckDigit', () => {
  // Published worked examples: Wikipedia (en, "CLABE", Control digit) and the FedACH
  // International "CLABE check digit calculator" (BBVA Bancomer, plaza 180).
  it.each(['032180000118359719', '012180026050783858'])('agrees with the published valid CLABE %s', (clabe) => {
    expect(clabeCheckDigit(clabe.slice(0, 17))).toBe(Number(clabe[17]));
    expect(parseClabe(clabe)).toEqual({ clabe });
  });

  it('follows the specification step by step: weights 3, 7, 1; products mod 10; (10 - sum mod 10) mod 10', () => {
    // 032180000118359719: products mod 10 are 0 1 2 3 6 0 0 0 0 3 7 8 9 5 9 1 7, sum 61 → (10 - 1) mod 10 = 9.
    expect(clabeCheckDigit('03218000011835971')).toBe(9);
    // 012180026050783858: products mod 10 sum to 52 → (10 - 2) mod 10 = 8.
    expect(clabeCheckDigit('01218002605078385')).toBe(8);
    // A sum that is a multiple of ten gives 0, not 10.
    expect(clabeCheckDigit('00000000000000000')).toBe(0);
  });

  it('detects every single-digit typo (fast-check, fixed seed)', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^[0-9]{17}$/), fc.integer({ min: 0, max: 16 }), fc.integer({ min: 1, max: 9 }), (body, position, delta) => {
        const clabe = body + String(clabeCheckDigit(body));
        const typo = clabe.slice(0, position) + String((Number(clabe[position]) + delta) % 10) + clabe.slice(position + 1);
        // Weights 3, 7 and 1 are all prime to 10, so changing one digit always changes the check digit.
        expect(parseClabe(typo)).toEqual({ problem: 'check_digit' });
      }),
      { seed: 20261122, numRuns: 500 },
    );
  });

  it('refuses anything but 17 digits', () => {
    expect(() => clabeCheckDigit('1234')).toThrow(RangeError);
  });
});

describe('parseClabe', () => {
  it.each([
    ['too short', '03218000011835971', 'length'],
    ['too long', '0321800001183597190', 'length'],
    ['empty', '', 'length'],
    ['a letter', '03218000011835971O', 'characters'],
    ['letters', 'ABCDEFGHIJKLMNOPQR', 'characters'],
    ['a decimal point', '032180000118.59719', 'characters'],
    ['a wrong check digit', '032180000118359718', 'check_digit'],
    ['two digits swapped', '032180000118539719', 'check_digit'],
  ])('refuses %s', (_, input, problem) => {
    expect(parseClabe(input)).toEqual({ problem });
  });

  it('reads a CLABE typed in groups', () => {
    expect(parseClabe('032 180 00011835971 9')).toEqual({ clabe: '032180000118359719' });
    expect(parseClabe('032-180-00011835971-9')).toEqual({ clabe: '032180000118359719' });
  });
});
