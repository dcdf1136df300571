/** The sample events in services/cards/events are what `sls invoke local` sends: they must be valid. */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { detailValidator, isDetailType, validateEnvelope } from '@centli/schemas';

const dir = join(__dirname, '../../../../services/cards/events');
const files = readdirSync(dir).filter((f) => f.endsWith('.json'));
const events = files.map((f) => [f, JSON.parse(readFileSync(join(dir, f), 'utf8')) as { 'detail-type': string; source: string; detail: Record<string, unknown> }] as const);

describe('services/cards/events', () => {
  it('has a sample for every function', () => {
    const types = new Set(events.map(([, e]) => e['detail-type']));
    expect([...types].sort()).toEqual(['CARDS_QUERY', 'CARD_LOCK_REQUEST', 'CARD_REPLACEMENT_REQUEST', 'CARD_UNLOCK_REQUEST']);
  });

  it('has a lock by last four digits and a lock that is refused', () => {
    expect(events.some(([, e]) => e['detail-type'] === 'CARD_LOCK_REQUEST' && e.detail.last_four !== undefined && e.detail.card_id === undefined)).toBe(true);
    expect(files).toContain('card-lock-request-not-yours.json');
  });

  it.each(events)('%s is a valid event of its detail-type, from the agent gateway', (file, event) => {
    expect(validateEnvelope(event)).toBeUndefined();
    expect(event.source).toBe('centli.agent-gateway');
    const detailType = event['detail-type'];
    if (!isDetailType(detailType)) throw new Error(`${file}: unknown detail-type ${detailType}`);
    expect(detailValidator(detailType)(event.detail)).toBeUndefined();
  });
});
