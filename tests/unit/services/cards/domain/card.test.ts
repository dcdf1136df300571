import {
  cardReference,
  decideReplacement,
  decideStatusChange,
  ownCard,
  pickByLastFour,
  selectCards,
  toWire,
  type CardStatus,
} from '../../../../../services/cards/src/domain/card';
import { authenticate, deliveryAddress } from '../../../../../services/cards/src/domain/customer';
import { planReplacement, replacementIdFor } from '../../../../../services/cards/src/domain/replacement';
import { card, customer, NOW } from '../fakes';

describe('decideStatusChange', () => {
  it.each<[CardStatus, 'lock' | 'unlock', ReturnType<typeof decideStatusChange>]>([
    ['active', 'lock', { changed: true, to: 'locked' }],
    ['locked', 'lock', { changed: false }],
    ['locked', 'unlock', { changed: true, to: 'active' }],
    ['active', 'unlock', { changed: false }],
  ])('moves a %s card on %s as the state machine says', (status, operation, decision) => {
    expect(decideStatusChange(operation, { status, last_four: '1234' })).toEqual(decision);
  });

  it.each<[CardStatus, 'lock' | 'unlock']>([
    ['cancelled', 'lock'],
    ['cancelled', 'unlock'],
    ['replaced', 'lock'],
    ['replaced', 'unlock'],
  ])('refuses to touch a %s card on %s: closed is final', (status, operation) => {
    expect(() => decideStatusChange(operation, { status, last_four: '1234' })).toThrow(
      expect.objectContaining({
        code: 'CARD.CLOSED',
        params: { last_four: '1234' },
        message: 'Your card ending in 1234 was cancelled or replaced and can never be used again.',
      }),
    );
  });
});

describe('decideReplacement', () => {
  it.each([
    ['lost', { kind: 'new', status: 'cancelled' }],
    ['stolen', { kind: 'new', status: 'cancelled' }],
    ['damaged', { kind: 'new' }],
    ['expired', { kind: 'new' }],
  ] as const)('opens a replacement for a %s card, cancelling it at once only when lost or stolen', (reason, decision) => {
    expect(decideReplacement({ status: 'active', last_four: '1234' }, reason)).toEqual(decision);
    expect(decideReplacement({ status: 'locked', last_four: '1234' }, reason)).toEqual(decision);
  });

  it('answers the open replacement when the card has one, whatever the reason', () => {
    expect(decideReplacement({ status: 'cancelled', last_four: '1234', replacement_id: 'rep-1' }, 'stolen')).toEqual({ kind: 'existing', replacementId: 'rep-1', cancel: false });
    expect(decideReplacement({ status: 'active', last_four: '1234', replacement_id: 'rep-1' }, 'expired')).toEqual({ kind: 'existing', replacementId: 'rep-1', cancel: false });
  });

  it('still takes a card out of use when it is lost while a replacement for damage is on its way', () => {
    expect(decideReplacement({ status: 'active', last_four: '1234', replacement_id: 'rep-1' }, 'lost')).toEqual({ kind: 'existing', replacementId: 'rep-1', cancel: true });
  });

  it.each<CardStatus>(['cancelled', 'replaced'])('refuses to replace a %s card with no open replacement', (status) => {
    expect(() => decideReplacement({ status, last_four: '1234' }, 'damaged')).toThrow(expect.objectContaining({ code: 'CARD.CLOSED' }));
  });
});

describe('cardReference', () => {
  it('prefers the card_id, keeping last_four to check against it', () => {
    expect(cardReference({ card_id: 'card-1', last_four: '1234' })).toEqual({ card_id: 'card-1', last_four: '1234' });
    expect(cardReference({ last_four: '1234' })).toEqual({ last_four: '1234' });
  });

  it('refuses a request that names no card, pointing at card_id', () => {
    expect(() => cardReference({})).toThrow(expect.objectContaining({ code: 'CARD.CARD_REQUIRED', field: 'card_id' }));
  });
});

describe('ownCard', () => {
  const mine = card({ card_id: 'card-1' });

  it('returns the caller’s own card', () => {
    expect(ownCard(mine, 'user-ana', { card_id: 'card-1' })).toBe(mine);
  });

  it('answers another customer’s card exactly like a card that does not exist', () => {
    const theirs = (() => {
      try {
        ownCard(card({ card_id: 'card-1', user_id: 'user-luis' }), 'user-ana', { card_id: 'card-1' });
      } catch (error) {
        return error;
      }
    })();
    const missing = (() => {
      try {
        ownCard(undefined, 'user-ana', { card_id: 'card-1' });
      } catch (error) {
        return error;
      }
    })();
    expect(theirs).toMatchObject({ code: 'CARD.NOT_FOUND', field: 'card_id', message: 'I could not find that card among yours.' });
    expect(missing).toEqual(theirs);
    expect(String((theirs as Error).message)).not.toContain('luis');
  });

  it('refuses a card_id whose last four digits are not the ones given', () => {
    expect(() => ownCard(mine, 'user-ana', { card_id: 'card-1', last_four: '9999' })).toThrow(expect.objectContaining({ code: 'CARD.NOT_FOUND' }));
  });
});

