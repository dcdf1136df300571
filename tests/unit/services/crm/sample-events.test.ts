/** The sample events in services/crm/events are what `sls invoke local` sends: they must be valid. */
import { describeSampleEvents } from '../sample-events';

const samples = new Map(describeSampleEvents('crm'));

describe('the crm samples', () => {
  it('have a beneficiary added, and refused for a taken alias and for a wrong CLABE', () => {
    // Assess
    expect([...samples.keys()]).toEqual(expect.arrayContaining(['beneficiary-add-request.json', 'beneficiary-add-request-duplicate-alias.json', 'beneficiary-add-request-invalid-clabe.json']));
  });
});
