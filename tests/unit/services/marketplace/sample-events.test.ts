/** The samples in services/marketplace/events are what `sls invoke local` sends: they must be valid. */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { detailValidator, isDetailType, validateEnvelope } from '@centli/schemas';
import { taskValidator } from '@centli/schemas';

const dir = join(__dirname, '../../../../services/marketplace/events');
const files = readdirSync(dir).filter((f) => f.endsWith('.json'));
const read = (file: string) => JSON.parse(readFileSync(join(dir, file), 'utf8')) as Record<string, unknown>;
const events = files.filter((f) => 'detail-type' in read(f));

describe('services/marketplace/events', () => {
  it('has a sample for every function the bus triggers', () => {
    const types = new Set(events.map((f) => read(f)['detail-type']));
    expect([...types].sort()).toEqual(['BENEFITS_QUERY', 'CATALOG_QUERY', 'PURCHASE_REQUEST', 'PURCHASE_STATUS_QUERY']);
  });

  it.each(events)('%s is a valid event of its detail-type', (file) => {
    const event = read(file) as { 'detail-type': string; detail: unknown };
    expect(validateEnvelope(event)).toBeUndefined();
    const detailType = event['detail-type'];
    if (!isDetailType(detailType)) throw new Error(`${file}: unknown detail-type ${detailType}`);
    expect(detailValidator(detailType)(event.detail)).toBeUndefined();
  });

  it('has a valid input for the reserve-inventory task', () => {
    expect(taskValidator('reserve-inventory', 'input')(read('reserve-inventory.json'))).toBeUndefined();
  });
});
