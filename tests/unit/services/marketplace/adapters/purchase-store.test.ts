import { PurchaseStore } from '../../../../../services/marketplace/src/adapters/purchase-store';
import type { Product } from '../../../../../services/marketplace/src/domain/product';
import { guardFor, releasedGuard } from '../../../../../services/marketplace/src/domain/purchase';
import { FakeDocumentClient } from '../../../support/fake-dynamodb';
import { reservedPurchase } from '../fixtures';

const tables = { products: 'products', retailers: 'retailers', purchases: 'purchases' };
const product: Product = { product_id: 'prod-1', retailer_id: 'ret-1', name: 'Consola', category: 'gaming', price: 999_900, currency: 'MXN', stock: 1, status: 'active', search_text: 'consola' };
const reserved = reservedPurchase;
const guard = guardFor(reserved, reserved.reserved_at as string);
const none = { Code: 'None' };
const failed = { Code: 'ConditionalCheckFailed' };

function setUp() {
  const db = new FakeDocumentClient({ products: ['product_id', 'retailer_id'], retailers: ['retailer_id'], purchases: ['user_id', 'sk'] });
  db.seed('products', product);
  return { db, store: new PurchaseStore(tables, db.client) };
}

describe('PurchaseStore.commitReservation', () => {
  it('takes the stock and writes the record and its guard together', async () => {
    // Prepare
    const { db, store } = setUp();

    // Act
    const result = await store.commitReservation(reserved);

    // Assess
    expect(result).toEqual({ status: 'committed' });
    expect(db.count('TransactWriteCommand')).toBe(1);
    expect(db.item('purchases', reserved)).toEqual(reserved);
    expect(await store.getGuard('user-ana', 'pur_1')).toEqual(guard);
  });

  it.each([
    ['reserved', guard],
    ['released before it was ever reserved', releasedGuard('user-ana', 'pur_1', new Date('2026-11-22T16:00:00Z'))],
  ])('reads a purchase %s as served, with its guard read consistently, whatever else failed', async (_, first) => {
    // Prepare: the stock went to the first reservation, so the product refuses too.
    const { db, store } = setUp();
    db.seed('purchases', first);
    db.holds = () => false;

    // Act, Assess
    await expect(store.commitReservation(reserved)).resolves.toEqual({ status: 'served', first });
  });

  it('reads a refused product with the product as it was', async () => {
    // Prepare
    const { db, store } = setUp();
    db.seed('products', { ...product, stock: 0 });
    db.holds = () => false;

    // Act, Assess
    await expect(store.commitReservation(reserved)).resolves.toEqual({ status: 'refused', product: { ...product, stock: 0 } });
  });

  it('reads a product that is not there', async () => {
    // Prepare
    const { db, store } = setUp();
    db.cancellations.push([failed, none, none]);

    // Act, Assess
    await expect(store.commitReservation(reserved)).resolves.toEqual({ status: 'refused', product: undefined });
  });

  it('reads throttling as contention', async () => {
    // Prepare
    const { db, store } = setUp();
    db.cancellations.push([none, { Code: 'ThrottlingError' }, none]);

    // Act, Assess
    await expect(store.commitReservation(reserved)).resolves.toEqual({ status: 'contention' });
  });
});

describe('PurchaseStore.putReleasedGuard', () => {
  it('writes a released guard only where the purchase has none', async () => {
    // Prepare
    const { store } = setUp();
    await store.commitReservation(reserved);

    // Act, Assess
    await expect(store.putReleasedGuard(releasedGuard('user-ana', 'pur_1', new Date()))).resolves.toBe(false);
    await expect(store.putReleasedGuard(releasedGuard('user-ana', 'pur_2', new Date()))).resolves.toBe(true);
  });
});

describe('PurchaseStore.commitRelease', () => {
  it.each([
    ['a record no longer as read as changed', [failed, none], { status: 'changed' }],
    ['a conflict as contention', [{ Code: 'TransactionConflict' }, none], { status: 'contention' }],
  ])('reads %s', async (_, reasons, expected) => {
    // Prepare
    const { db, store } = setUp();
    db.cancellations.push(reasons);

    // Act, Assess
    await expect(store.commitRelease(reserved, 'reserved', 'x')).resolves.toEqual(expected);
  });

  it('refuses to guess at a product that is gone', async () => {
    // Prepare
    const { db, store } = setUp();
    db.cancellations.push([none, failed]);

    // Act, Assess
    await expect(store.commitRelease(reserved, 'reserved', 'x')).rejects.toThrow(/a release was cancelled for an unexpected reason/);
  });
});
