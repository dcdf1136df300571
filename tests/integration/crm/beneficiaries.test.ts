/**
 * Adding and listing beneficiaries through the bus: every refusal leaves the table exactly as it
 * was, aliases are unique per customer after normalisation even under concurrency, and a
 * redelivered request answers its first outcome.
 */
import { answers, answerTo, closeClients, createAccounts, dumpTable, eventsFor, putRequests, runId, type BusEvent } from '../support';

afterAll(closeClients);

const run = runId();
const ana = `user-${run}-ana`;
const luis = `user-${run}-luis`;
const carlosAccount = { user_id: `user-${run}-carlos`, account_id: `acc-${run}-carlos`, balance: 100 };
const VALID_CLABE = '032180000118359719';
const OTHER_CLABE = '012180026050783858';

let sequence = 0;
function detail(fields: Record<string, unknown>) {
  const n = sequence++;
  return { request_id: `req-${run}-b${n}`, correlation_id: `corr-${run}-b${n}`, ...fields };
}

async function send(detailType: 'BENEFICIARY_ADD_REQUEST' | 'BENEFICIARIES_QUERY' | 'ALIAS_RESOLUTION_REQUEST', fields: Record<string, unknown>, results: string[]): Promise<BusEvent> {
  const request = detail(fields);
  await putRequests([{ detailType, detail: request }]);
  return answerTo(request.correlation_id, results);
}

const add = (fields: Record<string, unknown>) => send('BENEFICIARY_ADD_REQUEST', fields, ['BENEFICIARY_ADDED', 'BENEFICIARY_REJECTED']);
const list = (fields: Record<string, unknown>) => send('BENEFICIARIES_QUERY', fields, ['BENEFICIARIES_RESPONSE', 'BENEFICIARIES_FAILED']);

beforeAll(async () => {
  await createAccounts([carlosAccount]);
});

