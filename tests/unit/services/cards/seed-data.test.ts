/** The seeded customers, cards and replacement requests: masked, owned consistently, and what the service would have written. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { detailValidator } from '@centli/schemas';
import { isUsable, toWire, type CardItem } from '../../../../services/cards/src/domain/card';
import type { CustomerItem } from '../../../../services/cards/src/domain/customer';
import { estimatedDelivery } from '../../../../services/cards/src/domain/delivery';
import { isMaskedCardNumber, maskCardNumber } from '../../../../services/cards/src/domain/masking';
import { replacementToWire, type ReplacementItem } from '../../../../services/cards/src/domain/replacement';

const data = <T>(name: string) => JSON.parse(readFileSync(join(__dirname, '../../../../seed/data', `${name}.json`), 'utf8')) as T[];
const customers = data<CustomerItem>('customers');
const cards = data<CardItem>('cards');
const requests = data<ReplacementItem>('card-requests');
const accounts = data<{ user_id: string; account_id: string }>('accounts');
const validCards = detailValidator('CARDS_RESPONSE');
const SEEDED = ['user-ana', 'user-luis', 'user-sofia', 'user-carlos', 'user-mateo'];

describe('seed/data/customers.json', () => {
  it('gives every seeded customer an active profile with a Mexican address, keyed by user_id', () => {
    expect(customers.every((c) => Object.keys(c)[0] === 'user_id')).toBe(true);
    expect(customers.map((c) => c.user_id).sort()).toEqual([...SEEDED].sort());
    for (const c of customers) {
      expect(c).toMatchObject({ name: expect.any(String), email: expect.stringMatching(/@/), phone: expect.stringMatching(/^\+52 /), status: 'active' });
      expect(c.address).toMatch(/\b\d{5}\b/);
    }
  });
});

describe('seed/data/cards.json', () => {
  it('starts every row with card_id, the table’s partition key', () => {
    expect(cards.every((c) => Object.keys(c)[0] === 'card_id')).toBe(true);
    expect(new Set(cards.map((c) => c.card_id)).size).toBe(cards.length);
  });

  it.each(cards.map((c) => [c.card_id, c] as const))('%s is masked and shows what the schema allows', (_, c) => {
    expect(isMaskedCardNumber(c.masked_number)).toBe(true);
    expect(maskCardNumber(c.masked_number)).toBe(c.masked_number);
    expect(c.masked_number.endsWith(c.last_four)).toBe(true);
    expect(c.masked_number).toHaveLength(c.brand === 'amex' ? 15 : 16);
    expect(validCards({ request_id: 'r', correlation_id: 'c', user_id: c.user_id, cards: [toWire(c)] })).toBeUndefined();
  });

  it.each(cards.map((c) => [c.card_id, c] as const))('%s is on an account of its own customer', (_, c) => {
    expect(accounts).toContainEqual(expect.objectContaining({ user_id: c.user_id, account_id: c.account_id }));
    expect(SEEDED).toContain(c.user_id);
  });

  it('holds no full card number anywhere', () => {
    expect(JSON.stringify(cards)).not.toMatch(/[0-9]{11,}/);
  });

  it('never gives one customer two usable cards ending in the same digits', () => {
    for (const user of SEEDED) {
      const endings = cards.filter((c) => c.user_id === user && isUsable(c)).map((c) => c.last_four);
      expect(new Set(endings).size).toBe(endings.length);
    }
  });

  it('gives every replaced card a successor on the same account', () => {
    const replaced = cards.filter((c) => c.status === 'replaced');
    expect(replaced.length).toBeGreaterThan(0);
    for (const old of replaced) {
      const successor = cards.find((c) => c.card_id === old.replaced_by);
      expect(successor).toMatchObject({ user_id: old.user_id, account_id: old.account_id });
      expect(isUsable(successor as CardItem)).toBe(true);
    }
  });

  it('has what the flows need: Ana’s three or more cards, a customer with one usable card, every state, both types', () => {
    const ana = cards.filter((c) => c.user_id === 'user-ana');
    expect(ana.length).toBeGreaterThanOrEqual(3);
    expect(ana).toContainEqual(expect.objectContaining({ account_id: 'acc-ana-nomina-4821', last_four: '1234', type: 'debit', status: 'active' }));
    expect(ana.some((c) => c.type === 'credit')).toBe(true);
    expect(ana.some((c) => c.status === 'locked')).toBe(true);
    expect(SEEDED.some((user) => cards.filter((c) => c.user_id === user && isUsable(c)).length === 1)).toBe(true);
    expect(new Set(cards.map((c) => c.status))).toEqual(new Set(['active', 'locked', 'cancelled', 'replaced']));
    expect(new Set(cards.map((c) => c.type))).toEqual(new Set(['debit', 'credit']));
  });
});

describe('seed/data/card-requests.json', () => {
  it('starts every row with request_id, and each is an open replacement its card points to', () => {
    for (const r of requests) {
      expect(Object.keys(r)[0]).toBe('request_id');
      const c = cards.find((x) => x.card_id === r.card_id);
      expect(c).toMatchObject({ user_id: r.user_id, account_id: r.account_id, replacement_id: r.request_id });
      expect(r).toMatchObject({ kind: 'replacement', status: 'pending' });
      expect(r.estimated_delivery).toBe(estimatedDelivery(new Date(r.created_at), r.business_days));
      expect(detailValidator('CARD_REPLACEMENT_REQUESTED')({ request_id: 'r', correlation_id: 'c', user_id: r.user_id, replacement: replacementToWire(r), card: toWire(c as CardItem), existing: true })).toBeUndefined();
    }
  });

  it('leaves no card pointing at a replacement that is not there', () => {
    for (const c of cards.filter((x) => x.replacement_id !== undefined)) expect(requests.map((r) => r.request_id)).toContain(c.replacement_id);
  });
});