describe('pickByLastFour', () => {
  it('picks the usable card over a closed one ending alike', () => {
    const cards = [card({ card_id: 'old', status: 'replaced', updated_at: '2026-01-01T00:00:00Z' }), card({ card_id: 'new', status: 'locked' })];
    expect(pickByLastFour(cards, 'user-ana', '1234').card_id).toBe('new');
  });

  it('refuses two usable cards ending alike as ambiguous', () => {
    const cards = [card({ card_id: 'a' }), card({ card_id: 'b', status: 'locked' })];
    expect(() => pickByLastFour(cards, 'user-ana', '1234')).toThrow(expect.objectContaining({ code: 'CARD.AMBIGUOUS', field: 'last_four' }));
  });

  it('falls back to the latest closed card, so its operation is refused as closed rather than missing', () => {
    const cards = [card({ card_id: 'older', status: 'cancelled', updated_at: '2025-01-01T00:00:00Z' }), card({ card_id: 'newer', status: 'replaced', updated_at: '2026-01-01T00:00:00Z' })];
    expect(pickByLastFour(cards, 'user-ana', '1234').card_id).toBe('newer');
  });

  it('never picks another customer’s card', () => {
    expect(() => pickByLastFour([card({ card_id: 'x', user_id: 'user-luis' })], 'user-ana', '1234')).toThrow(
      expect.objectContaining({ code: 'CARD.NOT_FOUND', field: 'last_four', message: 'I could not find a card of yours ending in 1234.' }),
    );
  });
});

describe('selectCards and toWire', () => {
  const cards = [
    card({ card_id: 'c-replaced', status: 'replaced', last_four: '0001' }),
    card({ card_id: 'c-locked', status: 'locked', account_id: 'acc-ana-ahorro-7305' }),
    card({ card_id: 'c-active', status: 'active', replacement_id: 'rep-1' }),
    card({ card_id: 'c-cancelled', status: 'cancelled', account_id: 'acc-ana-ahorro-7305' }),
  ];

  it('lists usable cards first, closed ones only when asked', () => {
    expect(selectCards(cards, {}).map((c) => c.card_id)).toEqual(['c-active', 'c-locked']);
    expect(selectCards(cards, { include_closed: true }).map((c) => c.card_id)).toEqual(['c-active', 'c-locked', 'c-cancelled', 'c-replaced']);
    expect(selectCards(cards, { include_closed: true, account_id: 'acc-ana-ahorro-7305' }).map((c) => c.card_id)).toEqual(['c-locked', 'c-cancelled']);
  });

  it('shows the customer the card without its owner or bookkeeping', () => {
    expect(toWire({ ...card({ card_id: 'c-1', name: 'Débito Nómina', replacement_id: 'rep-1' }), updated_at: 'x', created_at: 'y', replaced_by: 'z' })).toEqual({
      card_id: 'c-1',
      account_id: 'acc-ana-nomina-4821',
      masked_number: '453212******1234',
      last_four: '1234',
      brand: 'visa',
      type: 'debit',
      status: 'active',
      expiry: '08/2029',
      name: 'Débito Nómina',
      replacement_id: 'rep-1',
    });
  });

  it('refuses to show a stored number that is not masked', () => {
    expect(() => toWire(card({ card_id: 'c-1', masked_number: '4532123456781234' }))).toThrow(RangeError);
  });
});

describe('authenticate and deliveryAddress', () => {
  it('refuses an unknown or suspended customer', () => {
    expect(() => authenticate(undefined)).toThrow(expect.objectContaining({ code: 'CARD.CUSTOMER_NOT_FOUND' }));
    expect(() => authenticate(customer({ status: 'suspended' }))).toThrow(expect.objectContaining({ code: 'CARD.CUSTOMER_INACTIVE' }));
    expect(authenticate(customer())).toMatchObject({ user_id: 'user-ana' });
  });

  it('sends the card to the address given, tidied, else to the one on file', () => {
    expect(deliveryAddress('  Calle 5 de Mayo 12,\n Puebla ', customer())).toBe('Calle 5 de Mayo 12, Puebla');
    expect(deliveryAddress(undefined, customer())).toBe(customer().address);
    expect(() => deliveryAddress(undefined, customer({ address: undefined }))).toThrow(expect.objectContaining({ code: 'CARD.ADDRESS_REQUIRED', field: 'delivery_address' }));
  });
});

describe('replacement ids', () => {
  it('derives the same replacement id for every delivery of a request, and different ones across customers', () => {
    const id = replacementIdFor({ user_id: 'user-ana', request_id: 'req-1' });
    expect(id).toMatch(/^rep-[0-9a-f]{24}$/);
    expect(replacementIdFor({ user_id: 'user-ana', request_id: 'req-1' })).toBe(id);
    expect(replacementIdFor({ user_id: 'user-luis', request_id: 'req-1' })).not.toBe(id);
  });

  it('plans a pending replacement due in business days', () => {
    const request = { request_id: 'req-1', correlation_id: 'corr-1', user_id: 'user-ana', card_id: 'card-1', reason: 'lost' as const };
    expect(planReplacement(request, card({ card_id: 'card-1' }), 'Calle 1, CDMX', NOW, { businessDays: 5, timeZone: 'America/Mexico_City' })).toEqual({
      request_id: replacementIdFor(request),
      kind: 'replacement',
      user_id: 'user-ana',
      card_id: 'card-1',
      account_id: 'acc-ana-nomina-4821',
      reason: 'lost',
      status: 'pending',
      delivery_address: 'Calle 1, CDMX',
      estimated_delivery: '2026-12-03',
      business_days: 5,
      origin_request_id: 'req-1',
      created_at: NOW.toISOString(),
    });
  });
});
