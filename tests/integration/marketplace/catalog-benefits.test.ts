/**
 * The catalog and the benefits through the local stack: CATALOG_QUERY and BENEFITS_QUERY on
 * the bus, answered from DynamoDB Local by the real handlers. Each test lists products of its
 * own, found by a word no other product has.
 */
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { detailValidator } from '@centli/schemas';
import { searchTextFor } from '../../../services/marketplace/src/domain/catalog';
import type { Product } from '../../../services/marketplace/src/domain/product';
import { answerTo, closeClients, documents, putRequests, runId, table } from '../support';
import { openShop, sum } from './support';

afterAll(closeClients);

async function list(products: Product[]): Promise<void> {
  await Promise.all(products.map((Item) => documents().send(new PutCommand({ TableName: table('products'), Item }))));
}

describe('CATALOG_QUERY', () => {
  it('finds products by words across categories, cheapest first, in stock unless asked, a page at a time', async () => {
    const run = runId();
    const shop = await openShop(run, { stock: 4, price: 1_499_900, name: `Laptop ${run} Pro` });
    const more = (id: string, category: Product['category'], price: number, stock: number): Product => {
      const base = { name: `${id} ${run}`, brand: 'Centli', description: 'Para pruebas' };
      return { ...shop.product, ...base, product_id: `prod-${run}-${id}`, category, price, stock, search_text: searchTextFor(base) };
    };
    await list([more('audifonos', 'tv-audio', 99_900, 5), more('celular', 'phones', 799_900, 0), more('tablet', 'computers', 599_900, 2)]);

    const ask = async (n: number, extra: Record<string, unknown>) => {
      const correlation_id = `corr-${run}-${n}`;
      await putRequests([{ detailType: 'CATALOG_QUERY', detail: { request_id: `req-${run}-${n}`, correlation_id, user_id: 'user-ana', text: run, ...extra } }]);
      const answer = await answerTo(correlation_id, ['CATALOG_RESPONSE', 'CATALOG_FAILED']);
      expect(answer['detail-type']).toBe('CATALOG_RESPONSE');
      expect(detailValidator('CATALOG_RESPONSE')(answer.detail)).toBeUndefined();
      return answer.detail as { products: { product_id: string; msi_months: number[]; retailer_name?: string }[]; next_cursor?: string };
    };

    const all = await ask(1, {});
    expect(all.products.map((p) => p.product_id)).toEqual([`prod-${run}-tablet`, shop.product.product_id, `prod-${run}-audifonos`]);
    expect(all.products[1]).toMatchObject({ retailer_name: shop.retailer.name, msi_months: [3, 6] });

    const withOut = await ask(2, { include_out_of_stock: true, category: 'phones' });
    expect(withOut.products.map((p) => p.product_id)).toEqual([`prod-${run}-celular`]);

    const ranged = await ask(3, { min_price: 500_000, max_price: 1_000_000 });
    expect(ranged.products.map((p) => p.product_id)).toEqual([`prod-${run}-tablet`]);

    const first = await ask(4, { limit: 2 });
    expect(first.products).toHaveLength(2);
    const second = await ask(5, { limit: 2, cursor: first.next_cursor });
    expect([...first.products, ...second.products].map((p) => p.product_id)).toEqual(all.products.map((p) => p.product_id));
  });

  it('refuses a cursor from another search, naming the field', async () => {
    const run = runId();
    await putRequests([{ detailType: 'CATALOG_QUERY', detail: { request_id: `req-${run}`, correlation_id: `corr-${run}`, user_id: 'user-ana', cursor: 'bm90LWEtY3Vyc29y' } }]);
    const answer = await answerTo(`corr-${run}`, ['CATALOG_RESPONSE', 'CATALOG_FAILED']);
    expect(answer.detail).toMatchObject({ reason: 'CATALOG.INVALID_CURSOR', field: 'cursor' });
  });
});

describe('BENEFITS_QUERY', () => {
  it('answers the retailer’s offer with exact MSI schedules, discounts and cashback', async () => {
    const run = runId();
    const shop = await openShop(run, {
      stock: 2,
      price: 1_000_001,
      promotions: [
        { promotion_id: 'promo-10', type: 'discount', description: '10 % en cómputo', percent_bp: 1000, categories: ['computers'] },
        { promotion_id: 'promo-cb', type: 'cashback', description: '$200 de regreso', fixed_amount: 20_000 },
      ],
    });

    await putRequests([{ detailType: 'BENEFITS_QUERY', detail: { request_id: `req-${run}`, correlation_id: `corr-${run}`, user_id: 'user-ana', product_id: shop.product.product_id, quantity: 2 } }]);
    const answer = await answerTo(`corr-${run}`, ['BENEFITS_RESPONSE', 'BENEFITS_FAILED']);

    expect(detailValidator('BENEFITS_RESPONSE')(answer.detail)).toBeUndefined();
    const [offer] = answer.detail.offers as { subtotal: number; discount: number; total: number; cashback: number; installments: { months: number; schedule: number[] }[] }[];
    expect(offer).toMatchObject({ subtotal: 2_000_002, discount: 200_000, total: 1_800_002, cashback: 20_000 });
    expect(offer?.installments.map((p) => p.months)).toEqual([3, 6]);
    for (const plan of offer?.installments ?? []) expect(sum(plan.schedule)).toBe(1_800_002);
    expect(offer?.installments[0]?.schedule).toEqual([600_001, 600_001, 600_000]);
  });

  it('says when no retailer sells the product', async () => {
    const run = runId();
    await putRequests([{ detailType: 'BENEFITS_QUERY', detail: { request_id: `req-${run}`, correlation_id: `corr-${run}`, user_id: 'user-ana', product_id: `prod-${run}-nothing` } }]);
    const answer = await answerTo(`corr-${run}`, ['BENEFITS_RESPONSE', 'BENEFITS_FAILED']);
    expect(answer.detail).toMatchObject({ reason: 'BENEFITS.PRODUCT_NOT_FOUND', field: 'product_id' });
  });
});
