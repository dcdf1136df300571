/** The sample events in services/cards/events are what `sls invoke local` sends: they must be valid. */
import { describeSampleEvents } from '../sample-events';

const samples = describeSampleEvents('cards');

describe('the cards samples', () => {
  it('have a lock by last four digits and a lock that is refused', () => {
    // Assess
    expect(samples.some(([, e]) => e['detail-type'] === 'CARD_LOCK_REQUEST' && (e.detail as Record<string, unknown>).last_four !== undefined && (e.detail as Record<string, unknown>).card_id === undefined)).toBe(true);
    expect(samples.map(([file]) => file)).toContain('card-lock-request-not-yours.json');
  });
});
