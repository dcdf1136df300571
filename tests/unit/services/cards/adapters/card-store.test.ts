import { marshall } from '@aws-sdk/util-dynamodb';
import { readCancellation } from '../../../../../services/cards/src/adapters/card-store';
import { card } from '../fakes';

describe('readCancellation', () => {
  const none = { Code: 'None' };
  const failed = { Code: 'ConditionalCheckFailed' };

  it('reads a request seen before first: the card changed because of it', () => {
    expect(readCancellation([failed, failed])).toEqual({ status: 'duplicate' });
    expect(readCancellation([none, failed, failed])).toEqual({ status: 'duplicate' });
    expect(readCancellation([failed, none, failed])).toEqual({ status: 'duplicate' });
  });

  it('reads a card no longer as it was read, with the card as it then was', () => {
    const now = card({ card_id: 'card-1', status: 'locked' });
    expect(readCancellation([{ ...failed, Item: marshall(now) }, none, none])).toEqual({ status: 'stale', card: now });
  });

  it('reads a card that is not there at all', () => {
    expect(readCancellation([failed, none])).toEqual({ status: 'stale' });
  });

  it('reads a conflict with another transaction as worth retrying', () => {
    expect(readCancellation([{ Code: 'TransactionConflict' }, none])).toEqual({ status: 'conflict' });
  });

  it('refuses to guess at anything else', () => {
    expect(() => readCancellation([{ Code: 'ValidationError' }, none])).toThrow(/unexpected reason/);
  });
});
