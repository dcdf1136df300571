import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { BeneficiaryItem } from '../../../../../services/crm/src/domain/beneficiary';
import { matchAlias, type AliasMatch } from '../../../../../services/crm/src/domain/alias-match';

const seeded = (JSON.parse(readFileSync(join(__dirname, '../../../../../seed/data/beneficiaries.json'), 'utf8')) as BeneficiaryItem[]).filter((item) =>
  item.beneficiary_id.startsWith('ben_'),
);

/** What a match says, in the table's terms: the one beneficiary, or the status and candidates. */
function outcome(match: AliasMatch): string {
  if (match.status === 'resolved') return match.beneficiary.beneficiary_id;
  return `${match.status}: ${match.candidates.map((c) => c.beneficiary_id).join(', ')}`.trimEnd();
}

describe('matchAlias', () => {
  // Ana's beneficiaries (seed/data/beneficiaries.json): Carlos García "hermano", Lucía García
  // "hermana", María Elena Ruiz "mamá", Roberto Sánchez Treviño "el casero", Juan Pérez "el
  // plomero", Juana Pérez "Juanita" (the easy pair to confuse), Mateo López "Mateo", Begoña Núñez "niñera".
  it.each([
    // Spanish: possessives, articles, case, spacing, accents
    ['mi hermano', 'ben_ana_hermano'],
    ['Mi Hermano', 'ben_ana_hermano'],
    ['  mi   hermano  ', 'ben_ana_hermano'],
    ['MI HERMANO', 'ben_ana_hermano'],
    ['a mi hermano', 'ben_ana_hermano'],
    ['¿mi hermano?', 'ben_ana_hermano'],
    ['mi hermana', 'ben_ana_hermana'],
    ['mamá', 'ben_ana_mama'],
    ['Mi Mamá', 'ben_ana_mama'],
    ['mi mama', 'ben_ana_mama'],
    ['MAMA', 'ben_ana_mama'],
    ['el casero', 'ben_ana_casero'],
    ['al casero', 'ben_ana_casero'],
    ['casero', 'ben_ana_casero'],
    ['la niñera', 'ben_ana_ninera'],
    ['la ninera', 'ben_ana_ninera'],
    ['el plomero', 'ben_ana_juan'],
    ['Juanita', 'ben_ana_juana'],
    ['para Mateo', 'ben_ana_mateo'],
    // Words for the same person
    ['mi hermanito', 'ben_ana_hermano'],
    ['mami', 'ben_ana_mama'],
    ['mi madre', 'ben_ana_mama'],
    // Names, whole or in part, any order, with or without accents
    ['Juan Pérez', 'ben_ana_juan'],
    ['juan perez', 'ben_ana_juan'],
    ['Juana Pérez', 'ben_ana_juana'],
    ['Pérez Juan', 'ben_ana_juan'],
    ['Juan', 'ben_ana_juan'],
    ['Juana', 'ben_ana_juana'],
    ['Carlos', 'ben_ana_hermano'],
    ['Lucía García', 'ben_ana_hermana'],
    ['lucia garcia', 'ben_ana_hermana'],
    ['Begoña', 'ben_ana_ninera'],
    ['begona nunez', 'ben_ana_ninera'],
    ['BEGOÑA NÚÑEZ', 'ben_ana_ninera'],
    ['mateo lópez', 'ben_ana_mateo'],
    ['Roberto', 'ben_ana_casero'],
    ['Elena Ruiz', 'ben_ana_mama'],
    // Typos
    ['mi hermno', 'ben_ana_hermano'],
    ['kasero', 'ben_ana_casero'],
    ['Matteo', 'ben_ana_mateo'],
    ['roberto sanches', 'ben_ana_casero'],
    ['ninerа', 'ben_ana_ninera'], // the last letter is a Cyrillic а, as a phone keyboard may type it
    // English
    ['my brother', 'ben_ana_hermano'],
    ['to my brother', 'ben_ana_hermano'],
    ['My Sister', 'ben_ana_hermana'],
    ['my mom', 'ben_ana_mama'],
    ['my mother', 'ben_ana_mama'],
    ['the landlord', 'ben_ana_casero'],
    ['my plumber', 'ben_ana_juan'],
    ['the nanny', 'ben_ana_ninera'],
    ["Juanita's", 'ben_ana_juana'],
    ['my Juan Perez', 'ben_ana_juan'],
    // Ambiguous: the assistant asks which
    ['Pérez', 'ambiguous: ben_ana_juan, ben_ana_juana'],
    ['Juan Peres', 'ambiguous: ben_ana_juan, ben_ana_juana'],
    ['juna perez', 'ambiguous: ben_ana_juana, ben_ana_juan'],
    ['jaun perez', 'ambiguous: ben_ana_juan, ben_ana_juana'],
    ['García', 'ambiguous: ben_ana_hermano, ben_ana_hermana'],
    ['mis hermanos', 'ambiguous: ben_ana_hermano, ben_ana_hermana'],
    ['my siblings', 'ambiguous: ben_ana_hermano, ben_ana_hermana'],
    ['herman', 'ambiguous: ben_ana_hermano, ben_ana_hermana'],
    // Nobody: with the closest as suggestions, or none when nothing is close
    ['Pedro', 'not_found: ben_ana_juan, ben_ana_juana, ben_ana_casero'],
    ['Carlos García Ruiz', 'not_found: ben_ana_hermano'],
    ['mi tía', 'not_found:'],
    ['tita', 'not_found: ben_ana_juana'],
    ['my cousin', 'not_found:'],
    ['Alejandro', 'not_found:'],
    ['xyz', 'not_found:'],
  ])('resolves %j for Ana as %s', (alias, expected) => {
    expect(outcome(matchAlias('user-ana', alias, seeded))).toBe(expected);
  });

  it('keeps each customer to their own beneficiaries: the same alias is each one’s own', () => {
    expect(outcome(matchAlias('user-ana', 'mi hermano', seeded))).toBe('ben_ana_hermano');
    expect(outcome(matchAlias('user-sofia', 'mi hermano', seeded))).toBe('ben_sofia_hermano');
    expect(outcome(matchAlias('user-carlos', 'mi hermana', seeded))).toBe('ben_carlos_hermana');
  });

  it('never matches, suggests or lists another customer’s beneficiary', () => {
    for (const alias of ['hermano', 'Juan Pérez', 'Pérez', 'kasero', 'Diego', 'Ana']) {
      const match = matchAlias('user-luis', alias, seeded);
      expect(match).toEqual({ status: 'not_found', candidates: [] });
    }
    const sofias = matchAlias('user-sofia', 'García', seeded);
    expect(outcome(sofias)).toBe('ben_sofia_ana');
    expect(outcome(matchAlias('user-ana', 'Diego Martínez', seeded))).not.toContain('ben_sofia');
  });

  it('never takes one relationship for another, however close the words: Carlos’s "hermano" is not his "hermana"', () => {
    expect(outcome(matchAlias('user-carlos', 'mi hermano', seeded))).toBe('not_found: ben_carlos_hermana');
    expect(outcome(matchAlias('user-carlos', 'mi hermana', seeded))).toBe('ben_carlos_hermana');
    expect(outcome(matchAlias('user-carlos', 'mi hermna', seeded))).toBe('ben_carlos_hermana');
    const base = { user_id: 'user-x', account_id: 'acc-x' };
    const family: BeneficiaryItem[] = [
      { ...base, beneficiary_id: 'ben_tio', name: 'Ramón Díaz', alias: 'tío', alias_lower: 'tio' },
      { ...base, beneficiary_id: 'ben_prima', name: 'Elsa Díaz', alias: 'prima', alias_lower: 'prima' },
    ];
    expect(outcome(matchAlias('user-x', 'mi primo', family)).startsWith('not_found:')).toBe(true);
    expect(outcome(matchAlias('user-ana', 'la casera', seeded))).toBe('not_found: ben_ana_casero, ben_ana_ninera, ben_ana_hermano');
    expect(outcome(matchAlias('user-x', 'mi prima', family))).toBe('ben_prima');
  });

  it('says how it matched, and the fuzzy score when it was a typo', () => {
    expect(matchAlias('user-ana', 'mi hermano', seeded)).toMatchObject({ status: 'resolved', by: 'alias' });
    expect(matchAlias('user-ana', 'my mom', seeded)).toMatchObject({ status: 'resolved', by: 'equivalent' });
    expect(matchAlias('user-ana', 'Juan Pérez', seeded)).toMatchObject({ status: 'resolved', by: 'name' });
    expect(matchAlias('user-ana', 'Juan', seeded)).toMatchObject({ status: 'resolved', by: 'words' });
    expect(matchAlias('user-ana', 'kasero', seeded)).toMatchObject({ status: 'resolved', by: 'fuzzy', score: expect.any(Number) });
  });

  it('prefers an alias to a name, finds an alias saved in the other language, and lists everyone a shared surname names', () => {
    const base = { user_id: 'user-x', account_id: 'acc-x' };
    const beneficiaries: BeneficiaryItem[] = [
      { ...base, beneficiary_id: 'ben_1', name: 'Tomás Ortega', alias: 'Pepe', alias_lower: 'pepe' },
      { ...base, beneficiary_id: 'ben_2', name: 'Pepe', alias: 'vecino', alias_lower: 'vecino' },
      { ...base, beneficiary_id: 'ben_3', name: 'Ana Ortega', alias: 'boss', alias_lower: 'boss' },
      { ...base, beneficiary_id: 'ben_4', name: 'Eva Ortega', alias: 'jefa', alias_lower: 'jefa' },
    ];

    expect(outcome(matchAlias('user-x', 'pepe', beneficiaries))).toBe('ben_1');
    expect(outcome(matchAlias('user-x', 'mi jefe', beneficiaries))).toBe('ben_3');
    expect(outcome(matchAlias('user-x', 'Ortega', beneficiaries))).toBe('ambiguous: ben_3, ben_4, ben_1');
  });

  it('refuses an alias with nothing to match', () => {
    expect(() => matchAlias('user-ana', '¿?', seeded)).toThrow(expect.objectContaining({ code: 'ALIAS.EMPTY', field: 'alias' }));
  });
});
