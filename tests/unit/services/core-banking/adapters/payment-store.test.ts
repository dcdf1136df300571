import { PaymentStore } from '../../../../../services/core-banking/src/adapters/payment-store';
import { OwnerCache } from '../../../../../services/core-banking/src/adapters/owner-cache';
import type { Account } from '../../../../../services/core-banking/src/domain/account';
import { planCharge, planRefund, voidRecord } from '../../../../../services/core-banking/src/domain/payment';
import { FakeDocumentClient } from '../../../support/fake-dynamodb';
import { chargeRequest } from '../fixtures';

const tables = { accounts: 'accounts', transactions: 'transactions', controls: 'controls' };
const request = chargeRequest;
const pk = 'payment#user-ana#pur_1';
const now = new Date('2026-11-22T16:00:00Z');
const ana: Account = { user_id: 'user-ana', account_id: 'acc-ana', balance: 5, currency: 'MXN', status: 'active' };

function setUp() {
  const db = new FakeDocumentClient({ accounts: ['user_id', 'account_id'], transactions: ['account_id', 'sk'], controls: ['pk'] });
  db.seed('accounts', ana);
  const store = new PaymentStore(tables, db.client, new OwnerCache());
  return { db, store, plan: planCharge(request, pk, 'ret-1', now) };
}

describe('PaymentStore.commitCharge', () => {
  it('moves the money and writes the payment record in one transaction', async () => {
    // Prepare
    const { db, store, plan } = setUp();

    // Act
    const result = await store.commitCharge(plan);

    // Assess
    expect(result).toEqual({ status: 'committed' });
    expect(db.count('TransactWriteCommand')).toBe(1);
    expect(await store.getPayment(pk)).toEqual(plan.record);
  });

  it('answers a purchase charged already with the payment record that stands', async () => {
    // Prepare
    const { db, store, plan } = setUp();
    const first = { ...plan.record, transaction_id: 'txn_first' };
    db.seed('controls', first);
    db.holds = () => false;

    // Act, Assess
    await expect(store.commitCharge(plan)).resolves.toEqual({ status: 'served', first });
  });

  it('answers a purchase voided first with the voided record, which no charge overwrites', async () => {
    // Prepare
    const { db, store, plan } = setUp();
    const voided = voidRecord(pk, 'pur_1', 'user-ana', now);
    db.seed('controls', voided);

    // Act, Assess
    await expect(store.commitCharge(plan)).resolves.toEqual({ status: 'served', first: voided });
    expect(await store.getPayment(pk)).toEqual(voided);
  });

  it('reads a refused debit with the account as it was', async () => {
    // Prepare
    const { db, store, plan } = setUp();
    db.holds = (item) => (item as { Update?: { Key?: { account_id?: string } } }).Update?.Key?.account_id !== 'acc-ana';

    // Act, Assess
    await expect(store.commitCharge(plan)).resolves.toEqual({ status: 'refused', refusal: { source: { found: true, item: ana } } });
  });
});

describe('PaymentStore.commitRefund', () => {
  const refund = () => planRefund(planCharge(request, pk, 'ret-1', now).record, new Date('2026-11-22T16:00:05Z'));

  it('moves the charge back and marks the record refunded, in one transaction', async () => {
    // Prepare
    const { db, store } = setUp();

    // Act
    const result = await store.commitRefund(refund());

    // Assess
    expect(result).toEqual({ status: 'committed' });
    const [items] = db.sent.map((sent) => (sent.input as { TransactItems: { Update?: { TableName: string; ConditionExpression: string } }[] }).TransactItems);
    expect(items?.map((item) => item.Update?.ConditionExpression)).toEqual(['#status = :charged', 'attribute_exists(user_id) AND balance >= :amount', 'attribute_exists(user_id)', undefined, undefined]);
  });

  it.each([
    ['a record no longer charged as changed', 0, { status: 'changed' }],
    ['a settlement account short of the amount as refused', 1, { status: 'refused', reason: 'settlement account acc-ret-1 does not hold 1499900' }],
    ['a customer account gone as refused', 2, { status: 'refused', reason: 'account acc-ana no longer exists' }],
  ])('reads %s', async (_, index, expected) => {
    // Prepare
    const { db, store } = setUp();
    db.cancellations.push([0, 1, 2, 3, 4].map((i) => ({ Code: i === index ? 'ConditionalCheckFailed' : 'None' })));

    // Act, Assess
    await expect(store.commitRefund(refund())).resolves.toEqual(expected);
  });

  it('reads throttling as contention', async () => {
    // Prepare
    const { db, store } = setUp();
    db.cancellations.push([{ Code: 'ThrottlingError' }, { Code: 'None' }, { Code: 'None' }, { Code: 'None' }, { Code: 'None' }]);

    // Act, Assess
    await expect(store.commitRefund(refund())).resolves.toEqual({ status: 'contention' });
  });
});

describe('PaymentStore.putVoid', () => {
  it('voids a payment with no record, and only one', async () => {
    // Prepare
    const { store } = setUp();

    // Act
    const first = await store.putVoid(voidRecord(pk, 'pur_1', 'user-ana', now));
    const second = await store.putVoid(voidRecord(pk, 'pur_1', 'user-ana', now));

    // Assess
    expect([first, second]).toEqual([true, false]);
  });
});