describe('BENEFICIARY_ADD_REQUEST', () => {
  it('adds a beneficiary with a CLABE, which the customer can then call by its alias', async () => {
    const added = await add({ user_id: ana, name: 'Rosa Hernández', alias: 'mi tía Rosa', clabe: '032 180 00011835971 9' });

    expect(added['detail-type']).toBe('BENEFICIARY_ADDED');
    expect(added.source).toBe('centli.crm');
    expect(added.detail.beneficiary).toEqual({ beneficiary_id: expect.stringMatching(/^ben_/), name: 'Rosa Hernández', alias: 'mi tía Rosa', clabe: VALID_CLABE, added_at: added.detail.added_at });

    const resolved = await send('ALIAS_RESOLUTION_REQUEST', { user_id: ana, alias: 'Tia Rosa' }, ['ALIAS_RESOLUTION_RESPONSE', 'ALIAS_RESOLUTION_FAILED']);
    expect(resolved.detail).toMatchObject({ status: 'resolved', beneficiary: added.detail.beneficiary });
  });

  it('adds an internal account that exists', async () => {
    const added = await add({ user_id: ana, name: 'Carlos Prueba', alias: 'Carlitos', account_id: carlosAccount.account_id });

    expect(added['detail-type']).toBe('BENEFICIARY_ADDED');
    expect(added.detail.beneficiary).toMatchObject({ alias: 'Carlitos', account_id: carlosAccount.account_id });
  });

  it.each([
    ['a CLABE of the wrong length', { clabe: '03218000011835971' }, 'BENEFICIARY.INVALID_CLABE', 'clabe'],
    ['a CLABE with a bad check digit', { clabe: '032180000118359718' }, 'BENEFICIARY.INVALID_CLABE', 'clabe'],
    ['a CLABE with letters', { clabe: '03218000011835971A' }, 'BENEFICIARY.INVALID_CLABE', 'clabe'],
    ['both an account and a CLABE', { account_id: carlosAccount.account_id, clabe: VALID_CLABE }, 'BENEFICIARY.INVALID_DESTINATION', 'account_id'],
    ['an alias with symbols', { clabe: VALID_CLABE, alias: 'tío <b>' }, 'BENEFICIARY.INVALID_ALIAS', 'alias'],
    ['an alias too long', { clabe: VALID_CLABE, alias: 'a'.repeat(41) }, 'BENEFICIARY.INVALID_ALIAS', 'alias'],
    ['an alias already used, written differently', { clabe: OTHER_CLABE, alias: '  MI   TIA   ROSA ' }, 'BENEFICIARY.DUPLICATE_ALIAS', 'alias'],
    ['a request that breaks its schema', { clabe: 18 }, 'REQUEST.INVALID', 'clabe'],
  ])('rejects %s with a clear reason and writes nothing', async (_, fields, reason, field) => {
    const before = await dumpTable('beneficiaries');

    const answer = await add({ user_id: ana, name: 'Ernesto Ruiz', alias: `tío Ernesto ${sequence}`, ...fields });

    expect(answer['detail-type']).toBe('BENEFICIARY_REJECTED');
    expect(answer.detail).toMatchObject({ user_id: ana, reason, field, message: expect.any(String) });
    expect(await dumpTable('beneficiaries')).toBe(before);
  });

  it('records the refusal of an account that does not exist, so a redelivery after it appears is still refused', async () => {
    // Prepare
    const missing = `acc-${run}-later`;
    const request = detail({ user_id: ana, name: 'Ernesto Ruiz', alias: `tío Ernesto ${run}`, account_id: missing });
    const before = await dumpTable('beneficiaries');

    // Act: refused, then the account is opened, then the same request is delivered again
    await putRequests([{ detailType: 'BENEFICIARY_ADD_REQUEST', detail: request }]);
    const first = await answerTo(request.correlation_id, ['BENEFICIARY_ADDED', 'BENEFICIARY_REJECTED']);
    await createAccounts([{ user_id: 'user-carlos', account_id: missing, balance: 0, type: 'savings' }]);
    await putRequests([{ detailType: 'BENEFICIARY_ADD_REQUEST', detail: request }]);
    await new Promise((resolve) => setTimeout(resolve, 1500));
    const answers = (await eventsFor(request.correlation_id)).filter((e) => ['BENEFICIARY_ADDED', 'BENEFICIARY_REJECTED'].includes(e['detail-type']));

    // Assess
    expect(first.detail).toMatchObject({ reason: 'BENEFICIARY.ACCOUNT_NOT_FOUND', field: 'account_id' });
    expect(answers.map((e) => [e['detail-type'], e.detail.reason])).toEqual([
      ['BENEFICIARY_REJECTED', 'BENEFICIARY.ACCOUNT_NOT_FOUND'],
      ['BENEFICIARY_REJECTED', 'BENEFICIARY.ACCOUNT_NOT_FOUND'],
    ]);
    const added = (await dumpTable('beneficiaries')).split('\n').filter((row) => !before.includes(row));
    expect(added).toHaveLength(1);
    expect(added[0]).toContain(`request#${request.request_id}`);
  });

  it('refuses a request_id reused for another beneficiary, and adds nothing', async () => {
    const request = detail({ user_id: ana, name: 'Pablo Reyes', alias: `compadre ${run}`, clabe: OTHER_CLABE });
    await putRequests([{ detailType: 'BENEFICIARY_ADD_REQUEST', detail: request }]);
    await answerTo(request.correlation_id, ['BENEFICIARY_ADDED', 'BENEFICIARY_REJECTED']);
    const before = await dumpTable('beneficiaries');
    const reused = { ...request, correlation_id: `${request.correlation_id}-again`, name: 'Otra Persona', alias: `otra ${run}` };

    await putRequests([{ detailType: 'BENEFICIARY_ADD_REQUEST', detail: reused }]);
    const answer = await answerTo(reused.correlation_id, ['BENEFICIARY_ADDED', 'BENEFICIARY_REJECTED']);

    expect(answer).toMatchObject({ 'detail-type': 'BENEFICIARY_REJECTED', detail: { reason: 'REQUEST.ID_REUSED', field: 'request_id' } });
    expect(await dumpTable('beneficiaries')).toBe(before);
  });

  it('lets another customer use an alias that is taken by someone else', async () => {
    const answer = await add({ user_id: luis, name: 'Rosa Domínguez', alias: 'mi tía Rosa', clabe: OTHER_CLABE });

    expect(answer['detail-type']).toBe('BENEFICIARY_ADDED');
  });

  it('answers a redelivered request with its first outcome and adds nothing more', async () => {
    const request = detail({ user_id: ana, name: 'Pablo Vega', alias: 'el jardinero', clabe: OTHER_CLABE });
    await putRequests([{ detailType: 'BENEFICIARY_ADD_REQUEST', detail: request }]);
    const first = await answerTo(request.correlation_id, ['BENEFICIARY_ADDED', 'BENEFICIARY_REJECTED']);
    const after = await dumpTable('beneficiaries');

    await putRequests([{ detailType: 'BENEFICIARY_ADD_REQUEST', detail: request }]);
    const both = (await answers(['BENEFICIARY_ADDED', 'BENEFICIARY_REJECTED'], new Map([[request.request_id, 2]]))).get(request.request_id) as BusEvent[];

    expect(first['detail-type']).toBe('BENEFICIARY_ADDED');
    expect(both.map((e) => e['detail-type'])).toEqual(['BENEFICIARY_ADDED', 'BENEFICIARY_ADDED']);
    expect(both[1]?.detail).toEqual(first.detail);
    expect(await dumpTable('beneficiaries')).toBe(after);
  });

  it('keeps an alias unique when two requests for it arrive at once: one is added, the other rejected', async () => {
    const customer = `user-${run}-race`;
    const requests = ['Tere', 'tere', 'TERÉ', 'la Tere', 'mi tere'].map((alias, i) => detail({ user_id: customer, name: `Teresa ${i} Ríos`, alias, clabe: VALID_CLABE }));

    await putRequests(requests.map((d) => ({ detailType: 'BENEFICIARY_ADD_REQUEST' as const, detail: d })));
    const answered = await answers(['BENEFICIARY_ADDED', 'BENEFICIARY_REJECTED'], new Map(requests.map((r) => [r.request_id, 1])));
    const outcomes = [...answered.values()].map((events) => events[0] as BusEvent);

    expect(outcomes.filter((e) => e['detail-type'] === 'BENEFICIARY_ADDED')).toHaveLength(1);
    expect(outcomes.filter((e) => e.detail.reason === 'BENEFICIARY.DUPLICATE_ALIAS')).toHaveLength(4);
    const listed = await list({ user_id: customer });
    expect(listed.detail.beneficiaries).toHaveLength(1);
  });
});

