/** What the Marketplace's unit tests share: Ana's purchase of one console, reserved. */
import type { PurchaseRecord } from '../../../../services/marketplace/src/domain/purchase';

export const reservedPurchase = {
  user_id: 'user-ana',
  sk: '2026-11-22T16:00:00.000Z#pur_1',
  purchase_id: 'pur_1',
  status: 'reserved',
  request_id: 'req-1',
  correlation_id: 'corr-1',
  product_id: 'prod-1',
  retailer_id: 'ret-1',
  product_name: 'Consola',
  quantity: 1,
  unit_price: 999_900,
  subtotal: 999_900,
  discount: 0,
  total: 999_900,
  currency: 'MXN',
  cashback: 0,
  promotions: [],
  account_id: 'acc-ana',
  settlement_account_id: 'acc-ret-1',
  reserved_at: '2026-11-22T16:00:01.000Z',
} satisfies PurchaseRecord as PurchaseRecord & { status: 'reserved' };
