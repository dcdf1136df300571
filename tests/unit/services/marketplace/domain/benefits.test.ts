import fc from 'fast-check';
import { detailValidator } from '@centli/schemas';
import { basisPoints, choosePlan, describeOffer, installmentSchedule, msiMonthsFor, quoteOffer } from '../../../../../services/marketplace/src/domain/benefits';
import type { Product, Promotion, Retailer } from '../../../../../services/marketplace/src/domain/product';
import { InstallmentsNotAvailableError } from '../../../../../services/marketplace/src/errors';

const SEED = 20261122;
const at = new Date('2026-11-22T16:00:00Z');

const product = (overrides: Partial<Product> = {}): Product => ({
  product_id: 'prod-laptop',
  retailer_id: 'ret-1',
  name: 'Laptop',
  category: 'computers',
  price: 1_499_900,
  currency: 'MXN',
  stock: 5,
  status: 'active',
  search_text: 'laptop',
  ...overrides,
});

const retailer = (promotions: Promotion[] = [], overrides: Partial<Retailer> = {}): Retailer => ({
  retailer_id: 'ret-1',
  name: 'ElectroMundo',
  settlement_account_id: 'acc-ret-1',
  msi_plans: [
    { months: 3, min_amount: 300_000 },
    { months: 6, min_amount: 600_000 },
    { months: 9, min_amount: 900_000 },
    { months: 12, min_amount: 1_200_000 },
  ],
  promotions,
  ...overrides,
});

describe('installmentSchedule', () => {
  it('splits a total into payments that sum to it exactly, differ by at most a centavo, largest first', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 100_000_000_000 }), fc.constantFrom(3, 6, 9, 12), (total, months) => {
        const schedule = installmentSchedule(total, months);
        expect(schedule).toHaveLength(months);
        expect(schedule.reduce((a, b) => a + b, 0)).toBe(total);
        expect(Math.max(...schedule) - Math.min(...schedule)).toBeLessThanOrEqual(1);
        expect([...schedule].sort((a, b) => b - a)).toEqual(schedule);
        for (const payment of schedule) expect(Number.isSafeInteger(payment)).toBe(true);
      }),
      { seed: SEED, numRuns: 500 },
    );
  });

  it('puts the remainder on the first payments: $14,999.00 in 6 is 2 × $2,499.84 and 4 × $2,499.83', () => {
    expect(installmentSchedule(1_499_900, 6)).toEqual([249_984, 249_984, 249_983, 249_983, 249_983, 249_983]);
  });

  it('refuses amounts that are not whole minor units', () => {
    expect(() => installmentSchedule(100.5, 3)).toThrow(RangeError);
    expect(() => installmentSchedule(100, 0)).toThrow(RangeError);
  });
});

describe('basisPoints', () => {
  it('rounds down exactly, even where floats would not', () => {
    expect(basisPoints(1_499_900, 500)).toBe(74_995);
    expect(basisPoints(33, 1000)).toBe(3);
    expect(basisPoints(Number.MAX_SAFE_INTEGER, 10_000)).toBe(Number.MAX_SAFE_INTEGER);
  });
});