describe('BENEFICIARIES_QUERY', () => {
  const customer = `user-${run}-pages`;

  beforeAll(async () => {
    for (const alias of ['uno', 'dos', 'tres', 'cuatro', 'cinco']) {
      expect((await add({ user_id: customer, name: `Persona ${alias}`, alias, clabe: VALID_CLABE }))['detail-type']).toBe('BENEFICIARY_ADDED');
    }
  });

  it('pages through the customer’s beneficiaries, each once, never the alias or request records', async () => {
    const seen: Record<string, unknown>[] = [];
    let cursor: string | undefined;
    let pages = 0;
    do {
      const page = await list({ user_id: customer, limit: 2, ...(cursor ? { cursor } : {}) });
      expect(page['detail-type']).toBe('BENEFICIARIES_RESPONSE');
      seen.push(...(page.detail.beneficiaries as Record<string, unknown>[]));
      cursor = page.detail.next_cursor as string | undefined;
      pages++;
    } while (cursor && pages < 10);

    expect(seen.map((b) => b.alias).sort()).toEqual(['cinco', 'cuatro', 'dos', 'tres', 'uno']);
    expect(seen.every((b) => typeof b.beneficiary_id === 'string' && (b.beneficiary_id as string).startsWith('ben_'))).toBe(true);
    expect(pages).toBeGreaterThanOrEqual(3);
  });

  it('lists the seeded beneficiaries of a seeded customer', async () => {
    const page = await list({ user_id: 'user-sofia' });

    expect((page.detail.beneficiaries as { alias: string }[]).map((b) => b.alias).sort()).toEqual(['Ana', 'hermano', 'tía']);
  });

  it('refuses a cursor taken from another customer’s list', async () => {
    const stolen = (await list({ user_id: customer, limit: 1 })).detail.next_cursor as string;
    expect(stolen).toEqual(expect.any(String));

    const page = await list({ user_id: luis, cursor: stolen });

    expect(page['detail-type']).toBe('BENEFICIARIES_FAILED');
    expect(page.detail).toMatchObject({ reason: 'BENEFICIARIES.INVALID_CURSOR', field: 'cursor' });
  });
});
