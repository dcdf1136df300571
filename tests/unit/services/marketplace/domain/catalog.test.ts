import fc from 'fast-check';
import type { CatalogQuery } from '@centli/schemas';
import {
  collectPage,
  decodeCatalogCursor,
  encodeCatalogCursor,
  foldText,
  keyOf,
  matchesSearch,
  planSearch,
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

describe('foldText and searchTerms', () => {
  it('ignores case, accents and punctuation', () => {
    expect(foldText('  Portátil DELL-XPS 13"  (Cómputo)')).toBe('portatil dell xps 13 computo');
    expect(searchTerms('Lavadora  lavadora WHIRLPOOL')).toEqual(['lavadora', 'whirlpool']);
    expect(searchTerms(undefined)).toEqual([]);
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

/** A store over an in-memory catalog that reads like the index: by price, `evaluate` items per page, filtered after. */
function fakeIndex(products: readonly Product[], evaluate: number) {
  const order = (a: Product, b: Product) => a.price - b.price || a.product_id.localeCompare(b.product_id) || a.retailer_id.localeCompare(b.retailer_id);
  return async (category: ProductCategory, search: CatalogSearch, after: CatalogKey | undefined): Promise<CategoryPage> => {
    const all = products.filter((p) => p.category === category).sort(order);
    const start = after ? all.findIndex((p) => JSON.stringify(keyOf(p)) === JSON.stringify(after)) + 1 : 0;
    const evaluated = all.slice(start, start + evaluate);
    const last = evaluated.at(-1);
    return { items: evaluated.filter((p) => matchesSearch(p, search)), ...(start + evaluate < all.length && last ? { lastKey: keyOf(last) } : {}) };
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

  it('pages through every match exactly once, in category then price order, whatever the page sizes', async () => {
    await fc.assert(
      fc.asyncProperty(catalog, fc.integer({ min: 1, max: 7 }), fc.integer({ min: 1, max: 5 }), fc.constantFrom('laptop', '', 'hp'), async (products, limit, evaluate, text) => {
        const search = planSearch(query({ limit, ...(text ? { text } : {}) }));
        const read = fakeIndex(products, evaluate);
        const seen: Product[] = [];
        let cursor: string | undefined;
        for (let page = 0; page < 100; page++) {
          const position = decodeCatalogCursor(search, 'user-ana', cursor);
          const result = await collectPage(search, position, (category, after) => read(category, search, after));
          expect(result.products.length).toBeLessThanOrEqual(limit);
          seen.push(...result.products);
          cursor = encodeCatalogCursor(search, 'user-ana', result.next);
          if (!cursor) break;
        }
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
