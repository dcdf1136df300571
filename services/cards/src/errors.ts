/**
 * The Cards service's refusals, all answered with CARD_OPERATION_FAILED, each a code of the
 * error catalogue (@centli/pure/refusals) with its parameters. A card another
 * customer owns is refused exactly like a card that does not exist, so nothing leaks.
 */
import { CentliError } from '@centli/pure/errors';

export class CardsError extends CentliError {}

/** The request's user_id names no customer of ours. */
export class CustomerNotFoundError extends CardsError {
  constructor() {
    super('CARD.CUSTOMER_NOT_FOUND', {}, { field: 'user_id' });
  }
}

/** The customer exists but may not operate their cards (suspended). */
export class CustomerInactiveError extends CardsError {
  constructor() {
    super('CARD.CUSTOMER_INACTIVE', {}, { field: 'user_id' });
  }
}

/** Neither card_id nor last_four: the request does not say which card. */
export class CardRequiredError extends CardsError {
  constructor() {
    super('CARD.CARD_REQUIRED', {}, { field: 'card_id' });
  }
}

/** No card of the caller's answers to the card_id (or, without one, the last four digits) given. */
export class CardNotFoundError extends CardsError {
  constructor(by: { card_id?: string | undefined; last_four?: string | undefined }) {
    super('CARD.NOT_FOUND', by.card_id === undefined && by.last_four !== undefined ? { last_four: by.last_four } : {}, {
      field: by.card_id !== undefined ? 'card_id' : 'last_four',
    });
  }
}

/** Two or more usable cards of the caller end in the same four digits. */
export class CardAmbiguousError extends CardsError {
  constructor(lastFour: string) {
    super('CARD.AMBIGUOUS', { last_four: lastFour }, { field: 'last_four' });
  }
}

export type CardOperation = 'lock' | 'unlock' | 'replace';

/** The card is cancelled or replaced: final states, nothing can change it any more. */
export class CardClosedError extends CardsError {
  constructor(lastFour: string) {
    super('CARD.CLOSED', { last_four: lastFour }, { field: 'card_id' });
  }
}

/** A replacement needs somewhere to go: the request names no address and the profile has none. */
export class AddressRequiredError extends CardsError {
  constructor() {
    super('CARD.ADDRESS_REQUIRED', {}, { field: 'delivery_address' });
  }
}
