/**
 * What the Marketplace's integration tests add to ../support.ts: products, retailers and their
 * settlement accounts of their own (ids prefixed by the run), and reads of stock, purchase
 * records and payment records straight from DynamoDB Local.
 */
import { GetCommand, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import type { PurchaseRequest } from '@centli/schemas';
import { installmentPlan, quoteOffer } from '../../../services/marketplace/src/domain/benefits';
import { searchTextFor } from '../../../services/marketplace/src/domain/catalog';
import type { Product, Promotion, Retailer } from '../../../services/marketplace/src/domain/product';
import { guardSortKey, purchaseIdFor, type PurchaseGuard, type PurchaseRecord } from '../../../services/marketplace/src/domain/purchase';
import { createAccounts, documents, table, type TestAccount } from '../support';

export interface Shop {
  retailer: Retailer;
  settlement: TestAccount;
  product: Product;
}

/** A retailer with a settlement account and one product, all new. */
export async function openShop(run: string, options: { stock: number; price: number; promotions?: Promotion[]; name?: string }): Promise<Shop> {
  const settlement: TestAccount = { user_id: `ret-${run}`, account_id: `acc-ret-${run}`, balance: 0 };
  const retailer: Retailer = {
    retailer_id: `ret-${run}`,
    name: `Tienda ${run}`,
    settlement_account_id: settlement.account_id,
    msi_plans: [
      { months: 3, min_amount: 300_000 },
      { months: 6, min_amount: 600_000 },
    ],
    promotions: options.promotions ?? [],
  };
  // Not a laptop by default: the chat's and the MCP server's tests search the shared catalog for
  // "laptop" and expect the seed's among the cheapest, which every test shop used to push out.
  const base = { name: options.name ?? `Tableta de prueba ${run}`, brand: 'Centli', description: 'Para pruebas' };
  const product: Product = {
    product_id: `prod-${run}`,
    retailer_id: retailer.retailer_id,
    ...base,
    category: 'computers',
    price: options.price,
    currency: 'MXN',
    stock: options.stock,
    status: 'active',
    search_text: searchTextFor(base),
  };
  await createAccounts([settlement]);
  await documents().send(new PutCommand({ TableName: table('retailers'), Item: retailer }));
  await documents().send(new PutCommand({ TableName: table('products'), Item: product }));
  return { retailer, settlement, product };
}

export async function stockOf(product: Pick<Product, 'product_id' | 'retailer_id'>): Promise<number> {
  const result = await documents().send(new GetCommand({ TableName: table('products'), Key: { product_id: product.product_id, retailer_id: product.retailer_id }, ConsistentRead: true }));
  return result.Item?.stock as number;
}

/** The purchase's one record, whatever execution start time its key carries. */
export async function purchaseRecordOf(request: Pick<PurchaseRequest, 'user_id' | 'request_id'>): Promise<PurchaseRecord | undefined> {
  const purchaseId = purchaseIdFor(request);
  const result = await documents().send(
    new QueryCommand({
      TableName: table('purchases'),
      KeyConditionExpression: 'user_id = :u',
      FilterExpression: 'purchase_id = :p',
      ExpressionAttributeValues: { ':u': request.user_id, ':p': purchaseId },
      ConsistentRead: true,
    }),
  );
  const items = (result.Items ?? []) as PurchaseRecord[];
  if (items.length > 1) throw new Error(`purchase ${purchaseId} has ${items.length} records`);
  return items[0];
}

/** The purchase's guard: where its record is, or that it was released before anything was reserved. */
export async function guardOf(request: Pick<PurchaseRequest, 'user_id' | 'request_id'>): Promise<PurchaseGuard | undefined> {
  const result = await documents().send(
    new GetCommand({ TableName: table('purchases'), Key: { user_id: request.user_id, sk: guardSortKey(purchaseIdFor(request)) }, ConsistentRead: true }),
  );
  return result.Item as PurchaseGuard | undefined;
}

export async function paymentRecordOf(request: Pick<PurchaseRequest, 'user_id' | 'request_id'>): Promise<Record<string, unknown> | undefined> {
  const pk = `payment#${request.user_id}#${purchaseIdFor(request)}`;
  const result = await documents().send(new GetCommand({ TableName: table('ledger-controls'), Key: { pk }, ConsistentRead: true }));
  return result.Item;
}

/**
 * A purchase request as a front door sends it: with the quote the customer approved, priced now
 * as the benefits query prices the shop's offer (the total after discounts, its currency and, for
 * months asked for, the plan's monthly payment, even where the shop does not offer them). `extra`
 * overrides any of it, the quote included.
 */
export function purchaseRequest(run: string, shop: Shop, customer: TestAccount, extra: Partial<PurchaseRequest> = {}): PurchaseRequest {
  const quantity = extra.quantity ?? 1;
  const quote = quoteOffer(shop.product, shop.retailer, quantity, new Date());
  const months = extra.installments;
  return {
    request_id: `req-${run}`,
    correlation_id: `corr-${run}`,
    user_id: customer.user_id,
    product_id: shop.product.product_id,
    retailer_id: shop.retailer.retailer_id,
    quantity,
    account_id: customer.account_id,
    total: quote.total,
    currency: quote.currency,
    ...(months === undefined ? {} : { monthly_amount: installmentPlan(quote.total, months, quote.currency).monthly_amount }),
    ...extra,
  };
}

export const sum = (values: Iterable<number>) => [...values].reduce((a, b) => a + b, 0);
