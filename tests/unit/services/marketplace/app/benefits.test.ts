import type { OutgoingEvent } from '@centli/pure/events';
import { detailValidator, type BenefitsQuery } from '@centli/schemas';
import type { Product, Retailer } from '../../../../../services/marketplace/src/domain/product';
import { ProductNotOfferedError } from '../../../../../services/marketplace/src/errors';
import { getBenefits, type BenefitsDeps } from '../../../../../services/marketplace/src/app/benefits';

const listing = (retailer_id: string, price: number, extra: Partial<Product> = {}): Product => ({
  product_id: 'prod-laptop',
  retailer_id,
  name: 'Laptop',
  category: 'computers',
  price,
  currency: 'MXN',
  stock: 2,
  status: 'active',
  search_text: 'laptop',
  ...extra,
});
const retailers = new Map<string, Retailer>([
  ['ret-a', { retailer_id: 'ret-a', name: 'A', settlement_account_id: 'acc-a', msi_plans: [{ months: 12, min_amount: 1_000_000 }], promotions: [{ promotion_id: 'cb', type: 'cashback', description: '5 %', percent_bp: 500 }] }],
  ['ret-b', { retailer_id: 'ret-b', name: 'B', settlement_account_id: 'acc-b', msi_plans: [{ months: 3, min_amount: 100_000 }], promotions: [{ promotion_id: 'd10', type: 'discount', description: '10 %', percent_bp: 1000 }] }],
]);
const listings = [listing('ret-a', 1_499_900), listing('ret-b', 1_549_900), listing('ret-c', 1_000), listing('ret-a2', 1, { status: 'discontinued' })];

const deps = (): BenefitsDeps => ({
  store: {
    listOffers: async () => listings,
    getProduct: async (_p: string, retailerId: string) => listings.find((l) => l.retailer_id === retailerId),
    getRetailers: async (ids: readonly string[]) => new Map([...retailers].filter(([id]) => ids.includes(id))),
  },
  now: () => new Date('2026-11-22T16:00:00Z'),
});
const query = (extra: Partial<BenefitsQuery> = {}): BenefitsQuery => ({ request_id: 'r', correlation_id: 'c', user_id: 'user-ana', product_id: 'prod-laptop', ...extra });

describe('getBenefits', () => {
  it('answers every active retailer’s offer, best total first, with plans, discounts and cashback', async () => {
    const answer = (await getBenefits(query({ quantity: 2 }), deps())) as OutgoingEvent<'BENEFITS_RESPONSE'>;

    expect(answer.detail.offers.map((o) => [o.retailer_id, o.total, o.discount, o.cashback, o.installments.map((p) => p.months), o.in_stock])).toEqual([
      ['ret-b', 2_789_820, 309_980, 0, [3], true],
      ['ret-a', 2_999_800, 0, 149_990, [12], true],
    ]);
    expect(answer.detail.quantity).toBe(2);
    expect(detailValidator('BENEFITS_RESPONSE')(answer.detail)).toBeUndefined();
  });

  it('answers one retailer’s offer when asked', async () => {
    const answer = (await getBenefits(query({ retailer_id: 'ret-a' }), deps())) as OutgoingEvent<'BENEFITS_RESPONSE'>;
    expect(answer.detail.offers.map((o) => o.retailer_id)).toEqual(['ret-a']);
    expect(answer.detail.offers[0]?.installments[0]?.schedule.reduce((a, b) => a + b, 0)).toBe(1_499_900);
  });

  it('refuses a product nobody sells', async () => {
    await expect(getBenefits(query({ retailer_id: 'ret-none' }), deps())).rejects.toThrow(ProductNotOfferedError);
  });
});
