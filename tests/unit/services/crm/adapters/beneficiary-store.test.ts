import { readCancellation } from '../../../../../services/crm/src/adapters/beneficiary-store';

describe('readCancellation', () => {
  const none = { Code: 'None' };
  const failed = { Code: 'ConditionalCheckFailed' };

  it('reads a request seen before first: its beneficiary and alias are its own', () => {
    expect(readCancellation([failed, failed, failed])).toEqual({ status: 'duplicate_request' });
  });

  it('reads a taken alias', () => {
    expect(readCancellation([none, failed, none])).toEqual({ status: 'duplicate_alias' });
  });

  it('reads a conflict with another transaction as worth retrying', () => {
    expect(readCancellation([{ Code: 'TransactionConflict' }, none, none])).toEqual({ status: 'conflict' });
  });

  it('refuses to guess at anything else', () => {
    expect(() => readCancellation([failed, none, none])).toThrow(/unexpected reason/);
  });
});
