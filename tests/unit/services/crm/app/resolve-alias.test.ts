import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { assertPublishable } from '@centli/kit/publisher';
import { type OutgoingEvent } from '@centli/pure/events';
import type { AliasResolutionRequest } from '@centli/schemas';
import type { BeneficiaryItem } from '../../../../../services/crm/src/domain/beneficiary';
import { resolveAlias, type ResolveAliasDeps } from '../../../../../services/crm/src/app/resolve-alias';

const seeded = (JSON.parse(readFileSync(join(__dirname, '../../../../../seed/data/beneficiaries.json'), 'utf8')) as BeneficiaryItem[]).filter((item) =>
  item.beneficiary_id.startsWith('ben_'),
);

/** A store over the seed data that answers like DynamoDB would: by key, one customer at a time. */
function fakeStore(): ResolveAliasDeps['store'] & { findByAliasKey: jest.Mock; listAll: jest.Mock } {
  return {
    findByAliasKey: jest.fn(async (userId: string, aliasLower: string) => seeded.filter((b) => b.user_id === userId && b.alias_lower === aliasLower)),
    listAll: jest.fn(async (userId: string) => seeded.filter((b) => b.user_id === userId)),
  };
}

const ask = (alias: string, user_id = 'user-ana'): AliasResolutionRequest => ({ request_id: 'req-1', correlation_id: 'corr-1', user_id, alias });

describe('resolveAlias', () => {
  it('answers an exact alias from the index alone', async () => {
    const store = fakeStore();

    const answer = (await resolveAlias(ask('Mi Hermano'), { store })) as OutgoingEvent<'ALIAS_RESOLUTION_RESPONSE'>;

    expect(answer).toEqual({
      detailType: 'ALIAS_RESOLUTION_RESPONSE',
      detail: {
        request_id: 'req-1',
        correlation_id: 'corr-1',
        user_id: 'user-ana',
        alias: 'Mi Hermano',
        status: 'resolved',
        beneficiary: { beneficiary_id: 'ben_ana_hermano', name: 'Carlos García', alias: 'hermano', account_id: 'acc-carlos-nomina-3954' },
      },
    });
    expect(store.findByAliasKey).toHaveBeenCalledWith('user-ana', 'hermano');
    expect(store.listAll).not.toHaveBeenCalled();
    expect(() => assertPublishable(answer)).not.toThrow();
  });

  it('reads the customer’s list when the index has nobody, and matches a typo', async () => {
    const store = fakeStore();

    const answer = (await resolveAlias(ask('el kasero'), { store })) as OutgoingEvent<'ALIAS_RESOLUTION_RESPONSE'>;

    expect(answer.detail).toMatchObject({ status: 'resolved', beneficiary: { beneficiary_id: 'ben_ana_casero', alias: 'el casero', clabe: '014180654321098765' } });
    expect(store.listAll).toHaveBeenCalledWith('user-ana');
  });

  it.each([
    ['Pérez', 'ambiguous', ['ben_ana_juan', 'ben_ana_juana']],
    ['Pedro', 'not_found', ['ben_ana_juan', 'ben_ana_juana', 'ben_ana_casero']],
    ['Alejandro', 'not_found', []],
  ])('answers %j as %s with the candidates, in the published shape', async (alias, status, ids) => {
    const answer = (await resolveAlias(ask(alias), { store: fakeStore() })) as OutgoingEvent<'ALIAS_RESOLUTION_RESPONSE'>;

    expect(answer.detail).toMatchObject({ alias, status });
    expect((answer.detail as { candidates: { beneficiary_id: string }[] }).candidates.map((c) => c.beneficiary_id)).toEqual(ids);
    expect(() => assertPublishable(answer)).not.toThrow();
  });

  it('answers each customer with their own beneficiary for the same alias', async () => {
    const store = fakeStore();

    const ana = (await resolveAlias(ask('hermano', 'user-ana'), { store })) as OutgoingEvent<'ALIAS_RESOLUTION_RESPONSE'>;
    const sofia = (await resolveAlias(ask('hermano', 'user-sofia'), { store })) as OutgoingEvent<'ALIAS_RESOLUTION_RESPONSE'>;
    const luis = (await resolveAlias(ask('hermano', 'user-luis'), { store })) as OutgoingEvent<'ALIAS_RESOLUTION_RESPONSE'>;

    expect(ana.detail).toMatchObject({ status: 'resolved', beneficiary: { name: 'Carlos García' } });
    expect(sofia.detail).toMatchObject({ status: 'resolved', beneficiary: { name: 'Diego Martínez' } });
    expect(luis.detail).toMatchObject({ status: 'not_found', candidates: [] });
  });

  it('refuses an alias with nothing to match without reading anything', async () => {
    const store = fakeStore();

    await expect(resolveAlias(ask('¿¡!?'), { store })).rejects.toMatchObject({ code: 'ALIAS.EMPTY', field: 'alias' });
    expect(store.findByAliasKey).not.toHaveBeenCalled();
  });
});
