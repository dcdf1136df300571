import type { PurchaseConfirmed, PurchaseStatusQuery } from '@centli/schemas';
import { executionArn } from '../../../../../services/marketplace/src/adapters/purchase-saga';
import type { SagaExecution } from '../../../../../services/marketplace/src/domain/purchase-status';
import type { PurchaseGuard, PurchaseRecord } from '../../../../../services/marketplace/src/domain/purchase';
import { getPurchaseStatus, type PurchaseStatusDeps } from '../../../../../services/marketplace/src/app/get-purchase-status';

const query: PurchaseStatusQuery = { request_id: 'req-s', correlation_id: 'corr-s', user_id: 'user-ana', purchase_id: 'pur_1' };
const machine = 'arn:aws:states:us-east-1:1:stateMachine:centli-purchase-test';
const ids = { request_id: 'req-s', correlation_id: 'corr-s', user_id: 'user-ana' };
const confirmed: PurchaseConfirmed = {
  request_id: 'req-1',
  correlation_id: 'corr-1',
  user_id: 'user-ana',
  purchase_id: 'pur_1',
  product_id: 'prod-1',
  retailer_id: 'ret-1',
  product_name: 'Laptop',
  quantity: 1,
  unit_price: 1000000,
  discount: 0,
  total: 1000000,
  currency: 'MXN',
  formatted_total: '$10,000.00 MXN',
  cashback: 0,
  account_id: 'acc-ana',
  transaction_id: 'txn_1',
  confirmed_at: '2026-11-26T18:00:00.000Z',
};

function deps(execution: SagaExecution | undefined, guard?: PurchaseGuard, record?: PurchaseRecord): PurchaseStatusDeps & { described: string[] } {
  const described: string[] = [];
  return {
    described,
    saga: { describe: async (arn) => (described.push(arn), execution) },
    store: { getGuard: async () => guard, getPurchase: async () => record },
    stateMachineArn: () => machine,
  };
}

describe('getPurchaseStatus', () => {
  const input = { purchase_id: 'pur_1', request: { user_id: 'user-ana' } };

  it('reads the execution named by the purchase id', async () => {
    const d = deps({ status: 'RUNNING', input, output: undefined });
    await expect(getPurchaseStatus(query, d)).resolves.toEqual({ detailType: 'PURCHASE_STATUS_RESPONSE', detail: { ...ids, purchase_id: 'pur_1', status: 'pending' } });
    expect(d.described).toEqual([executionArn(machine, 'pur_1')]);
    expect(d.described[0]).toBe('arn:aws:states:us-east-1:1:execution:centli-purchase-test:pur_1');
  });

  it('answers a confirmed purchase with what was charged', async () => {
    const answer = await getPurchaseStatus(query, deps({ status: 'SUCCEEDED', input, output: { ConfirmPurchaseResult: { detail: confirmed } } }));
    expect(answer).toMatchObject({ detail: { status: 'confirmed', total: 1000000, formatted_total: '$10,000.00 MXN', transaction_id: 'txn_1', product_name: 'Laptop' } });
  });

  it('answers an undone purchase with the reason the saga gave', async () => {
    const answer = await getPurchaseStatus(query, deps({ status: 'SUCCEEDED', input, output: { failure: { reason: 'PAYMENT.INSUFFICIENT_FUNDS', message: 'Not enough funds.' } } }));
    expect(answer).toMatchObject({ detail: { status: 'failed', reason: 'PAYMENT.INSUFFICIENT_FUNDS', message: 'Not enough funds.' } });
  });

  it('answers another customer’s purchase as not found', async () => {
    await expect(getPurchaseStatus(query, deps({ status: 'SUCCEEDED', input: { request: { user_id: 'user-luis' } }, output: undefined }))).rejects.toMatchObject({ code: 'PURCHASE.NOT_FOUND' });
  });

  it('falls back to the record once the execution is gone', async () => {
    const guard: PurchaseGuard = { user_id: 'user-ana', sk: 'purchase#pur_1', record_sk: '2026#pur_1', created_at: '2026' };
    const released = await getPurchaseStatus(query, deps(undefined, { ...guard, record_sk: undefined, status: 'released' }));
    expect(released).toMatchObject({ detail: { status: 'failed', reason: 'PURCHASE.FAILED' } });
    await expect(getPurchaseStatus(query, deps(undefined, undefined))).rejects.toMatchObject({ code: 'PURCHASE.NOT_FOUND' });
  });
});
