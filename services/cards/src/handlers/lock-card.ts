/** The Lambda entry of CARD_LOCK_REQUEST (app/lock-card.ts). */
// Only the validators this function uses are in its bundle (schemas/validators/loaded.ts).
import '@centli/schemas/validators/for/CARD_LOCK_REQUEST';
import { eventHandler } from '@centli/kit/event-handler';
import { CardStore } from '../adapters/card-store';
import { CustomerStore } from '../adapters/customer-store';
import type { CardOperationDeps } from '../app/card-operation';
import { lockCard } from '../app/lock-card';

let defaults: CardOperationDeps | undefined;
const defaultDeps = (): CardOperationDeps => (defaults ??= { customers: new CustomerStore(), cards: new CardStore(), now: () => new Date() });

/** How the kit wires this function to the bus; tests reuse it with a recording publisher. */
export const lockCardOptions = { service: 'cards', accepts: 'CARD_LOCK_REQUEST' as const };

export const handler = eventHandler((request) => lockCard(request, defaultDeps()), lockCardOptions);
