import type { BeneficiaryAddRequest } from '@centli/schemas';
import { assertPublishable } from '@centli/kit/publisher';
import { beneficiaryIdFor, checkNewBeneficiary, planBeneficiary } from '../../../../../services/crm/src/domain/beneficiary';

const request: BeneficiaryAddRequest = {
  request_id: 'req-1',
  correlation_id: 'corr-1',
  user_id: 'user-ana',
  name: 'Rosa Hernández',
  alias: 'mi tía Rosa',
  clabe: '032180000118359719',
};

describe('checkNewBeneficiary', () => {
  it('tidies the request and keys the alias for matching, keeping the spelling for display', () => {
    expect(checkNewBeneficiary({ ...request, name: '  Rosa   Hernández ', alias: ' Mi  Tía Rosa ' })).toEqual({
      name: 'Rosa Hernández',
      alias: 'Mi Tía Rosa',
      aliasLower: 'tia rosa',
      destination: { clabe: '032180000118359719' },
    });
  });

  it('takes an internal account id as it is', () => {
    const { clabe: _, ...withoutClabe } = request;
    expect(checkNewBeneficiary({ ...withoutClabe, account_id: 'acc-carlos-nomina-3954' }).destination).toEqual({ account_id: 'acc-carlos-nomina-3954' });
  });

  it.each([
    ['too short', '03218000011835971', 'must have exactly 18 digits'],
    ['too long', '0321800001183597190', 'must have exactly 18 digits'],
    ['with letters', '03218000011835971A', 'must contain digits only'],
    ['with a wrong check digit', '032180000118359718', 'has a wrong check digit; check it for a typo'],
  ])('refuses a CLABE %s', (_, clabe, problem) => {
    expect(() => checkNewBeneficiary({ ...request, clabe })).toThrow(
      expect.objectContaining({ code: 'BENEFICIARY.INVALID_CLABE', field: 'clabe', message: `The CLABE ${problem}.` }),
    );
  });

  it.each([
    ['empty after trimming', '   '],
    ['too long', 'a'.repeat(41)],
    ['with symbols', 'hermano <script>'],
    ['with an emoji', 'mamá ❤️'],
    ['without a letter', '1234'],
  ])('refuses an alias %s', (_, alias) => {
    expect(() => checkNewBeneficiary({ ...request, alias })).toThrow(expect.objectContaining({ code: 'BENEFICIARY.INVALID_ALIAS', field: 'alias' }));
  });

  it.each(['mamá', 'el casero', 'Tía Rosa 2', 'Señora Núñez', "O'Brien", 'Jean-Luc'])('accepts the alias %j', (alias) => {
    expect(() => checkNewBeneficiary({ ...request, alias })).not.toThrow();
  });

  it.each([
    ['too short', 'R'],
    ['with symbols', 'Rosa <b>'],
  ])('refuses a name %s', (_, name) => {
    expect(() => checkNewBeneficiary({ ...request, name })).toThrow(expect.objectContaining({ code: 'BENEFICIARY.INVALID_NAME', field: 'name' }));
  });

  it('wants exactly one destination', () => {
    const { clabe: _, ...neither } = request;
    expect(() => checkNewBeneficiary(neither)).toThrow(expect.objectContaining({ code: 'BENEFICIARY.INVALID_DESTINATION', field: 'account_id' }));
    expect(() => checkNewBeneficiary({ ...request, account_id: 'acc-carlos-nomina-3954' })).toThrow(
      expect.objectContaining({ code: 'BENEFICIARY.INVALID_DESTINATION', message: 'Give either an account_id or a CLABE, not both.' }),
    );
  });
});

describe('planBeneficiary', () => {
  const plan = planBeneficiary(request, checkNewBeneficiary(request), new Date('2026-11-22T16:00:00Z'));

  it('writes the beneficiary, reserves its alias and records the outcome, all under the customer', () => {
    expect(plan.item).toEqual({
      user_id: 'user-ana',
      beneficiary_id: beneficiaryIdFor(request),
      name: 'Rosa Hernández',
      alias: 'mi tía Rosa',
      alias_lower: 'tia rosa',
      clabe: '032180000118359719',
      request_id: 'req-1',
      created_at: '2026-11-22T16:00:00.000Z',
    });
    expect(plan.reservation).toEqual({ user_id: 'user-ana', beneficiary_id: 'alias#tia rosa', holder_id: plan.item.beneficiary_id });
    expect(plan.record).toMatchObject({ user_id: 'user-ana', beneficiary_id: 'request#req-1', status: 'added', outcome: plan.added });
  });

  it('answers BENEFICIARY_ADDED with the beneficiary as the customer sees it', () => {
    expect(plan.added.detail).toEqual({
      request_id: 'req-1',
      correlation_id: 'corr-1',
      user_id: 'user-ana',
      beneficiary: { beneficiary_id: plan.item.beneficiary_id, name: 'Rosa Hernández', alias: 'mi tía Rosa', clabe: '032180000118359719', added_at: '2026-11-22T16:00:00.000Z' },
      added_at: '2026-11-22T16:00:00.000Z',
    });
    expect(() => assertPublishable(plan.added)).not.toThrow();
  });

  it('names the beneficiary the same on every delivery, and differently for another customer', () => {
    expect(beneficiaryIdFor(request)).toBe(beneficiaryIdFor({ ...request }));
    expect(beneficiaryIdFor(request)).not.toBe(beneficiaryIdFor({ ...request, user_id: 'user-luis' }));
    expect(beneficiaryIdFor(request)).toMatch(/^ben_[A-Za-z0-9_-]{22}$/);
  });
});
