/**
 * Purchase saga compensation, ReleaseInventory: gives back whatever stock the purchase holds
 * and marks it `released`. Where nothing was reserved it leaves a `released` guard, so a
 * reservation that arrives late (a timed-out attempt finishing after all) cannot take stock
 * that nobody will give back. Repeating it changes nothing.
 */
import { retryOnContention } from '@centli/pure/contention';
import { ContentionError } from '@centli/pure/errors';
import { type TaskInputOf, type TaskOutputOf } from '@centli/schemas';
import type { PurchaseStore } from '../adapters/purchase-store';
import { releasedGuard } from '../domain/purchase';

export interface ReleaseDeps {
  store: Pick<PurchaseStore, 'getGuard' | 'getPurchase' | 'putReleasedGuard' | 'commitRelease'>;
  now: () => Date;
  sleep?: (ms: number) => Promise<void>;
}

export async function releaseInventory(input: TaskInputOf<'release-inventory'>, deps: ReleaseDeps): Promise<TaskOutputOf<'release-inventory'>> {
  const { purchase_id: purchaseId, user_id: userId } = input;
  return retryOnContention(
    async () => {
      const guard = await deps.store.getGuard(userId, purchaseId);
      if (!guard) {
        if (await deps.store.putReleasedGuard(releasedGuard(userId, purchaseId, deps.now()))) return { purchase_id: purchaseId, released_quantity: 0 };
        throw new ContentionError();
      }
      if (guard.status === 'released' || !guard.record_sk) return { purchase_id: purchaseId, released_quantity: 0 };
      const record = await deps.store.getPurchase(userId, guard.record_sk);
      if (!record) throw new ContentionError();
      if (record.status === 'released') return { purchase_id: purchaseId, released_quantity: record.released_quantity ?? 0 };
      const result = await deps.store.commitRelease(record, record.status, deps.now().toISOString());
      if (result.status === 'committed') return { purchase_id: purchaseId, released_quantity: record.quantity };
      throw new ContentionError();
    },
    { what: 'the purchase', sleep: deps.sleep },
  );
}
