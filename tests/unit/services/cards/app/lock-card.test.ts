import type { Context } from 'aws-lambda';
import { eventHandler } from '@centli/kit/event-handler';
import { type Publisher } from '@centli/kit/publisher';
import { type OutgoingEvent } from '@centli/pure/events';
import { TransientError } from '@centli/pure/errors';
import type { CardLockRequest } from '@centli/schemas';
import { lockCard } from '../../../../../services/cards/src/app/lock-card';
import { lockCardOptions } from '../../../../../services/cards/src/handlers/lock-card';
import { unlockCard } from '../../../../../services/cards/src/app/unlock-card';
import { card, customer, deps, FakeCards, FakeCustomers, NOW } from '../fakes';

const request: CardLockRequest = { request_id: 'req-1', correlation_id: 'corr-1', user_id: 'user-ana', card_id: 'card-ana-nomina' };

function wallet() {
  return new FakeCards([
    card({ card_id: 'card-ana-nomina' }),
    card({ card_id: 'card-ana-oro', masked_number: '542418******5678', last_four: '5678', brand: 'mastercard', type: 'credit' }),
    card({ card_id: 'card-ana-old', masked_number: '453212******1234', status: 'replaced' }),
    card({ card_id: 'card-ana-cancelled', masked_number: '453212******4444', last_four: '4444', status: 'cancelled' }),
    card({ card_id: 'card-luis-nomina', user_id: 'user-luis', account_id: 'acc-luis-nomina-1532', masked_number: '453212******7788', last_four: '7788' }),
  ]);
}

const failure = (fields: Record<string, unknown>) => ({
  detailType: 'CARD_OPERATION_FAILED',
  detail: { request_id: 'req-1', correlation_id: 'corr-1', user_id: 'user-ana', ...fields },
});

