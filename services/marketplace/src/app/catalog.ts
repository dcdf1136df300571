/**
 * CATALOG_QUERY → CATALOG_RESPONSE: a page of matching products, cheapest first within each
 * category, read within the search's budget; `next_cursor` goes on where it stopped.
 */
import type { Answer } from '@centli/kit/event-handler';
import { outgoing } from '@centli/pure/events';
import { formatMoney } from '@centli/pure/money';
import type { CatalogProduct, CatalogQuery } from '@centli/schemas';
import type { CatalogStore } from '../adapters/catalog-store';
import { msiMonthsFor } from '../domain/benefits';
import { collectPage, decodeCatalogCursor, encodeCatalogCursor, planSearch, SEARCH_BUDGET, type ReadBudget } from '../domain/catalog';
import type { Product, Retailer } from '../domain/product';

export interface CatalogDeps {
  store: Pick<CatalogStore, 'readCategoryPage' | 'getRetailers'>;
  now: () => Date;
  /** What one request may read; SEARCH_BUDGET unless a benchmark measures another. */
  budget?: ReadBudget;
}

export async function searchCatalog(query: CatalogQuery, deps: CatalogDeps): Promise<Answer> {
  const search = planSearch(query);
  const position = decodeCatalogCursor(search, query.user_id, query.cursor);
  const page = await collectPage(search, position, (category, after, evaluate) => deps.store.readCategoryPage(category, search, after, evaluate), deps.budget ?? SEARCH_BUDGET);
  const retailers = await deps.store.getRetailers(page.products.map((product) => product.retailer_id));
  const now = deps.now();
  const nextCursor = encodeCatalogCursor(search, query.user_id, page.next);
  return outgoing('CATALOG_RESPONSE', {
    request_id: query.request_id,
    correlation_id: query.correlation_id,
    user_id: query.user_id,
    products: page.products.map((product) => toWire(product, retailers.get(product.retailer_id), now)),
    ...(nextCursor === undefined ? {} : { next_cursor: nextCursor }),
  });
}

function toWire(product: Product, retailer: Retailer | undefined, now: Date): CatalogProduct {
  return {
    product_id: product.product_id,
    retailer_id: product.retailer_id,
    ...(retailer ? { retailer_name: retailer.name } : {}),
    name: product.name,
    ...(product.brand === undefined ? {} : { brand: product.brand }),
    ...(product.description === undefined ? {} : { description: product.description }),
    category: product.category,
    price: product.price,
    currency: product.currency,
    formatted_price: formatMoney(product.price, product.currency),
    stock: Math.max(0, product.stock),
    in_stock: product.stock > 0,
    msi_months: msiMonthsFor(product, retailer, now),
  };
}
