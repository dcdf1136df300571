/** CARD_LOCK_REQUEST → CARD_LOCKED (changed or not) or CARD_OPERATION_FAILED, exactly once per request_id. */
import { eventHandler, type Answer } from '@centli/kit/event-handler';
import type { CardLockRequest } from '@centli/schemas';
import { CardStore } from '../adapters/card-store';
import { CustomerStore } from '../adapters/customer-store';
import { changeCardStatus, type CardOperationDeps } from '../app/card-operation';

let defaults: CardOperationDeps | undefined;
const defaultDeps = (): CardOperationDeps => (defaults ??= { customers: new CustomerStore(), cards: new CardStore(), now: () => new Date() });

/**
 * Locks the card so nobody can use it: active → locked. A locked card is answered as it is
 * (changed: false); a cancelled or replaced card is refused. A request_id seen before gets its
 * first answer again, even if the card was unlocked in between.
 */
export async function lockCard(request: CardLockRequest, deps: CardOperationDeps = defaultDeps()): Promise<Answer> {
  return changeCardStatus('lock', request, deps);
}

/** How the kit wires this function to the bus; tests reuse it with a recording publisher. */
export const lockCardOptions = { service: 'cards', accepts: 'CARD_LOCK_REQUEST' as const, failure: 'CARD_OPERATION_FAILED' as const };

export const handler = eventHandler(lockCard, lockCardOptions);
