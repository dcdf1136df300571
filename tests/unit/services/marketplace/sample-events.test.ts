/** The samples in services/marketplace/events are what `sls invoke local` sends: they must be valid. */
import { taskValidator } from '@centli/schemas';
import { describeSampleEvents } from '../sample-events';

const samples = new Map(describeSampleEvents('marketplace'));

describe('the marketplace samples', () => {
  it('have a valid input for the reserve-inventory task', () => {
    // Assess
    expect(taskValidator('reserve-inventory', 'input')(samples.get('reserve-inventory.json'))).toBeUndefined();
  });
});
