import { foldWords } from '../../../../../lib/pure/fold';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { detailValidator, type CatalogQuery } from '@centli/schemas';
import {
  collectPage,
  decodeCatalogCursor,
  encodeCatalogCursor,
  keyOf,
  matchesSearch,
  pageSize,
  planSearch,
  SEARCH_BUDGET,
  UNCAPPED,
  searchTerms,
  searchTextFor,
  type CatalogKey,
  type CatalogSearch,
  type CategoryPage,
} from '../../../../../services/marketplace/src/domain/catalog';
import { CATEGORIES, type Product, type ProductCategory } from '../../../../../services/marketplace/src/domain/product';
import { InvalidCatalogCursorError, InvalidPriceRangeError } from '../../../../../services/marketplace/src/errors';

const SEED = 20261122;
const query = (overrides: Partial<CatalogQuery> = {}): CatalogQuery => ({ request_id: 'r', correlation_id: 'c', user_id: 'user-ana', ...overrides });

describe('searchTerms', () => {
  it('ignores case, accents and punctuation', () => {
    expect(foldWords('  Portátil DELL-XPS 13"  (Cómputo)')).toBe('portatil dell xps 13 computo');
    expect(searchTerms('Lavadora  lavadora WHIRLPOOL')).toEqual(['lavadora', 'whirlpool']);
    expect(searchTerms(undefined)).toEqual([]);
  });

  it('searches a plural as its singular stem, which the product’s text holds in either number', () => {
    // Prepare
    const bocina = searchTextFor({ name: 'Bocina JBL Flip 6', brand: 'JBL', description: 'Portátil' });
    const refrigeradores = searchTextFor({ name: 'Refrigeradores Mabe', brand: 'Mabe', description: '' });

    // Act
    const terms = searchTerms('bocinas refrigeradores televisores Mac');

    // Assess
    expect(terms).toEqual(['bocina', 'refrigerador', 'televisor', 'mac']);
    expect(bocina).toContain('bocina');
    expect(refrigeradores).toContain('refrigerador');
  });

  it.each([['gas'], ['tenis'], ['ios'], ['5g']])('keeps a short word or one that is no plural as it is (%s), or a prefix of it', (word) => {
    const [term] = searchTerms(word);
    expect(word.startsWith(term as string)).toBe(true);
    expect((term as string).length).toBeGreaterThanOrEqual(Math.min(word.length, 3));
  });

  it('finds a product by its name, brand or description', () => {
    const text = searchTextFor({ name: 'Audífonos WH-1000XM5', brand: 'Sony', description: 'Cancelación de ruido' });
    expect(text).toBe('audifonos wh 1000xm5 sony cancelacion de ruido');
    for (const term of searchTerms('sony AUDIFONOS cancelación')) expect(text).toContain(term);
  });
});

describe('planSearch', () => {
  it('reads every category in order unless one is asked for', () => {
    expect(planSearch(query()).categories).toEqual(CATEGORIES);
    expect(planSearch(query({ category: 'phones' })).categories).toEqual(['phones']);
    expect(planSearch(query())).toMatchObject({ includeOutOfStock: false, limit: 10, terms: [] });
  });

  it('refuses a price range that ends before it starts', () => {
    expect(() => planSearch(query({ min_price: 2, max_price: 1 }))).toThrow(InvalidPriceRangeError);
  });
});

const product = (overrides: Partial<Product>): Product => ({
  product_id: 'p',
  retailer_id: 'r',
  name: 'x',
  category: 'computers',
  price: 100,
  currency: 'MXN',
  stock: 1,
  status: 'active',
  search_text: 'x',
  ...overrides,
});

describe('matchesSearch', () => {
  const search = planSearch(query({ text: 'laptop lenovo', retailer_id: 'ret-1', min_price: 100, max_price: 200 }));
  const laptop = product({ retailer_id: 'ret-1', price: 150, search_text: 'laptop lenovo ideapad' });

  it.each([
    ['a match', laptop, true],
    ['a missing word', { ...laptop, search_text: 'laptop hp' }, false],
    ['another retailer', { ...laptop, retailer_id: 'ret-2' }, false],
    ['a price under the range', { ...laptop, price: 99 }, false],
    ['a price over the range', { ...laptop, price: 201 }, false],
    ['no stock', { ...laptop, stock: 0 }, false],
    ['a discontinued product', { ...laptop, status: 'discontinued' as const }, false],
  ])('decides %s', (_, candidate, expected) => {
    expect(matchesSearch(candidate, search)).toBe(expected);
  });

  it('includes products out of stock when asked', () => {
    expect(matchesSearch({ ...laptop, stock: 0 }, { ...search, includeOutOfStock: true })).toBe(true);
  });
});

