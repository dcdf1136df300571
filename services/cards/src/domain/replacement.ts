/**
 * A replacement card request as the card-requests table keeps it (seed 004's Card Request):
 * PK request_id (`rep-…`, the replacement_id customers see), with user_id and created_at for the
 * table's user index. Its id is derived from the customer and the request_id, so every
 * delivery of one request plans the very same item.
 */
import { createHash } from 'node:crypto';
import type { CardReplacement, CardReplacementRequest } from '@centli/schemas';
import type { CardItem, ReplacementReason } from './card';
import { estimatedDelivery } from './delivery';

export const REPLACEMENT_PREFIX = 'rep-';

export interface ReplacementItem {
  /** `rep-…`: the replacement_id. */
  request_id: string;
  kind: 'replacement';
  user_id: string;
  card_id: string;
  account_id: string;
  reason: ReplacementReason;
  status: CardReplacement['status'];
  delivery_address: string;
  /** YYYY-MM-DD. */
  estimated_delivery: string;
  business_days: number;
  /** The CARD_REPLACEMENT_REQUEST's request_id that opened it. */
  origin_request_id: string;
  created_at: string;
}

export interface DeliverySettings {
  businessDays: number;
  /** IANA zone whose calendar counts the business days (America/Mexico_City). */
  timeZone: string;
}

/** Stable across redeliveries of the same request, distinct across customers. */
export function replacementIdFor(request: Pick<CardReplacementRequest, 'user_id' | 'request_id'>): string {
  const digest = createHash('sha256').update(`${request.user_id}\u0000${request.request_id}`).digest('hex');
  return `${REPLACEMENT_PREFIX}${digest.slice(0, 24)}`;
}

/** The replacement request a CARD_REPLACEMENT_REQUEST opens for `card`, pending until shipped. */
export function planReplacement(request: CardReplacementRequest, card: CardItem, address: string, now: Date, delivery: DeliverySettings): ReplacementItem {
  return {
    request_id: replacementIdFor(request),
    kind: 'replacement',
    user_id: request.user_id,
    card_id: card.card_id,
    account_id: card.account_id,
    reason: request.reason,
    status: 'pending',
    delivery_address: address,
    estimated_delivery: estimatedDelivery(now, delivery.businessDays, delivery.timeZone),
    business_days: delivery.businessDays,
    origin_request_id: request.request_id,
    created_at: now.toISOString(),
  };
}

/** What the customer sees of a replacement request. */
export function replacementToWire(item: ReplacementItem): CardReplacement {
  return {
    replacement_id: item.request_id,
    card_id: item.card_id,
    account_id: item.account_id,
    reason: item.reason,
    status: item.status,
    delivery_address: item.delivery_address,
    estimated_delivery: item.estimated_delivery,
    business_days: item.business_days,
    created_at: item.created_at,
  };
}
