/**
 * PURCHASE_REQUEST → the purchase saga. EventBridge cannot name a Step Functions execution, so
 * this function sits between the rule and the state machine and starts the execution named by
 * the purchase id: a request delivered twice starts one execution. It answers PURCHASE_STARTED
 * with the purchase id (the MCP server follows the purchase by it), and the saga answers
 * PURCHASE_CONFIRMED or PURCHASE_FAILED; a request that fails its schema is answered here
 * (PURCHASE_FAILED, REQUEST.INVALID), before it is a purchase.
 */
import type { Answer } from '@centli/kit/event-handler';
import { outgoing } from '@centli/pure/events';
import { requestFingerprint } from '@centli/pure/canonical';
import { RequestIdReusedError } from '@centli/pure/errors';
import type { PurchaseRequest } from '@centli/schemas';
import { executionArn, type PurchaseSaga } from '../adapters/purchase-saga';
import { sagaInput } from '../domain/purchase';

export interface StartPurchaseDeps {
  saga: Pick<PurchaseSaga, 'start' | 'describe'>;
  stateMachineArn: () => string;
  now?: () => Date;
}

export async function startPurchase(request: PurchaseRequest, deps: StartPurchaseDeps): Promise<Answer> {
  const input = sagaInput(request);
  const machine = deps.stateMachineArn();
  // Started now or before: either way the saga answers, once.
  const started = await deps.saga.start(machine, input.purchase_id, input);
  if (started.status === 'already-started') {
    // The purchase id is the request_id's: the same id with another purchase is another request.
    const execution = await deps.saga.describe(executionArn(machine, input.purchase_id));
    const first = execution?.input as { request?: Record<string, unknown> } | undefined;
    if (first?.request && requestFingerprint(first.request) !== requestFingerprint(request as unknown as Record<string, unknown>)) throw new RequestIdReusedError();
  }
  return outgoing('PURCHASE_STARTED', {
    request_id: request.request_id,
    correlation_id: request.correlation_id,
    user_id: request.user_id,
    purchase_id: input.purchase_id,
    started_at: (deps.now ?? (() => new Date()))().toISOString(),
  });
}
