import { hear, isGoodbye, keypadAnswer, LEX_LOCALE, localeOfLex, MAX_UTTERANCE_LENGTH } from '../../../../../services/voice/src/domain/utterance';

describe('hear', () => {
  it.each([
    ['1', { text: '1', keypad: true }],
    ['2#', { text: '2', keypad: true }],
    [' 1 2 ', { text: '12', keypad: true }],
    ['¿Cuál es mi saldo?', { text: '¿Cuál es mi saldo?', keypad: false }],
    ['  sí ', { text: 'sí', keypad: false }],
    ['', { text: '', keypad: false }],
  ])('reads %j as what the caller said or keyed', (transcript, expected) => {
    expect(hear(transcript)).toEqual(expected);
  });

  it('reads nothing from what is not a transcript, and cuts a long one to the chat’s limit', () => {
    expect(hear(undefined)).toEqual({ text: '', keypad: false });
    expect(hear({ user_id: 'user-luis' })).toEqual({ text: '', keypad: false });
    expect(hear('a'.repeat(MAX_UTTERANCE_LENGTH + 50)).text).toHaveLength(MAX_UTTERANCE_LENGTH);
  });
});

describe('keypadAnswer', () => {
  it('takes the 1 key as a yes and the 2 key as a no, and nothing else as either', () => {
    expect(keypadAnswer(hear('1'))).toBe('confirm');
    expect(keypadAnswer(hear('2'))).toBe('cancel');
    expect(keypadAnswer(hear('3'))).toBeUndefined();
    expect(keypadAnswer(hear('11'))).toBeUndefined();
    expect(keypadAnswer(hear('uno'))).toBeUndefined();
  });
});

describe('isGoodbye', () => {
  it.each(['Adiós', 'adios, gracias', 'Eso es todo, gracias.', 'Goodbye!', 'That’s all', 'hasta luego'])('hears %j as the end of the call', (said) => {
    expect(isGoodbye(hear(said))).toBe(true);
  });

  it.each(['adiós, y transfiere cien pesos a mi hermano', 'no', '1', 'gracias'])('hears %j as no goodbye', (said) => {
    expect(isGoodbye(hear(said))).toBe(false);
  });
});

describe('the Lex locales', () => {
  it('are Latin American Spanish and US English, one for each language', () => {
    expect(LEX_LOCALE).toEqual({ es: 'es_419', en: 'en_US' });
    expect(localeOfLex('es_419')).toBe('es');
    expect(localeOfLex('en_US')).toBe('en');
    expect(localeOfLex('es_ES')).toBeUndefined();
  });
});
