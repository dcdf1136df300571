/**
 * Where a purchase stands, from the saga's own execution (its status, its input, and the
 * PURCHASE_CONFIRMED or PURCHASE_FAILED detail its output ends with), or, once Step Functions no
 * longer keeps the execution, from the purchase's record.
 */
import type { PurchaseConfirmed, PurchaseStatusResponse } from '@centli/schemas';
import type { PurchaseRecord } from './purchase';
import { confirmedDetail } from './purchase';

/** An execution of the purchase saga, as DescribeExecution reports it. */
export interface SagaExecution {
  status: 'RUNNING' | 'SUCCEEDED' | 'FAILED' | 'TIMED_OUT' | 'ABORTED' | 'PENDING_REDRIVE' | string;
  /** The execution input: `{ purchase_id, request }`. */
  input: { request?: { user_id?: unknown } } | undefined;
  /** The final state: `ConfirmPurchaseResult.detail` on success, `failure` when it was undone. */
  output: { ConfirmPurchaseResult?: { detail?: PurchaseConfirmed }; failure?: { reason?: string; message?: string } } | undefined;
  stoppedAt?: string;
}

type Status = Omit<PurchaseStatusResponse, 'request_id' | 'correlation_id' | 'user_id'>;

/** Whether the execution is this customer's purchase: its request names them. */
export function executionBelongsTo(execution: SagaExecution, userId: string): boolean {
  return execution.input?.request?.user_id === userId;
}

export function statusFromExecution(purchaseId: string, execution: SagaExecution): Status {
  const confirmed = execution.output?.ConfirmPurchaseResult?.detail;
  const failure = execution.output?.failure;
  if (execution.status === 'SUCCEEDED' && failure) {
    return { purchase_id: purchaseId, status: 'failed', reason: failure.reason ?? 'PURCHASE.FAILED', message: failure.message ?? 'The purchase did not go through.', ...(execution.stoppedAt ? { updated_at: execution.stoppedAt } : {}) };
  }
  if (execution.status === 'SUCCEEDED' && confirmed) return fromConfirmed(confirmed);
  // Running, or stopped in a compensation that gave up (an incident the alarms page for): not settled yet.
  return { purchase_id: purchaseId, status: 'pending' };
}

export function statusFromRecord(purchaseId: string, record: PurchaseRecord | undefined, released: boolean): Status | undefined {
  if (record?.status === 'confirmed') return fromConfirmed(confirmedDetail(record));
  if (record?.status === 'released' || released) return { purchase_id: purchaseId, status: 'failed', reason: 'PURCHASE.FAILED', message: 'The purchase did not go through; nothing was charged or reserved.' };
  if (record?.status === 'reserved') return { purchase_id: purchaseId, status: 'pending' };
  return undefined;
}

function fromConfirmed(detail: PurchaseConfirmed): Status {
  return {
    purchase_id: detail.purchase_id,
    status: 'confirmed',
    product_id: detail.product_id,
    retailer_id: detail.retailer_id,
    product_name: detail.product_name,
    quantity: detail.quantity,
    total: detail.total,
    currency: detail.currency,
    formatted_total: detail.formatted_total,
    ...(detail.installments ? { installments: detail.installments } : {}),
    transaction_id: detail.transaction_id,
    updated_at: detail.confirmed_at,
  };
}
