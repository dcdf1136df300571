/**
 * PURCHASE_REQUEST → the purchase saga. EventBridge cannot name a Step Functions execution, so
 * this function sits between the rule and the state machine and starts the execution named by
 * the purchase id: a request delivered twice starts one execution. It answers PURCHASE_STARTED
 * with the purchase id (the MCP server follows the purchase by it), and the saga answers
 * PURCHASE_CONFIRMED or PURCHASE_FAILED; a request that fails its schema is answered here
 * (PURCHASE_FAILED, REQUEST.INVALID), before it is a purchase.
 */
import type { Answer } from '@centli/kit/event-handler';
import { startSaga } from '@centli/kit/state-machine';
import type { PurchaseRequest } from '@centli/schemas';
import type { PurchaseSaga } from '../adapters/purchase-saga';
import { sagaInput } from '../domain/purchase';

export interface StartPurchaseDeps {
  saga: Pick<PurchaseSaga, 'start' | 'describe'>;
  stateMachineArn: () => string;
  now?: () => Date;
}

export async function startPurchase(request: PurchaseRequest, deps: StartPurchaseDeps): Promise<Answer> {
  const input = sagaInput(request);
  const saga = { start: deps.saga.start.bind(deps.saga), inputOf: async (arn: string) => (await deps.saga.describe(arn))?.input };
  // The purchase id is the request_id's: the same id with another purchase is another request.
  return startSaga(request, saga, { machine: deps.stateMachineArn(), name: input.purchase_id, input }, { detailType: 'PURCHASE_STARTED', fields: { purchase_id: input.purchase_id }, now: deps.now });
}
