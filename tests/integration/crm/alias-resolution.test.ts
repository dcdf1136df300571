/**
 * Resolving what a customer calls a person, through the bus against the seeded beneficiaries
 * (seed/data/beneficiaries.json), including what one customer must never see of another's.
 * The full table of phrasings runs as a unit test of the domain; this is a sample of it, end to end.
 */
import { answerTo, closeClients, putRequests, runId, type BusEvent } from '../support';

afterAll(closeClients);

const run = runId();
let sequence = 0;

async function resolve(user_id: string, alias: string): Promise<BusEvent> {
  const n = sequence++;
  const correlation = `corr-${run}-a${n}`;
  await putRequests([{ detailType: 'ALIAS_RESOLUTION_REQUEST', detail: { request_id: `req-${run}-a${n}`, correlation_id: correlation, user_id, alias } }]);
  return answerTo(correlation, ['ALIAS_RESOLUTION_RESPONSE', 'ALIAS_RESOLUTION_FAILED']);
}

const ids = (answer: BusEvent) => (answer.detail.candidates as { beneficiary_id: string }[]).map((c) => c.beneficiary_id);

describe('ALIAS_RESOLUTION_REQUEST', () => {
  it('resolves "mi hermano" to Ana’s brother and his account, from centli.crm', async () => {
    const answer = await resolve('user-ana', 'mi hermano');

    expect(answer['detail-type']).toBe('ALIAS_RESOLUTION_RESPONSE');
    expect(answer.source).toBe('centli.crm');
    expect(answer.detail).toMatchObject({
      user_id: 'user-ana',
      alias: 'mi hermano',
      status: 'resolved',
      beneficiary: { beneficiary_id: 'ben_ana_hermano', name: 'Carlos García', alias: 'hermano', account_id: 'acc-carlos-nomina-3954' },
    });
  });

  it.each([
    ['Mamá', 'ben_ana_mama'],
    ['my mom', 'ben_ana_mama'],
    ['el kasero', 'ben_ana_casero'],
    ['Juan Pérez', 'ben_ana_juan'],
    ['juana perez', 'ben_ana_juana'],
    ['la niñera', 'ben_ana_ninera'],
    ['to my brother', 'ben_ana_hermano'],
  ])('resolves %j for Ana', async (alias, beneficiaryId) => {
    const answer = await resolve('user-ana', alias);

    expect(answer.detail).toMatchObject({ status: 'resolved', beneficiary: { beneficiary_id: beneficiaryId } });
  });

  it('asks which Pérez, listing both', async () => {
    const answer = await resolve('user-ana', 'Pérez');

    expect(answer.detail.status).toBe('ambiguous');
    expect(ids(answer)).toEqual(['ben_ana_juan', 'ben_ana_juana']);
  });

  it('finds nobody called Pedro, suggesting the closest', async () => {
    const answer = await resolve('user-ana', 'Pedro');

    expect(answer.detail.status).toBe('not_found');
    expect(ids(answer)).toEqual(['ben_ana_juan', 'ben_ana_juana', 'ben_ana_casero']);
  });

  it('resolves the same alias to each customer’s own beneficiary', async () => {
    const [ana, sofia, carlos] = await Promise.all([resolve('user-ana', 'hermano'), resolve('user-sofia', 'hermano'), resolve('user-carlos', 'mi hermana')]);

    expect(ana.detail).toMatchObject({ status: 'resolved', beneficiary: { name: 'Carlos García', account_id: 'acc-carlos-nomina-3954' } });
    expect(sofia.detail).toMatchObject({ status: 'resolved', beneficiary: { name: 'Diego Martínez', clabe: '032180777888999004' } });
    expect(carlos.detail).toMatchObject({ status: 'resolved', beneficiary: { name: 'Ana García', account_id: 'acc-ana-nomina-4821' } });
  });

  it('never matches or suggests another customer’s beneficiaries', async () => {
    for (const alias of ['hermano', 'Juan Pérez', 'Diego Martínez']) {
      const answer = await resolve('user-luis', alias);
      expect(answer.detail).toMatchObject({ status: 'not_found', candidates: [] });
    }
  });

  it('refuses an alias with nothing to look for, naming the field', async () => {
    const answer = await resolve('user-ana', '¿?');

    expect(answer['detail-type']).toBe('ALIAS_RESOLUTION_FAILED');
    expect(answer.detail).toMatchObject({ reason: 'REQUEST.INVALID', field: 'alias' });
  });
});
