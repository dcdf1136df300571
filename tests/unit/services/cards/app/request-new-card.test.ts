import type { OutgoingEvent } from '@centli/pure/events';
import type { CardReplacementRequest } from '@centli/schemas';
import { replacementIdFor } from '../../../../../services/cards/src/domain/replacement';
import { requestNewCard, type RequestNewCardDeps } from '../../../../../services/cards/src/app/request-new-card';
import { card, customer, deps, FakeCards, FakeCustomers, NOW } from '../fakes';

const request: CardReplacementRequest = { request_id: 'req-1', correlation_id: 'corr-1', user_id: 'user-ana', card_id: 'card-ana-nomina', reason: 'lost' };
const ADDRESS = customer().address as string;

function wallet() {
  return new FakeCards([
    card({ card_id: 'card-ana-nomina' }),
    card({ card_id: 'card-ana-ahorro', account_id: 'acc-ana-ahorro-7305', masked_number: '453212******9012', last_four: '9012', status: 'locked' }),
    card({ card_id: 'card-ana-old', masked_number: '453212******4821', last_four: '4821', status: 'replaced' }),
    card({ card_id: 'card-luis-nomina', user_id: 'user-luis', account_id: 'acc-luis-nomina-1532', masked_number: '453212******7788', last_four: '7788' }),
  ]);
}

function replacementDeps(cards: FakeCards, customers = new FakeCustomers(), businessDays = 5): RequestNewCardDeps {
  return { ...deps(cards, customers), delivery: { businessDays, timeZone: 'America/Mexico_City' } };
}

type Requested = OutgoingEvent<'CARD_REPLACEMENT_REQUESTED'>;

