import fc from 'fast-check';
import { amountInWords, digitsOneByOne, LEX_MESSAGE_MAX, numberToWords, speechMessages, spoken, spokenChoices, spokenMore, ssml, voiced } from '@centli/tools/speech';
import { money, type Locale } from '@centli/tools/text';

const seed = 20261206;

/** Words back to a number, written apart from the code under test, so a property can check both ways. */
const ES_VALUES: Readonly<Record<string, number>> = {
  cero: 0, un: 1, uno: 1, una: 1, dos: 2, tres: 3, cuatro: 4, cinco: 5, seis: 6, siete: 7, ocho: 8, nueve: 9, diez: 10,
  once: 11, doce: 12, trece: 13, catorce: 14, quince: 15, dieciséis: 16, diecisiete: 17, dieciocho: 18, diecinueve: 19,
  veinte: 20, veintiún: 21, veintiuno: 21, veintiuna: 21, veintidós: 22, veintitrés: 23, veinticuatro: 24, veinticinco: 25,
  veintiséis: 26, veintisiete: 27, veintiocho: 28, veintinueve: 29, treinta: 30, cuarenta: 40, cincuenta: 50, sesenta: 60,
  setenta: 70, ochenta: 80, noventa: 90, cien: 100, ciento: 100, doscientos: 200, trescientos: 300, cuatrocientos: 400,
  quinientos: 500, seiscientos: 600, setecientos: 700, ochocientos: 800, novecientos: 900,
  doscientas: 200, trescientas: 300, cuatrocientas: 400, quinientas: 500, seiscientas: 600, setecientas: 700, ochocientas: 800, novecientas: 900,
};
const EN_VALUES: Readonly<Record<string, number>> = {
  zero: 0, one: 1, two: 2, three: 3, four: 4, five: 5, six: 6, seven: 7, eight: 8, nine: 9, ten: 10, eleven: 11, twelve: 12,
  thirteen: 13, fourteen: 14, fifteen: 15, sixteen: 16, seventeen: 17, eighteen: 18, nineteen: 19, twenty: 20, thirty: 30,
  forty: 40, fifty: 50, sixty: 60, seventy: 70, eighty: 80, ninety: 90,
};
const SCALES: Readonly<Record<string, number>> = { millón: 1e6, millones: 1e6, billón: 1e12, billones: 1e12, thousand: 1e3, million: 1e6, billion: 1e9, trillion: 1e12 };

function parse(words: string): number {
  let total = 0;
  let current = 0;
  for (const word of words.split(/[\s-]+/)) {
    if (word === 'y') continue;
    if (word === 'mil') current = (current || 1) * 1000;
    else if (word === 'hundred') current *= 100;
    else if (SCALES[word] !== undefined) {
      total += current * SCALES[word];
      current = 0;
    } else {
      const value = ES_VALUES[word] ?? EN_VALUES[word];
      if (value === undefined) throw new Error(`unknown word ${word}`);
      current += value;
    }
  }
  return total + current;
}

