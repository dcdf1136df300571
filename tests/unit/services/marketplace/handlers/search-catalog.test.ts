import type { OutgoingEvent } from '@centli/kit';
import { detailValidator, type CatalogQuery, type CatalogResponse } from '@centli/schemas';
import type { CatalogKey, CatalogSearch } from '../../../../../services/marketplace/src/domain/catalog';
import { keyOf, matchesSearch } from '../../../../../services/marketplace/src/domain/catalog';
import type { Product, ProductCategory, Retailer } from '../../../../../services/marketplace/src/domain/product';
import { InvalidCatalogCursorError } from '../../../../../services/marketplace/src/errors';
import { searchCatalog, type CatalogDeps } from '../../../../../services/marketplace/src/handlers/search-catalog';

const product = (id: string, category: ProductCategory, price: number, extra: Partial<Product> = {}): Product => ({
  product_id: id,
  retailer_id: 'ret-1',
  name: id,
  category,
  price,
  currency: 'MXN',
  stock: 3,
  status: 'active',
  search_text: `${id} laptop`,
  ...extra,
});
const catalog = [
  product('laptop-a', 'computers', 1_499_900),
  product('laptop-b', 'computers', 500_000, { stock: 0 }),
  product('laptop-c', 'computers', 900_000, { retailer_id: 'ret-unknown' }),
  product('phone-a', 'phones', 799_900, { search_text: 'phone' }),
  product('console-a', 'gaming', 999_900),
];
const retailer: Retailer = { retailer_id: 'ret-1', name: 'ElectroMundo', settlement_account_id: 'acc', msi_plans: [{ months: 3, min_amount: 1_000_000 }], promotions: [] };

function deps(): CatalogDeps {
  return {
    store: {
      readCategoryPage: async (category: ProductCategory, search: CatalogSearch, after: CatalogKey | undefined) => {
        const all = catalog.filter((p) => p.category === category).sort((a, b) => a.price - b.price);
        const start = after ? all.findIndex((p) => p.product_id === after.product_id) + 1 : 0;
        return { items: all.slice(start).filter((p) => matchesSearch(p, search)) };
      },
      getRetailers: async (ids: readonly string[]) => new Map(ids.includes('ret-1') ? [['ret-1', retailer]] : []),
    },
    now: () => new Date('2026-11-22T16:00:00Z'),
  };
}

const query = (extra: Partial<CatalogQuery> = {}): CatalogQuery => ({ request_id: 'r', correlation_id: 'c', user_id: 'user-ana', ...extra });
const run = async (q: CatalogQuery) => (await searchCatalog(q, deps())) as OutgoingEvent<'CATALOG_RESPONSE'>;

describe('searchCatalog', () => {
  it('answers matching in-stock products, cheapest first, with the retailer and its interest-free plans', async () => {
    const answer = await run(query({ text: 'LAPTOP' }));

    expect(answer.detailType).toBe('CATALOG_RESPONSE');
    expect(answer.detail.products.map((p) => [p.product_id, p.retailer_name ?? null, p.msi_months])).toEqual([
      ['laptop-c', null, []],
      ['laptop-a', 'ElectroMundo', [3]],
      ['console-a', 'ElectroMundo', []],
    ]);
    expect(answer.detail.products[1]).toMatchObject({ formatted_price: '$14,999.00 MXN', in_stock: true, stock: 3 });
    expect(detailValidator('CATALOG_RESPONSE')(answer.detail)).toBeUndefined();
  });

  it('shows products out of stock when asked', async () => {
    const answer = await run(query({ category: 'computers', include_out_of_stock: true }));
    expect(answer.detail.products.map((p) => [p.product_id, p.in_stock])).toEqual([
      ['laptop-b', false],
      ['laptop-c', true],
      ['laptop-a', true],
    ]);
  });

  it('pages with a cursor that picks up where the last page stopped', async () => {
    const first = await run(query({ text: 'laptop', limit: 2 }));
    const cursor = first.detail.next_cursor as string;
    expect(cursor).toEqual(expect.any(String));
    const second = await run(query({ text: 'laptop', limit: 2, cursor }));

    expect([...first.detail.products, ...second.detail.products].map((p) => p.product_id)).toEqual(['laptop-c', 'laptop-a', 'console-a']);
    expect((second.detail as CatalogResponse).next_cursor).toBeUndefined();
  });

  it('refuses a cursor from another search', async () => {
    const first = await run(query({ text: 'laptop', limit: 1 }));
    await expect(run(query({ text: 'phone', limit: 1, cursor: first.detail.next_cursor as string }))).rejects.toThrow(InvalidCatalogCursorError);
  });

  it('uses the index key of the last product returned as the page boundary', () => {
    expect(keyOf(catalog[0] as Product)).toEqual({ category: 'computers', price: 1_499_900, product_id: 'laptop-a', retailer_id: 'ret-1' });
  });
});
