import type { OutgoingEvent } from '@centli/pure/events';
import type { CardsResponse } from '@centli/schemas';
import { listCards } from '../../../../../services/cards/src/app/list-cards';
import { card, FakeCards, FakeCustomers } from '../fakes';

const query = { request_id: 'req-1', correlation_id: 'corr-1', user_id: 'user-ana' };

function wallet() {
  return new FakeCards([
    card({ card_id: 'card-ana-nomina' }),
    card({ card_id: 'card-ana-ahorro', account_id: 'acc-ana-ahorro-7305', masked_number: '453212******9012', last_four: '9012', status: 'locked' }),
    card({ card_id: 'card-ana-old', masked_number: '453212******4821', last_four: '4821', status: 'replaced' }),
    card({ card_id: 'card-luis-nomina', user_id: 'user-luis', account_id: 'acc-luis-nomina-1532', masked_number: '453212******7788', last_four: '7788' }),
  ]);
}

const ids = (answer: unknown) => ((answer as OutgoingEvent).detail as unknown as CardsResponse).cards.map((c) => c.card_id);

describe('listCards', () => {
  it('lists the customer’s usable cards, masked', async () => {
    const answer = (await listCards(query, { customers: new FakeCustomers(), cards: wallet() })) as OutgoingEvent;

    expect(answer.detailType).toBe('CARDS_RESPONSE');
    expect(ids(answer)).toEqual(['card-ana-nomina', 'card-ana-ahorro']);
    expect((answer.detail as unknown as CardsResponse).cards[0]).toEqual({
      card_id: 'card-ana-nomina',
      account_id: 'acc-ana-nomina-4821',
      masked_number: '453212******1234',
      last_four: '1234',
      brand: 'visa',
      type: 'debit',
      status: 'active',
      expiry: '08/2029',
    });
  });

  it('adds cancelled and replaced cards when asked', async () => {
    expect(ids(await listCards({ ...query, include_closed: true }, { customers: new FakeCustomers(), cards: wallet() }))).toEqual(['card-ana-nomina', 'card-ana-ahorro', 'card-ana-old']);
  });

  it('lists one account’s cards through the account index, and none of an account that is not the customer’s', async () => {
    const cards = wallet();

    expect(ids(await listCards({ ...query, account_id: 'acc-ana-ahorro-7305' }, { customers: new FakeCustomers(), cards }))).toEqual(['card-ana-ahorro']);
    expect(ids(await listCards({ ...query, account_id: 'acc-luis-nomina-1532' }, { customers: new FakeCustomers(), cards }))).toEqual([]);
    expect(cards.cardsOfAccount).toHaveBeenCalledWith('user-ana', 'acc-ana-ahorro-7305');
  });

  it('refuses an unknown customer', async () => {
    await expect(listCards(query, { customers: new FakeCustomers([]), cards: wallet() })).rejects.toMatchObject({ code: 'CARD.CUSTOMER_NOT_FOUND' });
  });
});
