/**
 * Listing, locking and unlocking cards through the bus, against DynamoDB Local: the customer's
 * own cards only, closed cards final, another customer's card refused like a missing one with
 * the cards table untouched, and a redelivered request answered as it first was.
 */
import { answers, closeClients, dumpTable, putRequests, runId, type BusEvent } from '../support';
import { cardOf, cardRequest, createCards, createCustomer, RESULTS, send, testCard } from './support';

afterAll(closeClients);

const run = runId();
const ana = `user-${run}-ana`;
const luis = `user-${run}-luis`;
const cards = {
  debit: testCard(ana, `card-${run}-ana-debito`, '1234', { name: 'Débito Nómina' }),
  credit: testCard(ana, `card-${run}-ana-credito`, '5678', { brand: 'mastercard', type: 'credit', masked_number: '542418******5678', account_id: `acc-${ana}-credito` }),
  locked: testCard(ana, `card-${run}-ana-ahorro`, '9012', { status: 'locked' }),
  replaced: testCard(ana, `card-${run}-ana-vieja`, '1234', { status: 'replaced' }),
  cancelled: testCard(ana, `card-${run}-ana-cancelada`, '4444', { status: 'cancelled' }),
  luis: testCard(luis, `card-${run}-luis-debito`, '7788'),
};

let sequence = 0;
function detail(fields: Record<string, unknown>) {
  const n = sequence++;
  return { request_id: `req-${run}-c${n}`, correlation_id: `corr-${run}-c${n}`, ...fields };
}

const lock = (fields: Record<string, unknown>) => send('CARD_LOCK_REQUEST', detail({ user_id: ana, ...fields }));
const unlock = (fields: Record<string, unknown>) => send('CARD_UNLOCK_REQUEST', detail({ user_id: ana, ...fields }));
const list = (fields: Record<string, unknown>) => send('CARDS_QUERY', detail({ user_id: ana, ...fields }));
const ids = (event: BusEvent) => (event.detail.cards as { card_id: string }[]).map((c) => c.card_id);

beforeAll(async () => {
  await Promise.all([createCustomer(ana, { name: 'Ana Prueba' }), createCustomer(luis, { name: 'Luis Prueba' }), createCards(Object.values(cards))]);
});

describe('CARDS_QUERY', () => {
  it('lists the customer’s usable cards, masked, answered by centli.cards', async () => {
    const answer = await list({});

    expect(answer['detail-type']).toBe('CARDS_RESPONSE');
    expect(answer.source).toBe('centli.cards');
    expect(ids(answer).sort()).toEqual([cards.credit.card_id, cards.debit.card_id, cards.locked.card_id].sort());
    expect(answer.detail.cards).toContainEqual({
      card_id: cards.debit.card_id,
      account_id: cards.debit.account_id,
      masked_number: '453212******1234',
      last_four: '1234',
      brand: 'visa',
      type: 'debit',
      status: 'active',
      expiry: '08/2029',
      name: 'Débito Nómina',
    });
  });

  it('adds closed cards when asked, and narrows to one account', async () => {
    expect(ids(await list({ include_closed: true })).sort()).toEqual(
      [cards.credit, cards.debit, cards.locked, cards.replaced, cards.cancelled].map((c) => c.card_id).sort(),
    );
    expect(ids(await list({ account_id: cards.credit.account_id }))).toEqual([cards.credit.card_id]);
    expect(ids(await list({ account_id: cards.luis.account_id, include_closed: true }))).toEqual([]);
  });

  it('lists a seeded customer’s cards: Luis has exactly one card he can use', async () => {
    const answer = await send('CARDS_QUERY', detail({ user_id: 'user-luis' }));

    expect(answer.detail.cards).toEqual([expect.objectContaining({ card_id: 'card-luis-nomina', last_four: '7788', status: 'active' })]);
  });

  it('refuses a customer it does not know', async () => {
    const answer = await send('CARDS_QUERY', detail({ user_id: `user-${run}-nadie` }));

    expect(answer['detail-type']).toBe('CARD_OPERATION_FAILED');
    expect(answer.detail).toMatchObject({ reason: 'CARD.CUSTOMER_NOT_FOUND' });
  });
});

