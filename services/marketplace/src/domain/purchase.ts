/**
 * A purchase as the saga's Marketplace tasks see it: its id (stable across redeliveries of the
 * request), what it keeps in the purchases table and how its record moves from `reserved` to
 * `confirmed` or `released`, and the PURCHASE_CONFIRMED detail it ends in.
 *
 * A purchase keeps two items in its customer's partition: the record, sorted by time
 * (`<reserved at>#<purchase_id>`), and a guard keyed by the purchase id alone
 * (`purchase#<purchase_id>`) that points at it. Every task finds the purchase through the guard,
 * and the reservation writes record and guard together only if the guard does not exist, so each
 * task is idempotent on the purchase id whatever execution runs it. A release that finds no
 * guard writes one marked `released`, so no late reservation can take stock afterwards. (A
 * listing of a customer's purchases reads the sort keys that start with a digit.)
 */
import { createHash } from 'node:crypto';
import { formatMoney } from '@centli/pure/money';
import type { AppliedPromotion, InstallmentPlan, PurchaseConfirmed, PurchaseRequest } from '@centli/schemas';
import { PriceChangedError } from '../errors';
import { choosePlan, quoteOffer, type Quote } from './benefits';
import type { Product, Retailer } from './product';

/** Stable across retries of the same request, distinct across customers; the saga's execution name. */
export function purchaseIdFor(request: Pick<PurchaseRequest, 'user_id' | 'request_id'>): string {
  const digest = createHash('sha256').update(`purchase\u0000${request.user_id}\u0000${request.request_id}`).digest('base64url');
  return `pur_${digest.slice(0, 24)}`;
}

/** The record's sort key: `<time>#<purchase_id>`; a customer's purchases sort by time. */
export function purchaseSortKey(at: string, purchaseId: string): string {
  return `${at}#${purchaseId}`;
}

/** The guard's sort key: the purchase id alone. */
export function guardSortKey(purchaseId: string): string {
  return `purchase#${purchaseId}`;
}

/** Where a purchase's record is, or that it was released before it was ever reserved. */
export interface PurchaseGuard {
  user_id: string;
  sk: string;
  /** The record's sort key; absent when the guard was written by a release. */
  record_sk?: string;
  status?: 'released';
  created_at: string;
}

export function guardFor(record: Pick<PurchaseRecord, 'user_id' | 'sk' | 'purchase_id'>, at: string): PurchaseGuard {
  return { user_id: record.user_id, sk: guardSortKey(record.purchase_id), record_sk: record.sk, created_at: at };
}

/** What a release writes when it finds no purchase: a guard no reservation can get past. */
export function releasedGuard(userId: string, purchaseId: string, now: Date): PurchaseGuard {
  return { user_id: userId, sk: guardSortKey(purchaseId), status: 'released', created_at: now.toISOString() };
}

export type PurchaseStatus = 'reserved' | 'confirmed' | 'released';

/** One purchase in centli-purchases-<stage> (PK user_id, SK sk). */
export interface PurchaseRecord {
  user_id: string;
  sk: string;
  purchase_id: string;
  status: PurchaseStatus;
  request_id: string;
  correlation_id: string;
  product_id: string;
  retailer_id: string;
  product_name?: string;
  quantity: number;
  unit_price?: number;
  subtotal?: number;
  discount?: number;
  total?: number;
  currency?: string;
  cashback?: number;
  promotions?: AppliedPromotion[];
  installments?: InstallmentPlan;
  account_id: string;
  settlement_account_id?: string;
  reserved_at?: string;
  transaction_id?: string;
  confirmed_at?: string;
  released_at?: string;
  /** Units given back by the release. */
  released_quantity?: number;
}

/**
 * Holds a purchase to the quote its customer approved: what it costs now (`quote`, priced as the
 * benefits query prices it, discounts taken off) must be the request's total in the request's
 * currency, and the plan the months and the monthly payment approved. Returns that plan, if any.
 *
 * @throws PriceChangedError (naming what it costs now) when the total or the currency is another,
 *   or the monthly payment is
 * @throws InstallmentsNotAvailableError when the months approved are not offered for that total
 */
