/** The Marketplace's seed data is consistent with itself, with the schemas and with Core Banking's accounts. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { searchTextFor } from '../../../../services/marketplace/src/domain/catalog';
import { CATEGORIES, INSTALLMENT_MONTHS, type Product, type Retailer } from '../../../../services/marketplace/src/domain/product';
import catalogQuery from '../../../../schemas/events/CATALOG_QUERY.schema.json';

const data = (name: string) => JSON.parse(readFileSync(join(__dirname, '..', '..', '..', '..', 'seed', 'data', `${name}.json`), 'utf8')) as Record<string, unknown>[];
const products = data('products') as unknown as Product[];
const retailers = data('retailers') as unknown as Retailer[];
const accounts = data('accounts') as { user_id: string; account_id: string; currency: string; status: string }[];

describe('seed data for the Marketplace', () => {
  it('uses the catalog’s categories, in the schema’s order', () => {
    expect(catalogQuery.properties.category.enum).toEqual(CATEGORIES);
    for (const p of products) expect(CATEGORIES).toContain(p.category);
  });

  it('stores each product’s search text as the catalog computes it', () => {
    for (const p of products) expect({ id: p.product_id, text: p.search_text }).toEqual({ id: p.product_id, text: searchTextFor(p) });
  });

  it('has whole, positive prices and whole, non-negative stock', () => {
    for (const p of products) {
      expect(Number.isSafeInteger(p.price) && p.price > 0).toBe(true);
      expect(Number.isSafeInteger(p.stock) && p.stock >= 0).toBe(true);
    }
  });

  it('sells every product through a retailer that exists, whose settlement account is an active account in the same currency', () => {
    const byId = new Map(retailers.map((r) => [r.retailer_id, r]));
    for (const p of products) {
      const retailer = byId.get(p.retailer_id);
      expect(retailer).toBeDefined();
      const account = accounts.find((a) => a.account_id === retailer?.settlement_account_id);
      expect(account).toMatchObject({ currency: p.currency, status: 'active' });
    }
  });

  it('offers only 3, 6, 9 and 12 interest-free months', () => {
    for (const r of retailers) for (const plan of r.msi_plans) expect(INSTALLMENT_MONTHS).toContain(plan.months);
  });
});