describe('CARD_LOCK_REQUEST and CARD_UNLOCK_REQUEST', () => {
  it('locks an active card, then answers a second lock with changed: false', async () => {
    const first = await lock({ card_id: cards.debit.card_id });
    const second = await lock({ card_id: cards.debit.card_id });

    expect(first['detail-type']).toBe('CARD_LOCKED');
    expect(first.detail).toMatchObject({ changed: true, card: { card_id: cards.debit.card_id, status: 'locked', masked_number: '453212******1234' } });
    expect(second.detail).toMatchObject({ changed: false, card: { status: 'locked' } });
    expect(await cardOf(cards.debit.card_id)).toMatchObject({ status: 'locked' });
  });

  it('unlocks it, then answers a second unlock with changed: false', async () => {
    const first = await unlock({ card_id: cards.debit.card_id });
    const second = await unlock({ card_id: cards.debit.card_id });

    expect(first['detail-type']).toBe('CARD_UNLOCKED');
    expect(first.detail).toMatchObject({ changed: true, card: { status: 'active' } });
    expect(second.detail).toMatchObject({ changed: false, card: { status: 'active' } });
    expect(await cardOf(cards.debit.card_id)).toMatchObject({ status: 'active' });
  });

  it('locks by the last four digits, choosing the usable card over a replaced one ending alike', async () => {
    const answer = await lock({ last_four: '1234' });

    expect(answer.detail).toMatchObject({ changed: true, card: { card_id: cards.debit.card_id } });
    expect(await cardOf(cards.replaced.card_id)).toMatchObject({ status: 'replaced' });
    await unlock({ card_id: cards.debit.card_id });
  });

  it.each([
    ['a replaced card', () => cards.replaced],
    ['a cancelled card', () => cards.cancelled],
  ])('never unlocks %s', async (_, which) => {
    const before = await dumpTable('cards');

    const answer = await unlock({ card_id: which().card_id });

    expect(answer['detail-type']).toBe('CARD_OPERATION_FAILED');
    expect(answer.detail).toMatchObject({ reason: 'CARD.CLOSED', field: 'card_id', message: expect.stringContaining('was cancelled or replaced'), params: { last_four: which().last_four } });
    expect(await dumpTable('cards')).toBe(before);
  });

  it.each([
    ['lock', 'CARD_LOCK_REQUEST'],
    ['unlock', 'CARD_UNLOCK_REQUEST'],
    ['replacement', 'CARD_REPLACEMENT_REQUEST'],
  ] as const)('refuses a %s of another customer’s card exactly like a card that does not exist, and leaves the cards table as it was', async (_, detailType) => {
    const before = await dumpTable('cards');
    const extra = detailType === 'CARD_REPLACEMENT_REQUEST' ? { reason: 'stolen' } : {};

    const theirs = await send(detailType, detail({ user_id: ana, card_id: cards.luis.card_id, ...extra }));
    const missing = await send(detailType, detail({ user_id: ana, card_id: `card-${run}-nadie`, ...extra }));
    const byDigits = await send(detailType, detail({ user_id: ana, last_four: cards.luis.last_four, ...extra }));

    expect(theirs['detail-type']).toBe('CARD_OPERATION_FAILED');
    expect(theirs.detail).toMatchObject({ reason: 'CARD.NOT_FOUND', field: 'card_id' });
    const { request_id: _a, correlation_id: _b, ...refusal } = theirs.detail;
    const { request_id: _c, correlation_id: _d, ...missingRefusal } = missing.detail;
    expect(refusal).toEqual(missingRefusal);
    expect(byDigits.detail).toMatchObject({ reason: 'CARD.NOT_FOUND', field: 'last_four', message: 'I could not find a card of yours ending in 7788.' });
    expect(await dumpTable('cards')).toBe(before);
    expect(await cardOf(cards.luis.card_id)).toMatchObject({ status: 'active' });
  });

  it('refuses a request that names no card, pointing at card_id', async () => {
    const answer = await lock({});

    expect(answer.detail).toMatchObject({ reason: 'CARD.CARD_REQUIRED', field: 'card_id' });
  });

  it('refuses an event that breaks its schema and writes nothing at all', async () => {
    const cardsBefore = await dumpTable('cards');
    const requestsBefore = await dumpTable('card-requests');

    const answer = await lock({ card_id: cards.debit.card_id, card_number: '4532123456781234' });

    expect(answer.detail).toMatchObject({ reason: 'REQUEST.INVALID', field: 'card_number' });
    expect(await dumpTable('cards')).toBe(cardsBefore);
    expect(await dumpTable('card-requests')).toBe(requestsBefore);
  });

  it('answers a redelivered lock with its first answer even after the card was unlocked in between', async () => {
    const request = detail({ user_id: ana, card_id: cards.credit.card_id });
    await putRequests([{ detailType: 'CARD_LOCK_REQUEST', detail: request }]);
    const [first] = (await answers(RESULTS, new Map([[request.request_id, 1]]))).get(request.request_id) as BusEvent[];
    const unlocked = await unlock({ card_id: cards.credit.card_id });

    await putRequests([{ detailType: 'CARD_LOCK_REQUEST', detail: request }]);
    const both = (await answers(RESULTS, new Map([[request.request_id, 2]]))).get(request.request_id) as BusEvent[];

    expect(first?.detail).toMatchObject({ changed: true });
    expect(unlocked.detail).toMatchObject({ changed: true });
    expect(both.map((e) => e.detail)).toEqual([first?.detail, first?.detail]);
    expect(await cardOf(cards.credit.card_id)).toMatchObject({ status: 'active' });
    expect(await cardRequest(`lock#${ana}#${request.request_id}`)).toMatchObject({ status: 'changed', outcome: { detailType: 'CARD_LOCKED', detail: first?.detail } });
  });

  it('refuses a customer who is suspended, and keeps refusing that request after they are reactivated', async () => {
    const suspended = `user-${run}-suspendida`;
    const card = testCard(suspended, `card-${run}-suspendida`, '3333');
    await Promise.all([createCustomer(suspended, { status: 'suspended' }), createCards([card])]);
    const request = detail({ user_id: suspended, card_id: card.card_id });
    await putRequests([{ detailType: 'CARD_LOCK_REQUEST', detail: request }]);
    const [first] = (await answers(RESULTS, new Map([[request.request_id, 1]]))).get(request.request_id) as BusEvent[];

    await createCustomer(suspended, { status: 'active' });
    await putRequests([{ detailType: 'CARD_LOCK_REQUEST', detail: request }]);
    const both = (await answers(RESULTS, new Map([[request.request_id, 2]]))).get(request.request_id) as BusEvent[];

    expect(first?.detail).toMatchObject({ reason: 'CARD.CUSTOMER_INACTIVE' });
    expect(both[1]?.detail).toEqual(first?.detail);
    expect(await cardOf(card.card_id)).toMatchObject({ status: 'active' });
  });
});
