/** CARDS_QUERY → CARDS_RESPONSE: the customer's cards, masked, from their own cards only. */
import type { Answer } from '@centli/kit/event-handler';
import { outgoing } from '@centli/pure/events';
import type { CardsQuery } from '@centli/schemas';
import type { CardStore } from '../adapters/card-store';
import type { CustomerStore } from '../adapters/customer-store';
import { selectCards, toWire } from '../domain/card';
import { authenticate } from '../domain/customer';

export interface ListCardsDeps {
  customers: Pick<CustomerStore, 'getCustomer'>;
  cards: Pick<CardStore, 'cardsOf' | 'cardsOfAccount'>;
}

/**
 * Active and locked cards (cancelled and replaced ones too with include_closed), on every
 * account or one. An account that is not the customer's simply has none of their cards. A
 * query changes nothing, so it is answered afresh on every delivery and nothing is recorded.
 */
export async function listCards(query: CardsQuery, deps: ListCardsDeps): Promise<Answer> {
  authenticate(await deps.customers.getCustomer(query.user_id));
  const cards = query.account_id === undefined ? await deps.cards.cardsOf(query.user_id) : await deps.cards.cardsOfAccount(query.user_id, query.account_id);
  const own = cards.filter((card) => card.user_id === query.user_id);
  return outgoing('CARDS_RESPONSE', {
    request_id: query.request_id,
    correlation_id: query.correlation_id,
    user_id: query.user_id,
    cards: selectCards(own, query).map(toWire),
  });
}
