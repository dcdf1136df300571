import { TransientError } from '@centli/pure/errors';
import { type TaskInputOf } from '@centli/schemas';
import type { ReservationResult } from '../../../../../services/marketplace/src/adapters/purchase-store';
import type { Product, Retailer } from '../../../../../services/marketplace/src/domain/product';
import type { PurchaseGuard, PurchaseRecord } from '../../../../../services/marketplace/src/domain/purchase';
import { OutOfStockError, ProductNotFoundError } from '../../../../../services/marketplace/src/errors';
import { PurchaseAlreadyReleasedError, reserveInventory, type ReserveDeps } from '../../../../../services/marketplace/src/app/reserve-inventory';

const input: TaskInputOf<'reserve-inventory'> = {
  purchase_id: 'pur_1',
  correlation_id: 'corr-1',
  started_at: '2026-11-22T16:00:00.000Z',
  request: { request_id: 'req-1', correlation_id: 'corr-1', user_id: 'user-ana', product_id: 'prod-1', retailer_id: 'ret-1', quantity: 1, account_id: 'acc-ana', total: 999_900, currency: 'MXN' },
};
const product: Product = { product_id: 'prod-1', retailer_id: 'ret-1', name: 'Consola', category: 'gaming', price: 999_900, currency: 'MXN', stock: 1, status: 'active', search_text: 'consola' };
const retailer: Retailer = { retailer_id: 'ret-1', name: 'ElectroMundo', settlement_account_id: 'acc-ret-1', msi_plans: [], promotions: [] };
const expected = { purchase_id: 'pur_1', description: 'Compra: Consola', quantity: 1, amount: 999_900, currency: 'MXN', settlement_account_id: 'acc-ret-1' };

function deps(results: ReservationResult[], options: { existing?: PurchaseRecord[]; guards?: (PurchaseGuard | undefined)[]; products?: (Product | undefined)[] } = {}) {
  const existing = [...(options.existing ?? [])];
  const guards = [...(options.guards ?? existing.map((r) => ({ user_id: 'user-ana', sk: 'purchase#pur_1', record_sk: r.sk, created_at: 'x' })))];
  const products = [...(options.products ?? [product])];
  const store = {
    getGuard: jest.fn(async () => guards.shift()),
    getPurchase: jest.fn(async () => existing.shift()),
    getProduct: jest.fn(async () => (products.length > 1 ? products.shift() : products[0])),
    getRetailer: jest.fn(async () => retailer),
    commitReservation: jest.fn(async (_record: PurchaseRecord & { status: 'reserved' }) => results.shift() ?? { status: 'committed' as const }),
  };
  const d: ReserveDeps = { store, now: () => new Date('2026-11-22T16:00:01Z'), sleep: async () => undefined };
  return { d, store };
}

describe('reserveInventory', () => {
  it('takes the stock at the quoted price and answers what to charge', async () => {
    const { d, store } = deps([{ status: 'committed' }]);

    await expect(reserveInventory(input, d)).resolves.toEqual(expected);
    expect(store.commitReservation).toHaveBeenCalledWith(expect.objectContaining({ sk: '2026-11-22T16:00:00.000Z#pur_1', unit_price: 999_900, status: 'reserved' }));
  });

  it('answers a retry (or another execution of the purchase) with the first reservation, writing nothing', async () => {
    const record = { user_id: 'user-ana', sk: 'x', purchase_id: 'pur_1', status: 'reserved', product_name: 'Consola', quantity: 1, total: 999_900, currency: 'MXN', settlement_account_id: 'acc-ret-1' } as PurchaseRecord;
    const { d, store } = deps([], { existing: [record] });

    await expect(reserveInventory(input, d)).resolves.toEqual(expected);
    expect(store.commitReservation).not.toHaveBeenCalled();
  });

  it.each([
    ['released after it was reserved', { existing: [{ status: 'released', purchase_id: 'pur_1', sk: 'x' } as PurchaseRecord] }],
    ['released before anything was reserved', { guards: [{ user_id: 'user-ana', sk: 'purchase#pur_1', status: 'released' as const, created_at: 'x' }] }],
  ])('refuses to reserve a purchase %s', async (_, options) => {
    const { d, store } = deps([], options);

    await expect(reserveInventory(input, d)).rejects.toThrow(PurchaseAlreadyReleasedError);
    expect(store.commitReservation).not.toHaveBeenCalled();
  });

  it('answers a concurrent duplicate with the reservation that won', async () => {
    const winner = { user_id: 'user-ana', sk: 'y', purchase_id: 'pur_1', status: 'reserved', product_name: 'Consola', quantity: 1, total: 999_900, currency: 'MXN', settlement_account_id: 'acc-ret-1' } as PurchaseRecord;
    const { d } = deps([{ status: 'served', first: { user_id: 'user-ana', sk: 'purchase#pur_1', record_sk: 'y', created_at: 'x' } }], { guards: [undefined], existing: [winner] });

    await expect(reserveInventory(input, d)).resolves.toEqual(expected);
  });

  it('refuses a reservation the transaction finds released first, writing nothing', async () => {
    const { d } = deps([{ status: 'served', first: { user_id: 'user-ana', sk: 'purchase#pur_1', status: 'released', created_at: 'x' } }], { guards: [undefined] });

    await expect(reserveInventory(input, d)).rejects.toThrow(PurchaseAlreadyReleasedError);
  });

  it.each([
    ['a product the retailer does not sell', undefined, ProductNotFoundError],
    ['a discontinued product', { ...product, status: 'discontinued' as const }, ProductNotFoundError],
    ['too little stock', { ...product, stock: 0 }, OutOfStockError],
  ])('refuses %s before writing', async (_, found, error) => {
    const { d, store } = deps([], { products: [found] });

    await expect(reserveInventory(input, d)).rejects.toThrow(error);
    expect(store.commitReservation).not.toHaveBeenCalled();
  });

  it('explains a refused transaction from the product as it was: the last unit went to someone else', async () => {
    const { d } = deps([{ status: 'refused', product: { ...product, stock: 0 } }]);

    await expect(reserveInventory(input, d)).rejects.toThrow(OutOfStockError);
  });

  it('quotes again when the price changed between the read and the write', async () => {
    const { d, store } = deps([{ status: 'refused', product: { ...product, price: 1_099_900 } }, { status: 'committed' }], { products: [product, { ...product, price: 1_099_900 }] });

    await expect(reserveInventory(input, d)).resolves.toMatchObject({ amount: 1_099_900 });
    expect(store.commitReservation).toHaveBeenCalledTimes(2);
  });

  it('retries conflicts, then gives up with TransientError for the state to retry', async () => {
    const { d, store } = deps(Array.from({ length: 10 }, () => ({ status: 'contention' as const })));

    await expect(reserveInventory(input, d)).rejects.toThrow(TransientError);
    expect(store.commitReservation).toHaveBeenCalledTimes(10);
  });
});
