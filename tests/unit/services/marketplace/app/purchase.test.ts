import type { Context } from 'aws-lambda';
import type { PurchaseRequest } from '@centli/schemas';
import { stateMachineArn } from '../../../../../services/marketplace/src/adapters/purchase-saga';
import { purchaseIdFor } from '../../../../../services/marketplace/src/domain/purchase';
import { startPurchase, type StartPurchaseDeps } from '../../../../../services/marketplace/src/app/purchase';

const request: PurchaseRequest = {
  request_id: 'req-1',
  correlation_id: 'corr-1',
  user_id: 'user-ana',
  product_id: 'prod-1',
  retailer_id: 'ret-1',
  quantity: 1,
  account_id: 'acc-ana',
  total: 999_900,
  currency: 'MXN',
  installments: 6,
  monthly_amount: 166_650,
};

describe('startPurchase', () => {
  const now = () => new Date('2026-11-26T18:00:00Z');
  const started = () => ({
    detailType: 'PURCHASE_STARTED',
    detail: { request_id: 'req-1', correlation_id: 'corr-1', user_id: 'user-ana', purchase_id: purchaseIdFor(request), started_at: '2026-11-26T18:00:00.000Z' },
  });

  it('starts the saga named by the purchase id, with the request, and answers the purchase id', async () => {
    const start = jest.fn(async () => ({ status: 'started' as const, executionArn: 'arn' }));
    const deps: StartPurchaseDeps = { saga: { start, describe: async () => undefined }, stateMachineArn: () => 'arn:aws:states:us-east-1:1:stateMachine:centli-purchase-test', now };

    await expect(startPurchase(request, deps)).resolves.toEqual(started());
    const id = purchaseIdFor(request);
    expect(start).toHaveBeenCalledWith('arn:aws:states:us-east-1:1:stateMachine:centli-purchase-test', id, { purchase_id: id, request, second_factor_at: null });
  });

  it('answers the same purchase id when the purchase already has an execution for this very request', async () => {
    const input = { purchase_id: purchaseIdFor(request), request: { ...request, correlation_id: 'corr-first-delivery' } };
    const deps: StartPurchaseDeps = { saga: { start: async () => ({ status: 'already-started' as const }), describe: async () => ({ status: 'SUCCEEDED', input, output: undefined }) }, stateMachineArn: () => 'arn:aws:states:us-east-1:1:stateMachine:m', now };

    await expect(startPurchase(request, deps)).resolves.toEqual(started());
  });

  it('refuses a request_id reused for another purchase, answering it rather than dropping it', async () => {
    const input = { purchase_id: purchaseIdFor(request), request: { ...request, product_id: 'prod-other' } };
    const deps: StartPurchaseDeps = { saga: { start: async () => ({ status: 'already-started' as const }), describe: async () => ({ status: 'RUNNING', input, output: undefined }) }, stateMachineArn: () => 'arn:aws:states:us-east-1:1:stateMachine:m', now };

    await expect(startPurchase(request, deps)).rejects.toMatchObject({ code: 'REQUEST.ID_REUSED', field: 'request_id' });
  });
});

describe('stateMachineArn', () => {
  it('takes partition, region and account from the running function', () => {
    const context = { invokedFunctionArn: 'arn:aws:lambda:mx-central-1:123456789012:function:centli-marketplace-dev-purchase' } as Context;
    expect(stateMachineArn(context.invokedFunctionArn, 'centli-purchase-dev')).toBe('arn:aws:states:mx-central-1:123456789012:stateMachine:centli-purchase-dev');
  });

  it('refuses something that is not a Lambda ARN', () => {
    expect(() => stateMachineArn('arn:aws:sqs:us-east-1:1:queue', 'x')).toThrow(/not a Lambda function ARN/);
  });
});
