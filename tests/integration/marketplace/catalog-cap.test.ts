/**
 * The catalog's read cap against DynamoDB Local, through the bus: on a category bigger than one
 * request may read, a word nothing has is answered with an empty page and a cursor (never one
 * invocation reading the whole index), the cursors lead through the whole category and end, a
 * word some products have is found page by page, and a cursor that was altered, belongs to
 * another customer or names a start key DynamoDB would refuse is answered CATALOG.INVALID_CURSOR.
 *
 * The products live in the `home` category under this run's words and are deleted afterwards,
 * so the other tests' searches see the catalog they expect.
 */
import { BatchWriteCommand } from '@aws-sdk/lib-dynamodb';
import { detailValidator, type CatalogQuery, type CatalogResponse } from '@centli/schemas';
import { encodeCatalogCursor, planSearch, SEARCH_BUDGET, searchTextFor } from '../../../services/marketplace/src/domain/catalog';
import type { Product } from '../../../services/marketplace/src/domain/product';
import { answerTo, closeClients, documents, putRequests, runId, table } from '../support';

const run = runId();
// More than two requests' worth of items, all in one category, every 40th of them a "<run>gadget".
const SIZE = SEARCH_BUDGET.items * 2 + 150;
const HITS = Math.ceil(SIZE / 40);
const products: Product[] = Array.from({ length: SIZE }, (_, i) => {
  const base = { name: `Artículo ${run} ${i}`, brand: i % 40 === 0 ? `${run}gadget` : 'Centli', description: 'Catálogo grande de prueba' };
  return {
    product_id: `prod-${run}-${String(i).padStart(4, '0')}`,
    retailer_id: `ret-${run}`,
    ...base,
    category: 'home',
    // A band of prices of this run's own, so a ranged search reads these products only.
    price: 900_000_000 + i * 10,
    currency: 'MXN',
    stock: 1,
    status: 'active',
    search_text: searchTextFor(base),
  };
});
const BAND = { min_price: 900_000_000, max_price: 900_000_000 + SIZE * 10 };

async function write(requests: Record<string, unknown>[]): Promise<void> {
  for (let i = 0; i < requests.length; i += 25) {
    let pending: Record<string, unknown>[] | undefined = requests.slice(i, i + 25);
    while (pending && pending.length > 0) {
      const result = await documents().send(new BatchWriteCommand({ RequestItems: { [table('products')]: pending } }));
      pending = result.UnprocessedItems?.[table('products')] as Record<string, unknown>[] | undefined;
    }
  }
}

beforeAll(() => write(products.map((Item) => ({ PutRequest: { Item } }))));

afterAll(async () => {
  await write(products.map((p) => ({ DeleteRequest: { Key: { product_id: p.product_id, retailer_id: p.retailer_id } } })));
  closeClients();
});

let asked = 0;
async function ask(detail: Partial<CatalogQuery>): Promise<{ type: string; detail: Record<string, unknown> }> {
  asked += 1;
  const correlation_id = `corr-${run}-${asked}`;
  await putRequests([{ detailType: 'CATALOG_QUERY', detail: { request_id: `req-${run}-${asked}`, correlation_id, user_id: 'user-ana', ...detail } }]);
  const answer = await answerTo(correlation_id, ['CATALOG_RESPONSE', 'CATALOG_FAILED']);
  return { type: answer['detail-type'], detail: answer.detail };
}

async function page(detail: Partial<CatalogQuery>): Promise<CatalogResponse> {
  const answer = await ask(detail);
  expect(answer.type).toBe('CATALOG_RESPONSE');
  expect(detailValidator('CATALOG_RESPONSE')(answer.detail)).toBeUndefined();
  return answer.detail as unknown as CatalogResponse;
}

describe('CATALOG_QUERY on a category bigger than one request may read', () => {
  it('answers a word nothing has with an empty page and a cursor, and the cursors lead through the category to its end', async () => {
    // Act
    const search = { text: `${run}nada`, category: 'home' as const, ...BAND };
    const pages: CatalogResponse[] = [];
    let cursor: string | undefined;
    do {
      pages.push(await page({ ...search, ...(cursor ? { cursor } : {}) }));
      cursor = pages.at(-1)?.next_cursor;
    } while (cursor && pages.length < 20);

    // Assess: each request read at most the cap, so walking SIZE items took at least SIZE / cap requests.
    expect(pages.every((p) => p.products.length === 0)).toBe(true);
    expect(pages[0]?.next_cursor).toEqual(expect.any(String));
    expect(pages.length).toBeGreaterThanOrEqual(Math.ceil(SIZE / SEARCH_BUDGET.items));
    expect(pages.at(-1)?.next_cursor).toBeUndefined();
  });

  it('finds every product with a word, a page at a time, cheapest first', async () => {
    // Act
    const found: string[] = [];
    let cursor: string | undefined;
    let requests = 0;
    do {
      const answer = await page({ text: `${run}gadget`, category: 'home', limit: 5, ...(cursor ? { cursor } : {}) });
      expect(answer.products.length).toBeLessThanOrEqual(5);
      found.push(...answer.products.map((p) => p.product_id));
      cursor = answer.next_cursor;
      requests += 1;
    } while (cursor && requests < 30);

    // Assess
    const expected = products.filter((_, i) => i % 40 === 0).map((p) => p.product_id);
    expect(found).toEqual(expected);
    expect(found).toHaveLength(HITS);
  });

  describe('refuses, naming the field, a cursor', () => {
    const search = { text: `${run}nada`, category: 'home' as const, ...BAND };

    it('that was altered', async () => {
      const first = await page(search);
      const cursor = first.next_cursor as string;
      const altered = `${cursor.slice(0, -3)}${cursor.at(-3) === 'A' ? 'B' : 'A'}${cursor.slice(-2)}`;
      const answer = await ask({ ...search, cursor: altered });
      expect(answer).toMatchObject({ type: 'CATALOG_FAILED', detail: { reason: 'CATALOG.INVALID_CURSOR', field: 'cursor' } });
    });

    it('of another customer', async () => {
      const first = await page(search);
      const correlation_id = `corr-${run}-luis`;
      await putRequests([{ detailType: 'CATALOG_QUERY', detail: { request_id: `req-${run}-luis`, correlation_id, user_id: 'user-luis', ...search, cursor: first.next_cursor } }]);
      const answer = await answerTo(correlation_id, ['CATALOG_RESPONSE', 'CATALOG_FAILED']);
      expect(answer.detail).toMatchObject({ reason: 'CATALOG.INVALID_CURSOR', field: 'cursor' });
    });

    it('whose start key lies outside the search’s price range, which DynamoDB would refuse (recomputed digest and all)', async () => {
      const plan = planSearch({ request_id: 'r', correlation_id: 'c', user_id: 'user-ana', ...search });
      const forged = encodeCatalogCursor(plan, 'user-ana', { categoryIndex: 0, after: { category: 'home', price: 5, product_id: 'prod-x', retailer_id: 'ret-x' } });
      const answer = await ask({ ...search, cursor: forged });
      expect(answer).toMatchObject({ type: 'CATALOG_FAILED', detail: { reason: 'CATALOG.INVALID_CURSOR', field: 'cursor' } });
    });
  });
});
