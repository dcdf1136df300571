/**
 * What the Marketplace stores: products (table centli-products-<stage>, one item per product
 * and retailer that sells it) and retailers (centli-retailers-<stage>). Money is integer minor
 * units; percentages are integer basis points (1000 = 10 %), so no rate is ever a float.
 */
import type { CatalogQuery, InstallmentPlan } from '@centli/schemas';

export type ProductCategory = NonNullable<CatalogQuery['category']>;
export type InstallmentMonths = InstallmentPlan['months'];

/** The categories, in the order a search without one reads them (the schema's enum order). */
export const CATEGORIES: readonly ProductCategory[] = ['computers', 'phones', 'tv-audio', 'appliances', 'home', 'gaming'];

/** The interest-free plans a retailer may offer. */
export const INSTALLMENT_MONTHS: readonly InstallmentMonths[] = [3, 6, 9, 12];

export interface Product {
  product_id: string;
  retailer_id: string;
  name: string;
  brand?: string;
  description?: string;
  category: ProductCategory;
  /** Unit price, minor units. */
  price: number;
  currency: string;
  /** Units available; the purchase saga decrements it under a condition, never below zero. */
  stock: number;
  status: 'active' | 'discontinued';
  /** Name, brand and description folded for search (see `searchTextFor`). */
  search_text: string;
}

/** A meses-sin-intereses plan and the total the purchase must reach for it. */
export interface MsiPlan {
  months: InstallmentMonths;
  min_amount: number;
}

/** A discount or cashback a retailer runs. */
export interface Promotion {
  promotion_id: string;
  type: 'discount' | 'cashback';
  description: string;
  /** A share of the amount, in basis points (500 = 5 %). */
  percent_bp?: number;
  /** A fixed amount, in minor units. */
  fixed_amount?: number;
  /** The most it gives, in minor units. */
  max_amount?: number;
  /** The amount the purchase must reach, in minor units. */
  min_amount?: number;
  /** Only products of these categories; every category when absent. */
  categories?: ProductCategory[];
  /** ISO 8601; the promotion runs from `starts_at` (inclusive) to `ends_at` (exclusive). */
  starts_at?: string;
  ends_at?: string;
}

export interface Retailer {
  retailer_id: string;
  name: string;
  /** Its account in Core Banking's accounts table, credited by every purchase. */
  settlement_account_id: string;
  msi_plans: MsiPlan[];
  promotions: Promotion[];
}
