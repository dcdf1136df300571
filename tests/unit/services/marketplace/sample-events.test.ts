/** The samples in services/marketplace/events are what `sls invoke local` sends: they must be valid. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { taskValidator, type PurchaseRequest } from '@centli/schemas';
import { quoteOffer } from '../../../../services/marketplace/src/domain/benefits';
import type { Product, Retailer } from '../../../../services/marketplace/src/domain/product';
import { describeSampleEvents } from '../sample-events';

const samples = new Map(describeSampleEvents('marketplace'));
const seed = <T>(name: string) => JSON.parse(readFileSync(join(__dirname, '..', '..', '..', '..', 'seed', 'data', `${name}.json`), 'utf8')) as T[];
const products = seed<Product>('products');
const retailers = seed<Retailer>('retailers');

/** Every purchase request among the samples, the reservation task's included. */
const purchaseRequests = [...samples].flatMap(([file, sample]) => {
  if (sample['detail-type'] === 'PURCHASE_REQUEST') return [[file, sample.detail as PurchaseRequest] as const];
  if (file === 'reserve-inventory.json') return [[file, sample.request as PurchaseRequest] as const];
  return [];
});

describe('the marketplace samples', () => {
  it('have a valid input for the reserve-inventory task', () => {
    // Assess
    expect(taskValidator('reserve-inventory', 'input')(samples.get('reserve-inventory.json'))).toBeUndefined();
  });

  it('include purchase requests', () => {
    // Assess
    expect(purchaseRequests.map(([file]) => file).sort()).toEqual(['purchase-request-insufficient-funds.json', 'purchase-request-out-of-stock.json', 'purchase-request.json', 'reserve-inventory.json']);
  });

  it.each(purchaseRequests)('%s approves what the seed’s catalog charges for it today, so the reservation does not refuse it as a price change', (_file, request) => {
    // Prepare
    const product = products.find((p) => p.product_id === request.product_id && p.retailer_id === request.retailer_id) as Product;
    const retailer = retailers.find((r) => r.retailer_id === request.retailer_id) as Retailer;

    // Act
    const quote = quoteOffer(product, retailer, request.quantity, new Date());

    // Assess
    const plan = quote.installments.find((p) => p.months === request.installments);
    expect({ total: request.total, currency: request.currency, monthly_amount: request.monthly_amount }).toEqual({ total: quote.total, currency: quote.currency, monthly_amount: plan?.monthly_amount });
  });
});