describe('lockCard', () => {
  it('locks an active card by its id and records the outcome with the change', async () => {
    const cards = wallet();

    const answer = (await lockCard(request, deps(cards))) as OutgoingEvent<'CARD_LOCKED'>;

    expect(answer).toEqual({
      detailType: 'CARD_LOCKED',
      detail: {
        request_id: 'req-1',
        correlation_id: 'corr-1',
        user_id: 'user-ana',
        card: expect.objectContaining({ card_id: 'card-ana-nomina', status: 'locked', masked_number: '453212******1234', last_four: '1234' }),
        changed: true,
        at: NOW.toISOString(),
      },
    });
    expect(cards.cards.get('card-ana-nomina')?.status).toBe('locked');
    expect(cards.outcomes()).toEqual([expect.objectContaining({ request_id: 'lock#user-ana#req-1', status: 'changed', outcome: answer })]);
  });

  it('finds the card by its last four digits, preferring the usable one over a replaced card ending alike', async () => {
    const cards = wallet();

    const answer = (await lockCard({ ...request, card_id: undefined, last_four: '1234' }, deps(cards))) as OutgoingEvent<'CARD_LOCKED'>;

    expect(answer.detail.card.card_id).toBe('card-ana-nomina');
    expect(cards.cards.get('card-ana-old')?.status).toBe('replaced');
  });

  it('answers a card that is already locked with changed: false, writing only the outcome', async () => {
    const cards = wallet();
    cards.cards.get('card-ana-nomina')!.status = 'locked';

    const answer = (await lockCard(request, deps(cards))) as OutgoingEvent<'CARD_LOCKED'>;

    expect(answer.detail).toMatchObject({ changed: false, card: { status: 'locked' } });
    expect(cards.commitCardChange).not.toHaveBeenCalled();
    expect(cards.outcomes()).toEqual([expect.objectContaining({ status: 'unchanged' })]);
  });

  it.each([
    ['a cancelled card', { card_id: 'card-ana-cancelled' }, { reason: 'CARD.CLOSED', field: 'card_id', message: 'Your card ending in 4444 was cancelled or replaced and can never be used again.' }],
    ['a replaced card', { card_id: 'card-ana-old' }, { reason: 'CARD.CLOSED', field: 'card_id' }],
    ['another customer’s card', { card_id: 'card-luis-nomina' }, { reason: 'CARD.NOT_FOUND', field: 'card_id', message: 'I could not find that card among yours.' }],
    ['a card that does not exist', { card_id: 'card-nobody' }, { reason: 'CARD.NOT_FOUND', field: 'card_id', message: 'I could not find that card among yours.' }],
    ['last four digits another customer’s card ends in', { card_id: undefined, last_four: '7788' }, { reason: 'CARD.NOT_FOUND', field: 'last_four', message: 'I could not find a card of yours ending in 7788.' }],
    ['a card_id whose last four are not the ones given', { last_four: '5678' }, { reason: 'CARD.NOT_FOUND', field: 'card_id' }],
    ['no card at all', { card_id: undefined }, { reason: 'CARD.CARD_REQUIRED', field: 'card_id' }],
  ])('refuses %s, records the refusal and changes no card', async (_, fields, refusal) => {
    const cards = wallet();
    const before = structuredClone([...cards.cards.values()]);

    const answer = await lockCard({ ...request, ...fields } as CardLockRequest, deps(cards));

    expect(answer).toMatchObject(failure(refusal));
    expect([...cards.cards.values()]).toEqual(before);
    expect(cards.commitCardChange).not.toHaveBeenCalled();
    expect(cards.outcomes()).toEqual([expect.objectContaining({ request_id: 'lock#user-ana#req-1', status: 'refused', outcome: answer })]);
  });

  it('refuses two usable cards ending in the same digits as ambiguous', async () => {
    const cards = wallet();
    cards.cards.set('card-ana-twin', card({ card_id: 'card-ana-twin', status: 'locked' }));

    const answer = (await lockCard({ ...request, card_id: undefined, last_four: '1234' }, deps(cards))) as OutgoingEvent;

    expect(answer.detail).toMatchObject({ reason: 'CARD.AMBIGUOUS', field: 'last_four' });
  });

  it.each([
    ['an unknown customer', new FakeCustomers([]), 'CARD.CUSTOMER_NOT_FOUND'],
    ['a suspended customer', new FakeCustomers([customer({ status: 'suspended' })]), 'CARD.CUSTOMER_INACTIVE'],
  ])('refuses %s before looking at any card', async (_, customers, reason) => {
    const cards = wallet();

    const answer = (await lockCard(request, deps(cards, customers))) as OutgoingEvent;

    expect(answer.detail).toMatchObject({ reason, field: 'user_id' });
    expect(cards.getCard).not.toHaveBeenCalled();
  });

  it('answers a redelivered lock with its first answer, even after the card was unlocked in between', async () => {
    const cards = wallet();
    const first = await lockCard(request, deps(cards));
    await unlockCard({ ...request, request_id: 'req-2' }, deps(cards));

    const again = await lockCard(request, deps(cards));

    expect(again).toEqual(first);
    expect(cards.cards.get('card-ana-nomina')?.status).toBe('active');
    expect(cards.outcomes()).toHaveLength(2);
  });

  it('answers a redelivered refusal with the refusal, even once the request could succeed', async () => {
    const cards = wallet();
    const customers = new FakeCustomers([customer({ status: 'suspended' })]);
    const first = await lockCard(request, deps(cards, customers));
    customers.customers.set('user-ana', customer());

    const again = await lockCard(request, deps(cards, customers));

    expect(again).toEqual(first);
    expect(cards.cards.get('card-ana-nomina')?.status).toBe('active');
  });

  it.each([
    ['a card it would change', 'card-ana-oro'],
    ['a card it would leave as it is', 'card-ana-nomina'],
  ])('refuses a request_id reused for another request, on %s, as REQUEST.ID_REUSED, changing nothing', async (_, cardId) => {
    // Prepare
    const cards = wallet();
    await lockCard({ ...request, card_id: 'card-ana-nomina' }, deps(cards));

    // Act
    const reused = lockCard({ ...request, card_id: cardId === 'card-ana-nomina' ? undefined : cardId, last_four: cardId === 'card-ana-nomina' ? '1234' : undefined }, deps(cards));

    // Assess
    await expect(reused).rejects.toMatchObject({ code: 'REQUEST.ID_REUSED', field: 'request_id' });
    expect(cards.cards.get('card-ana-oro')?.status).toBe('active');
    expect(cards.outcomes()).toHaveLength(1);
  });

  it('decides again on the card DynamoDB returns when it changed after it was read', async () => {
    const cards = wallet();
    cards.beforeCommit = () => {
      cards.cards.get('card-ana-nomina')!.status = 'locked';
    };

    const answer = (await lockCard(request, deps(cards))) as OutgoingEvent<'CARD_LOCKED'>;

    expect(answer.detail).toMatchObject({ changed: false, card: { status: 'locked' } });
    expect(cards.commitCardChange).toHaveBeenCalledTimes(1);
    expect(cards.getCard).toHaveBeenCalledTimes(1);
  });

  it('refuses a card cancelled after it was read, from the state DynamoDB returns', async () => {
    const cards = wallet();
    cards.beforeCommit = () => {
      cards.cards.get('card-ana-nomina')!.status = 'cancelled';
    };

    const answer = (await lockCard(request, deps(cards))) as OutgoingEvent;

    expect(answer.detail).toMatchObject({ reason: 'CARD.CLOSED' });
  });

  it('retries a transaction conflict and locks', async () => {
    const cards = wallet();
    cards.scripted.push({ status: 'contention' }, { status: 'contention' });

    const answer = (await lockCard(request, deps(cards))) as OutgoingEvent<'CARD_LOCKED'>;

    expect(answer.detail.changed).toBe(true);
    expect(cards.commitCardChange).toHaveBeenCalledTimes(3);
  });

  it('gives up on a conflict that never clears with a transient error and records nothing, so the delivery is retried', async () => {
    const cards = wallet();
    cards.scripted.push(...Array.from({ length: 30 }, () => ({ status: 'contention' as const })));

    await expect(lockCard(request, deps(cards))).rejects.toBeInstanceOf(TransientError);
    expect(cards.outcomes()).toEqual([]);
  });
});

