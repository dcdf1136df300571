/**
 * In-memory stand-ins for the Cards service's adapters, passed through the handlers' `deps`.
 * The card store keeps the real store's conditions: a change commits only if the card is as it
 * was read and the request has no outcome yet, otherwise it answers as DynamoDB's cancellation
 * would be read (served with the first outcome, or stale with the card as it is).
 */
import type { CardChange, CommitResult } from '../../../../services/cards/src/adapters/card-store';
import type { CardItem } from '../../../../services/cards/src/domain/card';
import type { CustomerItem } from '../../../../services/cards/src/domain/customer';
import type { CardOutcome } from '../../../../services/cards/src/domain/outcome';
import type { ReplacementItem } from '../../../../services/cards/src/domain/replacement';

const copy = <T>(value: T): T => structuredClone(value);

export const NOW = new Date('2026-11-26T16:00:00.000Z');

export function customer(fields: Partial<CustomerItem> = {}): CustomerItem {
  return {
    user_id: 'user-ana',
    name: 'Ana García',
    address: 'Av. Insurgentes Sur 1602, Benito Juárez, 03940 Ciudad de México, CDMX',
    status: 'active',
    ...fields,
  };
}

export function card(fields: Partial<CardItem> & Pick<CardItem, 'card_id'>): CardItem {
  return {
    account_id: 'acc-ana-nomina-4821',
    user_id: 'user-ana',
    masked_number: '453212******1234',
    last_four: '1234',
    brand: 'visa',
    type: 'debit',
    status: 'active',
    expiry: '08/2029',
    ...fields,
  };
}

export class FakeCustomers {
  readonly customers = new Map<string, CustomerItem>();

  constructor(customers: readonly CustomerItem[] = [customer()]) {
    for (const c of customers) this.customers.set(c.user_id, copy(c));
  }

  getCustomer = jest.fn(async (userId: string) => copy(this.customers.get(userId)));
}

export class FakeCards {
  readonly cards = new Map<string, CardItem>();
  readonly requests = new Map<string, CardOutcome | ReplacementItem>();
  /** Results returned instead of evaluating a commit, one per commit, first (conflicts, say). */
  readonly scripted: CommitResult[] = [];
  /** Runs just before a commit is evaluated: another writer getting there first. */
  beforeCommit: (() => void) | undefined;

  constructor(cards: readonly CardItem[] = []) {
    for (const c of cards) this.cards.set(c.card_id, copy(c));
  }

  getCard = jest.fn(async (cardId: string) => copy(this.cards.get(cardId)));

  cardsOf = jest.fn(async (userId: string) => [...this.cards.values()].filter((c) => c.user_id === userId).map(copy));

  cardsOfAccount = jest.fn(async (userId: string, accountId: string) => [...this.cards.values()].filter((c) => c.user_id === userId && c.account_id === accountId).map(copy));

  cardsEndingIn = jest.fn(async (userId: string, lastFour: string) => [...this.cards.values()].filter((c) => c.user_id === userId && c.last_four === lastFour).map(copy));

  commitCardChange = jest.fn(async (change: CardChange): Promise<CommitResult> => {
    const scripted = this.scripted.shift();
    if (scripted) return scripted;
    this.beforeCommit?.();
    this.beforeCommit = undefined;
    if (this.requests.has(change.record.request_id) || (change.replacement && this.requests.has(change.replacement.request_id))) {
      const first = this.requests.get(change.record.request_id);
      if (first?.kind !== 'outcome') throw new Error(`the record ${change.record.request_id} refused a write but cannot be read`);
      return { status: 'served', first: copy(first) };
    }
    const current = this.cards.get(change.seen.card_id);
    const { seen } = change;
    if (!current || current.user_id !== seen.user_id || current.status !== seen.status || current.replacement_id !== seen.replacement_id) {
      return current ? { status: 'stale', card: copy(current) } : { status: 'stale' };
    }
    this.cards.set(current.card_id, {
      ...current,
      ...(change.status ? { status: change.status } : {}),
      ...(change.replacement ? { replacement_id: change.replacement.request_id } : {}),
      updated_at: change.at,
    });
    this.requests.set(change.record.request_id, copy(change.record));
    if (change.replacement) this.requests.set(change.replacement.request_id, copy(change.replacement));
    return { status: 'committed' };
  });

  settleOutcome = jest.fn(async (record: CardOutcome) => {
    const first = this.requests.get(record.request_id);
    if (first?.kind === 'outcome') return copy(first);
    this.requests.set(record.request_id, copy(record));
    return copy(record);
  });

  getReplacement = jest.fn(async (id: string) => {
    const item = this.requests.get(id);
    return item?.kind === 'replacement' ? copy(item) : undefined;
  });

  outcomes(): CardOutcome[] {
    return [...this.requests.values()].filter((r): r is CardOutcome => r.kind === 'outcome');
  }

  replacements(): ReplacementItem[] {
    return [...this.requests.values()].filter((r): r is ReplacementItem => r.kind === 'replacement');
  }
}

export function deps(cards: FakeCards, customers = new FakeCustomers()) {
  return { customers, cards, now: () => NOW, sleep: async () => undefined };
}
