import { TransientError } from '@centli/pure/errors';
import { type TaskInputOf } from '@centli/schemas';
import type { ReservationResult } from '../../../../../services/marketplace/src/adapters/purchase-store';
import type { Product, Promotion, Retailer } from '../../../../../services/marketplace/src/domain/product';
import type { PurchaseGuard, PurchaseRecord } from '../../../../../services/marketplace/src/domain/purchase';
import { OutOfStockError, PriceChangedError, ProductNotFoundError } from '../../../../../services/marketplace/src/errors';
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

function deps(results: ReservationResult[], options: { existing?: PurchaseRecord[]; guards?: (PurchaseGuard | undefined)[]; products?: (Product | undefined)[]; retailer?: Retailer } = {}) {
  const existing = [...(options.existing ?? [])];
  const guards = [...(options.guards ?? existing.map((r) => ({ user_id: 'user-ana', sk: 'purchase#pur_1', record_sk: r.sk, created_at: 'x' })))];
  const products = [...(options.products ?? [product])];
  const store = {
    getGuard: jest.fn(async () => guards.shift()),
    getPurchase: jest.fn(async () => existing.shift()),
    getProduct: jest.fn(async () => (products.length > 1 ? products.shift() : products[0])),
    getRetailer: jest.fn(async () => options.retailer ?? retailer),
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

  it('takes the stock at the total the customer approved, after a discount that still runs', async () => {
    // Prepare: approved at $8,999.10 while 10 % off ran until tomorrow
    const sale: Promotion = { promotion_id: 'p-sale', type: 'discount', description: '10 %', percent_bp: 1000, ends_at: '2026-11-23T00:00:00Z' };
    const { d, store } = deps([{ status: 'committed' }], { retailer: { ...retailer, promotions: [sale] } });

    // Act
    const reserved = reserveInventory({ ...input, request: { ...input.request, total: 899_910 } }, d);

    // Assess
    await expect(reserved).resolves.toEqual({ ...expected, amount: 899_910 });
    expect(store.commitReservation).toHaveBeenCalledWith(expect.objectContaining({ subtotal: 999_900, discount: 99_990, total: 899_910 }));
  });

  it.each<[string, { products?: Product[]; retailer?: Retailer }, number]>([
    ['a new price', { products: [{ ...product, price: 1_099_900 }] }, 1_099_900],
    // Approved at $8,999.10 with 10 % off, which ended before the reservation ran.
    ['a promotion that ended', { retailer: { ...retailer, promotions: [{ promotion_id: 'p-sale', type: 'discount', description: '10 %', percent_bp: 1000, ends_at: '2026-11-22T16:00:00Z' }] } }, 999_900],
  ])('refuses a purchase that would now cost something else (%s) with PriceChangedError, writing nothing', async (_, options, costsNow) => {
    // Prepare
    const approved = options.retailer ? 899_910 : 999_900;
    const { d, store } = deps([], options);

    // Act
    const reserved = reserveInventory({ ...input, request: { ...input.request, total: approved } }, d);

    // Assess
    await expect(reserved).rejects.toThrow(PriceChangedError);
    await expect(reserved).rejects.toMatchObject({ code: 'PURCHASE.PRICE_CHANGED', params: { total: { amount: costsNow, currency: 'MXN' } } });
    expect(store.commitReservation).not.toHaveBeenCalled();
  });

  it('refuses with PriceChangedError when the price changed between the read and the write, after a transaction that wrote nothing', async () => {
    // Prepare: the transaction is refused on the price it read; the product read again has the new one
    const { d, store } = deps([{ status: 'refused', product: { ...product, price: 1_099_900 } }], { products: [product, { ...product, price: 1_099_900 }] });

    // Act
    const reserved = reserveInventory(input, d);

    // Assess
    await expect(reserved).rejects.toThrow(PriceChangedError);
    expect(store.commitReservation).toHaveBeenCalledTimes(1);
  });

  it('retries conflicts, then gives up with TransientError for the state to retry', async () => {
    const { d, store } = deps(Array.from({ length: 10 }, () => ({ status: 'contention' as const })));

    await expect(reserveInventory(input, d)).rejects.toThrow(TransientError);
    expect(store.commitReservation).toHaveBeenCalledTimes(10);
  });
});
