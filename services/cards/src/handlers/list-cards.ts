/** The Lambda entry of CARDS_QUERY (app/list-cards.ts). */
// Only the validators this function uses are in its bundle (schemas/validators/loaded.ts).
import '@centli/schemas/validators/for/CARDS_QUERY';
import { eventHandler } from '@centli/kit/event-handler';
import { CardStore } from '../adapters/card-store';
import { CustomerStore } from '../adapters/customer-store';
import { listCards, type ListCardsDeps } from '../app/list-cards';

let defaults: ListCardsDeps | undefined;
const defaultDeps = (): ListCardsDeps => (defaults ??= { customers: new CustomerStore(), cards: new CardStore() });

/** How the kit wires this function to the bus; tests reuse it with a recording publisher. */
export const listCardsOptions = { service: 'cards', accepts: 'CARDS_QUERY' as const };

export const handler = eventHandler((query) => listCards(query, defaultDeps()), listCardsOptions);