export function approvedPlan(quote: Quote, request: PurchaseRequest): InstallmentPlan | undefined {
  if (quote.total !== request.total || quote.currency !== request.currency) throw new PriceChangedError({ amount: quote.total, currency: quote.currency });
  const plan = choosePlan(quote, request.installments);
  if (plan && plan.monthly_amount !== request.monthly_amount) throw new PriceChangedError();
  return plan;
}

/**
 * The reservation of a purchase: the record to write and the product price it was made at.
 * Refuses, before anything is written, a purchase that would cost other than the customer
 * approved (`approvedPlan`) and installments the total does not reach.
 */
export function planReservation(
  purchaseId: string,
  requestedAt: string,
  request: PurchaseRequest,
  product: Product,
  retailer: Retailer,
  now: Date,
): PurchaseRecord & { status: 'reserved' } {
  const quote = quoteOffer(product, retailer, request.quantity, now);
  const plan = approvedPlan(quote, request);
  return {
    user_id: request.user_id,
    sk: purchaseSortKey(requestedAt, purchaseId),
    purchase_id: purchaseId,
    status: 'reserved',
    request_id: request.request_id,
    correlation_id: request.correlation_id,
    product_id: product.product_id,
    retailer_id: retailer.retailer_id,
    product_name: product.name,
    quantity: request.quantity,
    unit_price: quote.unitPrice,
    subtotal: quote.subtotal,
    discount: quote.discount,
    total: quote.total,
    currency: quote.currency,
    cashback: quote.cashback,
    promotions: quote.promotions,
    ...(plan ? { installments: plan } : {}),
    account_id: request.account_id,
    settlement_account_id: retailer.settlement_account_id,
    reserved_at: now.toISOString(),
  };
}

/** A record that says it is reserved or confirmed but lacks what the reservation wrote. */
export class IncompletePurchaseRecordError extends Error {
  constructor(purchaseId: string, field: string) {
    super(`purchase ${purchaseId} has no ${field}`);
    this.name = 'IncompletePurchaseRecordError';
  }
}

function required<K extends keyof PurchaseRecord>(record: PurchaseRecord, field: K): NonNullable<PurchaseRecord[K]> {
  const value = record[field];
  if (value === undefined || value === null) throw new IncompletePurchaseRecordError(record.purchase_id, field);
  return value as NonNullable<PurchaseRecord[K]>;
}

/** What the charge needs from a reservation. */
export function reservationOutput(record: PurchaseRecord) {
  return {
    purchase_id: record.purchase_id,
    description: `Compra: ${required(record, 'product_name')}`.slice(0, 140),
    quantity: record.quantity,
    amount: required(record, 'total'),
    currency: required(record, 'currency'),
    settlement_account_id: required(record, 'settlement_account_id'),
  };
}

/** The PURCHASE_CONFIRMED detail of a confirmed record. */
export function confirmedDetail(record: PurchaseRecord): PurchaseConfirmed {
  const total = required(record, 'total');
  const currency = required(record, 'currency');
  return {
    request_id: record.request_id,
    correlation_id: record.correlation_id,
    user_id: record.user_id,
    purchase_id: record.purchase_id,
    product_id: record.product_id,
    retailer_id: record.retailer_id,
    product_name: required(record, 'product_name'),
    quantity: record.quantity,
    unit_price: required(record, 'unit_price'),
    discount: required(record, 'discount'),
    total,
    currency,
    formatted_total: formatMoney(total, currency),
    cashback: required(record, 'cashback'),
    account_id: record.account_id,
    transaction_id: required(record, 'transaction_id'),
    ...(record.installments ? { installments: record.installments } : {}),
    confirmed_at: required(record, 'confirmed_at'),
  };
}

/**
 * What the purchase saga starts with: the purchase id (also the execution's name), the request as
 * it came, and its second factor or null (a state's path must always find its field).
 */
export interface PurchaseSagaInput {
  purchase_id: string;
  request: PurchaseRequest;
  second_factor_at: string | null;
}

export function sagaInput(request: PurchaseRequest): PurchaseSagaInput {
  return { purchase_id: purchaseIdFor(request), request, second_factor_at: request.second_factor_at ?? null };
}
