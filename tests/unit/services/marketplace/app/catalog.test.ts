import type { OutgoingEvent } from '@centli/pure/events';
import { detailValidator, type CatalogQuery, type CatalogResponse } from '@centli/schemas';
import type { CatalogKey, CatalogSearch, ReadBudget } from '../../../../../services/marketplace/src/domain/catalog';
import { keyOf, matchesSearch, SEARCH_BUDGET, UNCAPPED } from '../../../../../services/marketplace/src/domain/catalog';
import { CATEGORIES, type Product, type ProductCategory, type Retailer } from '../../../../../services/marketplace/src/domain/product';
import { InvalidCatalogCursorError } from '../../../../../services/marketplace/src/errors';
import { searchCatalog, type CatalogDeps } from '../../../../../services/marketplace/src/app/catalog';

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

const byIndexOrder = (a: Product, b: Product) => a.price - b.price || a.product_id.localeCompare(b.product_id) || a.retailer_id.localeCompare(b.retailer_id);

/**
 * A store over an in-memory catalog that reads like the `category-index`: in price order,
 * evaluating `evaluate` items per page and filtering after, as DynamoDB does; it counts the
 * pages and the items it evaluated.
 */
function indexOver(products: readonly Product[]) {
  const categories = new Map<ProductCategory, Product[]>();
  for (const p of [...products].sort(byIndexOrder)) categories.set(p.category, [...(categories.get(p.category) ?? []), p]);
  const position = new Map([...categories.values()].flatMap((items) => items.map((p, i) => [JSON.stringify(keyOf(p)), i] as const)));
  const reads = { pages: 0, items: 0 };
  const readCategoryPage = async (category: ProductCategory, search: CatalogSearch, after: CatalogKey | undefined, evaluate: number) => {
    const all = categories.get(category) ?? [];
    const start = after ? (position.get(JSON.stringify(keyOf({ ...after } as Product))) as number) + 1 : 0;
    const evaluated = all.slice(start, start + evaluate);
    reads.pages += 1;
    reads.items += evaluated.length;
    const last = evaluated.at(-1);
    return { items: evaluated.filter((p) => matchesSearch(p, search)), scanned: evaluated.length, ...(start + evaluate < all.length && last ? { lastKey: keyOf(last) } : {}) };
  };
  return { readCategoryPage, reads };
}

function deps(products: readonly Product[] = catalog, budget?: ReadBudget): CatalogDeps & { reads: { pages: number; items: number } } {
  const index = indexOver(products);
  return {
    store: {
      readCategoryPage: index.readCategoryPage,
      getRetailers: async (ids: readonly string[]) => new Map(ids.includes('ret-1') ? [['ret-1', retailer]] : []),
    },
    now: () => new Date('2026-11-22T16:00:00Z'),
    reads: index.reads,
    ...(budget ? { budget } : {}),
  };
}

const query = (extra: Partial<CatalogQuery> = {}): CatalogQuery => ({ request_id: 'r', correlation_id: 'c', user_id: 'user-ana', ...extra });
const run = async (q: CatalogQuery, with_: CatalogDeps = deps()) => (await searchCatalog(q, with_)) as OutgoingEvent<'CATALOG_RESPONSE'>;

