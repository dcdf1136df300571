/**
 * The purchase saga end to end through the local stack: PURCHASE_REQUEST on the bus, the
 * purchase function, the Step Functions API the stack serves, sagas/purchase.asl.yml run by
 * the local runner with the real task handlers against DynamoDB Local, and PURCHASE_CONFIRMED or
 * PURCHASE_FAILED back on the bus. Each test opens its own shop and customers.
 */
import { PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { detailValidator, type PurchaseRequest } from '@centli/schemas';
import type { ExecutionHistory } from '../../../local/saga';
import { purchaseIdFor } from '../../../services/marketplace/src/domain/purchase';
import { answers, answerTo, balancesOf, closeClients, createAccounts, documents, eventsFor, getJson, ledgerOf, putRequests, runId, table, type BusEvent, type TestAccount } from '../support';
import { guardOf, openShop, paymentRecordOf, purchaseRecordOf, purchaseRequest, stockOf, sum, type Shop } from './support';

const RESULTS = ['PURCHASE_CONFIRMED', 'PURCHASE_FAILED'];

afterAll(closeClients);

const history = (request: Pick<PurchaseRequest, 'user_id' | 'request_id'>) => getJson<ExecutionHistory>(`/executions/${purchaseIdFor(request)}`);

async function waitForExecution(request: Pick<PurchaseRequest, 'user_id' | 'request_id'>): Promise<ExecutionHistory> {
  const deadline = Date.now() + 60_000;
  for (;;) {
    const found = await history(request).catch(() => undefined);
    if (found && found.status !== 'RUNNING') return found;
    if (Date.now() > deadline) throw new Error(`execution ${purchaseIdFor(request)} did not finish`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

describe('a purchase', () => {
  it('reserves the stock, charges the customer once into the retailer’s settlement account, confirms with the MSI plan and publishes PURCHASE_CONFIRMED', async () => {
    const run = runId();
    const shop = await openShop(run, { stock: 3, price: 1_499_900 });
    const ana: TestAccount = { user_id: `user-${run}-ana`, account_id: `acc-${run}-ana`, balance: 2_000_000 };
    await createAccounts([ana]);
    // Above the default MTU (MXN 12,750.00): approved with a second factor a moment ago.
    const request = { ...purchaseRequest(run, shop, ana, { installments: 6 }), second_factor_at: new Date().toISOString() };

    await putRequests([{ detailType: 'PURCHASE_REQUEST', detail: request }]);
    const answer = await answerTo(request.correlation_id, RESULTS, 60_000);

    expect(answer['detail-type']).toBe('PURCHASE_CONFIRMED');
    expect(answer.source).toBe('centli.marketplace');
    expect(detailValidator('PURCHASE_CONFIRMED')(answer.detail)).toBeUndefined();
    expect(answer.detail).toMatchObject({ purchase_id: purchaseIdFor(request), total: 1_499_900, installments: { months: 6, total: 1_499_900 } });
    const schedule = (answer.detail.installments as { schedule: number[] }).schedule;
    expect(sum(schedule)).toBe(1_499_900);

    expect(await stockOf(shop.product)).toBe(2);
    expect(await balancesOf([ana, shop.settlement])).toEqual(new Map([[ana.account_id, 500_100], [shop.settlement.account_id, 1_499_900]]));
    const ledger = await ledgerOf([ana.account_id, shop.settlement.account_id]);
    expect(ledger.map((r) => [r.account_id, r.direction, r.amount, r.transaction_id]).sort()).toEqual(
      [
        [ana.account_id, 'debit', 1_499_900, answer.detail.transaction_id],
        [shop.settlement.account_id, 'credit', 1_499_900, answer.detail.transaction_id],
      ].sort(),
    );
    expect(await purchaseRecordOf(request)).toMatchObject({ status: 'confirmed', transaction_id: answer.detail.transaction_id, installments: { months: 6 } });

    const trace = await waitForExecution(request);
    expect(trace.status).toBe('SUCCEEDED');
    expect(trace.states.map((s) => s.name)).toEqual(['ReserveInventory', 'ChargePayment', 'ConfirmPurchase', 'PublishConfirmed', 'Confirmed']);
    expect(trace.states[1]?.attempts[0]).toMatchObject({ function: 'centli-core-banking-local-charge-payment', output: { transaction_id: answer.detail.transaction_id } });
    expect(trace.contractViolations).toEqual([]);
  });

  it('fails with PURCHASE.OUT_OF_STOCK when there are fewer units than asked for, and touches nothing', async () => {
    const run = runId();
    const shop = await openShop(run, { stock: 1, price: 100_000 });
    const ana: TestAccount = { user_id: `user-${run}-ana`, account_id: `acc-${run}-ana`, balance: 1_000_000 };
    await createAccounts([ana]);
    const request = purchaseRequest(run, shop, ana, { quantity: 2 });

    await putRequests([{ detailType: 'PURCHASE_REQUEST', detail: request }]);
    const answer = await answerTo(request.correlation_id, RESULTS, 60_000);

    expect(answer['detail-type']).toBe('PURCHASE_FAILED');
    expect(answer.detail).toEqual({
      purchase_id: purchaseIdFor(request),
      request_id: request.request_id,
      correlation_id: request.correlation_id,
      user_id: ana.user_id,
      reason: 'PURCHASE.OUT_OF_STOCK',
      message: 'That product sold out; you were not charged.',
      field: 'quantity',
    });
    expect(await stockOf(shop.product)).toBe(1);
    expect(await balancesOf([ana, shop.settlement])).toEqual(new Map([[ana.account_id, 1_000_000], [shop.settlement.account_id, 0]]));
    expect(await ledgerOf([ana.account_id, shop.settlement.account_id])).toEqual([]);
    expect(await purchaseRecordOf(request)).toBeUndefined();
    expect(await guardOf(request)).toMatchObject({ status: 'released' });
    expect((await waitForExecution(request)).states.map((s) => s.name)).toEqual(['ReserveInventory', 'OutOfStock', 'ReleaseInventory', 'PublishFailed', 'Compensated']);
  });

  it.each<[string, { price: number; promotions?: Shop['retailer']['promotions'] }, (shop: Shop) => Promise<unknown>, number]>([
    [
      'the product’s price went up',
      { price: 1_000_000 },
      (shop) => documents().send(new UpdateCommand({ TableName: table('products'), Key: { product_id: shop.product.product_id, retailer_id: shop.retailer.retailer_id }, UpdateExpression: 'SET price = :price', ExpressionAttributeValues: { ':price': 1_100_000 } })),
      1_000_000,
    ],
    [
      'the promotion it was quoted with ended',
      { price: 1_000_000, promotions: [{ promotion_id: 'promo-buen-fin', type: 'discount', description: '10 % en cómputo', percent_bp: 1000 }] },
      (shop) => documents().send(new PutCommand({ TableName: table('retailers'), Item: { ...shop.retailer, promotions: [] } })),
      900_000,
    ],
  ])('fails with PURCHASE.PRICE_CHANGED when %s after the customer approved the total, and touches neither stock nor money', async (_, offer, change, approved) => {
    // Prepare: the customer approves the quote, then the price changes in the catalog before the reservation
    const run = runId();
    const shop = await openShop(run, { stock: 2, ...offer });
    const ana: TestAccount = { user_id: `user-${run}-ana`, account_id: `acc-${run}-ana`, balance: 2_000_000 };
    await createAccounts([ana]);
    const request = purchaseRequest(run, shop, ana, { installments: 3 });
    expect(request).toMatchObject({ total: approved, currency: 'MXN', installments: 3 });
    await change(shop);

    // Act
    await putRequests([{ detailType: 'PURCHASE_REQUEST', detail: request }]);
    const answer = await answerTo(request.correlation_id, RESULTS, 60_000);

    // Assess
    expect(answer['detail-type']).toBe('PURCHASE_FAILED');
    expect(answer.detail).toEqual({
      purchase_id: purchaseIdFor(request),
      request_id: request.request_id,
      correlation_id: request.correlation_id,
      user_id: ana.user_id,
      reason: 'PURCHASE.PRICE_CHANGED',
      message: 'The price changed since you approved it. You were not charged; ask again to see the current price.',
      field: 'total',
    });
    expect(await stockOf(shop.product)).toBe(2);
    expect(await balancesOf([ana, shop.settlement])).toEqual(new Map([[ana.account_id, 2_000_000], [shop.settlement.account_id, 0]]));
    expect(await ledgerOf([ana.account_id, shop.settlement.account_id])).toEqual([]);
    expect(await purchaseRecordOf(request)).toBeUndefined();
    expect(await paymentRecordOf(request)).toBeUndefined();
    expect(await guardOf(request)).toMatchObject({ status: 'released' });
    expect((await waitForExecution(request)).states.map((s) => s.name)).toEqual(['ReserveInventory', 'PriceChanged', 'ReleaseInventory', 'PublishFailed', 'Compensated']);
  });

  it('fails with PAYMENT.INSUFFICIENT_FUNDS, gives the stock back and moves no money', async () => {
    const run = runId();
    const shop = await openShop(run, { stock: 2, price: 1_499_900 });
    const luis: TestAccount = { user_id: `user-${run}-luis`, account_id: `acc-${run}-luis`, balance: 1_250 };
    await createAccounts([luis]);
    const request = purchaseRequest(run, shop, luis);

    await putRequests([{ detailType: 'PURCHASE_REQUEST', detail: request }]);
    const answer = await answerTo(request.correlation_id, RESULTS, 60_000);

    expect(answer['detail-type']).toBe('PURCHASE_FAILED');
    expect(answer.detail).toMatchObject({ reason: 'PAYMENT.INSUFFICIENT_FUNDS', field: 'account_id', purchase_id: purchaseIdFor(request) });
    expect(await stockOf(shop.product)).toBe(2);
    expect(await balancesOf([luis, shop.settlement])).toEqual(new Map([[luis.account_id, 1_250], [shop.settlement.account_id, 0]]));
    expect(await ledgerOf([luis.account_id, shop.settlement.account_id])).toEqual([]);
    expect(await purchaseRecordOf(request)).toMatchObject({ status: 'released', released_quantity: 1 });
    expect(await paymentRecordOf(request)).toMatchObject({ status: 'voided' });
  });

  it('refuses to charge an account the customer does not own', async () => {
    const run = runId();
    const shop = await openShop(run, { stock: 2, price: 100_000 });
    const ana: TestAccount = { user_id: `user-${run}-ana`, account_id: `acc-${run}-ana`, balance: 1_000_000 };
    const eve: TestAccount = { user_id: `user-${run}-eve`, account_id: `acc-${run}-eve`, balance: 0 };
    await createAccounts([ana, eve]);
    const request = purchaseRequest(run, shop, eve, { account_id: ana.account_id });

    await putRequests([{ detailType: 'PURCHASE_REQUEST', detail: request }]);
    const answer = await answerTo(request.correlation_id, RESULTS, 60_000);

    expect(answer.detail).toMatchObject({ reason: 'PAYMENT.ACCOUNT_NOT_FOUND', field: 'account_id' });
    expect(await balancesOf([ana])).toEqual(new Map([[ana.account_id, 1_000_000]]));
    expect(await stockOf(shop.product)).toBe(2);
  });

  it('answers a request that breaks its schema with REQUEST.INVALID and starts nothing', async () => {
    const run = runId();
    const request = { request_id: `req-${run}`, correlation_id: `corr-${run}`, user_id: `user-${run}`, product_id: 'p', retailer_id: 'r', quantity: 0, account_id: 'a', total: 100, currency: 'MXN' };

    await putRequests([{ detailType: 'PURCHASE_REQUEST', detail: request }]);
    const answer = await answerTo(request.correlation_id, RESULTS, 30_000);

    expect(answer.detail).toMatchObject({ reason: 'REQUEST.INVALID', field: 'quantity' });
    await expect(history(request)).rejects.toThrow(/404/);
  });
});

describe('a purchase request delivered twice', () => {
  it('starts one execution and charges once', async () => {
    const run = runId();
    const shop = await openShop(run, { stock: 5, price: 250_000 });
    const ana: TestAccount = { user_id: `user-${run}-ana`, account_id: `acc-${run}-ana`, balance: 1_000_000 };
    await createAccounts([ana]);
    const request = purchaseRequest(run, shop, ana);

    await putRequests([
      { detailType: 'PURCHASE_REQUEST', detail: request },
      { detailType: 'PURCHASE_REQUEST', detail: request },
    ]);
    await answerTo(request.correlation_id, RESULTS, 60_000);
    const trace = await waitForExecution(request);
    // Both deliveries reached the purchase function before we look.
    const deadline = Date.now() + 10_000;
    while ((await history(request)).startRequests < 2 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 100));

    expect((await history(request)).startRequests).toBe(2);
    expect(trace.status).toBe('SUCCEEDED');
    const results = (await eventsFor(request.correlation_id)).filter((e) => RESULTS.includes(e['detail-type']));
    expect(results.map((e) => e['detail-type'])).toEqual(['PURCHASE_CONFIRMED']);
    expect(await ledgerOf([ana.account_id])).toHaveLength(1);
    expect(await balancesOf([ana, shop.settlement])).toEqual(new Map([[ana.account_id, 750_000], [shop.settlement.account_id, 250_000]]));
    expect(await stockOf(shop.product)).toBe(4);
  });

  it('answers a request_id reused for another purchase with REQUEST.ID_REUSED, and buys nothing more', async () => {
    // Prepare: a purchase that completes
    const run = runId();
    const shop = await openShop(run, { stock: 5, price: 250_000 });
    const ana: TestAccount = { user_id: `user-${run}-ana`, account_id: `acc-${run}-ana`, balance: 1_000_000 };
    await createAccounts([ana]);
    const request = purchaseRequest(run, shop, ana);
    await putRequests([{ detailType: 'PURCHASE_REQUEST', detail: request }]);
    await answerTo(request.correlation_id, RESULTS, 60_000);

    // Act: the same request_id for three units
    const reused = { ...request, quantity: 3, correlation_id: `${request.correlation_id}-reused` };
    await putRequests([{ detailType: 'PURCHASE_REQUEST', detail: reused }]);
    const answer = await answerTo(reused.correlation_id, RESULTS, 30_000);

    // Assess
    expect(answer).toMatchObject({ 'detail-type': 'PURCHASE_FAILED', detail: { reason: 'REQUEST.ID_REUSED', field: 'request_id' } });
    expect(await stockOf(shop.product)).toBe(4);
    expect(await balancesOf([ana])).toEqual(new Map([[ana.account_id, 750_000]]));
  });
});

describe('ten customers racing for the last unit', () => {
  it('confirms exactly one, fails nine as out of stock, leaves the stock at zero and conserves money', async () => {
    const run = runId();
    const shop = await openShop(run, { stock: 1, price: 899_900 });
    const customers: TestAccount[] = Array.from({ length: 10 }, (_, i) => ({ user_id: `user-${run}-${i}`, account_id: `acc-${run}-${i}`, balance: 1_000_000 + i }));
    await createAccounts(customers);
    const requests = customers.map((c, i) => purchaseRequest(`${run}-${i}`, shop, c));
    const before = await balancesOf([...customers, shop.settlement]);

    await putRequests(requests.map((detail) => ({ detailType: 'PURCHASE_REQUEST' as const, detail })));
    const answered = await answers(RESULTS, new Map(requests.map((r) => [r.request_id, 1])), 120_000);

    const outcomes = [...answered.values()].map((events) => events[0] as BusEvent);
    const confirmed = outcomes.filter((e) => e['detail-type'] === 'PURCHASE_CONFIRMED');
    const failed = outcomes.filter((e) => e['detail-type'] === 'PURCHASE_FAILED');
    expect(confirmed).toHaveLength(1);
    expect(failed).toHaveLength(9);
    for (const f of failed) expect(f.detail.reason).toBe('PURCHASE.OUT_OF_STOCK');
    for (const events of answered.values()) expect(events).toHaveLength(1);

    expect(await stockOf(shop.product)).toBe(0);
    const after = await balancesOf([...customers, shop.settlement]);
    expect(sum(after.values())).toBe(sum(before.values()));
    expect(after.get(shop.settlement.account_id)).toBe(899_900);
    const winner = customers.find((c) => c.user_id === (confirmed[0] as BusEvent).detail.user_id) as TestAccount;
    expect(after.get(winner.account_id)).toBe(winner.balance - 899_900);
    for (const c of customers) if (c !== winner) expect(after.get(c.account_id)).toBe(c.balance);
    expect(await ledgerOf([...customers.map((c) => c.account_id), shop.settlement.account_id])).toHaveLength(2);
  });
});
