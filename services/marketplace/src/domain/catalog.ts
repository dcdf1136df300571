/**
 * Searching the catalog without scanning it: every search reads the `category-index` (partition
 * `category`, sorted by `price`), one category after another in a fixed order, with the price
 * range as the key condition and the words, retailer and stock as filters.
 *
 * A filter does not make DynamoDB read less: a word that matches nothing is still read, item by
 * item, through every category. So one request reads at most `SEARCH_BUDGET` (pages and items
 * evaluated) and answers what it found so far with a cursor; the next request goes on from
 * there. A page can therefore hold fewer products than asked, even none, and still have a
 * cursor. The cursor says which category the next page starts in and where, is bound to the
 * customer and the search that made it, and carries a digest of all of that, so a cursor that
 * was altered, or belongs to another search or customer, is refused.
 */
import { createHash } from 'node:crypto';
import type { CatalogQuery } from '@centli/schemas';
import { foldWords } from '@centli/pure/fold';
import { InvalidCatalogCursorError, InvalidPriceRangeError } from '../errors';
import { CATEGORIES, type Product, type ProductCategory } from './product';

/** What a product is found by: its name, brand and description, folded. */
export function searchTextFor(product: Pick<Product, 'name' | 'brand' | 'description'>): string {
  return foldWords([product.name, product.brand, product.description].filter(Boolean).join(' '));
}

/** The distinct folded words of a search, each as its singular stem, at most eight. */
export function searchTerms(text: string | undefined): string[] {
  if (text === undefined) return [];
  return [...new Set(foldWords(text).split(' ').filter(Boolean).map(singularStem))].slice(0, 8);
}

/**
 * A Spanish or English plural as the stem its singular starts with ("bocinas" → "bocina",
 * "refrigeradores" → "refrigerador", "phones" → "phone"): a search matches words inside the
 * product's text, so the stem finds the product whichever number names it, and since it is a
 * prefix of the word it never finds less than the word would. Words of four letters or fewer are
 * left as they are ("gas", "ios").
 */
function singularStem(word: string): string {
  if (word.length <= 4 || !word.endsWith('s') || /\d/.test(word)) return word;
  // "-es" after a consonant is the plural's ("refrigeradores", "televisores"); after a vowel only "s" is.
  if (/[^aeiou]es$/.test(word) && word.length > 5) return word.slice(0, -2);
  return word.slice(0, -1);
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

/**
 * What one request may read before it answers. DynamoDB charges a query for every item it
 * evaluates, matching the filters or not (`ScannedCount`), so the budget counts those, and
 * the pages (round trips) that read them.
 */
export interface ReadBudget {
  /** Query calls. */
  pages: number;
  /** Items evaluated (DynamoDB's ScannedCount), matches and non-matches alike. */
  items: number;
  /** How much bigger a page is after a page of the same request that matched nothing (1: every page the same size). */
  growth: number;
}

/**
 * The cap: at most 400 items (about 25 read units at half a kilobyte an item, eventually
 * consistent) in at most 10 round trips per request. A page that matched nothing doubles the
 * next, so a rare word gets through the budget in few round trips while a common one reads
 * what it did before the cap. A small catalog (six categories, a few pages each) is still
 * searched whole in one request.
 */
export const SEARCH_BUDGET: ReadBudget = { pages: 10, items: 400, growth: 2 };

/** No cap, every page the same size: how a search read before the cap (kept to measure against). */
export const UNCAPPED: ReadBudget = { pages: Number.POSITIVE_INFINITY, items: Number.POSITIVE_INFINITY, growth: 1 };

/** DynamoDB evaluates at most this many items per page here; the first page of a request reads twice what it still needs, at least 20. */
export const MIN_PAGE_ITEMS = 20;
export const MAX_PAGE_ITEMS = 100;

/** How many items a page evaluates: twice the `want`ed matches (at least 20), grown after `barren` pages in a row matched nothing, within the page and what is left of the budget. */
export function pageSize(budget: ReadBudget, barren: number, want: number, itemsLeft: number): number {
  const base = Math.max(MIN_PAGE_ITEMS, want * 2);
  return Math.max(1, Math.min(MAX_PAGE_ITEMS, base * budget.growth ** barren, itemsLeft));
}

const CURSOR_VERSION = 1;
const ID = /^[A-Za-z0-9][A-Za-z0-9._:-]{0,127}$/;

/** What a search is, without its page size: a cursor works for any page size of the same search. */
function searchShape(search: CatalogSearch, userId: string): unknown[] {
  const { limit: _limit, ...shape } = search;
  return [CURSOR_VERSION, userId, shape];
}

function digest(search: CatalogSearch, userId: string, c: number, k: CatalogKey | undefined): string {
  return createHash('sha256')
    .update(JSON.stringify([...searchShape(search, userId), c, k ? [k.category, k.price, k.product_id, k.retailer_id] : null]))
    .digest('base64url')
    .slice(0, 22);
}

/**
 * An opaque cursor for `position`: base64url JSON of the category (by position in the search's
 * list), the index key to start after, and a digest of both with the customer and the search.
 * The digest is not a secret (a cursor only ever moves a customer within their own search,
 * which they could page to anyway); it makes an altered cursor, or one from another search or
 * customer, fail loudly instead of starting somewhere else.
 */
export function encodeCatalogCursor(search: CatalogSearch, userId: string, position: CatalogPosition | undefined): string | undefined {
  if (!position) return undefined;
  const c = position.categoryIndex;
  // DynamoDB's LastEvaluatedKey lists its attributes in no set order: write the key in one.
  const k = position.after && { category: position.after.category, price: position.after.price, product_id: position.after.product_id, retailer_id: position.after.retailer_id };
  return Buffer.from(JSON.stringify({ c, ...(k ? { k } : {}), d: digest(search, userId, c, k) })).toString('base64url');
}

/**
 * Reads a cursor back. Refuses one that does not decode, was altered, was made by another
 * search or customer, or names a key DynamoDB could not start this query after (another
 * category, a price outside the range, ids no product can have): whatever a caller sends, the
 * query that follows is one DynamoDB accepts.
 */
export function decodeCatalogCursor(search: CatalogSearch, userId: string, cursor: string | undefined): CatalogPosition {
  if (cursor === undefined) return { categoryIndex: 0 };
  // Node's base64url decoder skips characters outside the alphabet; a cursor must not have any.
  if (!/^[A-Za-z0-9_-]+$/.test(cursor)) throw new InvalidCatalogCursorError();
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw new InvalidCatalogCursorError();
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) throw new InvalidCatalogCursorError();
  const { c, k, d, ...rest } = parsed as { c?: unknown; k?: unknown; d?: unknown };
  if (Object.keys(rest).length > 0 || typeof c !== 'number' || !Number.isInteger(c) || c < 0 || c >= search.categories.length) throw new InvalidCatalogCursorError();
  const category = search.categories[c] as ProductCategory;
  const after = k === undefined ? undefined : indexKey(k, category, search);
  if (d !== digest(search, userId, c, after)) throw new InvalidCatalogCursorError();
  const position = after ? { categoryIndex: c, after } : { categoryIndex: c };
  // One position, one spelling: the trailing bits base64 leaves unused, key order and spacing are not alterable either.
  if (encodeCatalogCursor(search, userId, position) !== cursor) throw new InvalidCatalogCursorError();
  return position;
}

