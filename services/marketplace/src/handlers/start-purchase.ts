/**
 * PURCHASE_REQUEST → the purchase saga. EventBridge cannot name a Step Functions execution, so
 * this function sits between the rule and the state machine and starts the execution named by
 * the purchase id: a request delivered twice starts one execution. It answers PURCHASE_STARTED
 * with the purchase id (the MCP server follows the purchase by it), and the saga answers
 * PURCHASE_CONFIRMED or PURCHASE_FAILED; a request that fails its schema is answered here
 * (PURCHASE_FAILED, REQUEST.INVALID), before it is a purchase.
 */
import type { Context } from 'aws-lambda';
import { eventHandler, outgoing, type Answer, type BusEvent } from '@centli/kit';
import type { PurchaseRequest } from '@centli/schemas';
import { functionArnOf, PurchaseSaga, stateMachineArn } from '../adapters/purchase-saga';
import { sagaInput } from '../domain/purchase';

export interface StartPurchaseDeps {
  saga: Pick<PurchaseSaga, 'start'>;
  stateMachineArn: () => string;
  now?: () => Date;
}

/** The running function's ARN, which names the account and region of the state machine. */
let functionArn: string | undefined;

let defaults: StartPurchaseDeps | undefined;
const defaultDeps = (): StartPurchaseDeps =>
  (defaults ??= {
    saga: new PurchaseSaga(),
    stateMachineArn: () => {
      if (!functionArn) throw new Error('the function ARN is known only inside an invocation');
      return stateMachineArn(functionArn);
    },
  });

export async function startPurchase(request: PurchaseRequest, deps: StartPurchaseDeps = defaultDeps()): Promise<Answer> {
  const input = sagaInput(request);
  // Started now or before: either way the saga answers, once.
  await deps.saga.start(deps.stateMachineArn(), input.purchase_id, input);
  return outgoing('PURCHASE_STARTED', {
    request_id: request.request_id,
    correlation_id: request.correlation_id,
    user_id: request.user_id,
    purchase_id: input.purchase_id,
    started_at: (deps.now ?? (() => new Date()))().toISOString(),
  });
}

const consume = eventHandler(startPurchase, { service: 'marketplace', accepts: 'PURCHASE_REQUEST', failure: 'PURCHASE_FAILED' });

export const handler = (event: BusEvent, context: Context) => {
  functionArn = functionArnOf(context);
  return consume(event, context);
};
