import fc from 'fast-check';
import { findAmount, MAX_AMOUNT, parseAmount } from '@centli/tools/amount';

const seed = 20261126;

describe('parseAmount', () => {
  it.each<[string, number, string]>([
    // digits, separators and signs
    ['$1,500.50', 150050, 'MXN'],
    ['1500.5', 150050, 'MXN'],
    ['1.500,50', 150050, 'MXN'],
    ['1,500', 150000, 'MXN'],
    ['1.500', 150000, 'MXN'],
    ['1500,5', 150050, 'MXN'],
    ['1,000,000.00', 100000000, 'MXN'],
    ['100', 10000, 'MXN'],
    ['$ 250', 25000, 'MXN'],
    ['0.50', 50, 'MXN'],
    ['¡500 pesos!', 50000, 'MXN'],
    // currencies
    ['100 pesos', 10000, 'MXN'],
    ['100 MXN', 10000, 'MXN'],
    ['mxn 100', 10000, 'MXN'],
    ['$100.00 MXN', 10000, 'MXN'],
    ['100 pesos mexicanos', 10000, 'MXN'],
    ['100 dólares', 10000, 'USD'],
    ['100 dolares', 10000, 'USD'],
    ['100 dollars', 10000, 'USD'],
    ['USD 100', 10000, 'USD'],
    ['US$100', 10000, 'USD'],
    ['cien euros', 10000, 'EUR'],
    // Spanish words
    ['cien pesos', 10000, 'MXN'],
    ['ciento cincuenta', 15000, 'MXN'],
    ['mil quinientos', 150000, 'MXN'],
    ['dos mil trescientos cuarenta y cinco', 234500, 'MXN'],
    ['un millón', 100000000, 'MXN'],
    ['un millon de pesos', 100000000, 'MXN'],
    ['veinte mil', 2000000, 'MXN'],
    ['veintiún mil pesos', 2100000, 'MXN'],
    ['DOSCIENTOS PESOS', 20000, 'MXN'],
    ['medio millón', 50000000, 'MXN'],
    ['un millón y medio', 150000000, 'MXN'],
    ['mil millones', MAX_AMOUNT, 'MXN'],
    ['un peso', 100, 'MXN'],
    // centavos
    ['quinientos pesos con cincuenta centavos', 50050, 'MXN'],
    ['cien pesos 50 centavos', 10050, 'MXN'],
    ['doscientos cincuenta y 75/100', 25075, 'MXN'],
    ['50 centavos', 50, 'MXN'],
    ['fifty dollars and twenty cents', 5020, 'USD'],
    // English words
    ['one hundred', 10000, 'MXN'],
    ['one thousand five hundred', 150000, 'MXN'],
    ['fifteen hundred', 150000, 'MXN'],
    ['one hundred and fifty dollars', 15000, 'USD'],
    ['twenty-five dollars', 2500, 'USD'],
    ['a hundred bucks', 10000, 'USD'],
    ['three million', 300000000, 'MXN'],
    // digits with multipliers
    ['2k', 200000, 'MXN'],
    ['1.5k', 150000, 'MXN'],
    ['10 mil pesos', 1000000, 'MXN'],
    ['2 mil 500', 250000, 'MXN'],
    ['1.5 millones', 150000000, 'MXN'],
  ])('reads %j as %d minor units of %s', (text, amount, currency) => {
    expect(parseAmount(text)).toEqual({ amount, currency });
  });

  it.each<[string, string]>([
    ['', 'nothing'],
    ['hola', 'no number'],
    ['-100', 'a negative sign'],
    ['-$100', 'a negative sign before $'],
    ['$-100', 'a negative sign after $'],
    ['0', 'zero'],
    ['0 pesos', 'zero pesos'],
    ['$0.00', 'zero centavos'],
    ['0.001', 'a fraction of a centavo'],
    ['100.5555', 'four decimals'],
    ['1,500.505', 'three decimals after a thousands group'],
    ['1.500.5', 'the decimal mark also used for thousands'],
    ['1,50,0', 'groups that are not thousands'],
    ['dos mil millones', 'more than the maximum'],
    ['1000000000.01', 'one centavo over the maximum'],
    ['cien pesos con 150 centavos', 'more than 99 centavos'],
    ['100 dólares pesos', 'two currencies'],
    ['USD 100 pesos', 'a code and a word that disagree'],
    ['dos tres', 'words that are not one number'],
    ['mil mil', 'a repeated multiplier'],
    ['100 o 200', 'two amounts'],
    ['un', 'an article alone'],
    ['transfiere 100', 'a sentence, not an amount'],
    ['100 pesos a mamá', 'an amount followed by more words'],
    ['75/100', 'centavos without pesos'],
  ])('refuses %j (%s)', (text) => {
    expect(parseAmount(text)).toBeUndefined();
  });

  it('gives an amount that names no currency the default currency, and keeps a named one', () => {
    expect(parseAmount('100', { defaultCurrency: 'USD' })).toEqual({ amount: 10000, currency: 'USD' });
    expect(parseAmount('$100', { defaultCurrency: 'USD' })).toEqual({ amount: 10000, currency: 'USD' });
    expect(parseAmount('100 pesos', { defaultCurrency: 'USD' })).toEqual({ amount: 10000, currency: 'MXN' });
  });

  it('reads every amount written as digits ("$1,234.56") back to the same centavos', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 10 ** 9 }), (centavos) => {
        expect(parseAmount(asDigits(centavos))).toEqual({ amount: centavos, currency: 'MXN' });
      }),
      { seed, numRuns: 2000 },
    );
  });

  it('reads every whole amount of pesos below a million said in Spanish words back to the same centavos', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 999_999 }), (pesos) => {
        expect(parseAmount(spokenPesos(pesos))).toEqual({ amount: pesos * 100, currency: 'MXN' });
        // Without the currency word, as in "mándale mil quinientos"; "uno" alone is an article.
        if (pesos > 1) expect(parseAmount(spanishWords(pesos))).toEqual({ amount: pesos * 100, currency: 'MXN' });
      }),
      { seed, numRuns: 2000 },
    );
  });
});