describe('numberToWords', () => {
  it.each([
    [0, 'cero', 'zero'],
    [1, 'uno', 'one'],
    [15, 'quince', 'fifteen'],
    [16, 'dieciséis', 'sixteen'],
    [21, 'veintiuno', 'twenty-one'],
    [22, 'veintidós', 'twenty-two'],
    [31, 'treinta y uno', 'thirty-one'],
    [99, 'noventa y nueve', 'ninety-nine'],
    [100, 'cien', 'one hundred'],
    [101, 'ciento uno', 'one hundred one'],
    [115, 'ciento quince', 'one hundred fifteen'],
    [500, 'quinientos', 'five hundred'],
    [555, 'quinientos cincuenta y cinco', 'five hundred fifty-five'],
    [700, 'setecientos', 'seven hundred'],
    [900, 'novecientos', 'nine hundred'],
    [1000, 'mil', 'one thousand'],
    [1001, 'mil uno', 'one thousand one'],
    [1250, 'mil doscientos cincuenta', 'one thousand two hundred fifty'],
    [2000, 'dos mil', 'two thousand'],
    [2026, 'dos mil veintiséis', 'two thousand twenty-six'],
    [21000, 'veintiún mil', 'twenty-one thousand'],
    [31000, 'treinta y un mil', 'thirty-one thousand'],
    [100000, 'cien mil', 'one hundred thousand'],
    [101000, 'ciento un mil', 'one hundred one thousand'],
    [1000000, 'un millón', 'one million'],
    [1000001, 'un millón uno', 'one million one'],
    [2000000, 'dos millones', 'two million'],
    [21000000, 'veintiún millones', 'twenty-one million'],
    [1000000000, 'mil millones', 'one billion'],
    [2500000000, 'dos mil quinientos millones', 'two billion five hundred million'],
    [1000000000000, 'un billón', 'one trillion'],
  ])('says %d as “%s” and “%s”', (n, es, en) => {
    expect(numberToWords(n, 'es')).toBe(es);
    expect(numberToWords(n, 'en')).toBe(en);
  });

  it('says the largest amount of the range in both languages', () => {
    expect(numberToWords(999_999_999_999, 'es')).toBe(
      'novecientos noventa y nueve mil novecientos noventa y nueve millones novecientos noventa y nueve mil novecientos noventa y nueve',
    );
    expect(numberToWords(999_999_999_999, 'en')).toBe('nine hundred ninety-nine billion nine hundred ninety-nine million nine hundred ninety-nine thousand nine hundred ninety-nine');
  });

  it.each([
    [1, 'un', 'una'],
    [21, 'veintiún', 'veintiuna'],
    [31, 'treinta y un', 'treinta y una'],
    [201, 'doscientos un', 'doscientas una'],
    [500, 'quinientos', 'quinientas'],
    [1, 'un', 'una'],
  ])('says %d before a masculine noun as “%s” and before a feminine one as “%s”', (n, masculine, feminine) => {
    expect(numberToWords(n, 'es', { form: 'un' })).toBe(masculine);
    expect(numberToWords(n, 'es', { form: 'una' })).toBe(feminine);
  });

  it('says a negative number with menos / minus', () => {
    expect(numberToWords(-5, 'es')).toBe('menos cinco');
    expect(numberToWords(-5, 'en')).toBe('minus five');
  });

  it('refuses what is not a safe integer', () => {
    expect(() => numberToWords(1.5, 'es')).toThrow(RangeError);
    expect(() => numberToWords(Number.MAX_SAFE_INTEGER + 1, 'en')).toThrow(RangeError);
  });

  it.each(['es', 'en'] as const)('says every number from 0 to 999,999,999,999 in words that read back to it (%s)', (locale) => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 999_999_999_999 }), (n) => {
        const words = numberToWords(n, locale);
        expect(words).toMatch(/^[a-záéíóúñ -]+$/);
        expect(parse(words)).toBe(n);
      }),
      { seed, numRuns: 3000 },
    );
  });

  it('never says “uno” before mil or millones, nor ends a masculine count in “uno”', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 999_999_999_999 }), (n) => {
        expect(numberToWords(n, 'es')).not.toMatch(/uno (mil|millón|millones)\b/);
        expect(numberToWords(n, 'es', { form: 'un' })).not.toMatch(/uno$/);
        expect(parse(numberToWords(n, 'es', { form: 'una' }))).toBe(n);
      }),
      { seed, numRuns: 2000 },
    );
  });
});

describe('amountInWords', () => {
  it.each([
    [125050, 'MXN', 'mil doscientos cincuenta pesos con cincuenta centavos', 'one thousand two hundred fifty pesos and fifty cents'],
    [100, 'MXN', 'un peso', 'one peso'],
    [0, 'MXN', 'cero pesos', 'zero pesos'],
    [1, 'MXN', 'un centavo', 'one cent'],
    [50, 'MXN', 'cincuenta centavos', 'fifty cents'],
    [101, 'MXN', 'un peso con un centavo', 'one peso and one cent'],
    [2100, 'MXN', 'veintiún pesos', 'twenty-one pesos'],
    [10000, 'MXN', 'cien pesos', 'one hundred pesos'],
    [100000000, 'MXN', 'un millón de pesos', 'one million pesos'],
    [250000000, 'MXN', 'dos millones quinientos mil pesos', 'two million five hundred thousand pesos'],
    [300000000, 'MXN', 'tres millones de pesos', 'three million pesos'],
    [1275000, 'MXN', 'doce mil setecientos cincuenta pesos', 'twelve thousand seven hundred fifty pesos'],
    [199, 'USD', 'un dólar con noventa y nueve centavos', 'one dollar and ninety-nine cents'],
    [500000, 'USD', 'cinco mil dólares', 'five thousand dollars'],
    [1050, 'EUR', 'diez euros con cincuenta céntimos', 'ten euros and fifty cents'],
    [1000, 'JPY', 'mil J P Y', 'one thousand J P Y'],
    [-1250, 'MXN', 'menos doce pesos con cincuenta centavos', 'minus twelve pesos and fifty cents'],
  ])('says %d %s as “%s” and “%s”', (amount, currency, es, en) => {
    expect(amountInWords(amount, currency, 'es')).toBe(es);
    expect(amountInWords(amount, currency, 'en')).toBe(en);
  });

  it('refuses an amount that is not whole minor units', () => {
    expect(() => amountInWords(12.5, 'MXN', 'es')).toThrow(RangeError);
  });
});

