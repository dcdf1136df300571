/** CARD_REPLACEMENT_REQUEST → CARD_REPLACEMENT_REQUESTED or CARD_OPERATION_FAILED, exactly once per request_id. */
import type { Answer } from '@centli/kit/event-handler';
import { type OutgoingEvent } from '@centli/pure/events';
import { retryOnContention } from '@centli/pure/contention';
import type { CardReplacementRequest } from '@centli/schemas';
import type { CardStore } from '../adapters/card-store';
import { decideReplacement, toWire, type CardItem } from '../domain/card';
import { authenticate, deliveryAddress } from '../domain/customer';
import { cardOutcome } from '../domain/outcome';
import { planReplacement, replacementToWire, type DeliverySettings, type ReplacementItem } from '../domain/replacement';
import { answerOf, exactlyOnce, findCard, settle, type CardOperationDeps } from './card-operation';

export interface RequestNewCardDeps extends CardOperationDeps {
  cards: CardOperationDeps['cards'] & Pick<CardStore, 'getReplacement'>;
  delivery: DeliverySettings;
}

/**
 * Orders a new card in place of the one named, to the address given or the one on file, due a
 * number of business days from today. A lost or stolen card is cancelled at once, in the same
 * transaction that opens the replacement; a damaged or expiring one works until the new one
 * arrives. A card has at most one open replacement: asking again, with any request_id, answers
 * that one (existing: true) and creates nothing.
 */
export async function requestNewCard(request: CardReplacementRequest, deps: RequestNewCardDeps): Promise<Answer> {
  return exactlyOnce('replace', request, deps, async (outcomeId) => {
    const customer = authenticate(await deps.customers.getCustomer(request.user_id));
    let card = await findCard(request, deps.cards);
    const moved = (now: CardItem) => (card = now);
    return retryOnContention(
      async () => {
        const decision = decideReplacement(card, request.reason);
        const now = deps.now();
        const at = now.toISOString();
        if (decision.kind === 'new') {
          const replacement = planReplacement(request, card, deliveryAddress(request.delivery_address, customer), now, deps.delivery);
          const after: CardItem = { ...card, ...(decision.status ? { status: decision.status } : {}), replacement_id: replacement.request_id, updated_at: at };
          const planned = replacementAnswer(request, replacement, after, false);
          const result = await deps.cards.commitCardChange({
            seen: card,
            ...(decision.status ? { status: decision.status } : {}),
            replacement,
            at,
            record: cardOutcome(outcomeId, 'replace', 'changed', planned, at, request),
          });
          return answerOf(result, planned, request, moved);
        }
        const open = await deps.cards.getReplacement(decision.replacementId);
        if (!open) throw new Error(`card ${card.card_id} names replacement ${decision.replacementId}, which is not in the card-requests table`);
        if (!decision.cancel) return settle(deps.cards, cardOutcome(outcomeId, 'replace', 'unchanged', replacementAnswer(request, open, card, true), at, request));
        // Reported lost or stolen while a replacement for damage is on its way: the open one is
        // answered, and the card still goes out of use now.
        const planned = replacementAnswer(request, open, { ...card, status: 'cancelled', updated_at: at }, true);
        const result = await deps.cards.commitCardChange({ seen: card, status: 'cancelled', at, record: cardOutcome(outcomeId, 'replace', 'changed', planned, at, request) });
        return answerOf(result, planned, request, moved);
      },
      { what: 'the card', attempts: 12, sleep: deps.sleep },
    );
  });
}

/** CARD_REPLACEMENT_REQUESTED: the replacement, and the old card as it now is. */
export function replacementAnswer(request: CardReplacementRequest, replacement: ReplacementItem, card: CardItem, existing: boolean): OutgoingEvent<'CARD_REPLACEMENT_REQUESTED'> {
  return {
    detailType: 'CARD_REPLACEMENT_REQUESTED',
    detail: {
      request_id: request.request_id,
      correlation_id: request.correlation_id,
      user_id: request.user_id,
      replacement: replacementToWire(replacement),
      card: toWire(card),
      existing,
    },
  };
}
