/**
 * The rules of a transfer, free of AWS: what is refused before anything is written, how the
 * day is counted for the daily limit, the two ledger entries, and how to explain a refusal
 * from the items DynamoDB returns when a condition fails.
 */
import { createHash } from 'node:crypto';
import { calendarDay } from '@centli/pure/calendar';
import { requestFingerprint } from '@centli/pure/canonical';
import { ContentionError } from '@centli/pure/errors';
import { formatMoney } from '@centli/pure/money';
import type { OutgoingEvent } from '@centli/pure/events';
import type { TransferCompleted, TransferRequest } from '@centli/schemas';
import type { Account } from './account';
import { mtuGuard, mtuOf, type MtuGuard } from './mtu';
import {
  AccountInactiveError,
  AccountNotFoundError,
  AmountOverLimitError,
  CurrencyMismatchError,
  DailyLimitExceededError,
  DestinationInactiveError,
  DestinationNotFoundError,
  InsufficientFundsError,
  InvalidAmountError,
  NewPayeeLimitError,
  SameAccountError,
  SecondFactorRequiredError,
  type TransferError,
} from '../errors';

export interface TransferLimits {
  /** Largest single transfer, in minor units of the account currency. */
  maxAmount: number;
  /** Largest total debited from one account in one business day, in minor units. */
  dailyLimit: number;
  /** IANA zone whose calendar day the daily limit counts (America/Mexico_City). */
  timeZone: string;
  /** The most a new payee may receive from one customer in its first `newPayeeHours`, in minor units. */
  newPayeeLimit: number;
  /** How long a payee is new. */
  newPayeeHours: number;
  /** The MTU of a customer who set none (1,500 UDIs at the stage's UDI value), in centavos: above it a movement needs a second factor. */
  defaultMtu: number;
}

/** Refuses what is wrong with the request itself, before anything is read or written. */
export function checkTransferRequest(request: TransferRequest, limits: TransferLimits): void {
  if (request.from_account_id === request.to_account_id) throw new SameAccountError();
  if (!Number.isSafeInteger(request.amount) || request.amount <= 0) throw new InvalidAmountError();
  if (request.amount > limits.maxAmount) throw new AmountOverLimitError({ amount: limits.maxAmount, currency: request.currency });
  if (request.amount > limits.dailyLimit) throw new DailyLimitExceededError({ amount: limits.dailyLimit, currency: request.currency });
}

/** Stable across retries of the same request, distinct across customers. */
export function transactionIdFor(request: Pick<TransferRequest, 'user_id' | 'request_id'>): string {
  const digest = createHash('sha256').update(`${request.user_id}\u0000${request.request_id}`).digest('base64url');
  return `txn_${digest.slice(0, 24)}`;
}

export interface LedgerEntryItem {
  account_id: string;
  /** `<timestamp>#<transaction_id>`: entries sort by time within an account. */
  sk: string;
  user_id: string;
  transaction_id: string;
  request_id: string;
  direction: 'debit' | 'credit';
  amount: number;
  currency: string;
  counterparty_account_id: string;
  description?: string;
  /** A SPEI payment's other party, as their bank named them (other people's words, like the description). */
  counterparty_name?: string;
  counterparty_bank?: string;
  clave_rastreo?: string;
  timestamp: string;
}

/** One side of a ledger transaction: an account and its owner. */
export interface LedgerSide {
  account_id: string;
  user_id: string;
}

/**
 * The two entries of one ledger transaction: `from` debited, `to` credited, the same amount,
 * both sorted by the time they were written within their account.
 */
export function ledgerEntries(
  transactionId: string,
  what: { request_id: string; amount: number; currency: string; description?: string | undefined },
  at: string,
  from: LedgerSide,
  to: LedgerSide,
): [LedgerEntryItem, LedgerEntryItem] {
  const common = {
    sk: `${at}#${transactionId}`,
    transaction_id: transactionId,
    request_id: what.request_id,
    amount: what.amount,
    currency: what.currency,
    ...(what.description === undefined ? {} : { description: what.description }),
    timestamp: at,
  };
  return [
    { ...common, account_id: from.account_id, user_id: from.user_id, direction: 'debit', counterparty_account_id: to.account_id },
    { ...common, account_id: to.account_id, user_id: to.user_id, direction: 'credit', counterparty_account_id: from.account_id },
  ];
}

export interface TransferPlan {
  request: TransferRequest;
  transactionId: string;
  at: string;
  day: string;
  destinationOwner: string;
  entries: readonly [LedgerEntryItem, LedgerEntryItem];
  completed: OutgoingEvent<'TRANSFER_COMPLETED'>;
  /** The daily total the debit may find before it, so that total + amount ≤ the limit. */
  dailyRoom: number;
  /** A new payee's first hours (see `newPayeeWindow`): what it has received is counted, within the limit. */
  newPayee?: NewPayeeWindow;
  /** The customer's MTU as the transaction checks it; none when a fresh second factor came with the request. */
  mtu?: MtuGuard;
  /** The request's fingerprint, kept with its outcome. */
  requestHash: string;
}

/**
 * Everything the transfer will write, computed before the one transaction. `requestHash` is
 * the request's fingerprint, when the caller has already computed it.
 */
