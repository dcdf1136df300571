import { TransientError } from '@centli/pure/errors';
import { type TaskInputOf } from '@centli/schemas';
import type { ReleaseResult } from '../../../../../services/marketplace/src/adapters/purchase-store';
import type { PurchaseGuard, PurchaseRecord } from '../../../../../services/marketplace/src/domain/purchase';
import { releaseInventory, type ReleaseDeps } from '../../../../../services/marketplace/src/app/release-inventory';

const input: TaskInputOf<'release-inventory'> = { purchase_id: 'pur_1', correlation_id: 'corr-1', user_id: 'user-ana' };
const guard: PurchaseGuard = { user_id: 'user-ana', sk: 'purchase#pur_1', record_sk: '2026-11-22T16:00:00.000Z#pur_1', created_at: 'x' };
const record = (status: PurchaseRecord['status'], extra: Partial<PurchaseRecord> = {}) =>
  ({ user_id: 'user-ana', sk: '2026-11-22T16:00:00.000Z#pur_1', purchase_id: 'pur_1', status, product_id: 'prod-1', retailer_id: 'ret-1', quantity: 2, ...extra }) as PurchaseRecord;

function deps(records: (PurchaseRecord | undefined)[], results: ReleaseResult[] = [], guards: (PurchaseGuard | undefined)[] = records.map(() => guard), written: boolean[] = []) {
  const store = {
    getGuard: jest.fn(async () => guards.shift()),
    getPurchase: jest.fn(async () => records.shift()),
    putReleasedGuard: jest.fn(async (_guard: PurchaseGuard) => written.shift() ?? true),
    commitRelease: jest.fn(async () => results.shift() ?? { status: 'committed' as const }),
  };
  const d: ReleaseDeps = { store, now: () => new Date('2026-11-22T16:00:05Z'), sleep: async () => undefined };
  return { d, store };
}

describe('releaseInventory', () => {
  it.each(['reserved', 'confirmed'] as const)('gives back the units of a %s purchase', async (status) => {
    const { d, store } = deps([record(status)]);

    await expect(releaseInventory(input, d)).resolves.toEqual({ purchase_id: 'pur_1', released_quantity: 2 });
    expect(store.commitRelease).toHaveBeenCalledWith(record(status), status, '2026-11-22T16:00:05.000Z');
  });

  it('leaves a released guard where nothing was reserved, so a late reservation cannot land', async () => {
    const { d, store } = deps([], [], [undefined]);

    await expect(releaseInventory(input, d)).resolves.toEqual({ purchase_id: 'pur_1', released_quantity: 0 });
    expect(store.putReleasedGuard).toHaveBeenCalledWith({ user_id: 'user-ana', sk: 'purchase#pur_1', status: 'released', created_at: '2026-11-22T16:00:05.000Z' });
  });

  it('answers a repeat after releasing nothing with nothing', async () => {
    const { d, store } = deps([], [], [{ user_id: 'user-ana', sk: 'purchase#pur_1', status: 'released', created_at: 'x' }]);

    await expect(releaseInventory(input, d)).resolves.toEqual({ purchase_id: 'pur_1', released_quantity: 0 });
    expect(store.putReleasedGuard).not.toHaveBeenCalled();
  });

  it('releases a reservation that landed while it was writing the guard', async () => {
    const { d, store } = deps([record('reserved')], [], [undefined, guard], [false]);

    await expect(releaseInventory(input, d)).resolves.toEqual({ purchase_id: 'pur_1', released_quantity: 2 });
    expect(store.commitRelease).toHaveBeenCalledTimes(1);
  });

  it('answers a repeat with what the first release gave back, and writes nothing', async () => {
    const { d, store } = deps([record('released', { released_quantity: 2 })]);

    await expect(releaseInventory(input, d)).resolves.toEqual({ purchase_id: 'pur_1', released_quantity: 2 });
    expect(store.commitRelease).not.toHaveBeenCalled();
    expect(store.putReleasedGuard).not.toHaveBeenCalled();
  });

  it('reads again when the record changed under it, and gives up with TransientError after ten tries', async () => {
    const { d } = deps(
      Array.from({ length: 10 }, () => record('reserved')),
      Array.from({ length: 10 }, () => ({ status: 'changed' as const })),
    );

    await expect(releaseInventory(input, d)).rejects.toThrow(TransientError);
  });
});
