/**
 * Purchase saga, ReserveInventory: takes the units at the total the customer approved and records
 * the purchase `reserved`, in one transaction, once per purchase id. A purchase that would now
 * cost anything else (a new price, a promotion that ended) is refused before the transaction
 * (PriceChangedError), so no stock is taken and nothing is charged. A retry (or another execution
 * of the same purchase) finds the purchase's guard and answers what was reserved first.
 */
import { retryOnContention } from '@centli/pure/contention';
import { ContentionError } from '@centli/pure/errors';
import { type TaskInputOf, type TaskOutputOf } from '@centli/schemas';
import type { PurchaseStore } from '../adapters/purchase-store';
import { planReservation, reservationOutput, type PurchaseGuard, type PurchaseRecord } from '../domain/purchase';
import { OutOfStockError, ProductNotFoundError } from '../errors';

export interface ReserveDeps {
  store: Pick<PurchaseStore, 'getGuard' | 'getPurchase' | 'getProduct' | 'getRetailer' | 'commitReservation'>;
  now: () => Date;
  /** How to wait between attempts after a conflict; real time unless a test says otherwise. */
  sleep?: (ms: number) => Promise<void>;
}

/** A reservation task ran for a purchase whose stock was already released: only a late, superseded invocation can. */
export class PurchaseAlreadyReleasedError extends Error {
  constructor(purchaseId: string) {
    super(`purchase ${purchaseId} was released; it cannot be reserved again`);
    this.name = 'PurchaseAlreadyReleasedError';
  }
}

function answer(record: PurchaseRecord): TaskOutputOf<'reserve-inventory'> {
  if (record.status === 'released') throw new PurchaseAlreadyReleasedError(record.purchase_id);
  return reservationOutput(record);
}

export async function reserveInventory(input: TaskInputOf<'reserve-inventory'>, deps: ReserveDeps): Promise<TaskOutputOf<'reserve-inventory'>> {
  const { purchase_id: purchaseId, started_at: startedAt, request } = input;
  /** What the purchase holds already, by its guard. */
  const stands = async (guard: PurchaseGuard): Promise<TaskOutputOf<'reserve-inventory'>> => {
    if (guard.status === 'released' || !guard.record_sk) throw new PurchaseAlreadyReleasedError(purchaseId);
    const record = await deps.store.getPurchase(request.user_id, guard.record_sk);
    if (!record) throw new ContentionError();
    return answer(record);
  };
  return retryOnContention(
    async () => {
      const guard = await deps.store.getGuard(request.user_id, purchaseId);
      if (guard) return stands(guard);
      const product = await deps.store.getProduct(request.product_id, request.retailer_id);
      const retailer = product && (await deps.store.getRetailer(request.retailer_id));
      if (!product || !retailer || product.status !== 'active') throw new ProductNotFoundError();
      if (product.stock < request.quantity) throw new OutOfStockError();
      const record = planReservation(purchaseId, startedAt, request, product, retailer, deps.now());
      const result = await deps.store.commitReservation(record);
      switch (result.status) {
        case 'committed':
          return reservationOutput(record);
        case 'served':
          return stands(result.first);
        case 'contention':
          throw new ContentionError();
        case 'refused': {
          const now = result.product;
          if (!now || now.status !== 'active') throw new ProductNotFoundError();
          if (now.stock < request.quantity) throw new OutOfStockError();
          // The price changed since it was read: read it again, and the approved total decides.
          throw new ContentionError();
        }
      }
    },
    { what: 'the product', sleep: deps.sleep },
  );
}
