import { normalize, original } from '@centli/tools/intent/normalize';

describe('normalize', () => {
  it.each([
    ['¿Cuál es mi SALDO?', 'cual es mi saldo'],
    ['¡Transfiere $1,500.50 a Juan Pérez!', 'transfiere $1,500.50 a juan perez'],
    ['pásale 200 a la cuenta acc-carlos-nomina-3954.', 'pasale 200 a la cuenta acc-carlos-nomina-3954'],
    ['doscientos cincuenta y 75/100', 'doscientos cincuenta y 75/100'],
    ['transfiere -100 pesos, o -$5', 'transfiere -100 pesos o -$5'],
    ['  sí,   confirmo  ', 'si confirmo'],
    ['Begoña — "la casera"', 'begona la casera'],
    ['¿cómo va pur_AB12?', 'como va pur_ab12'],
  ])('folds %j to %j', (text, folded) => {
    expect(normalize(text).text).toBe(folded);
  });

  it('leads back to the words as written', () => {
    const message = normalize('¿Transfiere 100 a Juan Pérez?');
    const start = message.text.indexOf('juan perez');
    expect(original(message, start, start + 'juan perez'.length)).toBe('Juan Pérez');
  });

  it('keeps a combining accent typed apart from its letter with that letter', () => {
    const decomposed = 'mama\u0301';
    const message = normalize(`a ${decomposed}`);
    expect(message.text).toBe('a mama');
    expect(original(message, 2, 6)).toBe(decomposed);
  });
});
