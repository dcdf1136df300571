import { listOf, localeOf, money } from '../../../../lib/pure/locale';

describe('localeOf', () => {
  it.each([
    ['en', 'en'],
    ['en-US', 'en'],
    ['EN-US', 'en'],
    ['en_GB', 'en'],
    [' en ', 'en'],
    ['es-MX', 'es'],
    ['english', 'es'],
    ['fr', 'es'],
    [undefined, 'es'],
    [42, 'es'],
  ])('reads the locale claim %p as %s, the same for every door', (claim, locale) => {
    expect(localeOf({ locale: claim })).toBe(locale);
  });
});

describe('money and lists', () => {
  it('writes amounts and lists as each language does', () => {
    expect(money(150050, 'MXN', 'es')).toBe('$1,500.50 MXN');
    expect(money(150050, 'MXN', 'en')).toBe('$1,500.50 MXN');
    expect(listOf(['a', 'b', 'c'], 'es')).toBe('a, b o c');
    expect(listOf(['a', 'b'], 'en')).toBe('a or b');
    expect(listOf(['a'], 'en')).toBe('a');
  });
});