describe('requestNewCard', () => {
  it.each(['lost', 'stolen'] as const)('cancels a %s card at once and opens a pending replacement to the address on file', async (reason) => {
    const cards = wallet();

    const answer = (await requestNewCard({ ...request, reason }, replacementDeps(cards))) as Requested;

    const replacementId = replacementIdFor(request);
    expect(answer).toEqual({
      detailType: 'CARD_REPLACEMENT_REQUESTED',
      detail: {
        request_id: 'req-1',
        correlation_id: 'corr-1',
        user_id: 'user-ana',
        replacement: {
          replacement_id: replacementId,
          card_id: 'card-ana-nomina',
          account_id: 'acc-ana-nomina-4821',
          reason,
          status: 'pending',
          delivery_address: ADDRESS,
          estimated_delivery: '2026-12-03',
          business_days: 5,
          created_at: NOW.toISOString(),
        },
        card: expect.objectContaining({ card_id: 'card-ana-nomina', status: 'cancelled', replacement_id: replacementId }),
        existing: false,
      },
    });
    expect(cards.cards.get('card-ana-nomina')).toMatchObject({ status: 'cancelled', replacement_id: replacementId });
    expect(cards.replacements()).toEqual([expect.objectContaining({ request_id: replacementId, user_id: 'user-ana', status: 'pending', origin_request_id: 'req-1' })]);
    expect(cards.outcomes()).toEqual([expect.objectContaining({ request_id: 'replace#user-ana#req-1', status: 'changed', outcome: answer })]);
  });

  it.each(['damaged', 'expired'] as const)('leaves a %s card usable until the new one arrives, sent where the customer asks', async (reason) => {
    const cards = wallet();

    const answer = (await requestNewCard({ ...request, card_id: 'card-ana-ahorro', reason, delivery_address: 'Calle 5 de Mayo 12, Puebla' }, replacementDeps(cards))) as Requested;

    expect(answer.detail.card).toMatchObject({ status: 'locked', replacement_id: answer.detail.replacement.replacement_id });
    expect(answer.detail.replacement.delivery_address).toBe('Calle 5 de Mayo 12, Puebla');
    expect(cards.cards.get('card-ana-ahorro')?.status).toBe('locked');
  });

  it('counts the delivery date in the business days configured', async () => {
    const cards = wallet();

    const answer = (await requestNewCard(request, replacementDeps(cards, undefined, 1))) as Requested;

    expect(answer.detail.replacement).toMatchObject({ business_days: 1, estimated_delivery: '2026-11-27' });
  });

  it('creates one replacement when the same request arrives twice, and answers both alike', async () => {
    const cards = wallet();

    const first = await requestNewCard(request, replacementDeps(cards));
    const again = await requestNewCard(request, replacementDeps(cards));

    expect(again).toEqual(first);
    expect(cards.replacements()).toHaveLength(1);
    expect(cards.outcomes()).toHaveLength(1);
  });

  it('answers a second request for the same card with the open replacement (existing: true) and creates nothing', async () => {
    const cards = wallet();
    const first = (await requestNewCard({ ...request, reason: 'damaged' }, replacementDeps(cards))) as Requested;

    const second = (await requestNewCard({ ...request, request_id: 'req-2', reason: 'expired', delivery_address: 'Otra dirección 1, CDMX' }, replacementDeps(cards))) as Requested;

    expect(second.detail).toMatchObject({ request_id: 'req-2', existing: true, replacement: first.detail.replacement, card: { status: 'active' } });
    expect(cards.replacements()).toHaveLength(1);
    expect(cards.outcomes().map((o) => [o.request_id, o.status])).toEqual([
      ['replace#user-ana#req-1', 'changed'],
      ['replace#user-ana#req-2', 'unchanged'],
    ]);
  });

  it('answers a lost card that was already cancelled with its open replacement', async () => {
    const cards = wallet();
    const first = (await requestNewCard(request, replacementDeps(cards))) as Requested;

    const second = (await requestNewCard({ ...request, request_id: 'req-2', reason: 'stolen' }, replacementDeps(cards))) as Requested;

    expect(second.detail).toMatchObject({ existing: true, replacement: first.detail.replacement, card: { status: 'cancelled' } });
    expect(cards.replacements()).toHaveLength(1);
  });

  it('still cancels a card reported stolen while a replacement for damage is on its way', async () => {
    const cards = wallet();
    const first = (await requestNewCard({ ...request, reason: 'damaged' }, replacementDeps(cards))) as Requested;

    const stolen = (await requestNewCard({ ...request, request_id: 'req-2', reason: 'stolen' }, replacementDeps(cards))) as Requested;

    expect(stolen.detail).toMatchObject({ existing: true, replacement: { replacement_id: first.detail.replacement.replacement_id, reason: 'damaged' }, card: { status: 'cancelled' } });
    expect(cards.cards.get('card-ana-nomina')?.status).toBe('cancelled');
    expect(cards.replacements()).toHaveLength(1);
  });

  it.each([
    ['a replaced card', { card_id: 'card-ana-old' }, 'CARD.CLOSED'],
    ['another customer’s card', { card_id: 'card-luis-nomina' }, 'CARD.NOT_FOUND'],
  ])('refuses %s and opens nothing', async (_, fields, reason) => {
    const cards = wallet();

    const answer = (await requestNewCard({ ...request, ...fields }, replacementDeps(cards))) as OutgoingEvent;

    expect(answer.detail).toMatchObject({ reason });
    expect(cards.replacements()).toEqual([]);
    expect(cards.cards.get('card-luis-nomina')?.status).toBe('active');
  });

  it('refuses when there is nowhere to send the card', async () => {
    const cards = wallet();

    const answer = (await requestNewCard(request, replacementDeps(cards, new FakeCustomers([customer({ address: undefined })])))) as OutgoingEvent;

    expect(answer.detail).toMatchObject({ reason: 'CARD.ADDRESS_REQUIRED', field: 'delivery_address' });
    expect(cards.cards.get('card-ana-nomina')?.status).toBe('active');
  });

  it('decides again when another replacement for the card got there first', async () => {
    const cards = wallet();
    const other = { request_id: 'rep-other', kind: 'replacement' as const, user_id: 'user-ana', card_id: 'card-ana-nomina', account_id: 'acc-ana-nomina-4821', reason: 'damaged' as const, status: 'pending' as const, delivery_address: ADDRESS, estimated_delivery: '2026-12-02', business_days: 5, origin_request_id: 'req-other', created_at: '2026-11-25T16:00:00.000Z' };
    cards.beforeCommit = () => {
      cards.cards.get('card-ana-nomina')!.replacement_id = other.request_id;
      cards.requests.set(other.request_id, other);
    };

    const answer = (await requestNewCard({ ...request, reason: 'expired' }, replacementDeps(cards))) as Requested;

    expect(answer.detail).toMatchObject({ existing: true, replacement: { replacement_id: 'rep-other', reason: 'damaged' }, card: { status: 'active', replacement_id: 'rep-other' } });
    expect(cards.replacements()).toEqual([other]);
  });
});
