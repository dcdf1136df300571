import { aliasKey, equivalentKeys, foldForMatching } from '../../../../../services/crm/src/domain/normalize';

describe('foldForMatching', () => {
  it.each([
    ['  Begoña   NÚÑEZ ', 'begona nunez'],
    ['Mamá', 'mama'],
    ['Pingüino', 'pinguino'],
    ['¡Sofía!', 'sofia'],
    ['O’Brien-Smith', 'o brien smith'],
    ['Juan’s', 'juan'],
    ['María\tJosé\n', 'maria jose'],
    ['Ñ', 'n'],
  ])('folds %j to %j', (text, folded) => {
    expect(foldForMatching(text)).toBe(folded);
  });
});

describe('aliasKey', () => {
  it.each([
    ['mi hermano', 'hermano'],
    ['Mis Hermanos', 'hermanos'],
    ['my brother', 'brother'],
    ['el casero', 'casero'],
    ['la niñera', 'ninera'],
    ['a mi mamá', 'mama'],
    ['al casero', 'casero'],
    ['para mi hermana', 'hermana'],
    ['to my mom', 'mom'],
    ['the landlord', 'landlord'],
    ['mi hermano mayor', 'hermano mayor'],
    ['Juan Pérez', 'juan perez'],
  ])('keys %j as %j', (alias, key) => {
    expect(aliasKey(alias)).toBe(key);
  });

  it('never removes the last word, so an alias that is only a filler word stays itself', () => {
    expect(aliasKey('mi')).toBe('mi');
    expect(aliasKey('el')).toBe('el');
    expect(aliasKey('mi el')).toBe('el');
  });

  it('only strips from the front', () => {
    expect(aliasKey('Casa de la abuela')).toBe('casa de la abuela');
  });
});

describe('equivalentKeys', () => {
  it('finds the same person in the other language, both ways', () => {
    expect(equivalentKeys('brother')).toContain('hermano');
    expect(equivalentKeys('hermano')).toContain('brother');
    expect(equivalentKeys('mom')).toEqual(expect.arrayContaining(['mama', 'mother', 'madre']));
  });

  it('does not merge groups: a brother is not a sister, though a sibling is either', () => {
    expect(equivalentKeys('hermano')).not.toContain('hermana');
    expect(equivalentKeys('sibling')).toEqual(expect.arrayContaining(['hermano', 'hermana']));
    expect(equivalentKeys('boss')).toEqual(expect.arrayContaining(['jefe', 'jefa']));
    expect(equivalentKeys('jefe')).not.toContain('jefa');
  });

  it('never includes the word itself, and knows nothing of names', () => {
    expect(equivalentKeys('mama')).not.toContain('mama');
    expect(equivalentKeys('juan')).toEqual([]);
  });
});
