/** The seeded beneficiaries must be what add-beneficiary would have written, helper items included. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseClabe } from '../../../../services/crm/src/domain/clabe';
import { aliasKey } from '../../../../services/crm/src/domain/normalize';

type Row = Record<string, string>;
const rows = JSON.parse(readFileSync(join(__dirname, '../../../../seed/data/beneficiaries.json'), 'utf8')) as Row[];
const accounts = JSON.parse(readFileSync(join(__dirname, '../../../../seed/data/accounts.json'), 'utf8')) as Row[];
const beneficiaries = rows.filter((r) => r.beneficiary_id?.startsWith('ben_'));
const reservations = rows.filter((r) => r.beneficiary_id?.startsWith('alias#'));

describe('seed/data/beneficiaries.json', () => {
  it('starts every row with its partition key, as the seed loader expects', () => {
    expect(rows.every((r) => Object.keys(r)[0] === 'user_id')).toBe(true);
    expect(rows.every((r) => r.beneficiary_id?.startsWith('ben_') || r.beneficiary_id?.startsWith('alias#'))).toBe(true);
  });

  it.each(beneficiaries.map((b) => [b.beneficiary_id, b] as const))('%s has its alias key, its reservation and one valid destination', (_, b) => {
    expect(b.alias_lower).toBe(aliasKey(b.alias as string));
    expect(reservations).toContainEqual({ user_id: b.user_id, beneficiary_id: `alias#${b.alias_lower}`, holder_id: b.beneficiary_id });
    expect(('account_id' in b) !== ('clabe' in b)).toBe(true);
    if (b.clabe !== undefined) expect(parseClabe(b.clabe)).toEqual({ clabe: b.clabe });
    if (b.account_id !== undefined) expect(accounts.map((a) => a.account_id)).toContain(b.account_id);
  });

  it('reserves no alias that no beneficiary holds', () => {
    expect(reservations).toHaveLength(beneficiaries.length);
  });

  it('gives two customers the same alias for different people, for the isolation tests', () => {
    const hermanos = beneficiaries.filter((b) => b.alias_lower === 'hermano');
    expect(new Set(hermanos.map((b) => b.user_id)).size).toBe(2);
    expect(new Set(hermanos.map((b) => b.name)).size).toBe(2);
  });
});
