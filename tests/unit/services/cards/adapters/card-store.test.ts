import type { OutgoingEvent } from '@centli/pure/events';
import { outcomeKey } from '@centli/pure/outcome';
import { CardStore, type CardChange } from '../../../../../services/cards/src/adapters/card-store';
import { cardOutcome } from '../../../../../services/cards/src/domain/outcome';
import { planReplacement } from '../../../../../services/cards/src/domain/replacement';
import { FakeDocumentClient } from '../../../support/fake-dynamodb';
import { card, NOW } from '../fakes';

const request = { request_id: 'req-1', correlation_id: 'corr-1', user_id: 'user-ana', card_id: 'card-1' };
const at = NOW.toISOString();
const lockId = outcomeKey('lock', 'user-ana', 'req-1');
const locked = { detailType: 'CARD_LOCKED', detail: { request_id: 'req-1' } } as unknown as OutgoingEvent;
const none = { Code: 'None' };
const failed = { Code: 'ConditionalCheckFailed' };

function setUp() {
  const db = new FakeDocumentClient({ cards: ['card_id'], requests: ['request_id'] });
  const active = card({ card_id: 'card-1' });
  db.seed('cards', active);
  const store = new CardStore({ cards: 'cards', requests: 'requests' }, db.client);
  const lock: CardChange = { seen: active, status: 'locked', at, record: cardOutcome(lockId, 'lock', 'changed', locked, at, request) };
  return { db, store, active, lock };
}

describe('CardStore.commitCardChange', () => {
  it('changes the card and records the outcome in one transaction', async () => {
    // Prepare
    const { db, store, lock } = setUp();

    // Act
    const result = await store.commitCardChange(lock);

    // Assess
    expect(result).toEqual({ status: 'committed' });
    expect(db.count('TransactWriteCommand')).toBe(1);
    expect(db.item('requests', { request_id: lockId })).toEqual(lock.record);
  });

  it('reads a request seen before first, with its first outcome: the card changed because of it', async () => {
    // Prepare: the first lock went through, so the card is no longer as this delivery read it.
    const { db, store, lock } = setUp();
    const first = { ...lock.record, created_at: 'earlier' };
    db.seed('requests', first);
    db.holds = () => false;

    // Act, Assess
    await expect(store.commitCardChange(lock)).resolves.toEqual({ status: 'served', first });
  });

  it('reads an existing replacement of the request as served, and answers the outcome that stands', async () => {
    // Prepare
    const { db, store, active } = setUp();
    const replacementRequest = { ...request, reason: 'lost' as const };
    const replacement = planReplacement(replacementRequest, active, 'Calle 1, CDMX', NOW, { businessDays: 5, timeZone: 'America/Mexico_City' });
    const record = cardOutcome(outcomeKey('replace', 'user-ana', 'req-1'), 'replace', 'changed', locked, at, replacementRequest);
    db.seed('requests', replacement);
    db.seed('requests', record);

    // Act, Assess
    await expect(store.commitCardChange({ seen: active, status: 'cancelled', replacement, at, record })).resolves.toEqual({ status: 'served', first: record });
  });

  it('reads a card no longer as it was read, with the card as it then was', async () => {
    // Prepare
    const { db, store, lock } = setUp();
    const now = card({ card_id: 'card-1', status: 'locked' });
    db.seed('cards', now);
    db.holds = (item) => !('Update' in item);

    // Act, Assess
    await expect(store.commitCardChange(lock)).resolves.toEqual({ status: 'stale', card: now });
  });

  it('reads a card that is not there at all', async () => {
    // Prepare
    const { db, store, lock } = setUp();
    db.cancellations.push([failed, none]);

    // Act, Assess
    await expect(store.commitCardChange(lock)).resolves.toEqual({ status: 'stale' });
  });

  it('reads a conflict with another transaction as contention, worth retrying', async () => {
    // Prepare
    const { db, store, lock } = setUp();
    db.cancellations.push([{ Code: 'TransactionConflict' }, none]);

    // Act, Assess
    await expect(store.commitCardChange(lock)).resolves.toEqual({ status: 'contention' });
  });

  it('refuses to guess at anything else', async () => {
    // Prepare
    const { db, store, lock } = setUp();
    db.cancellations.push([{ Code: 'ValidationError' }, none]);

    // Act, Assess
    await expect(store.commitCardChange(lock)).rejects.toThrow(/a card change was cancelled for an unexpected reason/);
  });
});

describe('CardStore.settleOutcome', () => {
  it('records an outcome that changes no card where the request has none, and answers the one that stands where it has', async () => {
    // Prepare
    const { store, lock } = setUp();
    const unchanged = { ...lock.record, status: 'unchanged' as const };

    // Act
    const first = await store.settleOutcome(unchanged);
    const again = await store.settleOutcome(lock.record);

    // Assess
    expect([first, again]).toEqual([unchanged, unchanged]);
  });
});
