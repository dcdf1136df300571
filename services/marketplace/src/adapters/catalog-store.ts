/**
 * The Marketplace's read side in DynamoDB: products by category and price (the
 * `category-index`), the retailers that sell a product, and retailers by id. No Scan.
 */
import { BatchGetCommand, GetCommand, QueryCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { dynamoDocumentClient } from '@centli/kit/aws';
import { requireEnv } from '@centli/kit/config';
import { TransientError } from '@centli/pure/errors';
import type { CatalogKey, CatalogSearch, CategoryPage } from '../domain/catalog';
import type { Product, ProductCategory, Retailer } from '../domain/product';

export interface MarketplaceTables {
  products: string;
  retailers: string;
  purchases: string;
}

export function tablesFromEnv(): MarketplaceTables {
  return {
    products: requireEnv('PRODUCTS_TABLE'),
    retailers: requireEnv('RETAILERS_TABLE'),
    purchases: requireEnv('PURCHASES_TABLE'),
  };
}

export const CATEGORY_INDEX = 'category-index';

export class CatalogStore {
  constructor(
    private readonly tables: Pick<MarketplaceTables, 'products' | 'retailers'> = tablesFromEnv(),
    private readonly db: DynamoDBDocumentClient = dynamoDocumentClient(),
  ) {}

  /**
   * One page of a category, cheapest first, already filtered by the search: DynamoDB evaluates
   * at most `evaluate` items (the search's budget decides how many) and returns those that
   * pass the filters; `lastKey` is set when the category has more.
   */
  async readCategoryPage(category: ProductCategory, search: CatalogSearch, after: CatalogKey | undefined, evaluate: number): Promise<CategoryPage> {
    const names: Record<string, string> = { '#category': 'category', '#status': 'status' };
    const values: Record<string, unknown> = { ':category': category, ':active': 'active' };
    let keyCondition = '#category = :category';
    if (search.minPrice !== undefined || search.maxPrice !== undefined) {
      names['#price'] = 'price';
      values[':min'] = search.minPrice ?? 0;
      values[':max'] = search.maxPrice ?? Number.MAX_SAFE_INTEGER;
      keyCondition += ' AND #price BETWEEN :min AND :max';
    }
    const filters = ['#status = :active'];
    if (!search.includeOutOfStock) {
      names['#stock'] = 'stock';
      values[':none'] = 0;
      filters.push('#stock > :none');
    }
    if (search.retailerId !== undefined) {
      names['#retailer'] = 'retailer_id';
      values[':retailer'] = search.retailerId;
      filters.push('#retailer = :retailer');
    }
    if (search.terms.length > 0) {
      names['#text'] = 'search_text';
      search.terms.forEach((term, i) => {
        values[`:t${i}`] = term;
        filters.push(`contains(#text, :t${i})`);
      });
    }
    const result = await this.db.send(
      new QueryCommand({
        TableName: this.tables.products,
        IndexName: CATEGORY_INDEX,
        KeyConditionExpression: keyCondition,
        FilterExpression: filters.join(' AND '),
        ExpressionAttributeNames: names,
        ExpressionAttributeValues: values,
        ScanIndexForward: true,
        Limit: evaluate,
        ExclusiveStartKey: after as Record<string, unknown> | undefined,
      }),
    );
    return {
      items: (result.Items ?? []) as Product[],
      scanned: result.ScannedCount ?? result.Items?.length ?? 0,
      ...(result.LastEvaluatedKey ? { lastKey: result.LastEvaluatedKey as unknown as CatalogKey } : {}),
    };
  }

  async getProduct(productId: string, retailerId: string): Promise<Product | undefined> {
    const result = await this.db.send(new GetCommand({ TableName: this.tables.products, Key: { product_id: productId, retailer_id: retailerId } }));
    return result.Item as Product | undefined;
  }

  /** Every retailer's listing of a product (one partition). */
  async listOffers(productId: string): Promise<Product[]> {
    const items: Product[] = [];
    let start: Record<string, unknown> | undefined;
    do {
      const page = await this.db.send(
        new QueryCommand({
          TableName: this.tables.products,
          KeyConditionExpression: 'product_id = :p',
          ExpressionAttributeValues: { ':p': productId },
          ExclusiveStartKey: start,
        }),
      );
      items.push(...((page.Items ?? []) as Product[]));
      start = page.LastEvaluatedKey;
    } while (start);
    return items;
  }

  /** Retailers by id; ids that do not exist are absent from the map. */
  async getRetailers(ids: readonly string[]): Promise<Map<string, Retailer>> {
    const found = new Map<string, Retailer>();
    const unique = [...new Set(ids)];
    for (let i = 0; i < unique.length; i += 100) {
      let keys: Record<string, unknown>[] = unique.slice(i, i + 100).map((retailer_id) => ({ retailer_id }));
      // BatchGetItem may leave keys unprocessed under load: ask again for those, backing off.
      for (let attempt = 0; keys.length > 0; attempt++) {
        if (attempt >= 8) throw new TransientError(`${keys.length} retailer(s) stayed unprocessed`);
        if (attempt > 0) await new Promise((resolve) => setTimeout(resolve, Math.min(1000, 25 * 2 ** attempt)));
        const result = await this.db.send(new BatchGetCommand({ RequestItems: { [this.tables.retailers]: { Keys: keys } } }));
        for (const item of result.Responses?.[this.tables.retailers] ?? []) found.set(item.retailer_id as string, item as Retailer);
        keys = (result.UnprocessedKeys?.[this.tables.retailers]?.Keys as Record<string, unknown>[] | undefined) ?? [];
      }
    }
    return found;
  }
}