describe('the lock-card handler', () => {
  const context = { functionName: 'centli-cards-test-lock-card', awsRequestId: 'aws-1', getRemainingTimeInMillis: () => 10_000 } as unknown as Context;
  const busEvent = (detail: unknown) => ({
    version: '0',
    id: 'evt-1',
    'detail-type': 'CARD_LOCK_REQUEST',
    source: 'centli.agent-gateway',
    account: '000000000000',
    time: '2026-11-26T16:00:00Z',
    region: 'us-east-1',
    resources: [],
    detail,
  });

  function wired(cards: FakeCards) {
    const sent: { source: string; event: OutgoingEvent }[] = [];
    const publisher: Publisher = { publish: async (source, events) => void sent.push(...events.map((event) => ({ source, event }))) };
    const handler = eventHandler((detail: CardLockRequest) => lockCard(detail, deps(cards)), { ...lockCardOptions, publisher });
    return { handler, sent };
  }

  it('answers on the bus as centli.cards', async () => {
    const cards = wallet();
    const { handler, sent } = wired(cards);

    await handler(busEvent(request), context);

    expect(sent).toEqual([{ source: 'centli.cards', event: expect.objectContaining({ detailType: 'CARD_LOCKED' }) }]);
  });

  it.each([
    ['a malformed last_four', { ...request, last_four: '12a4' }, 'last_four'],
    ['an unknown field', { ...request, card_number: '4532123456781234' }, 'card_number'],
  ])('answers %s with CARD_OPERATION_FAILED and writes nothing', async (_, detail, field) => {
    const cards = wallet();
    const { handler, sent } = wired(cards);

    await handler(busEvent(detail), context);

    expect(sent).toEqual([{ source: 'centli.cards', event: failure({ reason: 'REQUEST.INVALID', field, message: expect.any(String), params: { field, problem: expect.any(String) } }) }]);
    expect(cards.requests.size).toBe(0);
    expect(JSON.stringify(sent)).not.toContain('4532123456781234');
  });
});
