import { decodeCursor, encodeCursor } from '../../../../../services/crm/src/domain/pages';

describe('beneficiary cursors', () => {
  const lastKey = { user_id: 'user-ana', beneficiary_id: 'ben_ana_juan' };

  it('round-trips the last key of a page', () => {
    expect(decodeCursor('user-ana', encodeCursor('user-ana', lastKey))).toEqual(lastKey);
  });

  it('has no cursor when there is no further page', () => {
    expect(encodeCursor('user-ana', undefined)).toBeUndefined();
    expect(decodeCursor('user-ana', undefined)).toBeUndefined();
  });

  it('refuses a cursor replayed by another customer', () => {
    expect(() => decodeCursor('user-sofia', encodeCursor('user-ana', lastKey))).toThrow(expect.objectContaining({ code: 'BENEFICIARIES.INVALID_CURSOR', field: 'cursor' }));
  });

  it.each([
    ['not base64 JSON', 'not-a-cursor'],
    ['pointing into another customer’s partition', Buffer.from(JSON.stringify({ u: 'user-ana', k: { user_id: 'user-sofia', beneficiary_id: 'ben_sofia_ana' } })).toString('base64url')],
    ['pointing at a helper item', Buffer.from(JSON.stringify({ u: 'user-ana', k: { user_id: 'user-ana', beneficiary_id: 'request#r1' } })).toString('base64url')],
    ['without a key', Buffer.from(JSON.stringify({ u: 'user-ana' })).toString('base64url')],
  ])('refuses a forged cursor %s', (_, cursor) => {
    expect(() => decodeCursor('user-ana', cursor)).toThrow(expect.objectContaining({ code: 'BENEFICIARIES.INVALID_CURSOR' }));
  });
});
