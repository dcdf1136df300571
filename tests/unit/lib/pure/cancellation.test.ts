import { cancelledByContention } from '@centli/pure/cancellation';
import { readCancellation } from '../../../../services/core-banking/src/adapters/ledger-store';

describe('cancelledByContention', () => {
  it.each([
    ['another transaction held an item', [{ Code: 'None' }, { Code: 'TransactionConflict' }], true],
    ['DynamoDB throttled an item', [{ Code: 'ThrottlingError' }, { Code: 'None' }], true],
    ['an item went over its provisioned throughput', [{ Code: 'None' }, { Code: 'ProvisionedThroughputExceeded' }], true],
    ['the account asked for more than its request limit', [{ Code: 'RequestLimitExceeded' }], true],
    ['a condition failed', [{ Code: 'ConditionalCheckFailed' }, { Code: 'None' }], false],
    ['a validation error', [{ Code: 'ValidationError' }], false],
  ])('says %s is %s', (_name, reasons, expected) => {
    expect(cancelledByContention(reasons)).toBe(expected);
  });
});

describe('a transfer cancelled by throttling', () => {
  it('is contention to retry, not an unexpected error', () => {
    expect(readCancellation([{ Code: 'None' }, { Code: 'ThrottlingError' }, { Code: 'None' }, { Code: 'None' }, { Code: 'None' }, { Code: 'None' }])).toEqual({ status: 'conflict' });
  });
});
