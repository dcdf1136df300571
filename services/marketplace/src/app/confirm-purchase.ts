/**
 * Purchase saga, ConfirmPurchase: marks the reserved, paid purchase `confirmed` with its charge
 * and plan, and answers the PURCHASE_CONFIRMED detail the state machine publishes. A retry
 * finds it confirmed with the same charge and answers the same detail.
 */
import { type TaskInputOf, type TaskOutputOf } from '@centli/schemas';
import type { PurchaseStore } from '../adapters/purchase-store';
import { confirmedDetail } from '../domain/purchase';

export interface ConfirmDeps {
  store: Pick<PurchaseStore, 'getGuard' | 'confirm'>;
  now: () => Date;
}

/** The purchase is not reserved: the saga confirms only what it reserved and charged, so this is a bug or a superseded attempt. */
export class PurchaseNotReservedError extends Error {
  constructor(purchaseId: string, status: string) {
    super(`purchase ${purchaseId} is ${status}, not reserved; it cannot be confirmed`);
    this.name = 'PurchaseNotReservedError';
  }
}

export async function confirmPurchase(input: TaskInputOf<'confirm-purchase'>, deps: ConfirmDeps): Promise<TaskOutputOf<'confirm-purchase'>> {
  const guard = await deps.store.getGuard(input.user_id, input.purchase_id);
  if (!guard?.record_sk) throw new PurchaseNotReservedError(input.purchase_id, guard ? 'released' : 'missing');
  const result = await deps.store.confirm(input.user_id, guard.record_sk, input.transaction_id, deps.now().toISOString());
  if (result.status === 'confirmed') return { purchase_id: input.purchase_id, detail: confirmedDetail(result.record) };
  const record = result.record;
  if (record?.status === 'confirmed' && record.transaction_id === input.transaction_id) return { purchase_id: input.purchase_id, detail: confirmedDetail(record) };
  throw new PurchaseNotReservedError(input.purchase_id, record?.status ?? 'missing');
}
