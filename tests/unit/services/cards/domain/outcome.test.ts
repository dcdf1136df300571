import { requestFingerprint } from '@centli/pure/canonical';
import type { OutgoingEvent } from '@centli/pure/events';
import { outcomeKey } from '@centli/pure/outcome';
import { cardOutcome } from '../../../../../services/cards/src/domain/outcome';

describe('cardOutcome', () => {
  const request = { request_id: 'req-1', correlation_id: 'corr-1', user_id: 'user-ana', card_id: 'card-1' };
  const locked = { detailType: 'CARD_LOCKED', detail: { request_id: 'req-1' } } as unknown as OutgoingEvent;

  it('keeps an outcome under its operation and customer, with the request’s fingerprint and no user_id (the user index holds replacements only)', () => {
    // Prepare
    const id = outcomeKey('lock', 'user-ana', 'req-1');

    // Act
    const record = cardOutcome(id, 'lock', 'changed', locked, '2026-11-26T16:00:00.000Z', request);

    // Assess
    expect(id).toBe('lock#user-ana#req-1');
    expect(outcomeKey('unlock', 'user-ana', 'req-1')).not.toBe(id);
    expect(record).toEqual({ request_id: id, kind: 'outcome', operation: 'lock', status: 'changed', outcome: locked, created_at: '2026-11-26T16:00:00.000Z', request_hash: requestFingerprint(request) });
    expect(record).not.toHaveProperty('user_id');
  });
});
