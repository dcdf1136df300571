/** The sample events in services/crm/events are what `sls invoke local` sends: they must be valid. */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { detailValidator, isDetailType, validateEnvelope } from '@centli/schemas';

const dir = join(__dirname, '../../../../services/crm/events');
const files = readdirSync(dir).filter((f) => f.endsWith('.json'));

describe('services/crm/events', () => {
  it('has a sample for every function', () => {
    const types = new Set(files.map((f) => (JSON.parse(readFileSync(join(dir, f), 'utf8')) as { 'detail-type': string })['detail-type']));
    expect([...types].sort()).toEqual(['ALIAS_RESOLUTION_REQUEST', 'BENEFICIARIES_QUERY', 'BENEFICIARY_ADD_REQUEST']);
  });

  it.each(files)('%s is a valid event of its detail-type', (file) => {
    const event = JSON.parse(readFileSync(join(dir, file), 'utf8')) as { 'detail-type': string; detail: unknown };
    expect(validateEnvelope(event)).toBeUndefined();
    const detailType = event['detail-type'];
    if (!isDetailType(detailType)) throw new Error(`${file}: unknown detail-type ${detailType}`);
    expect(detailValidator(detailType)(event.detail)).toBeUndefined();
  });
});
