/**
 * What buying a product from a retailer costs and earns: the subtotal, the retailer's
 * discounts, the total charged, the cashback, and the interest-free plans the total reaches
 * with their exact monthly schedules. The benefits query and the purchase price the same way,
 * with this one function, so the customer is charged what they were shown.
 */
import { formatMoney, sumMinorUnits } from '@centli/pure/money';
import type { AppliedPromotion, BenefitsOffer, InstallmentPlan } from '@centli/schemas';
import { InstallmentsNotAvailableError } from '../errors';
import { INSTALLMENT_MONTHS, type InstallmentMonths, type Product, type Promotion, type Retailer } from './product';

export interface Quote {
  unitPrice: number;
  quantity: number;
  subtotal: number;
  /** Taken off the subtotal; never more than leaves one centavo to charge. */
  discount: number;
  /** What the customer pays. */
  total: number;
  cashback: number;
  currency: string;
  promotions: AppliedPromotion[];
  /** The interest-free plans the total reaches, shortest first. */
  installments: InstallmentPlan[];
}

/**
 * Splits `total` into `months` payments of whole minor units that sum to it exactly: every
 * payment is the floor of the share, and the first `total mod months` payments carry one
 * more centavo each, so no two payments differ by more than one centavo.
 */
export function installmentSchedule(total: number, months: number): number[] {
  if (!Number.isSafeInteger(total) || total < 0) throw new RangeError(`total must be a non-negative safe integer, got ${total}`);
  if (!Number.isSafeInteger(months) || months < 1) throw new RangeError(`months must be a positive integer, got ${months}`);
  const base = Math.floor(total / months);
  const remainder = total - base * months;
  return Array.from({ length: months }, (_, i) => (i < remainder ? base + 1 : base));
}

/** `amount × bp / 10 000`, rounded down, computed exactly. */
export function basisPoints(amount: number, bp: number): number {
  return Number((BigInt(amount) * BigInt(bp)) / 10_000n);
}

function runs(promotion: Promotion, product: Product, at: Date): boolean {
  if (promotion.categories && !promotion.categories.includes(product.category)) return false;
  if (promotion.starts_at !== undefined && at.getTime() < Date.parse(promotion.starts_at)) return false;
  if (promotion.ends_at !== undefined && at.getTime() >= Date.parse(promotion.ends_at)) return false;
  return true;
}

/** What a promotion gives on `base`, or 0 when the base does not reach its minimum. */
function promotionAmount(promotion: Promotion, base: number): number {
  if (promotion.min_amount !== undefined && base < promotion.min_amount) return 0;
  const raw = (promotion.percent_bp === undefined ? 0 : basisPoints(base, promotion.percent_bp)) + (promotion.fixed_amount ?? 0);
  return Math.max(0, promotion.max_amount === undefined ? raw : Math.min(raw, promotion.max_amount));
}

function applied(promotion: Promotion, amount: number, currency: string): AppliedPromotion {
  return { promotion_id: promotion.promotion_id, type: promotion.type, description: promotion.description, amount, formatted_amount: formatMoney(amount, currency) };
}

/** The interest-free plan of `months` for `total`. */
export function installmentPlan(total: number, months: InstallmentMonths, currency: string): InstallmentPlan {
  const schedule = installmentSchedule(total, months);
  const first = schedule[0] as number;
  return { months, monthly_amount: first, formatted_monthly_amount: formatMoney(first, currency), schedule, total, currency };
}

/**
 * Prices `quantity` units of `product` at `retailer` on `at`. Discounts apply to the subtotal
 * (each on the subtotal, not on each other); cashback and interest-free plans to the total.
 * A plan is offered when the retailer runs it, the total reaches its minimum, and every
 * payment is at least one centavo.
 */
export function quoteOffer(product: Product, retailer: Retailer, quantity: number, at: Date): Quote {
  const currency = product.currency;
  const subtotal = sumMinorUnits(Array.from({ length: quantity }, () => product.price));
  const running = retailer.promotions.filter((p) => runs(p, product, at));

  const discounts = running.filter((p) => p.type === 'discount').map((p) => [p, promotionAmount(p, subtotal)] as const).filter(([, amount]) => amount > 0);
  const discount = Math.min(sumMinorUnits(discounts.map(([, amount]) => amount)), subtotal - 1);
  const total = subtotal - discount;

  const cashbacks = running.filter((p) => p.type === 'cashback').map((p) => [p, promotionAmount(p, total)] as const).filter(([, amount]) => amount > 0);
  const cashback = sumMinorUnits(cashbacks.map(([, amount]) => amount));

  const months = new Set(retailer.msi_plans.filter((plan) => total >= plan.min_amount && total >= plan.months).map((plan) => plan.months));
  return {
    unitPrice: product.price,
    quantity,
    subtotal,
    discount,
    total,
    cashback,
    currency,
    promotions: [...discounts, ...cashbacks].map(([p, amount]) => applied(p, amount, currency)),
    installments: INSTALLMENT_MONTHS.filter((m) => months.has(m)).map((m) => installmentPlan(total, m, currency)),
  };
}

/** The plan the customer asked for, or none; refuses months the quote does not reach. */
export function choosePlan(quote: Quote, months: InstallmentMonths | undefined): InstallmentPlan | undefined {
  if (months === undefined) return undefined;
  const plan = quote.installments.find((p) => p.months === months);
  if (!plan) throw new InstallmentsNotAvailableError();
  return plan;
}

/** The plans (months) a retailer offers for one unit of a product: what the catalog shows. */
export function msiMonthsFor(product: Product, retailer: Retailer | undefined, at: Date): InstallmentMonths[] {
  if (!retailer) return [];
  return quoteOffer(product, retailer, 1, at).installments.map((plan) => plan.months);
}

/** One retailer's offer, as BENEFITS_RESPONSE carries it. */
export function describeOffer(product: Product, retailer: Retailer, quantity: number, at: Date): BenefitsOffer {
  const quote = quoteOffer(product, retailer, quantity, at);
  return {
    retailer_id: retailer.retailer_id,
    retailer_name: retailer.name,
    product_name: product.name,
    unit_price: quote.unitPrice,
    subtotal: quote.subtotal,
    discount: quote.discount,
    total: quote.total,
    currency: quote.currency,
    formatted_total: formatMoney(quote.total, quote.currency),
    cashback: quote.cashback,
    in_stock: product.status === 'active' && product.stock >= quantity,
    installments: quote.installments,
    promotions: quote.promotions,
  };
}
