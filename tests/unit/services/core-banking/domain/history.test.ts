import { decodeHistoryCursor as decodeCursor, encodeHistoryCursor as encodeCursor, sortKeyRange } from '../../../../../services/core-banking/src/domain/history';

describe('cursors', () => {
  const byUser = { by: 'user' as const, key: 'user-ana' };
  const lastKey = { user_id: 'user-ana', account_id: 'acc-ana-nomina-4821', sk: '2026-11-22T16:00:00.000Z#txn_1' };

  it('round-trips the last key of a page', () => {
    expect(decodeCursor(byUser, encodeCursor(byUser, lastKey), 'user-ana')).toEqual(lastKey);
  });

  it('has no cursor when there is no further page', () => {
    expect(encodeCursor(byUser, undefined)).toBeUndefined();
  });

  it.each([
    ['another customer’s history', { by: 'user' as const, key: 'user-luis' }, 'user-luis'],
    ['one account’s history', { by: 'account' as const, key: 'acc-ana-nomina-4821' }, 'user-ana'],
  ])('refuses a cursor replayed against %s', (_, scope, owner) => {
    expect(() => decodeCursor(scope, encodeCursor(byUser, lastKey), owner)).toThrow(expect.objectContaining({ code: 'TRANSACTIONS.INVALID_CURSOR' }));
  });

  it.each(['not-base64-json', Buffer.from('{"s":"user:user-ana","k":{"user_id":"user-luis"}}').toString('base64url')])(
    'refuses a forged cursor %s',
    (cursor) => {
      expect(() => decodeCursor(byUser, cursor, 'user-ana')).toThrow(expect.objectContaining({ code: 'TRANSACTIONS.INVALID_CURSOR' }));
    },
  );
});

describe('sortKeyRange', () => {
  it('includes the whole of the last instant', () => {
    expect(sortKeyRange('2026-11-01T00:00:00Z', '2026-11-30T23:59:59Z')).toEqual({
      lower: '2026-11-01T00:00:00.000Z',
      upper: '2026-11-30T23:59:59.000Z~',
    });
  });

  it('refuses a range that ends before it starts', () => {
    expect(() => sortKeyRange('2026-12-01T00:00:00Z', '2026-11-01T00:00:00Z')).toThrow(expect.objectContaining({ code: 'TRANSACTIONS.INVALID_RANGE' }));
  });
});
