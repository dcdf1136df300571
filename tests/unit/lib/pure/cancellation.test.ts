import { cancelledByContention, readCancellation, type ItemRole } from '@centli/pure/cancellation';

const none = { Code: 'None' };
const failed = { Code: 'ConditionalCheckFailed' };

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

describe('readCancellation', () => {
  /** A money movement's items: debit, credit, two ledger entries (no role of their own), the outcome, the day's counter. */
  const roles: readonly ItemRole<'source' | 'destination' | 'daily'>[] = ['source', 'destination', undefined, undefined, 'outcome', 'daily'];

  it('reads a failed outcome item as a request served already, whatever else failed with it', () => {
    // Act, Assess
    expect(readCancellation([none, none, none, none, failed, none], roles)).toEqual({ status: 'served' });
    expect(readCancellation([failed, failed, none, none, failed, failed], roles)).toEqual({ status: 'served' });
    expect(readCancellation([{ Code: 'TransactionConflict' }, none, none, none, failed, none], roles)).toEqual({ status: 'served' });
  });

  it('reads any item of several that only the request writes as served', () => {
    // Prepare: a card change, its outcome and the replacement it opens.
    const card: readonly ItemRole<'card'>[] = ['card', 'outcome', 'outcome'];

    // Act, Assess
    expect(readCancellation([failed, none, failed], card)).toEqual({ status: 'served' });
  });

  it.each(['TransactionConflict', 'ThrottlingError', 'ProvisionedThroughputExceeded', 'RequestLimitExceeded'])('reads %s on any item as contention, worth the same attempt again', (code) => {
    // Act, Assess
    expect(readCancellation([none, { Code: code }, none, none, none, none], roles)).toEqual({ status: 'contention' });
    expect(readCancellation([failed, none, none, none, none, { Code: code }], roles)).toEqual({ status: 'contention' });
  });

  it('names each condition that failed, with the item as it was when it refused', () => {
    // Prepare
    const account: Record<string, unknown> = { user_id: 'user-ana', account_id: 'acc-1', balance: 5 };

    // Act
    const reading = readCancellation([{ ...failed, Item: account }, failed, none, none, none, { ...failed, Item: { debited: 7 } }], roles);

    // Assess: the destination refused with no item: it was not there.
    expect(reading).toEqual({ status: 'refused', failed: { source: { item: account }, destination: {}, daily: { item: { debited: 7 } } } });
  });

  it('refuses to guess when no named item explains the cancellation', () => {
    // Act, Assess: a ledger entry alone, or a validation error.
    expect(() => readCancellation([none, none, failed, none, none, none], roles, 'a transfer')).toThrow(/a transfer was cancelled for an unexpected reason: None, None, ConditionalCheckFailed/);
    expect(() => readCancellation([{ Code: 'ValidationError' }], roles)).toThrow(/unexpected reason: ValidationError/);
    expect(() => readCancellation([], roles)).toThrow(/unexpected reason/);
  });

  it('reads the reasons the local stack’s chaos mode gives a throttled transaction as contention', () => {
    // Act, Assess: local/dynamodb-proxy.ts throttles the first item and reports None for the rest.
    expect(readCancellation([{ Code: 'ThrottlingError' }, none, none, none, none, none], roles)).toEqual({ status: 'contention' });
  });
});
