/**
 * Searching the catalog without scanning it: every search reads the `category-index` (partition
 * `category`, sorted by `price`), one category after another in a fixed order, with the price
 * range as the key condition and the words, retailer and stock as filters. The cursor says
 * which category the next page starts in and where, and is bound to the search that made it.
 */
import { createHash } from 'node:crypto';
import type { CatalogQuery } from '@centli/schemas';
import { InvalidCatalogCursorError, InvalidPriceRangeError } from '../errors';
import { CATEGORIES, type Product, type ProductCategory } from './product';

/** Lowercase, without accents, punctuation as spaces: "Portátil Dell-XPS" → "portatil dell xps". */
export function foldText(text: string): string {
  return text
    .normalize('NFD')
    .replace(/\p{M}+/gu, '')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();
}

/** What a product is found by: its name, brand and description, folded. */
export function searchTextFor(product: Pick<Product, 'name' | 'brand' | 'description'>): string {
  return foldText([product.name, product.brand, product.description].filter(Boolean).join(' '));
}

/** The distinct folded words of a search, at most eight. */
export function searchTerms(text: string | undefined): string[] {
  if (text === undefined) return [];
  return [...new Set(foldText(text).split(' ').filter(Boolean))].slice(0, 8);
}

/** One search, as the store runs it against one category. */
export interface CatalogSearch {
  terms: string[];
  retailerId?: string;
  minPrice?: number;
  maxPrice?: number;
  includeOutOfStock: boolean;
  limit: number;
  /** The categories to read, in order. */
  categories: readonly ProductCategory[];
}

/** The index key of an item in `category-index`: where a page starts after it. */
export interface CatalogKey {
  category: string;
  price: number;
  product_id: string;
  retailer_id: string;
}

/** Where the next page starts: the category (by position in the search's list) and the key after which to read. */
export interface CatalogPosition {
  categoryIndex: number;
  after?: CatalogKey;
}

export function planSearch(query: CatalogQuery): CatalogSearch {
  if (query.min_price !== undefined && query.max_price !== undefined && query.min_price > query.max_price) throw new InvalidPriceRangeError();
  return {
    terms: searchTerms(query.text),
    ...(query.retailer_id === undefined ? {} : { retailerId: query.retailer_id }),
    ...(query.min_price === undefined ? {} : { minPrice: query.min_price }),
    ...(query.max_price === undefined ? {} : { maxPrice: query.max_price }),
    includeOutOfStock: query.include_out_of_stock ?? false,
    limit: query.limit ?? 10,
    categories: query.category === undefined ? CATEGORIES : [query.category],
  };
}

/** Whether a product is one the search asks for (the store's filter, spelled out for tests and fakes). */
export function matchesSearch(product: Product, search: CatalogSearch): boolean {
  if (product.status !== 'active') return false;
  if (!search.includeOutOfStock && product.stock <= 0) return false;
  if (search.retailerId !== undefined && product.retailer_id !== search.retailerId) return false;
  if (search.minPrice !== undefined && product.price < search.minPrice) return false;
  if (search.maxPrice !== undefined && product.price > search.maxPrice) return false;
  return search.terms.every((term) => product.search_text.includes(term));
}

function fingerprint(search: CatalogSearch, userId: string): string {
  const { limit: _limit, ...shape } = search;
  return createHash('sha256').update(JSON.stringify([userId, shape])).digest('base64url').slice(0, 16);
}

export function encodeCatalogCursor(search: CatalogSearch, userId: string, position: CatalogPosition | undefined): string | undefined {
  if (!position) return undefined;
  return Buffer.from(JSON.stringify({ f: fingerprint(search, userId), c: position.categoryIndex, k: position.after })).toString('base64url');
}

/** Reads a cursor back; refuses one made by another search (or another customer). */
export function decodeCatalogCursor(search: CatalogSearch, userId: string, cursor: string | undefined): CatalogPosition {
  if (cursor === undefined) return { categoryIndex: 0 };
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw new InvalidCatalogCursorError();
  }
  const { f, c, k } = (parsed ?? {}) as { f?: unknown; c?: unknown; k?: unknown };
  if (f !== fingerprint(search, userId) || typeof c !== 'number' || !Number.isInteger(c) || c < 0 || c >= search.categories.length) throw new InvalidCatalogCursorError();
  if (k === undefined) return { categoryIndex: c };
  const key = k as Partial<CatalogKey> | null;
  const category = search.categories[c] as ProductCategory;
  if (
    key === null ||
    typeof key !== 'object' ||
    key.category !== category ||
    typeof key.price !== 'number' ||
    typeof key.product_id !== 'string' ||
    typeof key.retailer_id !== 'string'
  ) {
    throw new InvalidCatalogCursorError();
  }
  return { categoryIndex: c, after: { category, price: key.price, product_id: key.product_id, retailer_id: key.retailer_id } };
}

export function keyOf(product: Product): CatalogKey {
  return { category: product.category, price: product.price, product_id: product.product_id, retailer_id: product.retailer_id };
}

/** One page of one category, as the store returns it: the matches in index order, and whether the category has more. */
export interface CategoryPage {
  items: Product[];
  /** Set when the category has more items after this page. */
  lastKey?: CatalogKey;
}

/**
 * Collects a page of matches across categories from `position` on. `readPage` reads one page
 * of one category (already filtered by the store). Stops as soon as `limit` matches are
 * found; the next position is just after the last match returned, so nothing is skipped or
 * repeated.
 */
export async function collectPage(
  search: CatalogSearch,
  position: CatalogPosition,
  readPage: (category: ProductCategory, after: CatalogKey | undefined, want: number) => Promise<CategoryPage>,
): Promise<{ products: Product[]; next?: CatalogPosition }> {
  const products: Product[] = [];
  let { categoryIndex, after } = position;
  while (categoryIndex < search.categories.length) {
    const category = search.categories[categoryIndex] as ProductCategory;
    const page = await readPage(category, after, search.limit - products.length);
    const room = search.limit - products.length;
    products.push(...page.items.slice(0, room));
    if (page.items.length > room) {
      return { products, next: { categoryIndex, after: keyOf(products[products.length - 1] as Product) } };
    }
    if (page.lastKey) {
      after = page.lastKey;
    } else {
      categoryIndex += 1;
      after = undefined;
    }
    if (products.length === search.limit) {
      return categoryIndex < search.categories.length ? { products, next: { categoryIndex, ...(after ? { after } : {}) } } : { products };
    }
  }
  return { products };
}
