/**
 * Receiving a SPEI payment, the rules, free of AWS. The participant says a payment to a Centli
 * CLABE has settled; Centli credits the account that CLABE names, once per clave de rastreo, from
 * the bank's SPEI clearing account (so the ledger still sums to zero: the clearing account mirrors
 * what Centli holds at Banxico for its customers), or returns it with SPEI's cause when the CLABE
 * is not a Centli account that can take pesos. The sender's name, bank and concepto are other
 * people's words: kept on the ledger entry as given, shown only quoted (lib/tools/text.ts) and
 * marked for agents (lib/tools/untrusted.ts).
 */
import { createHash } from 'node:crypto';
import { requestFingerprint } from '@centli/pure/canonical';
import { clabeParts } from '@centli/pure/clabe';
import { outgoing, type OutgoingEvent } from '@centli/pure/events';
import { formatMoney } from '@centli/pure/money';
import type { SpeiIncomingAnswer, SpeiIncomingPayment } from '@centli/schemas';
import type { Account } from './account';
import { ledgerEntries, StaleRefusalError, type LedgerEntryItem } from './transfer';

/** SPEI's causes of return that a receiving bank gives (SpeiIncomingAnswer.reason). */
export type ReturnReason = NonNullable<SpeiIncomingAnswer['reason']>;

/** Where a payment's outcome is kept: one record per clave de rastreo, in the ledger controls table. */
export const speiInKey = (claveRastreo: string): string => `spei-in#${claveRastreo}`;

/** The ledger transaction of a payment: the same on every delivery of one clave de rastreo. */
export function speiTransactionId(claveRastreo: string): string {
  return `txn_spei_${createHash('sha256').update(claveRastreo).digest('base64url').slice(0, 20)}`;
}

/** The payment's outcome record: what every delivery of its clave de rastreo answers. */
export interface SpeiInRecord {
  pk: string;
  status: SpeiIncomingAnswer['status'];
  answer: SpeiIncomingAnswer;
  /** The notification's fingerprint: a clave de rastreo reused for another payment is refused. */
  request_hash: string;
  /** Who was credited (to tell them again, at least once, on a repeated notification). */
  notice?: OutgoingEvent<'SPEI_RECEIVED'>;
  created_at: string;
}

/** The fingerprint of a notification (canonical JSON, SHA-256): a repeated one has the same. */
export const notificationFingerprint = (payment: SpeiIncomingPayment): string => requestFingerprint(payment as unknown as Record<string, unknown>);

/** A CLABE that is not this bank's is returned before anything is read. */
export function foreignClabe(payment: SpeiIncomingPayment, bankCode: string): boolean {
  return clabeParts(payment.clabe).bank !== bankCode;
}

/** The return of a payment, recorded so that every later delivery answers the same. */
export function returnRecord(payment: SpeiIncomingPayment, reason: ReturnReason, now: Date): SpeiInRecord {
  const at = now.toISOString();
  return {
    pk: speiInKey(payment.clave_rastreo),
    status: 'returned',
    answer: { clave_rastreo: payment.clave_rastreo, status: 'returned', reason, answered_at: at },
    request_hash: notificationFingerprint(payment),
    created_at: at,
  };
}

/**
 * Why an account cannot take a payment, from the account as the refused transaction returned it
 * (or none: no account had the CLABE). An account whose CLABE no longer matches is not the one
 * the payment names.
 */
export function returnReasonFor(payment: SpeiIncomingPayment, account: Account | undefined): ReturnReason {
  if (!account || account.clabe !== payment.clabe) return 'cuenta_inexistente';
  if (account.status === 'frozen') return 'cuenta_bloqueada';
  if (account.status !== 'active') return 'cuenta_cancelada';
  if (account.currency !== 'MXN') return 'cuenta_en_otra_divisa';
  // The conditions held when read back: they changed in between, and the caller tries again (a ContentionError).
  throw new StaleRefusalError();
}

/** A ledger side: an account and its owner. */
export interface AccountRef {
  user_id: string;
  account_id: string;
}

/** Everything crediting a payment writes, computed before its one transaction. */
export interface SpeiCreditPlan {
  payment: SpeiIncomingPayment;
  to: AccountRef;
  clearing: AccountRef;
  at: string;
  /** The clearing account's debit, the customer's credit (with the sender's words). */
  entries: readonly [LedgerEntryItem, LedgerEntryItem];
  record: SpeiInRecord;
}

/** Plans the credit of a payment to `to` from the SPEI clearing account. */
export function planSpeiCredit(payment: SpeiIncomingPayment, to: AccountRef, clearing: AccountRef, now: Date): SpeiCreditPlan {
  const at = now.toISOString();
  const transactionId = speiTransactionId(payment.clave_rastreo);
  const requestId = `spei-in-${payment.clave_rastreo}`;
  const [debit, credit] = ledgerEntries(transactionId, { request_id: requestId, amount: payment.amount, currency: 'MXN', description: payment.concepto }, at, clearing, to);
  const sender = { counterparty_name: payment.sender_name, counterparty_bank: payment.sender_bank, clave_rastreo: payment.clave_rastreo };
  const notice = outgoing('SPEI_RECEIVED', {
    request_id: requestId,
    correlation_id: `spei-${payment.clave_rastreo}`,
    user_id: to.user_id,
    account_id: to.account_id,
    transaction_id: transactionId,
    amount: payment.amount,
    currency: 'MXN',
    formatted_amount: formatMoney(payment.amount, 'MXN'),
    sender_name: payment.sender_name,
    sender_bank: payment.sender_bank,
    concepto: payment.concepto,
    clave_rastreo: payment.clave_rastreo,
    received_at: at,
  });
  return {
    payment,
    to,
    clearing,
    at,
    entries: [{ ...debit, ...sender }, { ...credit, ...sender }],
    record: {
      pk: speiInKey(payment.clave_rastreo),
      status: 'credited',
      answer: { clave_rastreo: payment.clave_rastreo, status: 'credited', transaction_id: transactionId, answered_at: at },
      request_hash: notificationFingerprint(payment),
      notice,
      created_at: at,
    },
  };
}
