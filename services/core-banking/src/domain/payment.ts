/**
 * The rules of a purchase payment, free of AWS: the charge moves the total from the customer's
 * account to the retailer's settlement account as one ledger transaction (two entries), once per
 * purchase; the refund moves back exactly what the charge moved, once; a refund that finds no
 * charge voids the payment, so a late charge can never land after it.
 *
 * The payment's record lives in the ledger controls table, keyed `payment#<user_id>#<purchase_id>`
 * (`outcomeKey`), and moves `charged` → `refunded`, or is born `voided`.
 */
import { createHash } from 'node:crypto';
import type { TaskInputOf } from '@centli/schemas';
import { PaymentAccountInactiveError, PaymentAccountNotFoundError, PaymentCurrencyMismatchError, PaymentInsufficientFundsError, PaymentSecondFactorRequiredError, SettlementAccountUnavailableError, type PaymentError } from '../errors';
import { DEFAULT_MTU, mtuGuard, mtuOf, type MtuGuard } from './mtu';
import { ledgerEntries, StaleRefusalError, type LedgerEntryItem, type Refusal } from './transfer';

export type ChargeRequest = TaskInputOf<'charge-payment'>;

export type PaymentStatus = 'charged' | 'refunded' | 'voided';

/** One purchase's payment, in centli-ledger-controls-<stage>. */
export interface PaymentRecord {
  pk: string;
  status: PaymentStatus;
  purchase_id: string;
  user_id: string;
  created_at: string;
  request_id?: string;
  account_id?: string;
  settlement_account_id?: string;
  settlement_owner?: string;
  amount?: number;
  currency?: string;
  description?: string;
  transaction_id?: string;
  refund_transaction_id?: string;
  refunded_at?: string;
}

/** A charged (or since refunded) payment: everything the charge wrote is there. */
export type SettledPayment = PaymentRecord & Required<Pick<PaymentRecord, 'request_id' | 'account_id' | 'settlement_account_id' | 'settlement_owner' | 'amount' | 'currency' | 'description' | 'transaction_id'>>;

function idFor(kind: string, userId: string, purchaseId: string): string {
  const digest = createHash('sha256').update(`${kind}\u0000${userId}\u0000${purchaseId}`).digest('base64url');
  return `txn_${digest.slice(0, 24)}`;
}

/** The charge's ledger transaction id: the same on every retry of the purchase's charge. */
export const chargeTransactionId = (userId: string, purchaseId: string) => idFor('purchase-charge', userId, purchaseId);

/** The refund's ledger transaction id. */
export const refundTransactionId = (userId: string, purchaseId: string) => idFor('purchase-refund', userId, purchaseId);

export interface ChargePlan {
  request: ChargeRequest;
  at: string;
  settlementOwner: string;
  entries: readonly [LedgerEntryItem, LedgerEntryItem];
  record: SettledPayment;
  /** The customer's MTU as the charge's transaction checks it; none when a fresh second factor came with the purchase. */
  mtu?: MtuGuard;
}

/** Everything the charge writes, computed before its one transaction; above the customer's MTU (`defaultMtu` for one who set none) only with a fresh second factor. */
export function planCharge(request: ChargeRequest, pk: string, settlementOwner: string, now: Date, defaultMtu: number = DEFAULT_MTU): ChargePlan {
  const at = now.toISOString();
  const guard = mtuGuard(request.user_id, request.amount, request.second_factor_at ?? undefined, defaultMtu, now, request.currency);
  const transactionId = chargeTransactionId(request.user_id, request.purchase_id);
  return {
    request,
    at,
    settlementOwner,
    entries: ledgerEntries(transactionId, request, at, { account_id: request.account_id, user_id: request.user_id }, { account_id: request.settlement_account_id, user_id: settlementOwner }),
    record: {
      pk,
      status: 'charged',
      purchase_id: request.purchase_id,
      user_id: request.user_id,
      created_at: at,
      request_id: request.request_id,
      account_id: request.account_id,
      settlement_account_id: request.settlement_account_id,
      settlement_owner: settlementOwner,
      amount: request.amount,
      currency: request.currency,
      description: request.description,
      transaction_id: transactionId,
    },
    ...(guard ? { mtu: guard } : {}),
  };
}

export interface RefundPlan {
  record: SettledPayment;
  at: string;
  transactionId: string;
  entries: readonly [LedgerEntryItem, LedgerEntryItem];
}

/** The refund of a charge: the charged amount, from the settlement account back to the customer's. */
export function planRefund(record: SettledPayment, now: Date): RefundPlan {
  const at = now.toISOString();
  const transactionId = refundTransactionId(record.user_id, record.purchase_id);
  return {
    record,
    at,
    transactionId,
    entries: ledgerEntries(
      transactionId,
      { ...record, description: `Reembolso: ${record.description}`.slice(0, 140) },
      at,
      { account_id: record.settlement_account_id, user_id: record.settlement_owner },
      { account_id: record.account_id, user_id: record.user_id },
    ),
  };
}

/** What a refund writes where there is no charge: a record no charge can overwrite. */
export function voidRecord(pk: string, purchaseId: string, userId: string, now: Date): PaymentRecord {
  return { pk, status: 'voided', purchase_id: purchaseId, user_id: userId, created_at: now.toISOString() };
}

export function isSettled(record: PaymentRecord): record is SettledPayment {
  return (
    record.status !== 'voided' &&
    [record.request_id, record.account_id, record.settlement_account_id, record.settlement_owner, record.currency, record.description, record.transaction_id].every((v) => typeof v === 'string') &&
    typeof record.amount === 'number'
  );
}

/**
 * Names the reason a charge was refused, from the state DynamoDB returned with the failed
 * conditions: the customer's account first, then the settlement account.
 */
export function explainChargeRefusal(request: ChargeRequest, refusal: Refusal, defaultMtu: number = DEFAULT_MTU): PaymentError | SettlementAccountUnavailableError {
  const source = refusal.source;
  if (source) {
    const account = source.item;
    if (!source.found || !account) return new PaymentAccountNotFoundError();
    if (account.status !== 'active') return new PaymentAccountInactiveError();
    if (account.currency !== request.currency) return new PaymentCurrencyMismatchError();
    if (account.balance < request.amount) return new PaymentInsufficientFundsError();
  }
  if (refusal.mtu) return new PaymentSecondFactorRequiredError({ amount: mtuOf(refusal.mtu, defaultMtu), currency: 'MXN' });
  const destination = refusal.destination;
  if (destination) {
    const account = destination.item;
    if (!destination.found || !account) return new SettlementAccountUnavailableError(request.settlement_account_id, 'does not exist');
    if (account.status !== 'active') return new SettlementAccountUnavailableError(request.settlement_account_id, `is ${account.status}`);
    if (account.currency !== request.currency) return new SettlementAccountUnavailableError(request.settlement_account_id, `holds ${account.currency}, not ${request.currency}`);
  }
  // A condition failed but the returned state satisfies it: it changed in between.
  throw new StaleRefusalError();
}
