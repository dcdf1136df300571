/** The Lambda entry of CARD_REPLACEMENT_REQUEST (app/request-new-card.ts), with the delivery this stage promises. */
// Only the validators this function uses are in its bundle (schemas/validators/loaded.ts).
import '@centli/schemas/validators/for/CARD_REPLACEMENT_REQUEST';
import { intFromEnv } from '@centli/kit/config';
import { eventHandler } from '@centli/kit/event-handler';
import { CardStore } from '../adapters/card-store';
import { CustomerStore } from '../adapters/customer-store';
import { requestNewCard, type RequestNewCardDeps } from '../app/request-new-card';
import { DEFAULT_DELIVERY_BUSINESS_DAYS, DELIVERY_TIME_ZONE } from '../domain/delivery';
import type { DeliverySettings } from '../domain/replacement';

export function deliveryFromEnv(): DeliverySettings {
  const businessDays = intFromEnv('CARD_DELIVERY_BUSINESS_DAYS', DEFAULT_DELIVERY_BUSINESS_DAYS);
  if (businessDays < 1) throw new Error(`CARD_DELIVERY_BUSINESS_DAYS must be at least 1, got ${businessDays}`);
  return { businessDays, timeZone: process.env.CARD_DELIVERY_TIMEZONE || DELIVERY_TIME_ZONE };
}

let defaults: RequestNewCardDeps | undefined;
const defaultDeps = (): RequestNewCardDeps =>
  (defaults ??= { customers: new CustomerStore(), cards: new CardStore(), now: () => new Date(), delivery: deliveryFromEnv() });

/** How the kit wires this function to the bus; tests reuse it with a recording publisher. */
export const requestNewCardOptions = { service: 'cards', accepts: 'CARD_REPLACEMENT_REQUEST' as const };

export const handler = eventHandler((request) => requestNewCard(request, defaultDeps()), requestNewCardOptions);