export function planTransfer(
  request: TransferRequest,
  destinationOwner: string,
  limits: TransferLimits,
  now: Date,
  requestHash: string = requestFingerprint(request as unknown as Record<string, unknown>),
): TransferPlan {
  const transactionId = transactionIdFor(request);
  const at = now.toISOString();
  const completed: TransferCompleted = {
    request_id: request.request_id,
    correlation_id: request.correlation_id,
    user_id: request.user_id,
    transaction_id: transactionId,
    from_account_id: request.from_account_id,
    to_account_id: request.to_account_id,
    amount: request.amount,
    currency: request.currency,
    formatted_amount: formatMoney(request.amount, request.currency),
    ...(request.description === undefined ? {} : { description: request.description }),
    completed_at: at,
  };
  return {
    request,
    transactionId,
    at,
    day: calendarDay(now, limits.timeZone),
    destinationOwner,
    entries: ledgerEntries(transactionId, request, at, { account_id: request.from_account_id, user_id: request.user_id }, { account_id: request.to_account_id, user_id: destinationOwner }),
    completed: { detailType: 'TRANSFER_COMPLETED', detail: completed },
    dailyRoom: limits.dailyLimit - request.amount,
    ...newPayeeField(newPayeeWindow(request, destinationOwner, limits, now)),
    ...mtuField(mtuGuard(request.user_id, request.amount, request.second_factor_at, limits.defaultMtu, now, request.currency)),
    requestHash,
  };
}

const newPayeeField = (window: NewPayeeWindow | undefined) => (window ? { newPayee: window } : {});
const mtuField = (guard: MtuGuard | undefined) => (guard ? { mtu: guard } : {});

/** A new payee's counter: `payee#<user_id>#<account_id>`, what it has received from the customer in its first hours. */
export const newPayeeKey = (userId: string, accountId: string): string => `payee#${userId}#${accountId}`;

export interface NewPayeeWindow {
  key: string;
  /** When the payee stops being new (epoch seconds), unless a counter already fixed it. */
  endsAt: number;
  /** What the payee may have received before this transfer, so that it + amount ≤ the limit; negative when the amount alone is over it. */
  room: number;
}

/**
 * The window a transfer to a new payee is counted in, or none. The front door says the payee is
 * new (`new_payee_since`: a beneficiary saved less than `newPayeeHours` ago, or an account given
 * by its number); the customer's own accounts are never new. The window runs `newPayeeHours`
 * from that moment (never from the future), and the first transfer's window stands.
 */
export function newPayeeWindow(request: TransferRequest, destinationOwner: string, limits: TransferLimits, now: Date): NewPayeeWindow | undefined {
  if (request.new_payee_since === undefined || destinationOwner === request.user_id) return undefined;
  const since = Math.min(Date.parse(request.new_payee_since), now.getTime());
  const endsAt = Math.floor(since / 1000) + limits.newPayeeHours * 3600;
  if (endsAt <= Math.floor(now.getTime() / 1000)) return undefined;
  return { key: newPayeeKey(request.user_id, request.to_account_id), endsAt, room: limits.newPayeeLimit - request.amount };
}

/** Which guarded items refused the transaction, with the item as it was when it refused. */
export interface Refusal {
  source?: { found: boolean; item?: Account };
  destination?: { found: boolean; item?: Account };
  daily?: { debited?: number };
  /** The new payee's window that refused it: when it ends (epoch seconds). */
  payee?: { endsAt: number };
  /** The customer's MTU refused it (no fresh second factor): their MTU as it was, none for the default. */
  mtu?: { mtu?: number };
}

/**
 * Names the reason a transfer was refused, from the state DynamoDB returned with the failed
 * conditions. The source is explained first: a customer learns about their own account
 * before anything about someone else's.
 */
export function explainRefusal(request: TransferRequest, refusal: Refusal, limits: TransferLimits): TransferError {
  const source = refusal.source;
  if (source) {
    const account = source.item;
    if (!source.found || !account) return new AccountNotFoundError();
    if (account.status !== 'active') return new AccountInactiveError();
    if (account.currency !== request.currency) return new CurrencyMismatchError();
    if (account.balance < request.amount) return new InsufficientFundsError({ amount: account.balance, currency: account.currency });
  }
  const destination = refusal.destination;
  if (destination) {
    const account = destination.item;
    if (!destination.found || !account) return new DestinationNotFoundError();
    if (account.status !== 'active') return new DestinationInactiveError();
    if (account.currency !== request.currency) return new CurrencyMismatchError();
  }
  if (refusal.daily) return new DailyLimitExceededError({ amount: limits.dailyLimit, currency: request.currency });
  if (refusal.mtu) return new SecondFactorRequiredError({ amount: mtuOf(refusal.mtu, limits.defaultMtu), currency: 'MXN' });
  if (refusal.payee) return new NewPayeeLimitError({ amount: limits.newPayeeLimit, currency: request.currency }, new Date(refusal.payee.endsAt * 1000).toISOString());
  // A condition failed but the state we got back satisfies it: it changed in between.
  // Claiming insufficient funds would be a guess; the caller retries instead.
  throw new StaleRefusalError();
}

/** The refused state no longer explains the refusal; trying again will settle it. */
export class StaleRefusalError extends ContentionError {
  constructor() {
    super('a condition failed but the returned state satisfies it');
  }
}
