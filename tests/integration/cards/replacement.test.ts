/**
 * Replacing a card through the bus, against DynamoDB Local: a lost card is cancelled at once
 * and can never be unlocked, a redelivered request opens one replacement, and a second request
 * for the same card answers the open one.
 */
import { answers, closeClients, putRequests, runId, type BusEvent } from '../support';
import { cardOf, cardRequest, createCards, createCustomer, replacementsOf, RESULTS, send, testCard } from './support';

afterAll(closeClients);

const run = runId();
const mateo = `user-${run}-mateo`;
const ADDRESS = 'Calle 5 de Mayo 12, Centro Histórico, 72000 Puebla, Pue.';
const lost = testCard(mateo, `card-${run}-perdida`, '1111');
const damaged = testCard(mateo, `card-${run}-danada`, '2222', { status: 'locked' });
const closed = testCard(mateo, `card-${run}-reemplazada`, '3333', { status: 'replaced' });

let sequence = 0;
function detail(fields: Record<string, unknown>) {
  const n = sequence++;
  return { request_id: `req-${run}-r${n}`, correlation_id: `corr-${run}-r${n}`, user_id: mateo, ...fields };
}

beforeAll(async () => {
  await Promise.all([createCustomer(mateo, { address: ADDRESS }), createCards([lost, damaged, closed])]);
});

describe('CARD_REPLACEMENT_REQUEST', () => {
  it('cancels a lost card at once and opens one replacement, however often the request is delivered', async () => {
    const request = detail({ card_id: lost.card_id, reason: 'lost' });

    await putRequests([
      { detailType: 'CARD_REPLACEMENT_REQUEST', detail: request },
      { detailType: 'CARD_REPLACEMENT_REQUEST', detail: request },
    ]);
    const both = (await answers(RESULTS, new Map([[request.request_id, 2]]))).get(request.request_id) as BusEvent[];

    expect(both.map((e) => e['detail-type'])).toEqual(['CARD_REPLACEMENT_REQUESTED', 'CARD_REPLACEMENT_REQUESTED']);
    expect(both[1]?.detail).toEqual(both[0]?.detail);
    const answer = both[0] as BusEvent;
    const replacement = answer.detail.replacement as Record<string, unknown>;
    expect(answer.detail).toMatchObject({ existing: false, card: { card_id: lost.card_id, status: 'cancelled', replacement_id: replacement.replacement_id } });
    expect(replacement).toMatchObject({
      card_id: lost.card_id,
      account_id: lost.account_id,
      reason: 'lost',
      status: 'pending',
      delivery_address: ADDRESS,
      business_days: 5,
      estimated_delivery: expect.stringMatching(/^\d{4}-\d{2}-\d{2}$/),
    });
    expect(await cardOf(lost.card_id)).toMatchObject({ status: 'cancelled', replacement_id: replacement.replacement_id });
    expect((await replacementsOf(mateo)).filter((r) => r.card_id === lost.card_id)).toHaveLength(1);
    expect(await cardRequest(`replace#${mateo}#${request.request_id}`)).toMatchObject({ status: 'changed' });
  });

  it('never unlocks the cancelled card', async () => {
    const answer = await send('CARD_UNLOCK_REQUEST', detail({ card_id: lost.card_id }));

    expect(answer.detail).toMatchObject({ reason: 'CARD.CLOSED' });
    expect(await cardOf(lost.card_id)).toMatchObject({ status: 'cancelled' });
  });

  it('answers a second request for the same card with the open replacement and creates nothing', async () => {
    const [open] = (await replacementsOf(mateo)).filter((r) => r.card_id === lost.card_id);

    const answer = await send('CARD_REPLACEMENT_REQUEST', detail({ last_four: '1111', reason: 'stolen', delivery_address: 'Otra calle 1, 72000 Puebla' }));

    expect(answer['detail-type']).toBe('CARD_REPLACEMENT_REQUESTED');
    expect(answer.detail).toMatchObject({ existing: true, replacement: { replacement_id: open?.request_id, reason: 'lost', delivery_address: ADDRESS }, card: { status: 'cancelled' } });
    expect((await replacementsOf(mateo)).filter((r) => r.card_id === lost.card_id)).toHaveLength(1);
  });

  it('keeps a damaged card as it is until the new one arrives, sending it where asked', async () => {
    const answer = await send('CARD_REPLACEMENT_REQUEST', detail({ card_id: damaged.card_id, reason: 'damaged', delivery_address: 'Av. Juárez 2925, La Paz, 72160 Puebla, Pue.' }));

    expect(answer.detail).toMatchObject({ existing: false, card: { status: 'locked' }, replacement: { reason: 'damaged', delivery_address: 'Av. Juárez 2925, La Paz, 72160 Puebla, Pue.' } });
    const unlocked = await send('CARD_UNLOCK_REQUEST', detail({ card_id: damaged.card_id }));
    expect(unlocked.detail).toMatchObject({ changed: true, card: { status: 'active', replacement_id: (answer.detail.replacement as { replacement_id: string }).replacement_id } });
  });

  it('refuses to replace a replaced card', async () => {
    const answer = await send('CARD_REPLACEMENT_REQUEST', detail({ card_id: closed.card_id, reason: 'expired' }));

    expect(answer.detail).toMatchObject({ reason: 'CARD.CLOSED' });
    expect((await replacementsOf(mateo)).filter((r) => r.card_id === closed.card_id)).toEqual([]);
  });
});
