/**
 * PURCHASE_STATUS_QUERY → PURCHASE_STATUS_RESPONSE: where one of the customer's purchases stands.
 * The saga's execution (named by the purchase id) is the source while Step Functions keeps it;
 * after that, the purchase's record. Another customer's purchase is answered as not found.
 */
import type { Answer } from '@centli/kit/event-handler';
import { outgoing } from '@centli/pure/events';
import type { PurchaseStatusQuery } from '@centli/schemas';
import { executionArn, type PurchaseSaga } from '../adapters/purchase-saga';
import type { PurchaseStore } from '../adapters/purchase-store';
import { executionBelongsTo, statusFromExecution, statusFromRecord } from '../domain/purchase-status';
import { PurchaseStatusNotFoundError } from '../errors';

export interface PurchaseStatusDeps {
  saga: Pick<PurchaseSaga, 'describe'>;
  store: Pick<PurchaseStore, 'getGuard' | 'getPurchase'>;
  stateMachineArn: () => string;
}

export async function getPurchaseStatus(query: PurchaseStatusQuery, deps: PurchaseStatusDeps): Promise<Answer> {
  const ids = { request_id: query.request_id, correlation_id: query.correlation_id, user_id: query.user_id };
  const execution = await deps.saga.describe(executionArn(deps.stateMachineArn(), query.purchase_id));
  if (execution) {
    if (!executionBelongsTo(execution, query.user_id)) throw new PurchaseStatusNotFoundError();
    return outgoing('PURCHASE_STATUS_RESPONSE', { ...ids, ...statusFromExecution(query.purchase_id, execution) });
  }
  const guard = await deps.store.getGuard(query.user_id, query.purchase_id);
  const record = guard?.record_sk ? await deps.store.getPurchase(query.user_id, guard.record_sk) : undefined;
  const status = guard ? statusFromRecord(query.purchase_id, record, guard.status === 'released') : undefined;
  if (!status) throw new PurchaseStatusNotFoundError();
  return outgoing('PURCHASE_STATUS_RESPONSE', { ...ids, ...status });
}
