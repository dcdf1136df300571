/**
 * The Cards service's refusals, all answered with CARD_OPERATION_FAILED. Each has a stable code
 * the assistant can branch on and a message it can read to the customer. A card another
 * customer owns is refused exactly like a card that does not exist, so nothing leaks.
 */
import { CentliError } from '@centli/pure/errors';

export class CardsError extends CentliError {}

/** The request's user_id names no customer of ours. */
export class CustomerNotFoundError extends CardsError {
  constructor() {
    super('CARD.CUSTOMER_NOT_FOUND', 'We could not find your customer profile, so no card can be looked up or changed.', { field: 'user_id' });
  }
}

/** The customer exists but may not operate their cards (suspended). */
export class CustomerInactiveError extends CardsError {
  constructor() {
    super('CARD.CUSTOMER_INACTIVE', 'Your customer profile is suspended, so your cards cannot be changed; please contact us.', { field: 'user_id' });
  }
}

/** Neither card_id nor last_four: the request does not say which card. */
export class CardRequiredError extends CardsError {
  constructor() {
    super('CARD.CARD_REQUIRED', 'Say which card: give its card_id or its last four digits.', { field: 'card_id' });
  }
}

/** No card of the caller's answers to the card_id (or, without one, the last four digits) given. */
export class CardNotFoundError extends CardsError {
  constructor(by: { card_id?: string | undefined; last_four?: string | undefined }) {
    super('CARD.NOT_FOUND', by.card_id !== undefined ? 'You have no card with that id.' : `You have no card ending in ${by.last_four}.`, {
      field: by.card_id !== undefined ? 'card_id' : 'last_four',
    });
  }
}

/** Two or more usable cards of the caller end in the same four digits. */
export class CardAmbiguousError extends CardsError {
  constructor(lastFour: string) {
    super('CARD.AMBIGUOUS', `You have more than one card ending in ${lastFour}; say which one by its card_id.`, { field: 'last_four' });
  }
}

export type CardOperation = 'lock' | 'unlock' | 'replace';

const verbs: Record<CardOperation, string> = { lock: 'locked', unlock: 'unlocked', replace: 'replaced' };

/** The card is cancelled or replaced: final states, nothing can change it any more. */
export class CardClosedError extends CardsError {
  constructor(operation: CardOperation, status: string, lastFour: string) {
    super('CARD.CLOSED', `The card ending in ${lastFour} is ${status} and can no longer be used, so it cannot be ${verbs[operation]}.`, { field: 'card_id' });
  }
}

/** A replacement needs somewhere to go: the request names no address and the profile has none. */
export class AddressRequiredError extends CardsError {
  constructor() {
    super('CARD.ADDRESS_REQUIRED', 'We have no address on file to send the new card to; give a delivery_address.', { field: 'delivery_address' });
  }
}