/** A catalog of `size` products over every category: none has the word "tractor", every other one is a "centli", every 50th a "laptop". */
function bigCatalog(size: number): Product[] {
  return Array.from({ length: size }, (_, i) =>
    product(`prod-${String(i).padStart(5, '0')}`, CATEGORIES[i % CATEGORIES.length] as ProductCategory, 10_000 + ((i * 7_919) % 5_000_000), {
      search_text: `${i % 2 === 0 ? 'centli ' : ''}${i % 50 === 0 ? 'laptop' : 'producto'} modelo ${i}`,
    }),
  );
}

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

  it('stops a search for a word nothing has at the read cap on a big catalog, and answers a cursor to go on', async () => {
    // Prepare
    const store = deps(bigCatalog(10_000));

    // Act
    const answer = await run(query({ text: 'tractor' }), store);

    // Assess
    expect(answer.detail.products).toEqual([]);
    expect(answer.detail.next_cursor).toEqual(expect.any(String));
    expect(detailValidator('CATALOG_RESPONSE')(answer.detail)).toBeUndefined();
    expect(store.reads.pages).toBeLessThanOrEqual(SEARCH_BUDGET.pages);
    expect(store.reads.items).toBeLessThanOrEqual(SEARCH_BUDGET.items);
    expect(store.reads.items).toBeGreaterThan(0);
  });

  it('reads the whole catalog for that word without the cap (what one search did before it)', async () => {
    const store = deps(bigCatalog(10_000), UNCAPPED);
    const answer = await run(query({ text: 'tractor' }), store);
    expect(answer.detail).not.toHaveProperty('next_cursor');
    expect(store.reads.items).toBe(10_000);
  });

  it('reads exactly what it read without the cap for a word many products have', async () => {
    // Prepare
    const capped = deps(bigCatalog(10_000));
    const uncapped = deps(bigCatalog(10_000), UNCAPPED);

    // Act
    const answer = await run(query({ text: 'centli' }), capped);
    const before = await run(query({ text: 'centli' }), uncapped);

    // Assess
    expect(answer.detail.products).toHaveLength(10);
    expect(answer.detail.products).toEqual(before.detail.products);
    expect(capped.reads).toEqual(uncapped.reads);
    expect(capped.reads.pages).toBe(1);
  });

  it('finds a page of a rarer word within the cap in fewer round trips, growing its pages while they match nothing', async () => {
    // Prepare: 1 computer in 25 is a "laptop"; ten of them lie within the first 240 computers.
    const capped = deps(bigCatalog(10_000));
    const uncapped = deps(bigCatalog(10_000), UNCAPPED);

    // Act
    const answer = await run(query({ text: 'laptop' }), capped);
    const before = await run(query({ text: 'laptop' }), uncapped);

    // Assess
    expect(answer.detail.products).toEqual(before.detail.products);
    expect(answer.detail.products).toHaveLength(10);
    expect(capped.reads.items).toBeLessThanOrEqual(uncapped.reads.items);
    expect(capped.reads.pages).toBeLessThan(uncapped.reads.pages);
  });

  it('finds every match of a search, cap after cap, by following the cursors, each request within the cap', async () => {
    // Prepare: a word 1 product in 50 has, scattered over 3,000 products in every category.
    const products = bigCatalog(3_000);
    const expected = CATEGORIES.flatMap((category) => products.filter((p) => p.category === category && p.search_text.includes('laptop')).sort(byIndexOrder)).map((p) => p.product_id);
    const found: string[] = [];
    let cursor: string | undefined;
    let requests = 0;

    // Act
    do {
      const store = deps(products);
      const answer = await run(query({ text: 'laptop', limit: 50, ...(cursor ? { cursor } : {}) }), store);
      requests += 1;
      expect(store.reads.items).toBeLessThanOrEqual(SEARCH_BUDGET.items);
      expect(store.reads.pages).toBeLessThanOrEqual(SEARCH_BUDGET.pages);
      found.push(...answer.detail.products.map((p) => p.product_id));
      cursor = answer.detail.next_cursor;
    } while (cursor && requests < 100);

    // Assess
    expect(found).toEqual(expected);
    expect(requests).toBeGreaterThanOrEqual(Math.ceil(3_000 / SEARCH_BUDGET.items));
  });

  it.each([
    ['a character changed', (cursor: string) => `${cursor.slice(0, 10)}${cursor[10] === 'A' ? 'B' : 'A'}${cursor.slice(11)}`],
    ['the position moved, digest kept', (cursor: string) => {
      const parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as { c: number; k?: { price: number } };
      if (parsed.k) parsed.k.price += 1;
      else parsed.c += 1;
      return Buffer.from(JSON.stringify(parsed)).toString('base64url');
    }],
    ['characters outside base64url', (cursor: string) => `${cursor}!!`],
  ])('refuses a tampered cursor (%s) with a clear error naming the field', async (_, tamper) => {
    // Prepare
    const store = deps(bigCatalog(2_000));
    const first = await run(query({ text: 'tractor' }), store);

    // Act
    const refused = run(query({ text: 'tractor', cursor: tamper(first.detail.next_cursor as string) }), store);

    // Assess
    await expect(refused).rejects.toThrow(InvalidCatalogCursorError);
    await expect(refused).rejects.toMatchObject({ code: 'CATALOG.INVALID_CURSOR', field: 'cursor', message: 'The cursor does not belong to this search; start again without it.' });
  });

  it('refuses another customer’s cursor for the same search', async () => {
    const first = await run(query({ text: 'tractor' }), deps(bigCatalog(2_000)));
    await expect(run(query({ text: 'tractor', user_id: 'user-luis', cursor: first.detail.next_cursor as string }), deps(bigCatalog(2_000)))).rejects.toThrow(InvalidCatalogCursorError);
  });

  it('uses the index key of the last product returned as the page boundary', () => {
    expect(keyOf(catalog[0] as Product)).toEqual({ category: 'computers', price: 1_499_900, product_id: 'laptop-a', retailer_id: 'ret-1' });
  });
});
