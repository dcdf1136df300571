/** BENEFITS_QUERY → BENEFITS_RESPONSE: each retailer's offer for the product, with its interest-free plans, discounts and cashback. */
import type { Answer } from '@centli/kit/event-handler';
import { outgoing } from '@centli/pure/events';
import type { BenefitsQuery } from '@centli/schemas';
import type { CatalogStore } from '../adapters/catalog-store';
import { describeOffer } from '../domain/benefits';
import type { Product } from '../domain/product';
import { ProductNotOfferedError } from '../errors';

export interface BenefitsDeps {
  store: Pick<CatalogStore, 'getProduct' | 'listOffers' | 'getRetailers'>;
  now: () => Date;
}

export async function getBenefits(query: BenefitsQuery, deps: BenefitsDeps): Promise<Answer> {
  const quantity = query.quantity ?? 1;
  let listings: Product[];
  if (query.retailer_id === undefined) {
    listings = await deps.store.listOffers(query.product_id);
  } else {
    const listing = await deps.store.getProduct(query.product_id, query.retailer_id);
    listings = listing ? [listing] : [];
  }
  listings = listings.filter((product) => product.status === 'active');
  const retailers = await deps.store.getRetailers(listings.map((product) => product.retailer_id));
  const now = deps.now();
  const offers = listings.flatMap((product) => {
    const retailer = retailers.get(product.retailer_id);
    return retailer ? [describeOffer(product, retailer, quantity, now)] : [];
  });
  if (offers.length === 0) throw new ProductNotOfferedError();
  // The best deal first: the lowest total, then the most cashback.
  offers.sort((a, b) => a.total - b.total || b.cashback - a.cashback || a.retailer_id.localeCompare(b.retailer_id));
  return outgoing('BENEFITS_RESPONSE', {
    request_id: query.request_id,
    correlation_id: query.correlation_id,
    user_id: query.user_id,
    product_id: query.product_id,
    quantity,
    offers,
  });
}
