/**
 * Sending a SPEI transfer, the rules, free of AWS (the saga is sagas/spei-transfer.asl.yml).
 *
 * One request is one transfer: its id, its order id and its clave de rastreo are derived from
 * user_id and request_id, so a redelivered request is the same transfer and a retried send is the
 * same order. The money moves in three steps, each one ledger transaction of its own:
 * - the hold: the customer → the bank's SPEI in-transit account, under the transfer's own rules
 *   (domain/transfer.ts: funds, daily limit, MTU, new payee), with the transfer's order record;
 * - then exactly one of: the settlement (in-transit → the SPEI settlement account, when the order
 *   is `liquidada`) or the give-back (in-transit → the customer, when it is `devuelta` or went
 *   unanswered). The order record's status decides which, and moves once: `held` → `sent` →
 *   `liquidada` | `devuelta` | `timed_out`; each movement is conditioned on the status it needs.
 */
import { bankName } from '@centli/pure/banks';
import { createHash } from 'node:crypto';
import { calendarDay } from '@centli/pure/calendar';
import { clabeParts, isValidClabe } from '@centli/pure/clabe';
import { formatMoney } from '@centli/pure/money';
import type { SpeiTransferRequest, TransferCompleted, TransferRequest, TransferStatusResponse } from '@centli/schemas';
import { newPayeeKey, planTransfer, type LedgerEntryItem, type TransferLimits, type TransferPlan } from './transfer';
import { InvalidClabeError, OwnBankClabeError } from '../errors';

/** Where the SPEI money sits between the hold and its end, and where it leaves the bank. */
export interface SpeiAccounts {
  /** The bank's SPEI in-transit account (`acc-spei-transito-0001`). */
  inTransit: { account_id: string; user_id: string };
  /** The bank's SPEI settlement account (`acc-spei-liquidacion-0001`): what Centli holds at Banxico. */
  settlement: { account_id: string; user_id: string };
}

/** The sending bank, as the CEP names it. */
export const SENDING_BANK = 'Centli';

/** Where anyone checks a CEP. */
export const CEP_URL = 'https://www.banxico.org.mx/cep/';

/** The concepto an order carries when the customer gave none. */
export const DEFAULT_CONCEPTO = 'Transferencia SPEI';

/** The bank a CLABE belongs to (the one catalogue of SPEI participants, @centli/pure/banks). */
export { bankName };

const digest = (...parts: string[]) => createHash('sha256').update(parts.join('\u0000')).digest('hex');

/** The transfer's id, and its execution's name: the same for every delivery of one request, distinct across customers. */
export function speiTransferId(request: Pick<SpeiTransferRequest, 'user_id' | 'request_id'>): string {
  return `spei-${digest('spei-transfer', request.user_id, request.request_id).slice(0, 32)}`;
}

/**
 * The transfer's clave de rastreo: 30 letters and digits, derived from the transfer id (so a
 * retried order carries the same), unique as the id is (a 120-bit digest after the prefix).
 */
export function claveRastreoFor(transferId: string): string {
  return `CENTLI${digest('clave-rastreo', transferId).slice(0, 24).toUpperCase()}`;
}

/**
 * Refuses a to_clabe SPEI must not carry, before anything is written: a wrong check digit, or
 * this bank's own code (a Centli account is paid by a transfer between accounts).
 */
export function checkSpeiClabe(clabe: string, ownBankCode: string): void {
  if (!isValidClabe(clabe)) throw new InvalidClabeError();
  if (clabeParts(clabe).bank === ownBankCode) throw new OwnBankClabeError();
}

/** What the starter hands the saga: the execution's input. */
export interface SpeiSagaInput {
  transfer_id: string;
  clave_rastreo: string;
  /** How long the saga waits for the order's result before giving the money back. */
  timeout_seconds: number;
  request: SpeiTransferRequest;
}

export function speiSagaInput(request: SpeiTransferRequest, timeoutSeconds: number): SpeiSagaInput {
  const transferId = speiTransferId(request);
  return { transfer_id: transferId, clave_rastreo: claveRastreoFor(transferId), timeout_seconds: timeoutSeconds, request };
}

/** The order as the participant receives it; fixed when the money is held, so every send is the same order. */
export interface SpeiOrder {
  order_id: string;
  clave_rastreo: string;
  clabe: string;
  amount: number;
  beneficiary_name: string;
  concepto: string;
}

export type OrderStatus = 'held' | 'sent' | 'liquidada' | 'devuelta' | 'timed_out';

/** One SPEI transfer in centli-spei-orders-<stage>, keyed by transfer_id. */
export interface SpeiOrderRecord {
  transfer_id: string;
  user_id: string;
  request_id: string;
  correlation_id: string;
  clave_rastreo: string;
  from_account_id: string;
  to_clabe: string;
  beneficiary_name: string;
  receiving_bank: string;
  amount: number;
  currency: 'MXN';
  concepto: string;
  /** The customer's debit into the in-transit account. */
  hold_transaction_id: string;
  order: SpeiOrder;
  status: OrderStatus;
  created_at: string;
  updated_at: string;
  sent_at?: string;
  /** The saga's task token while it waits for the result. */
  task_token?: string;
  /** When the participant's result (or the timeout) was recorded. */
  result_at?: string;
  /** The participant's reason for a return (`cuenta_inexistente`). */
  return_reason?: string;
  /** The participant's own settlement time, for a `liquidada` order. */
  participant_settled_at?: string;
  /** The settlement's or the give-back's ledger transaction, once it is written. */
  end_transaction_id?: string;
  ended_at?: string;
}

/** The outcome a transfer's result leads to. */
export type SpeiResult = { status: 'liquidada'; settled_at?: string } | { status: 'devuelta'; reason?: string } | { status: 'timed_out' };