describe('catalog cursors', () => {
  const search = planSearch(query({ text: 'laptop' }));
  const key: CatalogKey = { category: 'phones', price: 100, product_id: 'p', retailer_id: 'r' };

  it('come back as the position they encode', () => {
    const cursor = encodeCatalogCursor(search, 'user-ana', { categoryIndex: 1, after: key });
    expect(decodeCatalogCursor(search, 'user-ana', cursor)).toEqual({ categoryIndex: 1, after: key });
    expect(decodeCatalogCursor(search, 'user-ana', encodeCatalogCursor(search, 'user-ana', { categoryIndex: 2 }))).toEqual({ categoryIndex: 2 });
    expect(encodeCatalogCursor(search, 'user-ana', undefined)).toBeUndefined();
  });

  it('work for another page size of the same search', () => {
    const cursor = encodeCatalogCursor(search, 'user-ana', { categoryIndex: 1, after: key });
    expect(decodeCatalogCursor({ ...search, limit: 3 }, 'user-ana', cursor)).toEqual({ categoryIndex: 1, after: key });
  });

  it.each([
    ['another search', planSearch(query({ text: 'celular' })), 'user-ana'],
    ['another customer', search, 'user-luis'],
  ])('are refused by %s', (_, other, user) => {
    const cursor = encodeCatalogCursor(search, 'user-ana', { categoryIndex: 1, after: key });
    expect(() => decodeCatalogCursor(other, user, cursor)).toThrow(InvalidCatalogCursorError);
  });

  it.each([
    ['garbage', 'not-a-cursor'],
    ['a key in another category', Buffer.from(JSON.stringify({ f: 'x', c: 0, k: key })).toString('base64url')],
  ])('refuse %s', (_, cursor) => {
    expect(() => decodeCatalogCursor(search, 'user-ana', cursor)).toThrow(InvalidCatalogCursorError);
  });
});

/**
 * A store over an in-memory catalog that reads like the index: by price, at most `evaluate` items
 * per page (fewer when the page is cut short, as DynamoDB's 1 MB does: `pageCut`), filtered after.
 */
function fakeIndex(products: readonly Product[], pageCut = Number.POSITIVE_INFINITY) {
  const order = (a: Product, b: Product) => a.price - b.price || a.product_id.localeCompare(b.product_id) || a.retailer_id.localeCompare(b.retailer_id);
  return async (category: ProductCategory, search: CatalogSearch, after: CatalogKey | undefined, evaluate: number): Promise<CategoryPage> => {
    const all = products.filter((p) => p.category === category).sort(order);
    const start = after ? all.findIndex((p) => JSON.stringify(keyOf(p)) === JSON.stringify(after)) + 1 : 0;
    const size = Math.min(evaluate, pageCut);
    const evaluated = all.slice(start, start + size);
    const last = evaluated.at(-1);
    return { items: evaluated.filter((p) => matchesSearch(p, search)), scanned: evaluated.length, ...(start + size < all.length && last ? { lastKey: keyOf(last) } : {}) };
  };
}

describe('collectPage', () => {
  const arbitraryProduct = fc.record({
    product_id: fc.constantFrom('p1', 'p2', 'p3', 'p4', 'p5', 'p6'),
    retailer_id: fc.constantFrom('r1', 'r2'),
    name: fc.constant('x'),
    category: fc.constantFrom(...CATEGORIES),
    price: fc.integer({ min: 1, max: 50 }),
    currency: fc.constant('MXN'),
    stock: fc.integer({ min: 0, max: 3 }),
    status: fc.constant('active' as const),
    search_text: fc.constantFrom('laptop lenovo', 'laptop hp', 'celular'),
  });
  const catalog = fc.uniqueArray(arbitraryProduct, { selector: (p) => `${p.product_id}|${p.retailer_id}`, maxLength: 30 });

  const budget = fc.record({ pages: fc.integer({ min: 1, max: 4 }), items: fc.integer({ min: 1, max: 12 }), growth: fc.constantFrom(1, 2) });

  it('pages through every match exactly once, in category then price order, whatever the page sizes and read budgets', async () => {
    await fc.assert(
      fc.asyncProperty(catalog, fc.integer({ min: 1, max: 7 }), fc.integer({ min: 1, max: 5 }), budget, fc.constantFrom('laptop', '', 'hp'), async (products, limit, pageCut, cap, text) => {
        const search = planSearch(query({ limit, ...(text ? { text } : {}) }));
        const read = fakeIndex(products, pageCut);
        const seen: Product[] = [];
        let cursor: string | undefined;
        for (let page = 0; page < 1000; page++) {
          const position = decodeCatalogCursor(search, 'user-ana', cursor);
          const result = await collectPage(search, position, (category, after, evaluate) => read(category, search, after, evaluate), cap);
          expect(result.products.length).toBeLessThanOrEqual(limit);
          expect(result.read.pages).toBeLessThanOrEqual(cap.pages);
          // The last page may take the whole of what is left, never more.
          expect(result.read.items).toBeLessThanOrEqual(cap.items);
          seen.push(...result.products);
          cursor = encodeCatalogCursor(search, 'user-ana', result.next);
          if (!cursor) break;
        }
        expect(cursor).toBeUndefined();
        const expected = CATEGORIES.flatMap((category) =>
          products
            .filter((p) => p.category === category && matchesSearch(p, search))
            .sort((a, b) => a.price - b.price || a.product_id.localeCompare(b.product_id) || a.retailer_id.localeCompare(b.retailer_id)),
        );
        expect(seen.map((p) => `${p.product_id}|${p.retailer_id}`)).toEqual(expected.map((p) => `${p.product_id}|${p.retailer_id}`));
      }),
      { seed: SEED, numRuns: 200 },
    );
  });
});