describe('findAmount', () => {
  it.each<[string, number, string, string, boolean]>([
    ['Transfiere 100 pesos a mi hermano', 10000, 'MXN', '100 pesos', true],
    ['mándale mil quinientos a mamá', 150000, 'MXN', 'mil quinientos', false],
    ['envía $1,500.50 a Juan Pérez', 150050, 'MXN', '$1,500.50', false],
    ['send a hundred bucks to Juanita', 10000, 'USD', 'a hundred bucks', true],
    ['compra un celular de 5 mil pesos', 500000, 'MXN', '5 mil pesos', true],
    ['paga a acc-123 la cantidad de 300', 30000, 'MXN', '300', false],
    ['y cien pesos con cincuenta centavos, por favor', 10050, 'MXN', 'cien pesos con cincuenta centavos', true],
  ])('finds the amount in %j', (text, amount, currency, phrase, currencyNamed) => {
    const found = findAmount(text);
    expect(found).toEqual({ amount, currency, text: phrase, currencyNamed, start: text.indexOf(phrase), end: text.indexOf(phrase) + phrase.length });
  });

  it.each([
    ['compra un celular', 'an article is not an amount'],
    ['transfiere -100 pesos a mi hermano', 'the first amount is negative'],
    ['transfiere 0 pesos y luego 100', 'a later number never stands in for an invalid first one'],
    ['muéstrame mis tarjetas', 'no number at all'],
  ])('finds nothing in %j (%s)', (text) => {
    expect(findAmount(text)).toBeUndefined();
  });

  it('finds any amount written as digits inside a sentence, exactly where it was written', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 10 ** 9 }), (centavos) => {
        const digits = asDigits(centavos);
        const found = findAmount(`Transfiere ${digits} a mi hermano`);
        expect(found).toMatchObject({ amount: centavos, text: digits, start: 11 });
      }),
      { seed },
    );
  });
});

/** `123456` → "$1,234.56". */
function asDigits(centavos: number): string {
  const pesos = Math.floor(centavos / 100)
    .toString()
    .replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return `$${pesos}.${String(centavos % 100).padStart(2, '0')}`;
}

const UNITS = ['', 'uno', 'dos', 'tres', 'cuatro', 'cinco', 'seis', 'siete', 'ocho', 'nueve'];
const TEENS = ['diez', 'once', 'doce', 'trece', 'catorce', 'quince', 'dieciséis', 'diecisiete', 'dieciocho', 'diecinueve'];
const TWENTIES = ['veinte', 'veintiuno', 'veintidós', 'veintitrés', 'veinticuatro', 'veinticinco', 'veintiséis', 'veintisiete', 'veintiocho', 'veintinueve'];
const TENS = ['', '', '', 'treinta', 'cuarenta', 'cincuenta', 'sesenta', 'setenta', 'ochenta', 'noventa'];
const HUNDREDS = ['', 'ciento', 'doscientos', 'trescientos', 'cuatrocientos', 'quinientos', 'seiscientos', 'setecientos', 'ochocientos', 'novecientos'];

function below100(n: number): string {
  if (n < 10) return UNITS[n] as string;
  if (n < 20) return TEENS[n - 10] as string;
  if (n < 30) return TWENTIES[n - 20] as string;
  const unit = n % 10;
  return `${TENS[Math.floor(n / 10)]}${unit ? ` y ${UNITS[unit]}` : ''}`;
}

function below1000(n: number): string {
  if (n === 100) return 'cien';
  const rest = n % 100;
  return [HUNDREDS[Math.floor(n / 100)], rest ? below100(rest) : ''].filter(Boolean).join(' ');
}

/** "uno" becomes "un" before a noun or "mil": "veintiún mil", "treinta y un pesos". */
function apocope(words: string): string {
  return words.replace(/veintiuno$/, 'veintiún').replace(/uno$/, 'un');
}

/** 1 ≤ n < 1,000,000 in Spanish words, as a number on its own: 1501 → "mil quinientos uno". */
function spanishWords(n: number): string {
  const thousands = Math.floor(n / 1000);
  const rest = n % 1000;
  const parts: string[] = [];
  if (thousands === 1) parts.push('mil');
  else if (thousands > 1) parts.push(`${apocope(below1000(thousands))} mil`);
  if (rest) parts.push(below1000(rest));
  return parts.join(' ');
}

/** An amount of pesos as said: "un peso", "veintiún pesos", "mil quinientos pesos". */
function spokenPesos(n: number): string {
  return `${apocope(spanishWords(n))} ${n === 1 ? 'peso' : 'pesos'}`;
}
