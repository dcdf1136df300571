import { assertPublishable } from '@centli/kit/publisher';
import { type OutgoingEvent } from '@centli/pure/events';
import type { BeneficiaryItem } from '../../../../../services/crm/src/domain/beneficiary';
import type { PageKey } from '../../../../../services/crm/src/domain/pages';
import { listBeneficiaries, type ListBeneficiariesDeps } from '../../../../../services/crm/src/app/get-beneficiaries';

const items: BeneficiaryItem[] = ['a', 'b', 'c'].map((n) => ({
  user_id: 'user-ana',
  beneficiary_id: `ben_${n}`,
  name: `Persona ${n.toUpperCase()}`,
  alias: n,
  alias_lower: n,
  account_id: `acc-${n}`,
  request_id: `req-${n}`,
  created_at: '2026-11-22T16:00:00Z',
}));

/** Pages by beneficiary_id like the table's sort key, and says there is more only when there is. */
function fakeStore(): ListBeneficiariesDeps['store'] & { listPage: jest.Mock } {
  return {
    listPage: jest.fn(async (_userId: string, limit: number, start?: PageKey) => {
      const from = start ? items.findIndex((i) => i.beneficiary_id === start.beneficiary_id) + 1 : 0;
      const page = items.slice(from, from + limit);
      const last = page[page.length - 1];
      return { items: page, ...(from + limit < items.length && last ? { lastKey: { user_id: last.user_id, beneficiary_id: last.beneficiary_id } } : {}) };
    }),
  };
}

const query = { request_id: 'req-1', correlation_id: 'corr-1', user_id: 'user-ana' };

describe('listBeneficiaries', () => {
  it('pages through the customer’s beneficiaries with an opaque cursor, showing only what the customer should see', async () => {
    const store = fakeStore();

    const first = (await listBeneficiaries({ ...query, limit: 2 }, { store })) as OutgoingEvent<'BENEFICIARIES_RESPONSE'>;
    const second = (await listBeneficiaries({ ...query, limit: 2, cursor: first.detail.next_cursor as string }, { store })) as OutgoingEvent<'BENEFICIARIES_RESPONSE'>;

    expect(first.detail.beneficiaries).toEqual([
      { beneficiary_id: 'ben_a', name: 'Persona A', alias: 'a', account_id: 'acc-a', added_at: '2026-11-22T16:00:00Z' },
      { beneficiary_id: 'ben_b', name: 'Persona B', alias: 'b', account_id: 'acc-b', added_at: '2026-11-22T16:00:00Z' },
    ]);
    expect(second.detail.beneficiaries.map((b) => b.beneficiary_id)).toEqual(['ben_c']);
    expect(second.detail.next_cursor).toBeUndefined();
    expect(() => assertPublishable(first)).not.toThrow();
  });

  it('reads 20 at a time unless told otherwise', async () => {
    const store = fakeStore();

    await listBeneficiaries(query, { store });

    expect(store.listPage).toHaveBeenCalledWith('user-ana', 20, undefined);
  });

  it('refuses another customer’s cursor without reading anything', async () => {
    const store = fakeStore();
    const anas = (await listBeneficiaries({ ...query, limit: 1 }, { store })) as OutgoingEvent<'BENEFICIARIES_RESPONSE'>;
    store.listPage.mockClear();

    await expect(listBeneficiaries({ ...query, user_id: 'user-sofia', cursor: anas.detail.next_cursor as string }, { store })).rejects.toMatchObject({
      code: 'BENEFICIARIES.INVALID_CURSOR',
    });
    expect(store.listPage).not.toHaveBeenCalled();
  });
});
