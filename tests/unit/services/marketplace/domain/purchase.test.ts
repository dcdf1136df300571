import { detailValidator, type PurchaseRequest } from '@centli/schemas';
import type { Product, Retailer } from '../../../../../services/marketplace/src/domain/product';
import {
  confirmedDetail,
  guardFor,
  guardSortKey,
  IncompletePurchaseRecordError,
  planReservation,
  purchaseIdFor,
  releasedGuard,
  reservationOutput,
  sagaInput,
} from '../../../../../services/marketplace/src/domain/purchase';
import { InstallmentsNotAvailableError } from '../../../../../services/marketplace/src/errors';

const request: PurchaseRequest = {
  request_id: 'req-1',
  correlation_id: 'corr-1',
  user_id: 'user-ana',
  product_id: 'prod-laptop',
  retailer_id: 'ret-1',
  quantity: 2,
  account_id: 'acc-ana-nomina-4821',
  total: 2_999_800,
  currency: 'MXN',
  installments: 6,
  monthly_amount: 499_967,
};
const product: Product = { product_id: 'prod-laptop', retailer_id: 'ret-1', name: 'Laptop Lenovo', category: 'computers', price: 1_499_900, currency: 'MXN', stock: 4, status: 'active', search_text: 'laptop lenovo' };
const retailer: Retailer = {
  retailer_id: 'ret-1',
  name: 'ElectroMundo',
  settlement_account_id: 'acc-ret-1',
  msi_plans: [{ months: 6, min_amount: 600_000 }],
  promotions: [{ promotion_id: 'p-cb', type: 'cashback', description: '5 %', percent_bp: 500, max_amount: 100_000 }],
};
const now = new Date('2026-11-22T16:00:00.000Z');
const startedAt = '2026-11-22T15:59:59.000Z';

describe('purchaseIdFor', () => {
  it('is the same for the same customer and request, and different otherwise', () => {
    const id = purchaseIdFor(request);
    expect(id).toMatch(/^pur_[A-Za-z0-9_-]{24}$/);
    expect(purchaseIdFor({ ...request })).toBe(id);
    expect(purchaseIdFor({ ...request, request_id: 'req-2' })).not.toBe(id);
    expect(purchaseIdFor({ ...request, user_id: 'user-luis' })).not.toBe(id);
  });

  it('is a valid Step Functions execution name', () => {
    expect(purchaseIdFor(request)).toMatch(/^[A-Za-z0-9_-]{1,80}$/);
  });
});

describe('planReservation', () => {
  it('prices the purchase, keeps the plan asked for and records who to charge and credit', () => {
    const record = planReservation('pur_1', startedAt, request, product, retailer, now);
    expect(record).toMatchObject({
      user_id: 'user-ana',
      sk: `${startedAt}#pur_1`,
      status: 'reserved',
      quantity: 2,
      unit_price: 1_499_900,
      subtotal: 2_999_800,
      discount: 0,
      total: 2_999_800,
      cashback: 100_000,
      installments: { months: 6, total: 2_999_800 },
      account_id: 'acc-ana-nomina-4821',
      settlement_account_id: 'acc-ret-1',
      reserved_at: now.toISOString(),
    });
    expect(reservationOutput(record)).toEqual({
      purchase_id: 'pur_1',
      description: 'Compra: Laptop Lenovo',
      quantity: 2,
      amount: 2_999_800,
      currency: 'MXN',
      settlement_account_id: 'acc-ret-1',
    });
  });

  it('refuses a plan the retailer does not offer for that total, before anything is written', () => {
    expect(() => planReservation('pur_1', startedAt, { ...request, installments: 12 }, product, retailer, now)).toThrow(InstallmentsNotAvailableError);
  });
});

describe('confirmedDetail', () => {
  it('is a PURCHASE_CONFIRMED detail its schema accepts', () => {
    const record = { ...planReservation('pur_1', startedAt, request, product, retailer, now), status: 'confirmed' as const, transaction_id: 'txn_1', confirmed_at: now.toISOString() };
    const detail = confirmedDetail(record);
    expect(detail).toMatchObject({ purchase_id: 'pur_1', total: 2_999_800, formatted_total: '$29,998.00 MXN', transaction_id: 'txn_1', installments: { months: 6 } });
    expect(detailValidator('PURCHASE_CONFIRMED')(detail)).toBeUndefined();
  });

  it('refuses a record the reservation did not complete', () => {
    const { transaction_id: _t, ...unpaid } = { ...planReservation('pur_1', startedAt, request, product, retailer, now), transaction_id: undefined, confirmed_at: now.toISOString() };
    expect(() => confirmedDetail(unpaid)).toThrow(IncompletePurchaseRecordError);
  });
});

describe('the purchase guard', () => {
  it('is keyed by the purchase id alone and points at the record, which sorts by time', () => {
    const record = planReservation('pur_1', startedAt, request, product, retailer, now);
    expect(guardFor(record, now.toISOString())).toEqual({ user_id: 'user-ana', sk: 'purchase#pur_1', record_sk: `${startedAt}#pur_1`, created_at: now.toISOString() });
    expect(guardSortKey('pur_1') > '9').toBe(true);
  });

  it('marks a purchase released before anything was reserved', () => {
    expect(releasedGuard('user-ana', 'pur_1', now)).toEqual({ user_id: 'user-ana', sk: 'purchase#pur_1', status: 'released', created_at: now.toISOString() });
  });
});

describe('sagaInput', () => {
  it('names the purchase and carries the request as it came', () => {
    expect(sagaInput(request)).toEqual({ purchase_id: purchaseIdFor(request), request });
  });
});
