import type { OutgoingEvent } from '@centli/pure/events';
import type { CardUnlockRequest } from '@centli/schemas';
import { requestNewCard } from '../../../../../services/cards/src/app/request-new-card';
import { unlockCard } from '../../../../../services/cards/src/app/unlock-card';
import { card, deps, FakeCards, FakeCustomers } from '../fakes';

const request: CardUnlockRequest = { request_id: 'req-1', correlation_id: 'corr-1', user_id: 'user-ana', card_id: 'card-ana-ahorro' };

function wallet() {
  return new FakeCards([
    card({ card_id: 'card-ana-ahorro', account_id: 'acc-ana-ahorro-7305', masked_number: '453212******9012', last_four: '9012', status: 'locked' }),
    card({ card_id: 'card-ana-nomina' }),
    card({ card_id: 'card-ana-old', masked_number: '453212******4821', last_four: '4821', status: 'replaced' }),
  ]);
}

describe('unlockCard', () => {
  it('unlocks a locked card', async () => {
    const cards = wallet();

    const answer = (await unlockCard(request, deps(cards))) as OutgoingEvent<'CARD_UNLOCKED'>;

    expect(answer.detailType).toBe('CARD_UNLOCKED');
    expect(answer.detail).toMatchObject({ changed: true, card: { card_id: 'card-ana-ahorro', status: 'active' } });
    expect(cards.cards.get('card-ana-ahorro')?.status).toBe('active');
  });

  it('answers an active card with changed: false', async () => {
    const cards = wallet();

    const answer = (await unlockCard({ ...request, card_id: 'card-ana-nomina' }, deps(cards))) as OutgoingEvent<'CARD_UNLOCKED'>;

    expect(answer.detail).toMatchObject({ changed: false, card: { status: 'active' } });
    expect(cards.commitCardChange).not.toHaveBeenCalled();
  });

  it('never unlocks a replaced card', async () => {
    const cards = wallet();

    const answer = (await unlockCard({ ...request, card_id: 'card-ana-old' }, deps(cards))) as OutgoingEvent;

    expect(answer.detail).toMatchObject({ reason: 'CARD.CLOSED', message: 'Your card ending in 4821 was cancelled or replaced and can never be used again.' });
    expect(cards.cards.get('card-ana-old')?.status).toBe('replaced');
  });

  it('never unlocks a locked card once it is reported stolen: it was cancelled with its replacement', async () => {
    const cards = wallet();
    const customers = new FakeCustomers();
    await requestNewCard({ request_id: 'req-stolen', correlation_id: 'corr-2', user_id: 'user-ana', card_id: 'card-ana-ahorro', reason: 'stolen' }, { ...deps(cards, customers), delivery: { businessDays: 5, timeZone: 'America/Mexico_City' } });

    const answer = (await unlockCard(request, deps(cards, customers))) as OutgoingEvent;

    expect(answer.detail).toMatchObject({ reason: 'CARD.CLOSED' });
    expect(cards.cards.get('card-ana-ahorro')?.status).toBe('cancelled');
  });

  it('unlocks by last four digits', async () => {
    const cards = wallet();

    const answer = (await unlockCard({ request_id: 'req-1', correlation_id: 'corr-1', user_id: 'user-ana', last_four: '9012' }, deps(cards))) as OutgoingEvent<'CARD_UNLOCKED'>;

    expect(answer.detail).toMatchObject({ changed: true, card: { card_id: 'card-ana-ahorro' } });
  });

  it('keeps lock and unlock outcomes apart even under one request_id', async () => {
    const cards = wallet();

    await unlockCard(request, deps(cards));

    expect(cards.outcomes().map((o) => o.request_id)).toEqual(['unlock#user-ana#req-1']);
  });
});
