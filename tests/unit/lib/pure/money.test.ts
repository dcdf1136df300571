import fc from 'fast-check';
import { formatMoney, minorUnitDigits, sumMinorUnits, toDecimalString, WRITTEN_WITHOUT_INTL } from '@centli/pure/money';

/** What Intl writes: the specification the formatter without Intl is held to. */
const intlWrites = (amount: number, currency: string, locale: string) =>
  `${new Intl.NumberFormat(locale, { style: 'currency', currency, currencyDisplay: 'narrowSymbol' }).format(toDecimalString(amount, currency) as unknown as number)} ${currency}`;

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

describe('formatMoney without Intl (the first Intl object of a process loads ICU, a cold start’s cost)', () => {
  const pairs = WRITTEN_WITHOUT_INTL.locales.flatMap((locale) => WRITTEN_WITHOUT_INTL.currencies.map((currency) => [locale, currency] as const));

  it.each(pairs)('writes %s %s exactly as Intl does, for every safe integer of either sign', (locale, currency) => {
    fc.assert(
      fc.property(fc.oneof(fc.maxSafeInteger(), fc.integer({ min: -(10 ** 7), max: 10 ** 7 })), (amount) => {
        expect(formatMoney(amount, currency, locale)).toBe(intlWrites(amount, currency, locale));
      }),
      { seed, numRuns: 3000 },
    );
  });

  it.each(pairs)('writes %s %s as Intl does at each grouping boundary', (locale, currency) => {
    for (let digits = 0; digits <= 16; digits++) {
      for (const amount of [10 ** digits, 10 ** digits - 1, -(10 ** digits), -(10 ** digits - 1)].filter(Number.isSafeInteger)) {
        expect(formatMoney(amount, currency, locale)).toBe(intlWrites(amount, currency, locale));
      }
    }
  });

  it('still asks Intl for any other locale or currency', () => {
    expect(formatMoney(123456, 'EUR', 'es-MX')).toBe(intlWrites(123456, 'EUR', 'es-MX'));
    expect(formatMoney(123456, 'MXN', 'de-DE')).toBe(intlWrites(123456, 'MXN', 'de-DE'));
    expect(formatMoney(1500, 'JPY', 'en-US')).toBe(intlWrites(1500, 'JPY', 'en-US'));
  });
});

describe('minorUnitDigits', () => {
  it.each(WRITTEN_WITHOUT_INTL.currencies)('knows %s’s digits without Intl, as Intl knows them', (currency) => {
    expect(minorUnitDigits(currency)).toBe(new Intl.NumberFormat('en', { style: 'currency', currency }).resolvedOptions().maximumFractionDigits);
  });

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
