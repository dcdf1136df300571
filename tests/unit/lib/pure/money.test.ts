import fc from 'fast-check';
import { formatMoney, minorUnitDigits, sumMinorUnits, toDecimalString } from '@centli/pure/money';

const seed = 20261122;

describe('toDecimalString', () => {
  it.each([
    [0, 'MXN', '0.00'],
    [5, 'MXN', '0.05'],
    [123456, 'MXN', '1234.56'],
    [-1999, 'MXN', '-19.99'],
    [1500, 'JPY', '1500'],
    [1234567, 'KWD', '1234.567'],
    [Number.MAX_SAFE_INTEGER, 'MXN', '90071992547409.91'],
  ])('writes %d %s as %s', (amount, currency, expected) => {
    expect(toDecimalString(amount, currency)).toBe(expected);
  });

  it('refuses fractional and unsafe amounts', () => {
    expect(() => toDecimalString(10.5, 'MXN')).toThrow(RangeError);
    expect(() => toDecimalString(2 ** 60, 'MXN')).toThrow(RangeError);
  });

  it('is exact for every safe integer: the digits read back to the same count of centavos', () => {
    fc.assert(
      fc.property(fc.maxSafeInteger(), (amount) => {
        const text = toDecimalString(amount, 'MXN');
        expect(BigInt(text.replace('.', ''))).toBe(BigInt(amount));
      }),
      { seed, numRuns: 2000 },
    );
  });
});

describe('formatMoney', () => {
  it.each([
    [123456, 'MXN', '$1,234.56 MXN'],
    [5, 'MXN', '$0.05 MXN'],
    [52000, 'USD', '$520.00 USD'],
    [100000000000, 'MXN', '$1,000,000,000.00 MXN'],
  ])('formats %d %s for the assistant as %s', (amount, currency, expected) => {
    expect(formatMoney(amount, currency)).toBe(expected);
  });

  it('never rounds: the formatted digits are the centavos', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 10 ** 15 }), (amount) => {
        const digits = formatMoney(amount, 'MXN').replace(/[^0-9]/g, '');
        expect(BigInt(digits)).toBe(BigInt(amount));
      }),
      { seed, numRuns: 2000 },
    );
  });
});

describe('minorUnitDigits', () => {
  it.each([
    ['MXN', 2],
    ['JPY', 0],
    ['KWD', 3],
  ])('knows %s has %d minor-unit digits', (currency, digits) => {
    expect(minorUnitDigits(currency)).toBe(digits);
  });
});

describe('sumMinorUnits', () => {
  it('adds exactly what BigInt adds', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: -(10 ** 12), max: 10 ** 12 }), { maxLength: 200 }), (amounts) => {
        expect(BigInt(sumMinorUnits(amounts))).toBe(amounts.reduce((a, b) => a + BigInt(b), 0n));
      }),
      { seed },
    );
  });

  it('refuses a total outside the safe-integer range', () => {
    expect(() => sumMinorUnits([Number.MAX_SAFE_INTEGER, 1])).toThrow(RangeError);
  });
});