describe('quoteOffer', () => {
  it('offers every plan whose minimum the total reaches, shortest first', () => {
    expect(quoteOffer(product({ price: 899_999 }), retailer(), 1, at).installments.map((p) => p.months)).toEqual([3, 6]);
    expect(quoteOffer(product({ price: 900_000 }), retailer(), 1, at).installments.map((p) => p.months)).toEqual([3, 6, 9]);
    expect(quoteOffer(product({ price: 600_000 }), retailer(), 2, at).installments.map((p) => p.months)).toEqual([3, 6, 9, 12]);
    expect(quoteOffer(product({ price: 299_999 }), retailer(), 1, at).installments).toEqual([]);
  });

  it('never offers a plan with a payment under one centavo', () => {
    expect(quoteOffer(product({ price: 2 }), retailer([], { msi_plans: [{ months: 3, min_amount: 0 }] }), 1, at).installments).toEqual([]);
  });

  it('takes each discount off the subtotal and pays cashback on the total, with their caps and minimums', () => {
    const promotions: Promotion[] = [
      { promotion_id: 'p-10', type: 'discount', description: '10 %', percent_bp: 1000 },
      { promotion_id: 'p-500', type: 'discount', description: '$500', fixed_amount: 50_000, min_amount: 1_000_000 },
      { promotion_id: 'p-cb', type: 'cashback', description: '5 % hasta $1,000', percent_bp: 500, max_amount: 100_000 },
      { promotion_id: 'p-big', type: 'discount', description: 'desde $50,000', percent_bp: 5000, min_amount: 5_000_000 },
    ];
    const quote = quoteOffer(product(), retailer(promotions), 2, at);
    expect(quote).toMatchObject({ subtotal: 2_999_800, discount: 299_980 + 50_000, total: 2_649_820, cashback: 100_000 });
    expect(quote.promotions.map((p) => [p.promotion_id, p.amount])).toEqual([
      ['p-10', 299_980],
      ['p-500', 50_000],
      ['p-cb', 100_000],
    ]);
  });

  it('applies a promotion only to its categories and within its dates', () => {
    const promotions: Promotion[] = [
      { promotion_id: 'p-phones', type: 'discount', description: 'celulares', percent_bp: 1000, categories: ['phones'] },
      { promotion_id: 'p-past', type: 'discount', description: 'buen fin', percent_bp: 1000, ends_at: '2026-11-20T00:00:00Z' },
      { promotion_id: 'p-later', type: 'cashback', description: 'navidad', percent_bp: 1000, starts_at: '2026-12-01T00:00:00Z' },
      { promotion_id: 'p-now', type: 'cashback', description: 'hoy', fixed_amount: 100, starts_at: '2026-11-22T16:00:00Z', ends_at: '2026-11-23T00:00:00Z' },
    ];
    expect(quoteOffer(product(), retailer(promotions), 1, at).promotions.map((p) => p.promotion_id)).toEqual(['p-now']);
  });

  it('always leaves at least one centavo to charge', () => {
    const quote = quoteOffer(product({ price: 1_000 }), retailer([{ promotion_id: 'p', type: 'discount', description: 'gratis', fixed_amount: 5_000 }]), 1, at);
    expect(quote).toMatchObject({ discount: 999, total: 1 });
  });

  it('keeps the money equation exact for any price, quantity and promotions', () => {
    const promotion = fc.record({
      promotion_id: fc.constantFrom('a', 'b', 'c'),
      type: fc.constantFrom('discount' as const, 'cashback' as const),
      description: fc.constant('x'),
      percent_bp: fc.option(fc.integer({ min: 0, max: 10_000 }), { nil: undefined }),
      fixed_amount: fc.option(fc.integer({ min: 0, max: 1_000_000 }), { nil: undefined }),
      max_amount: fc.option(fc.integer({ min: 0, max: 1_000_000 }), { nil: undefined }),
      min_amount: fc.option(fc.integer({ min: 0, max: 5_000_000 }), { nil: undefined }),
    });
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 10_000_000 }), fc.integer({ min: 1, max: 10 }), fc.array(promotion, { maxLength: 4 }), (price, quantity, promotions) => {
        const quote = quoteOffer(product({ price }), retailer(promotions as Promotion[]), quantity, at);
        expect(quote.subtotal).toBe(price * quantity);
        expect(quote.total).toBe(quote.subtotal - quote.discount);
        expect(quote.total).toBeGreaterThanOrEqual(1);
        expect(quote.discount).toBeGreaterThanOrEqual(0);
        for (const plan of quote.installments) expect(plan.schedule.reduce((a, b) => a + b, 0)).toBe(quote.total);
      }),
      { seed: SEED, numRuns: 300 },
    );
  });
});

describe('choosePlan', () => {
  const quote = quoteOffer(product(), retailer(), 1, at);

  it('finds the plan asked for, or none when none was asked for', () => {
    expect(choosePlan(quote, 6)).toMatchObject({ months: 6, total: 1_499_900, schedule: expect.any(Array) as unknown[] });
    expect(choosePlan(quote, undefined)).toBeUndefined();
  });

  it('refuses months the total does not reach', () => {
    expect(() => choosePlan(quoteOffer(product({ price: 500_000 }), retailer(), 1, at), 9)).toThrow(InstallmentsNotAvailableError);
  });
});

describe('describeOffer and msiMonthsFor', () => {
  it('describes an offer BENEFITS_RESPONSE accepts', () => {
    const offer = describeOffer(product(), retailer([{ promotion_id: 'p-cb', type: 'cashback', description: '5 %', percent_bp: 500 }]), 1, at);
    expect(offer).toMatchObject({ retailer_name: 'ElectroMundo', total: 1_499_900, formatted_total: '$14,999.00 MXN', cashback: 74_995, in_stock: true });
    const response = { request_id: 'r', correlation_id: 'c', user_id: 'u', product_id: 'prod-laptop', quantity: 1, offers: [offer] };
    expect(detailValidator('BENEFITS_RESPONSE')(response)).toBeUndefined();
  });

  it('says an offer is out of stock when there are fewer units than asked for', () => {
    expect(describeOffer(product({ stock: 1 }), retailer(), 2, at).in_stock).toBe(false);
  });

  it('lists the months a catalog shows for one unit, none without a retailer', () => {
    expect(msiMonthsFor(product(), retailer(), at)).toEqual([3, 6, 9, 12]);
    expect(msiMonthsFor(product(), undefined, at)).toEqual([]);
  });
});
