/** CARD_UNLOCK_REQUEST → CARD_UNLOCKED (changed or not) or CARD_OPERATION_FAILED, exactly once per request_id. */
import { eventHandler, type Answer } from '@centli/kit/event-handler';
import type { CardUnlockRequest } from '@centli/schemas';
import { CardStore } from '../adapters/card-store';
import { CustomerStore } from '../adapters/customer-store';
import { changeCardStatus, type CardOperationDeps } from '../app/card-operation';

let defaults: CardOperationDeps | undefined;
const defaultDeps = (): CardOperationDeps => (defaults ??= { customers: new CustomerStore(), cards: new CardStore(), now: () => new Date() });

/**
 * Makes a locked card work again: locked → active. An active card is answered as it is
 * (changed: false). Cancelled and replaced cards, including one cancelled because it was
 * reported lost or stolen, can never be unlocked.
 */
export async function unlockCard(request: CardUnlockRequest, deps: CardOperationDeps = defaultDeps()): Promise<Answer> {
  return changeCardStatus('unlock', request, deps);
}

/** How the kit wires this function to the bus; tests reuse it with a recording publisher. */
export const unlockCardOptions = { service: 'cards', accepts: 'CARD_UNLOCK_REQUEST' as const, failure: 'CARD_OPERATION_FAILED' as const };

export const handler = eventHandler(unlockCard, unlockCardOptions);