/** The statuses a result may be recorded from: once recorded, nothing replaces it. */
export const OPEN_STATUSES: readonly OrderStatus[] = ['held', 'sent'];

/** The hold's plan: the transfer's plan (its checks and counters) to the in-transit account, the payee counted by CLABE, and the order record. */
export interface HoldPlan {
  transfer: TransferPlan;
  record: SpeiOrderRecord;
}

/** The SPEI request as the transfer it holds: the customer → the in-transit account, under the transfer's rules. */
export function holdTransferRequest(request: SpeiTransferRequest, inTransitAccountId: string): TransferRequest {
  return {
    request_id: request.request_id,
    correlation_id: request.correlation_id,
    user_id: request.user_id,
    from_account_id: request.from_account_id,
    to_account_id: inTransitAccountId,
    amount: request.amount,
    currency: request.currency,
    ...(request.description === undefined ? {} : { description: request.description }),
    ...(request.new_payee_since === undefined ? {} : { new_payee_since: request.new_payee_since }),
    ...(request.second_factor_at === undefined ? {} : { second_factor_at: request.second_factor_at }),
  };
}

/**
 * Everything the hold writes: the transfer's plan to the in-transit account (its transaction id
 * the transfer's, from user_id and request_id), with a new payee counted by the CLABE it pays
 * rather than the in-transit account every SPEI transfer shares, the customer's entry naming the
 * payee, and the order record (`held`).
 */
export function planHold(input: { transfer_id: string; clave_rastreo: string; request: SpeiTransferRequest }, accounts: SpeiAccounts, limits: TransferLimits, now: Date, requestHash: string): HoldPlan {
  const { request } = input;
  const transfer = planTransfer(holdTransferRequest(request, accounts.inTransit.account_id), accounts.inTransit.user_id, limits, now, requestHash);
  const bank = bankName(request.to_clabe);
  const [debit, credit] = transfer.entries;
  const named: LedgerEntryItem = { ...debit, counterparty_name: request.beneficiary_name, counterparty_bank: bank, clave_rastreo: input.clave_rastreo };
  const concepto = request.description ?? DEFAULT_CONCEPTO;
  const record: SpeiOrderRecord = {
    transfer_id: input.transfer_id,
    user_id: request.user_id,
    request_id: request.request_id,
    correlation_id: request.correlation_id,
    clave_rastreo: input.clave_rastreo,
    from_account_id: request.from_account_id,
    to_clabe: request.to_clabe,
    beneficiary_name: request.beneficiary_name,
    receiving_bank: bank,
    amount: request.amount,
    currency: 'MXN',
    concepto,
    hold_transaction_id: transfer.transactionId,
    order: { order_id: input.transfer_id, clave_rastreo: input.clave_rastreo, clabe: request.to_clabe, amount: request.amount, beneficiary_name: request.beneficiary_name, concepto },
    status: 'held',
    created_at: transfer.at,
    updated_at: transfer.at,
  };
  return {
    transfer: {
      ...transfer,
      entries: [named, credit],
      ...(transfer.newPayee ? { newPayee: { ...transfer.newPayee, key: newPayeeKey(request.user_id, request.to_clabe) } } : {}),
    },
    record,
  };
}

const endId = (kind: string, transferId: string) => `txn-${kind}-${digest(kind, transferId).slice(0, 24)}`;

/** The settlement's ledger transaction id. */
export const settleTransactionId = (transferId: string) => endId('spei-settle', transferId);

/** The give-back's ledger transaction id. */
export const giveBackTransactionId = (transferId: string) => endId('spei-give-back', transferId);

/** TRANSFER_COMPLETED for a settled order: the customer's debit, to the settlement account the money left through, with the order. */
export function completedDetail(record: SpeiOrderRecord, settlementAccountId: string, settledAt: string): TransferCompleted {
  return {
    request_id: record.request_id,
    correlation_id: record.correlation_id,
    user_id: record.user_id,
    transaction_id: record.hold_transaction_id,
    from_account_id: record.from_account_id,
    to_account_id: settlementAccountId,
    amount: record.amount,
    currency: record.currency,
    formatted_amount: formatMoney(record.amount, record.currency),
    description: record.concepto,
    completed_at: settledAt,
    spei: {
      transfer_id: record.transfer_id,
      clave_rastreo: record.clave_rastreo,
      to_clabe: record.to_clabe,
      beneficiary_name: record.beneficiary_name,
      receiving_bank: record.receiving_bank,
      settled_at: settledAt,
    },
  };
}

/** How the customer is told where their transfer is. */
export function statusOf(record: SpeiOrderRecord): TransferStatusResponse['status'] {
  switch (record.status) {
    case 'held':
    case 'sent':
      return 'in_transit';
    case 'liquidada':
      return 'settled';
    case 'devuelta':
      return 'returned';
    case 'timed_out':
      return 'timed_out';
  }
}

/** The CEP's fields (Comprobante Electrónico de Pago), as Banxico shows them; the date is Mexico City's. */
export function cepOf(record: SpeiOrderRecord, timeZone = 'America/Mexico_City'): TransferStatusResponse['cep'] {
  return {
    date: calendarDay(new Date(record.sent_at ?? record.created_at), timeZone),
    sending_bank: SENDING_BANK,
    receiving_bank: record.receiving_bank,
    beneficiary_name: record.beneficiary_name,
    beneficiary_account_ending: record.to_clabe.slice(-4),
    amount: record.amount,
    currency: record.currency,
    formatted_amount: formatMoney(record.amount, record.currency),
    clave_rastreo: record.clave_rastreo,
    concepto: record.concepto,
    check_url: CEP_URL,
  };
}
