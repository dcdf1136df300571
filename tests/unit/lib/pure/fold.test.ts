import { foldAccents, foldWords } from '../../../../lib/pure/fold';

describe('foldAccents', () => {
  it.each([
    ['Begoña NÚÑEZ', 'begona nunez'],
    ['Ümlaut', 'umlaut'],
    ['\u0301', ''],
    ['$1,500.50', '$1,500.50'],
  ])('folds %p to %p', (text, folded) => {
    expect(foldAccents(text)).toBe(folded);
  });
});

describe('foldWords', () => {
  it.each([
    ['  Portátil DELL-XPS 13"  (Cómputo)', 'portatil dell xps 13 computo'],
    ['¿A cuál? ¡La HP!', 'a cual la hp'],
    ['東京 タワー', '東京 タワー'],
    ['...', ''],
  ])('folds %p to %p', (text, folded) => {
    expect(foldWords(text)).toBe(folded);
  });
});