/** A key from a cursor, if DynamoDB can start this search's query in `category` after it. */
function indexKey(value: unknown, category: ProductCategory, search: CatalogSearch): CatalogKey {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) throw new InvalidCatalogCursorError();
  const { category: keyCategory, price, product_id, retailer_id, ...rest } = value as Partial<Record<keyof CatalogKey, unknown>>;
  if (
    Object.keys(rest).length > 0 ||
    keyCategory !== category ||
    typeof price !== 'number' ||
    !Number.isSafeInteger(price) ||
    price < (search.minPrice ?? 0) ||
    price > (search.maxPrice ?? Number.MAX_SAFE_INTEGER) ||
    typeof product_id !== 'string' ||
    !ID.test(product_id) ||
    typeof retailer_id !== 'string' ||
    !ID.test(retailer_id)
  ) {
    throw new InvalidCatalogCursorError();
  }
  return { category, price, product_id, retailer_id };
}

export function keyOf(product: Product): CatalogKey {
  return { category: product.category, price: product.price, product_id: product.product_id, retailer_id: product.retailer_id };
}

/** One page of one category, as the store returns it: the matches in index order, and whether the category has more. */
export interface CategoryPage {
  items: Product[];
  /** How many items DynamoDB evaluated for this page (ScannedCount), matching or not. */
  scanned: number;
  /** Set when the category has more items after this page. */
  lastKey?: CatalogKey;
}

/** A page of the search and what reading it cost. */
export interface CollectedPage {
  products: Product[];
  /** Where the next page starts; absent when the search has been read to its end. */
  next?: CatalogPosition;
  read: { pages: number; items: number };
}

/**
 * Collects a page of matches across categories from `position` on. `readPage` reads one page
 * of one category (already filtered by the store), evaluating at most `evaluate` items. Stops
 * as soon as `limit` matches are found, or when the budget is spent; the next position is just
 * after the last match returned, or after the last item evaluated, so nothing is skipped or
 * repeated.
 */
export async function collectPage(
  search: CatalogSearch,
  position: CatalogPosition,
  readPage: (category: ProductCategory, after: CatalogKey | undefined, evaluate: number) => Promise<CategoryPage>,
  budget: ReadBudget = SEARCH_BUDGET,
): Promise<CollectedPage> {
  const products: Product[] = [];
  const read = { pages: 0, items: 0 };
  let barren = 0;
  let { categoryIndex, after } = position;
  const here = (): CatalogPosition => ({ categoryIndex, ...(after ? { after } : {}) });
  while (categoryIndex < search.categories.length) {
    if (read.pages >= budget.pages || read.items >= budget.items) return { products, next: here(), read };
    const category = search.categories[categoryIndex] as ProductCategory;
    const room = search.limit - products.length;
    const page = await readPage(category, after, pageSize(budget, barren, room, budget.items - read.items));
    read.pages += 1;
    read.items += page.scanned;
    barren = page.items.length === 0 ? barren + 1 : 0;
    products.push(...page.items.slice(0, room));
    if (page.items.length > room) {
      return { products, next: { categoryIndex, after: keyOf(products[products.length - 1] as Product) }, read };
    }
    if (page.lastKey) {
      after = page.lastKey;
    } else {
      categoryIndex += 1;
      after = undefined;
    }
    if (products.length === search.limit) {
      return categoryIndex < search.categories.length ? { products, next: here(), read } : { products, read };
    }
  }
  return { products, read };
}
