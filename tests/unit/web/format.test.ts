/**
 * The chat page's formatting (web/chat/format.js) and its words (web/chat/i18n.js): text as
 * blocks rendered with textContent, durations, clock times, countdowns, JSON, and every message
 * in both languages.
 */
import { countdown, formatClock, formatDuration, guessLocale, initials, prettyJson, shortId, textBlocks } from '../../../web/chat/format.js';
import { MESSAGES, SUGGESTIONS, translate } from '../../../web/chat/i18n.js';

describe('textBlocks', () => {
  it('keeps line breaks and turns • lines into a list', () => {
    expect(textBlocks('Este es tu saldo:\n• Débito: $1,000.00\n• Ahorro: $5.00\nListo.\nAlgo más')).toEqual([
      { type: 'paragraph', lines: ['Este es tu saldo:'] },
      { type: 'list', items: ['Débito: $1,000.00', 'Ahorro: $5.00'] },
      { type: 'paragraph', lines: ['Listo.', 'Algo más'] },
    ]);
  });

  it('separates paragraphs at blank lines and reads CRLF', () => {
    expect(textBlocks('Uno\r\ndos\r\n\r\n\r\nTres')).toEqual([
      { type: 'paragraph', lines: ['Uno', 'dos'] },
      { type: 'paragraph', lines: ['Tres'] },
    ]);
  });

  it('accepts - and * bullets, but not a bare minus sign', () => {
    expect(textBlocks('- a\n* b\n-5 pesos')).toEqual([
      { type: 'list', items: ['a', 'b'] },
      { type: 'paragraph', lines: ['-5 pesos'] },
    ]);
  });

  it('leaves markup as text', () => {
    expect(textBlocks('<b>hola</b>\n• <script>x</script>')).toEqual([
      { type: 'paragraph', lines: ['<b>hola</b>'] },
      { type: 'list', items: ['<script>x</script>'] },
    ]);
  });

  it('gives nothing for nothing', () => {
    expect(textBlocks('')).toEqual([]);
    expect(textBlocks(undefined)).toEqual([]);
  });
});

describe('formatDuration', () => {
  it.each([
    [0, '0 ms'],
    [12.4, '12 ms'],
    [999, '999 ms'],
    [1250, '1.2 s'],
    [9999, '9.9 s'],
    [12_000, '12 s'],
    [125_000, '2 min 05 s'],
    [undefined, ''],
    [-1, ''],
  ])('%s ms → %s', (ms, text) => {
    expect(formatDuration(ms)).toBe(text);
  });
});

describe('formatClock', () => {
  it('shows local time with milliseconds, or hours and minutes', () => {
    const date = new Date(2026, 10, 22, 9, 5, 7, 42);
    expect(formatClock(date)).toBe('09:05:07.042');
    expect(formatClock(date.toISOString(), { short: true })).toBe('09:05');
    expect(formatClock(date.getTime(), { milliseconds: false })).toBe('09:05:07');
    expect(formatClock('not a date')).toBe('');
  });
});

describe('countdown', () => {
  it('counts down in m:ss and says when it ran out', () => {
    expect(countdown(300_000, 0)).toEqual({ remainingMs: 300_000, expired: false, label: '5:00', urgent: false });
    expect(countdown(10_500, 0)).toEqual({ remainingMs: 10_500, expired: false, label: '0:11', urgent: true });
    expect(countdown(1000, 5000)).toEqual({ remainingMs: 0, expired: true, label: '0:00', urgent: false });
  });
});

describe('prettyJson', () => {
  it('indents, and never throws', () => {
    expect(prettyJson({ a: 1, b: [true] })).toBe('{\n  "a": 1,\n  "b": [\n    true\n  ]\n}');
    const cyclic: Record<string, unknown> = { name: 'x' };
    cyclic.self = cyclic;
    expect(prettyJson(cyclic)).toContain('"self": "[circular]"');
    expect(prettyJson(undefined)).toBe('undefined');
    expect(prettyJson(10n)).toBe('"10"');
  });
});

describe('initials, shortId, guessLocale', () => {
  it('makes avatar initials', () => {
    expect(initials('Ana García')).toBe('AG');
    expect(initials('María José de la Cruz')).toBe('MC');
    expect(initials('user-ana')).toBe('UA');
    expect(initials('Ñandú')).toBe('ÑA');
    expect(initials('')).toBe('?');
  });

  it('shortens long ids', () => {
    expect(shortId('pur_12345678', 6)).toBe('pur_12345678');
    expect(shortId('corr-0123456789abcdef0123', 4)).toBe('corr…0123');
  });

  it('guesses the language the customer writes in', () => {
    expect(guessLocale('¿Cuál es mi saldo?')).toBe('es');
    expect(guessLocale('Transfiere 100 pesos a mi hermano')).toBe('es');
    expect(guessLocale('What is my balance?')).toBe('en');
    expect(guessLocale('ok')).toBeUndefined();
  });
});

describe('the page’s words', () => {
  it('has every message in Spanish and in English', () => {
    expect(Object.keys(MESSAGES.en).sort()).toEqual(Object.keys(MESSAGES.es).sort());
    for (const table of [MESSAGES.es, MESSAGES.en]) for (const text of Object.values(table)) expect(text.trim()).not.toBe('');
  });

  it('uses the same placeholders in both languages', () => {
    const placeholders = (text: string) => (text.match(/\{\w+\}/g) ?? []).sort();
    for (const key of Object.keys(MESSAGES.es)) expect(placeholders(MESSAGES.en[key]!)).toEqual(placeholders(MESSAGES.es[key]!));
  });

  it('fills placeholders and falls back to Spanish, then to the key', () => {
    expect(translate('es', 'confirm.expiresIn', { t: '4:59' })).toBe('Expira en 4:59');
    expect(translate('en', 'confirm.expiresIn', { t: '4:59' })).toBe('Expires in 4:59');
    expect(translate('en', 'chat.welcome', {})).toContain('{name}');
    expect(translate('en', 'no.such.key')).toBe('no.such.key');
  });

  it('suggests what a first-time customer can ask', () => {
    expect(SUGGESTIONS.es).toEqual([
      '¿Cuál es mi saldo?',
      '¿Qué gasté ayer?',
      'Transfiere 100 pesos a mi hermano',
      'Compra una laptop a 6 meses sin intereses',
      'Bloquea mi tarjeta con terminación 1234',
      'Perdí mi tarjeta',
    ]);
    expect(SUGGESTIONS.en).toHaveLength(SUGGESTIONS.es.length);
  });
});
