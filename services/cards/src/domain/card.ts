/**
 * A card as the Cards service stores it (table centli-cards-<stage>, PK card_id, GSIs on
 * account_id and user_id), what the customer sees of it, which card a request names, and the
 * states a card moves through:
 *
 *   active ⇄ locked        (lock / unlock)
 *   active | locked → cancelled   (replacement for lost or stolen, at once)
 *   cancelled, replaced    final: nothing changes them again
 *
 * A card with an open replacement carries its id in `replacement_id`; one for damaged or
 * expired leaves the card usable until the new one arrives.
 */
import type { Card, CardReplacementRequest } from '@centli/schemas';
import { assertMasked } from './masking';
import { CardAmbiguousError, CardClosedError, CardNotFoundError, CardRequiredError } from '../errors';

export type CardStatus = Card['status'];
export type ReplacementReason = CardReplacementRequest['reason'];

export interface CardItem {
  card_id: string;
  account_id: string;
  /** The owner; every read is checked against the caller. */
  user_id: string;
  /** First six, asterisks, last four: never more ({@link assertMasked}). */
  masked_number: string;
  last_four: string;
  brand: Card['brand'];
  type: Card['type'];
  status: CardStatus;
  /** MM/YYYY. */
  expiry: string;
  name?: string;
  /** The open replacement request for this card. */
  replacement_id?: string;
  /** The card that took this one's place, once replaced. */
  replaced_by?: string;
  updated_at?: string;
  created_at?: string;
}

/** Cards that can still be used (and locked or unlocked). */
export const USABLE: ReadonlySet<CardStatus> = new Set(['active', 'locked']);

export const isUsable = (card: Pick<CardItem, 'status'>): boolean => USABLE.has(card.status);

const STATUS_ORDER: Record<CardStatus, number> = { active: 0, locked: 1, cancelled: 2, replaced: 3 };

/** What the customer sees of a card: masked number and data, never the owner or bookkeeping. */
export function toWire(item: CardItem): Card {
  return {
    card_id: item.card_id,
    account_id: item.account_id,
    masked_number: assertMasked(item.masked_number),
    last_four: item.last_four,
    brand: item.brand,
    type: item.type,
    status: item.status,
    expiry: item.expiry,
    ...(item.name === undefined ? {} : { name: item.name }),
    ...(item.replacement_id === undefined ? {} : { replacement_id: item.replacement_id }),
  };
}

/** Usable cards first, then by account and id: a stable order to read out. */
export function sortCards(cards: readonly CardItem[]): CardItem[] {
  return [...cards].sort(
    (a, b) => STATUS_ORDER[a.status] - STATUS_ORDER[b.status] || a.account_id.localeCompare(b.account_id) || a.card_id.localeCompare(b.card_id),
  );
}

/** The cards a CARDS_QUERY lists: usable ones, and closed ones only when asked. */
export function selectCards(cards: readonly CardItem[], query: { include_closed?: boolean; account_id?: string }): CardItem[] {
  return sortCards(cards.filter((card) => (query.include_closed || isUsable(card)) && (query.account_id === undefined || card.account_id === query.account_id)));
}

/** How a request names its card. */
export type CardReference = { card_id: string; last_four?: string } | { last_four: string };

/**
 * The card a request names: card_id first (with last_four too, both must match), else the
 * last four digits. The schema cannot require "one of the two", so neither is refused here.
 */
export function cardReference(request: { card_id?: string; last_four?: string }): CardReference {
  if (request.card_id !== undefined) return { card_id: request.card_id, ...(request.last_four === undefined ? {} : { last_four: request.last_four }) };
  if (request.last_four !== undefined) return { last_four: request.last_four };
  throw new CardRequiredError();
}

/**
 * Authorises a card read by its id: it must exist and be the caller's. Another customer's card
 * is refused exactly like one that does not exist.
 */
export function ownCard(card: CardItem | undefined, userId: string, reference: { card_id: string; last_four?: string }): CardItem {
  if (!card || card.user_id !== userId || (reference.last_four !== undefined && card.last_four !== reference.last_four)) {
    throw new CardNotFoundError({ card_id: reference.card_id });
  }
  return card;
}

/**
 * Picks the caller's card ending in `lastFour`. Usable cards are preferred, so a closed card ending in
 * the same digits never shadows a working one; two usable cards ending alike are ambiguous.
 * When only closed cards match, the most recently changed one (its operation is then refused).
 */
export function pickByLastFour(cards: readonly CardItem[], userId: string, lastFour: string): CardItem {
  const mine = cards.filter((card) => card.user_id === userId && card.last_four === lastFour);
  const usable = mine.filter(isUsable);
  if (usable.length > 1) throw new CardAmbiguousError(lastFour);
  const [only] = usable;
  if (only) return only;
  const [latest] = [...mine].sort((a, b) => (b.updated_at ?? '').localeCompare(a.updated_at ?? '') || a.card_id.localeCompare(b.card_id));
  if (!latest) throw new CardNotFoundError({ last_four: lastFour });
  return latest;
}

/** What a lock or unlock does to a card in a given state. */
export type StatusDecision = { changed: true; to: CardStatus } | { changed: false };

/**
 * Lock: active → locked; locked stays locked (not an error). Unlock: locked → active; active
 * stays active. Cancelled and replaced cards are final: refused.
 *
 * @throws CardClosedError for a cancelled or replaced card.
 */
export function decideStatusChange(operation: 'lock' | 'unlock', card: Pick<CardItem, 'status' | 'last_four'>): StatusDecision {
  if (!isUsable(card)) throw new CardClosedError(card.last_four);
  const target: CardStatus = operation === 'lock' ? 'locked' : 'active';
  return card.status === target ? { changed: false } : { changed: true, to: target };
}

/** Whether a replacement for this reason takes the old card out of use at once. */
export const cancelsAtOnce = (reason: ReplacementReason): boolean => reason === 'lost' || reason === 'stolen';

/** What asking for a new card does, given the card as it is. */
export type ReplacementDecision =
  /** No open replacement: create one; `status` is the card's new status when it changes. */
  | { kind: 'new'; status?: CardStatus }
  /** One is open: answer it. `cancel` when the card is lost or stolen now and still usable. */
  | { kind: 'existing'; replacementId: string; cancel: boolean };

/**
 * One open replacement per card: asking again (with any request_id) answers the open one. A
 * card reported lost or stolen while a replacement for damage is on its way is still taken out
 * of use at once: the open replacement is answered and the card cancelled.
 *
 * @throws CardClosedError for a cancelled or replaced card without an open replacement.
 */
export function decideReplacement(card: Pick<CardItem, 'status' | 'last_four' | 'replacement_id'>, reason: ReplacementReason): ReplacementDecision {
  if (card.replacement_id !== undefined) return { kind: 'existing', replacementId: card.replacement_id, cancel: cancelsAtOnce(reason) && isUsable(card) };
  if (!isUsable(card)) throw new CardClosedError(card.last_four);
  return cancelsAtOnce(reason) ? { kind: 'new', status: 'cancelled' } : { kind: 'new' };
}
