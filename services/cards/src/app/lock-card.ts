/** CARD_LOCK_REQUEST → CARD_LOCKED (changed or not) or CARD_OPERATION_FAILED, exactly once per request_id. */
import type { Answer } from '@centli/kit/event-handler';
import type { CardLockRequest } from '@centli/schemas';
import { changeCardStatus, type CardOperationDeps } from './card-operation';

/**
 * Locks the card so nobody can use it: active → locked. A locked card is answered as it is
 * (changed: false); a cancelled or replaced card is refused. A request_id seen before gets its
 * first answer again, even if the card was unlocked in between.
 */
export async function lockCard(request: CardLockRequest, deps: CardOperationDeps): Promise<Answer> {
  return changeCardStatus('lock', request, deps);
}