describe('the read budget', () => {
  it('a page evaluates twice what the search still needs, at least 20, at most 100, doubling after each page that matched nothing, never past the budget', () => {
    expect([0, 1, 2, 3].map((barren) => pageSize(SEARCH_BUDGET, barren, 10, 1_000))).toEqual([20, 40, 80, 100]);
    expect(pageSize(SEARCH_BUDGET, 0, 4, 1_000)).toBe(20);
    expect(pageSize(SEARCH_BUDGET, 0, 50, 1_000)).toBe(100);
    expect(pageSize(SEARCH_BUDGET, 3, 10, 60)).toBe(60);
    expect([0, 5].map((n) => pageSize(UNCAPPED, n, 10, Number.POSITIVE_INFINITY))).toEqual([20, 20]);
  });

  it('stops a search for a word nothing has at the cap, wherever the catalog is big', async () => {
    // Prepare: 5,000 computers, none of them a "tractor".
    const products = Array.from({ length: 5_000 }, (_, i) => product({ product_id: `p${i}`, price: i + 1, search_text: 'laptop' }));
    const search = planSearch(query({ text: 'tractor' }));
    let calls = 0;
    const read = fakeIndex(products);

    // Act
    const result = await collectPage(search, { categoryIndex: 0 }, (category, after, evaluate) => {
      calls += 1;
      return read(category, search, after, evaluate);
    });

    // Assess
    expect(result.products).toEqual([]);
    expect(result.read).toEqual({ pages: calls, items: SEARCH_BUDGET.items });
    expect(calls).toBeLessThanOrEqual(SEARCH_BUDGET.pages);
    expect(result.next).toEqual({ categoryIndex: 0, after: keyOf(products[SEARCH_BUDGET.items - 1] as Product) });
  });

  it('still reads a small catalog whole in one request, every category included', async () => {
    const products = CATEGORIES.flatMap((category, i) => [product({ product_id: `a${i}`, category, search_text: 'x' }), product({ product_id: `b${i}`, category, price: 200, search_text: 'x' })]);
    const search = planSearch(query({ text: 'tractor' }));
    const result = await collectPage(search, { categoryIndex: 0 }, (category, after, evaluate) => fakeIndex(products)(category, search, after, evaluate));
    expect(result).toEqual({ products: [], read: { pages: CATEGORIES.length, items: products.length } });
  });
});

describe('the sample next-page event (services/marketplace/events/catalog-query-next-page.json)', () => {
  it('carries a cursor its search accepts: the laptops after the first one a page of one showed', () => {
    const sample = JSON.parse(readFileSync(join(__dirname, '../../../../../services/marketplace/events/catalog-query-next-page.json'), 'utf8')) as { detail: CatalogQuery };
    const { detail } = sample;
    expect(decodeCatalogCursor(planSearch(detail), detail.user_id, detail.cursor)).toEqual({
      categoryIndex: 0,
      after: { category: 'computers', price: 1_189_900, product_id: 'prod-laptop-hp-pavilion-15', retailer_id: 'ret-electromundo' },
    });
  });
});

