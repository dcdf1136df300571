/** CARD_UNLOCK_REQUEST → CARD_UNLOCKED (changed or not) or CARD_OPERATION_FAILED, exactly once per request_id. */
import type { Answer } from '@centli/kit/event-handler';
import type { CardUnlockRequest } from '@centli/schemas';
import { changeCardStatus, type CardOperationDeps } from './card-operation';

/**
 * Makes a locked card work again: locked → active. An active card is answered as it is
 * (changed: false). Cancelled and replaced cards, including one cancelled because it was
 * reported lost or stolen, can never be unlocked.
 */
export async function unlockCard(request: CardUnlockRequest, deps: CardOperationDeps): Promise<Answer> {
  return changeCardStatus('unlock', request, deps);
}