describe('digitsOneByOne', () => {
  it.each([
    ['1234', 'es', 'uno dos tres cuatro'],
    ['4821', 'es', 'cuatro ocho dos uno'],
    ['0705', 'es', 'cero siete cero cinco'],
    ['1234', 'en', 'one two three four'],
    ['3954', 'en', 'three nine five four'],
    ['12-34', 'en', 'one two three four'],
  ] as const)('says %s in %s as “%s”', (digits, locale, words) => {
    expect(digitsOneByOne(digits, locale)).toBe(words);
  });
});

describe('spoken', () => {
  const say = (text: string, locale: Locale) => spoken(text, locale).text;

  it.each([
    ['Tienes $1,250.50 MXN.', 'es', 'Tienes mil doscientos cincuenta pesos con cincuenta centavos.'],
    ['You have $1,250.50 MXN.', 'en', 'You have one thousand two hundred fifty pesos and fifty cents.'],
    ['Te quedan $1.00 MXN.', 'es', 'Te quedan un peso.'],
    ['Saldo: $0.00 MXN', 'es', 'Saldo: cero pesos.'],
    ['Pagas $45.00 USD.', 'es', 'Pagas cuarenta y cinco dólares.'],
    ['You pay $45.00 USD.', 'en', 'You pay forty-five dollars.'],
    ['Cuesta €10.50 EUR.', 'es', 'Cuesta diez euros con cincuenta céntimos.'],
    ['Un cargo de −$12.50 MXN.', 'es', 'Un cargo de menos doce pesos con cincuenta centavos.'],
    ['A deposit of +$12.50 MXN.', 'en', 'A deposit of plus twelve pesos and fifty cents.'],
    ['Dímela en números, por ejemplo «$1,500.50».', 'es', 'Dímela en números, por ejemplo mil quinientos pesos con cincuenta centavos.'],
    ['Un millón: $1,000,000.00 MXN.', 'es', 'Un millón: un millón de pesos.'],
  ] as const)('says amounts in words: %s (%s)', (text, locale, words) => {
    expect(say(text, locale)).toBe(words);
  });

  it.each([
    ['Transfiero a la cuenta ****3954.', 'es', 'Transfiero a la cuenta con terminación tres nueve cinco cuatro.'],
    ['Tu Cuenta Nómina ****4821 tiene saldo.', 'es', 'Tu Cuenta Nómina con terminación cuatro ocho dos uno tiene saldo.'],
    ['Your account ****3954 is yours.', 'en', 'Your account ending in three nine five four is yours.'],
    ['Bloqueé tu tarjeta con terminación 1234.', 'es', 'Bloqueé tu tarjeta con terminación uno dos tres cuatro.'],
    ['I locked your card ending in 1234.', 'en', 'I locked your card ending in one two three four.'],
    ['La tarjeta 453212******1234.', 'es', 'La tarjeta con terminación uno dos tres cuatro.'],
    ['Un abono de ****3954.', 'es', 'Un abono de la cuenta con terminación tres nueve cinco cuatro.'],
    ['Sent to ****3954.', 'en', 'Sent to account ending in three nine five four.'],
  ] as const)('says masks and endings digit by digit: %s (%s)', (text, locale, words) => {
    expect(say(text, locale)).toBe(words);
  });

  it.each([
    ['Llega el 2026-12-06.', 'es', 'Llega el seis de diciembre de dos mil veintiséis.'],
    ['It arrives on 2026-12-06.', 'en', 'It arrives on December sixth, two thousand twenty-six.'],
    ['Vence 08/2029.', 'es', 'Vence agosto de dos mil veintinueve.'],
    ['Expires 08/2029.', 'en', 'Expires August, two thousand twenty-nine.'],
    ['El 1 dic, 10:15 a.m.', 'es', 'El primero de diciembre, diez y quince de la mañana.'],
    ['On Dec 1, 10:05 PM', 'en', 'On December first, ten oh five p m.'],
    ['Desde el 7 dic 2026, 9:00 p.m.', 'es', 'Desde el siete de diciembre de dos mil veintiséis, nueve en punto de la noche.'],
    ['A las 12:30 p.m., 5:10 p.m. y 2:00 a.m.', 'es', 'A las doce y treinta del mediodía, cinco y diez de la tarde y dos en punto de la madrugada.'],
    ['From Dec 22, 2026, 1:30 PM', 'en', 'From December twenty-second, two thousand twenty-six, one thirty p m.'],
    ['You can send more from Dec 7, 2026, 10:15 AM. No money moved.', 'en', 'You can send more from December seventh, two thousand twenty-six, ten fifteen a m. No money moved.'],
    ['Around Friday, December 11.', 'en', 'Around Friday, December eleventh.'],
    ['Alrededor del viernes, 11 de diciembre.', 'es', 'Alrededor del viernes, once de diciembre.'],
  ] as const)('says dates and times in words: %s (%s)', (text, locale, words) => {
    expect(say(text, locale)).toBe(words);
  });

  it.each([
    ['Apruébalo en https://centli.example/approvals/apr-123 y luego dime «sí».', 'es', 'Apruébalo en tu app de Centli y luego dime sí.'],
    ['Approve it at https://centli.example/approvals/apr-123, then tell me "yes".', 'en', 'Approve it in your Centli app, then tell me yes.'],
    ['El enlace sigue siendo https://centli.example/a?b=1&c=2', 'es', 'El enlace sigue siendo tu app de Centli.'],
  ] as const)('never reads a link out: %s (%s)', (text, locale, words) => {
    expect(say(text, locale)).toBe(words);
  });

  it.each([
    ['Tu concepto «Renta de marzo».', 'es', 'Tu concepto Renta de marzo.'],
    ['Hasta 6 MSI.', 'es', 'Hasta seis meses sin intereses.'],
    ['Tu monto transaccional (MTU) es alto.', 'es', 'Tu monto transaccional es alto.'],
    ['Descuento de 10%.', 'es', 'Descuento de diez por ciento.'],
    ['A 10% discount.', 'en', 'A ten percent discount.'],
    ['Tienes 1 segundo y 24 horas.', 'es', 'Tienes un segundo y veinticuatro horas.'],
    ['Listo. Folio tx-9f8e7d6c.', 'es', 'Listo. El folio está en tu app.'],
    ['Done. Reference tx-9f8e7d6c.', 'en', 'Done. The reference is in your app.'],
    ['Procesando tu compra (pur-abc123).', 'es', 'Procesando tu compra.'],
    ['Tu compra pur-abc123 sigue en proceso.', 'es', 'Tu compra sigue en proceso.'],
    ['Una Laptop HP-15 o un Galaxy S23.', 'es', 'Una Laptop HP-quince o un Galaxy S veintitrés.'],
    ['**Importante**: lee [esto](https://x.example) <b>ya</b>', 'es', 'Importante: lee esto ya.'],
    ['CLABE 072180009876543213', 'es', 'Clabe cero siete dos uno ocho cero cero cero nueve ocho siete seis cinco cuatro tres dos uno tres.'],
    ['Hola / Hello', 'es', 'Hola. Hello.'],
    ['Solo letras, espacios y . , -.', 'es', 'Solo letras, espacios y punto, coma y guion.'],
    ["Letters, spaces and . , ' & - only.", 'en', 'Letters, spaces and period, comma, apostrophe, ampersand and hyphen only.'],
    ['De 1 a 40 caracteres, 1 por línea.', 'es', 'De uno a cuarenta caracteres, uno por línea.'],
    ['el 1 dic', 'es', 'El primero de diciembre.'],
    ['En 1 hora, 21 tarjetas y 1 segundo.', 'es', 'En una hora, veintiuna tarjetas y un segundo.'],
    ['Escribe «ayuda» para ver ejemplos.', 'es', 'Di ayuda para oír ejemplos.'],
    ['Type "help" for examples.', 'en', 'Say help for examples.'],
  ] as const)('turns symbols and markup into words or pauses: %s (%s)', (text, locale, words) => {
    expect(say(text, locale)).toBe(words);
  });

  it.each(['es', 'en'] as const)('says any amount the chat formats exactly as amountInWords says it (%s)', (locale) => {
    fc.assert(
      fc.property(fc.integer({ min: -99_999_999_999_999, max: 99_999_999_999_999 }), fc.constantFrom('MXN', 'USD', 'EUR'), (amount, currency) => {
        expect(say(`Son ${money(amount, currency, locale)}.`, locale)).toBe(`Son ${amountInWords(amount, currency, locale)}.`);
      }),
      { seed, numRuns: 1000 },
    );
  });

  it.each(['es', 'en'] as const)('says any masked account by its last four digits, one by one (%s)', (locale) => {
    fc.assert(
      fc.property(fc.stringMatching(/^[0-9]{4}$/), (ending) => {
        const said = say(`Desde ****${ending}.`, locale);
        expect(said).toBe(`Desde ${locale === 'es' ? 'con terminación' : 'ending in'} ${digitsOneByOne(ending, locale)}.`);
        expect(said).not.toMatch(/\d|\*/);
      }),
      { seed, numRuns: 200 },
    );
  });

  it.each(['es', 'en'] as const)('leaves no figure or symbol in anything someone else may have written (%s)', (locale) => {
    // A transaction's description or a product's name reaches the caller too: any text must come out speakable.
    const marks = [...'0123456789$*•«»#<>[]{}|_%@/\\~^=+−€·×…"“”.,:;-()ñ\n'.split(''), ' ', ' MXN', '****', 'http://', '99,999,999,999,999,999', '12:30', '2026-12-06', '08/2029', '😀'];
    fc.assert(
      fc.property(fc.array(fc.oneof(fc.constantFrom(...marks), fc.constantFrom('a', 'de', 'Renta')), { maxLength: 40 }), (parts) => {
        const said = spoken(parts.join(''), locale);
        for (const part of [said.text, ...(said.more ?? [])]) expect(part).not.toMatch(/[\d$*•«»#<>[\]{}|_%@/\\~^=+−€·×…"“”]|http|\p{Extended_Pictographic}/u);
      }),
      { seed, numRuns: 3000 },
    );
  });

  it('says three items of a list, asks whether to go on, and hands back the rest, spoken', () => {
    // Prepare
    const text = ['Tus tarjetas:', '• tarjeta con terminación 1111', '• tarjeta con terminación 2222', '• tarjeta con terminación 3333', '• tarjeta con terminación 4444', '• tarjeta con terminación 5555'].join('\n');

    // Act
    const said = spoken(text, 'es');

    // Assess
    expect(said.text).toBe('Tus tarjetas: Tarjeta con terminación uno uno uno uno. Tarjeta con terminación dos dos dos dos. Tarjeta con terminación tres tres tres tres. ¿Quieres oír más?');
    expect(said.more).toEqual(['Tarjeta con terminación cuatro cuatro cuatro cuatro.', 'Tarjeta con terminación cinco cinco cinco cinco.']);
  });

  it('keeps what follows a long list before asking', () => {
    const text = ['Your balances:', '• A ****1111: $1.00 MXN', '• B ****2222: $2.00 MXN', '• C ****3333: $3.00 MXN', '• D ****4444: $4.00 MXN', 'Total available: $10.00 MXN'].join('\n');
    const said = spoken(text, 'en');
    expect(said.text).toBe(
      'Your balances: A ending in one one one one: one peso. B ending in two two two two: two pesos. C ending in three three three three: three pesos. Total available: ten pesos. Want to hear more?',
    );
    expect(said.more).toEqual(['D ending in four four four four: four pesos.']);
  });

  it('says a list of three or fewer whole, without asking', () => {
    const said = spoken('Tus saldos:\n• A ****1111: $1.00 MXN\n• B ****2222: $2.00 MXN', 'es');
    expect(said.more).toBeUndefined();
    expect(said.text).not.toContain('¿Quieres oír más?');
  });

  it('says the rest three at a time, asking again while any are left', () => {
    const more = ['Uno.', 'Dos.', 'Tres.', 'Cuatro.', 'Cinco.'];
    expect(spokenMore(more, 'es')).toEqual({ text: 'Uno. Dos. Tres. ¿Quieres oír más?', more: ['Cuatro.', 'Cinco.'] });
    expect(spokenMore(['Four.', 'Five.'], 'en')).toEqual({ text: 'Four. Five.' });
  });
});

describe('ssml', () => {
  it('wraps spoken text in speak, escaped, with a pause between sentences', () => {
    expect(ssml('Hecho. ¿Algo más?')).toBe('<speak>Hecho. <break time="300ms"/>¿Algo más?</speak>');
    expect(ssml('Tom & Jerry’s <b> "x" \'y\'')).toBe('<speak>Tom &amp; Jerry’s &lt;b&gt; &quot;x&quot; &apos;y&apos;</speak>');
  });

  it('turns a catalogue text into Lex V2 SSML messages and the rest of its list', () => {
    // Act
    const said = voiced('Tus saldos:\n• A ****1111: $1.00 MXN\n• B ****2222: $2.00 MXN\n• C ****3333: $3.00 MXN\n• D ****4444: $4.00 MXN', 'es');

    // Assess
    expect(said.text).toBe('Tus saldos: A con terminación uno uno uno uno: un peso. B con terminación dos dos dos dos: dos pesos. C con terminación tres tres tres tres: tres pesos. ¿Quieres oír más?');
    expect(said.messages).toEqual([{ contentType: 'SSML', content: ssml(said.text) }]);
    expect(said.more).toEqual(['D con terminación cuatro cuatro cuatro cuatro: cuatro pesos.']);
  });
});

describe('spokenChoices', () => {
  it('says up to three choices as one list', () => {
    expect(spokenChoices(['Carlos García (hermano)', 'Carlos Ruiz (primo)'], 'es')).toEqual({ text: 'Carlos García, hermano; o Carlos Ruiz, primo.' });
    expect(spokenChoices(['débito Visa con terminación 1234 (activa, vence 08/2029)'], 'es')).toEqual({ text: 'Débito Visa con terminación uno dos tres cuatro, activa, vence agosto de dos mil veintinueve.' });
  });

  it('says three choices, asks whether to go on, and hands back the rest', () => {
    expect(spokenChoices(['Card ****1111', 'Card ****2222', 'Card ****3333', 'Card ****4444'], 'en')).toEqual({
      text: 'Card ending in one one one one; Card ending in two two two two; Card ending in three three three three. Want to hear more?',
      more: ['Card ending in four four four four.'],
    });
  });
});

describe('speechMessages', () => {
  it('says a short text as one SSML message', () => {
    expect(speechMessages('Hecho. ¿Algo más?')).toEqual([{ contentType: 'SSML', content: '<speak>Hecho. <break time="300ms"/>¿Algo más?</speak>' }]);
  });

  it('cuts a long text between sentences into messages Lex accepts, losing no word', () => {
    // Prepare
    const sentence = (i: number) => `Este es el enunciado número ${numberToWords(i, 'es')} de una respuesta larga & con símbolos.`;
    const text = Array.from({ length: 40 }, (_, i) => sentence(i + 1)).join(' ');

    // Act
    const messages = speechMessages(text);

    // Assess
    expect(messages.length).toBeGreaterThan(1);
    for (const message of messages) {
      expect(message.content.length).toBeLessThanOrEqual(LEX_MESSAGE_MAX);
      expect(message.content).toMatch(/^<speak>[^<]*(?:<break time="300ms"\/>[^<]*)*<\/speak>$/);
      expect(message.content).toMatch(/\.<\/speak>$/);
    }
    const words = messages.map((m) => m.content.replace(/<[^>]+>/g, '').replace(/&amp;/g, '&')).join(' ');
    expect(words.replace(/\s+/g, ' ')).toBe(text);
  });

  it('cuts a sentence longer than a message between words', () => {
    const text = `${Array.from({ length: 400 }, () => 'palabra').join(' ')}.`;
    const messages = speechMessages(text);
    expect(messages.length).toBe(4);
    for (const message of messages) expect(message.content.length).toBeLessThanOrEqual(LEX_MESSAGE_MAX);
    expect(messages.map((m) => m.content.replace(/<[^>]+>/g, '')).join(' ')).toBe(text);
  });
});