describe('catalog cursors, against tampering', () => {
  const search = planSearch(query({ text: 'laptop', min_price: 100, max_price: 5_000 }));
  const key: CatalogKey = { category: 'phones', price: 1_000, product_id: 'prod-1', retailer_id: 'ret-1' };
  const cursor = encodeCatalogCursor(search, 'user-ana', { categoryIndex: 1, after: key }) as string;
  const payload = (fields: Record<string, unknown>) => Buffer.from(JSON.stringify(fields)).toString('base64url');
  const original = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as { c: number; k: CatalogKey; d: string };

  it('refuses every cursor that differs from one it made by one character', () => {
    const alphabet = 'AQgw_-09aZ';
    let tried = 0;
    for (let at = 0; at < cursor.length; at++) {
      for (const replacement of alphabet) {
        if (replacement === cursor[at]) continue;
        const altered = `${cursor.slice(0, at)}${replacement}${cursor.slice(at + 1)}`;
        tried += 1;
        expect(() => decodeCatalogCursor(search, 'user-ana', altered)).toThrow(InvalidCatalogCursorError);
      }
    }
    expect(tried).toBeGreaterThan(cursor.length * 8);
  });

  it.each([
    ['a price under the search’s range, which DynamoDB would refuse as a start key', { ...original.k, price: 99 }],
    ['a price over it', { ...original.k, price: 5_001 }],
    ['a price that is not an integer', { ...original.k, price: 1_000.5 }],
    ['a product id no product can have', { ...original.k, product_id: '' }],
    ['a retailer id longer than any id', { ...original.k, retailer_id: 'r'.repeat(129) }],
  ])('refuses a key with %s, even with its digest recomputed', (_, k) => {
    // The digest is computed as the encoder would, so only the key check can refuse it.
    const forged = encodeCatalogCursor(search, 'user-ana', { categoryIndex: 1, after: k as CatalogKey }) as string;
    expect(() => decodeCatalogCursor(search, 'user-ana', forged)).toThrow(InvalidCatalogCursorError);
  });

  it.each([
    ['an array', []],
    ['null', null],
    ['a category index past the search’s', { ...original, c: 6 }],
    ['an extra field', { ...original, x: 1 }],
    ['a key with an extra attribute, its digest intact', { ...original, k: { ...original.k, stock: 1 } }],
    ['the same position spelled with its key in another order', { c: original.c, k: { retailer_id: original.k.retailer_id, price: original.k.price, category: original.k.category, product_id: original.k.product_id }, d: original.d }],
    ['the digest missing', { c: original.c, k: original.k }],
  ])('refuses a payload that is %s', (_, fields) => {
    expect(() => decodeCatalogCursor(search, 'user-ana', payload(fields as Record<string, unknown>))).toThrow(InvalidCatalogCursorError);
  });

  it('accepts only keys DynamoDB can start this search after, whatever a caller sends', () => {
    const value = fc.oneof(fc.string(), fc.integer({ min: -10, max: 10_000 }), fc.double(), fc.constant(null), fc.constantFrom('phones', 'computers', 'prod-1'));
    fc.assert(
      fc.property(fc.integer({ min: -1, max: 7 }), fc.dictionary(fc.constantFrom('category', 'price', 'product_id', 'retailer_id', 'x'), value), (c, k) => {
        let position;
        try {
          position = decodeCatalogCursor(search, 'user-ana', encodeCatalogCursor(search, 'user-ana', { categoryIndex: c, after: k as unknown as CatalogKey }));
        } catch (error) {
          expect(error).toBeInstanceOf(InvalidCatalogCursorError);
          return;
        }
        const after = position.after as CatalogKey;
        expect(after.category).toBe(search.categories[position.categoryIndex]);
        expect(Number.isSafeInteger(after.price) && after.price >= 100 && after.price <= 5_000).toBe(true);
        expect([after.product_id, after.retailer_id].every((id) => /^[A-Za-z0-9][A-Za-z0-9._:-]{0,127}$/.test(id))).toBe(true);
      }),
      { seed: SEED, numRuns: 500 },
    );
  });

  it('are never longer than the schemas allow, for the longest ids and highest prices', () => {
    const longest = planSearch(query({ text: 'a b c d e f g h', category: 'appliances', retailer_id: 'r'.repeat(128), min_price: 0, max_price: 100_000_000_000 }));
    const made = encodeCatalogCursor(longest, 'u'.repeat(128), {
      categoryIndex: 0,
      after: { category: 'appliances', price: 100_000_000_000, product_id: 'p'.repeat(128), retailer_id: 'r'.repeat(128) },
    }) as string;
    expect(detailValidator('CATALOG_QUERY')({ ...query(), cursor: made })).toBeUndefined();
    expect(detailValidator('CATALOG_RESPONSE')({ ...query(), products: [], next_cursor: made })).toBeUndefined();
    expect(decodeCatalogCursor(longest, 'u'.repeat(128), made).after?.price).toBe(100_000_000_000);
  });
});
