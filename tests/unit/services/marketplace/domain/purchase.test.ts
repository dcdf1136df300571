import fc from 'fast-check';
import { detailValidator, type PurchaseRequest } from '@centli/schemas';
import { quoteOffer } from '../../../../../services/marketplace/src/domain/benefits';
import type { Product, Promotion, Retailer } from '../../../../../services/marketplace/src/domain/product';
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
import { InstallmentsNotAvailableError, PriceChangedError } from '../../../../../services/marketplace/src/errors';

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

describe('planReservation, held to the quote the customer approved', () => {
  /** What planReservation threw, or undefined. */
  const refusalOf = (run: () => unknown): unknown => {
    try {
      run();
    } catch (error) {
      return error;
    }
    return undefined;
  };
  // The customer was quoted at 15:00, while a 10 % discount ran until 15:30; the reservation runs at 16:00.
  const quotedAt = new Date('2026-11-22T15:00:00.000Z');
  const buenFin: Promotion = { promotion_id: 'p-buen-fin', type: 'discount', description: '10 %', percent_bp: 1000, ends_at: '2026-11-22T15:30:00.000Z' };
  const onSale: Retailer = { ...retailer, promotions: [...retailer.promotions, buenFin] };
  const quoted = quoteOffer(product, onSale, 2, quotedAt);
  const approved: PurchaseRequest = { ...request, total: quoted.total, monthly_amount: quoted.installments.find((p) => p.months === 6)?.monthly_amount };

  it('reserves at the total and the plan approved while the promotion still runs', () => {
    // Act
    const record = planReservation('pur_1', startedAt, approved, product, onSale, new Date('2026-11-22T15:10:00.000Z'));

    // Assess
    expect(record).toMatchObject({ subtotal: 2_999_800, discount: 299_980, total: 2_699_820, installments: { months: 6, monthly_amount: 449_970, total: 2_699_820 } });
    expect(reservationOutput(record)).toMatchObject({ amount: 2_699_820, currency: 'MXN' });
  });

  it.each<[string, PurchaseRequest, Product, Retailer, { amount: number; currency: string } | undefined]>([
    ['a promotion that ended after the customer approved the total', approved, product, onSale, { amount: 2_999_800, currency: 'MXN' }],
    ['a higher price', request, { ...product, price: 1_599_900 }, retailer, { amount: 3_199_800, currency: 'MXN' }],
    ['a lower price', request, { ...product, price: 1_399_900 }, retailer, { amount: 2_799_800, currency: 'MXN' }],
    ['another currency', { ...request, currency: 'USD' }, product, retailer, { amount: 2_999_800, currency: 'MXN' }],
    ['another monthly payment for the same months', { ...request, monthly_amount: 499_966 }, product, retailer, undefined],
  ])('refuses %s with PURCHASE.PRICE_CHANGED, saying what it costs now when that is what changed', (_, asked, priced, shop, total) => {
    // Act
    const error = refusalOf(() => planReservation('pur_1', startedAt, asked, priced, shop, now));

    // Assess
    expect(error).toBeInstanceOf(PriceChangedError);
    expect(error).toMatchObject({ code: 'PURCHASE.PRICE_CHANGED', field: 'total', params: total === undefined ? {} : { total } });
  });

  it('still refuses months no longer offered for the approved total as INSTALLMENTS_NOT_AVAILABLE', () => {
    // Prepare: the total is the one approved; the retailer stopped offering 6 months
    const noMsi: Retailer = { ...retailer, msi_plans: [{ months: 3, min_amount: 300_000 }] };

    // Act, Assess
    expect(() => planReservation('pur_1', startedAt, request, product, noMsi, now)).toThrow(InstallmentsNotAvailableError);
  });

  it('reserves exactly the total approved for any price, quantity, promotions and plan, and refuses any other total', () => {
    const promotion = fc.record({
      promotion_id: fc.constantFrom('a', 'b', 'c'),
      type: fc.constantFrom('discount' as const, 'cashback' as const),
      description: fc.constant('x'),
      percent_bp: fc.option(fc.integer({ min: 0, max: 10_000 }), { nil: undefined }),
      fixed_amount: fc.option(fc.integer({ min: 0, max: 1_000_000 }), { nil: undefined }),
      min_amount: fc.option(fc.integer({ min: 0, max: 5_000_000 }), { nil: undefined }),
    });
    const plans = fc.constantFrom(3, 6, 9, 12).map((months) => ({ months: months as 3 | 6 | 9 | 12, min_amount: 300_000 }));
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 10_000_000 }),
        fc.integer({ min: 1, max: 10 }),
        fc.array(promotion, { maxLength: 3 }),
        fc.array(plans, { maxLength: 4 }),
        fc.constantFrom(undefined, 3, 6, 9, 12),
        fc.integer({ min: -1_000_000, max: 1_000_000 }).filter((delta) => delta !== 0),
        (price, quantity, promotions, msiPlans, months, delta) => {
          // Prepare: the request the front door built from the quote it showed
          const shop: Retailer = { ...retailer, promotions: promotions as Promotion[], msi_plans: msiPlans };
          const item: Product = { ...product, price };
          const quote = quoteOffer(item, shop, quantity, now);
          const plan = quote.installments.find((p) => p.months === months);
          fc.pre(months === undefined || plan !== undefined);
          const asked: PurchaseRequest = { ...request, quantity, total: quote.total, currency: quote.currency, installments: plan?.months, monthly_amount: plan?.monthly_amount };

          // Act
          const record = planReservation('pur_1', startedAt, asked, item, shop, now);
          const other = refusalOf(() => planReservation('pur_1', startedAt, { ...asked, total: Math.max(1, quote.total + delta) }, item, shop, now));

          // Assess
          expect(reservationOutput(record)).toMatchObject({ amount: asked.total, currency: asked.currency });
          expect(record.installments?.monthly_amount).toBe(asked.monthly_amount);
          if (Math.max(1, quote.total + delta) !== quote.total) expect(other).toBeInstanceOf(PriceChangedError);
        },
      ),
      { seed: 20261122, numRuns: 300 },
    );
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
    expect(sagaInput(request)).toEqual({ purchase_id: purchaseIdFor(request), request, second_factor_at: null });
  });
});
