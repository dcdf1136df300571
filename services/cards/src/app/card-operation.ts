/**
 * What every card operation shares (not a Lambda entry): seed 004's steps in order —
 * authenticate the customer, authorise the card (the caller's own, or it does not exist),
 * execute, persist — and exactly one recorded outcome per request_id.
 *
 * A change is one transaction with its outcome, conditioned on the card being as it was read;
 * when the card has moved on, the state DynamoDB returns with the failed condition is decided
 * on again. A refusal or a no-op is recorded after, conditionally, so whatever a request's
 * first delivery answered, every later delivery answers too.
 */
import { failureEvent } from '@centli/kit/event-handler';
import { type OutgoingEvent } from '@centli/pure/events';
import { requestFingerprint } from '@centli/pure/canonical';
import { retryOnContention } from '@centli/pure/contention';
import { ContentionError } from '@centli/pure/errors';
import { outcomeKey, replay } from '@centli/pure/outcome';
import type { CardLockRequest, CardUnlockRequest } from '@centli/schemas';
import type { CardStore, CommitResult } from '../adapters/card-store';
import type { CustomerStore } from '../adapters/customer-store';
import { authenticate } from '../domain/customer';
import { cardReference, decideStatusChange, ownCard, pickByLastFour, toWire, type CardItem } from '../domain/card';
import { cardOutcome, type CardOutcome } from '../domain/outcome';
import { CardNotFoundError, CardsError, type CardOperation } from '../errors';

export interface CardOperationDeps {
  customers: Pick<CustomerStore, 'getCustomer'>;
  cards: Pick<CardStore, 'getCard' | 'cardsEndingIn' | 'commitCardChange' | 'settleOutcome'>;
  now: () => Date;
  /** How to wait between attempts after a conflict; real time unless a test says otherwise. */
  sleep?: (ms: number) => Promise<void>;
}

export interface CardRequest {
  request_id: string;
  correlation_id: string;
  user_id: string;
  card_id?: string;
  last_four?: string;
}

/**
 * Runs `work` for a request and makes sure the request ends with one recorded outcome: a
 * `CardsError` becomes CARD_OPERATION_FAILED, recorded unless the request already has an
 * outcome, and the outcome that stands is the answer. Anything else goes up, recording nothing,
 * for the platform to retry.
 */
export async function exactlyOnce(
  operation: CardOperation,
  request: CardRequest,
  deps: Pick<CardOperationDeps, 'cards' | 'now'>,
  work: (outcomeId: string) => Promise<OutgoingEvent>,
): Promise<OutgoingEvent> {
  const outcomeId = outcomeKey(operation, request.user_id, request.request_id);
  try {
    return await work(outcomeId);
  } catch (error) {
    if (!(error instanceof CardsError)) throw error;
    const refusal = failureEvent('CARD_OPERATION_FAILED', request, error);
    return settle(deps.cards, cardOutcome(outcomeId, operation, 'refused', refusal, deps.now().toISOString(), request));
  }
}

/**
 * The card a request names, among the caller's own (authorise): by card_id, or by the last four
 * digits (the user index, then the card itself read consistently by its key).
 */
export async function findCard(request: CardRequest, cards: CardOperationDeps['cards']): Promise<CardItem> {
  const reference = cardReference(request);
  if ('card_id' in reference) return ownCard(await cards.getCard(reference.card_id), request.user_id, reference);
  const candidate = pickByLastFour(await cards.cardsEndingIn(request.user_id, reference.last_four), request.user_id, reference.last_four);
  const card = await cards.getCard(candidate.card_id);
  if (!card || card.user_id !== request.user_id) throw new CardNotFoundError({ last_four: reference.last_four });
  return card;
}

/** Records an outcome that changes no card; the outcome that stands is the answer. */
export async function settle(cards: CardOperationDeps['cards'], record: CardOutcome): Promise<OutgoingEvent> {
  return replay(await cards.settleOutcome(record), record.request_hash as string);
}

/**
 * What a card change's transaction result means: the planned answer, the first outcome of a
 * request seen before, or another attempt (after a conflict, or with the card as DynamoDB
 * returned it when it was no longer as read, handed to `moved`).
 */
export function answerOf(result: CommitResult, planned: OutgoingEvent, request: CardRequest, moved: (card: CardItem) => void): OutgoingEvent {
  switch (result.status) {
    case 'committed':
      return planned;
    case 'served':
      return replay(result.first, requestFingerprint(request as unknown as Record<string, unknown>));
    case 'contention':
      throw new ContentionError();
    case 'stale': {
      const card = result.card;
      // Cards are never deleted and never change owner; still, never act on one that is not the caller's.
      if (!card || card.user_id !== request.user_id) throw new CardNotFoundError(request);
      moved(card);
      throw new ContentionError('the card changed since it was read');
    }
  }
}

/**
 * Locks or unlocks a card: authenticate, authorise, then the transition (a no-op when the card
 * already is so, refused when it is closed), once per request_id.
 */
export async function changeCardStatus(operation: 'lock' | 'unlock', request: CardLockRequest | CardUnlockRequest, deps: CardOperationDeps): Promise<OutgoingEvent> {
  return exactlyOnce(operation, request, deps, async (outcomeId) => {
    authenticate(await deps.customers.getCustomer(request.user_id));
    let card = await findCard(request, deps.cards);
    return retryOnContention(
      async () => {
        const decision = decideStatusChange(operation, card);
        const at = deps.now().toISOString();
        if (!decision.changed) return settle(deps.cards, cardOutcome(outcomeId, operation, 'unchanged', statusAnswer(operation, request, card, false, at), at, request));
        const planned = statusAnswer(operation, request, { ...card, status: decision.to, updated_at: at }, true, at);
        const result = await deps.cards.commitCardChange({ seen: card, status: decision.to, at, record: cardOutcome(outcomeId, operation, 'changed', planned, at, request) });
        return answerOf(result, planned, request, (now) => (card = now));
      },
      { what: 'the card', attempts: 12, sleep: deps.sleep },
    );
  });
}

/** CARD_LOCKED or CARD_UNLOCKED with the card as it now is. */
export function statusAnswer(operation: 'lock' | 'unlock', request: CardRequest, card: CardItem, changed: boolean, at: string): OutgoingEvent<'CARD_LOCKED' | 'CARD_UNLOCKED'> {
  return {
    detailType: operation === 'lock' ? 'CARD_LOCKED' : 'CARD_UNLOCKED',
    detail: { request_id: request.request_id, correlation_id: request.correlation_id, user_id: request.user_id, card: toWire(card), changed, at },
  };
}
