/**
 * Core Banking's refusals, each a code of the error catalogue (@centli/pure/refusals) with its
 * parameters: the assistant branches on the code and tells the customer the catalogue's text in
 * their language. None of them moves money.
 */
import { CentliError, type CentliErrorOptions } from '@centli/pure/errors';
import type { Money } from '@centli/pure/money';

export class CoreBankingError extends CentliError {}

export class TransferError extends CoreBankingError {}

export class SameAccountError extends TransferError {
  constructor() {
    super('TRANSFER.SAME_ACCOUNT', {}, { field: 'to_account_id' });
  }
}

export class InvalidAmountError extends TransferError {
  constructor() {
    super('TRANSFER.INVALID_AMOUNT', {}, { field: 'amount' });
  }
}

export class AmountOverLimitError extends TransferError {
  constructor(limit: Money) {
    super('TRANSFER.AMOUNT_OVER_LIMIT', { limit }, { field: 'amount' });
  }
}

export class DailyLimitExceededError extends TransferError {
  constructor(limit: Money, options?: CentliErrorOptions) {
    super('TRANSFER.DAILY_LIMIT_EXCEEDED', { limit }, { field: 'amount', ...options });
  }
}

export class AccountNotFoundError extends TransferError {
  constructor() {
    super('TRANSFER.ACCOUNT_NOT_FOUND', {}, { field: 'from_account_id' });
  }
}

export class AccountInactiveError extends TransferError {
  constructor() {
    super('TRANSFER.ACCOUNT_INACTIVE', {}, { field: 'from_account_id' });
  }
}

export class InsufficientFundsError extends TransferError {
  /** @param available - What the account has, when the refused write returned it. */
  constructor(available?: Money) {
    super('TRANSFER.INSUFFICIENT_FUNDS', available ? { available } : {}, { field: 'amount' });
  }
}

export class DestinationNotFoundError extends TransferError {
  constructor() {
    super('TRANSFER.DESTINATION_NOT_FOUND', {}, { field: 'to_account_id' });
  }
}

export class DestinationInactiveError extends TransferError {
  constructor() {
    super('TRANSFER.DESTINATION_INACTIVE', {}, { field: 'to_account_id' });
  }
}

export class CurrencyMismatchError extends TransferError {
  constructor() {
    super('TRANSFER.CURRENCY_MISMATCH', {}, { field: 'currency' });
  }
}

/** The payee is new to the customer and its first 24 hours' allowance would be passed (see domain/transfer.ts). */
export class NewPayeeLimitError extends TransferError {
  /** @param until - When the payee stops being new (ISO 8601). */
  constructor(limit: Money, until: string, options?: CentliErrorOptions) {
    super('TRANSFER.NEW_PAYEE_LIMIT', { limit, until }, { field: 'amount', ...options });
  }
}

/** The amount is above the customer's MTU and no fresh second factor came with it (see domain/mtu.ts). */
export class SecondFactorRequiredError extends TransferError {
  constructor(mtu: Money) {
    super('TRANSFER.SECOND_FACTOR_REQUIRED', { mtu }, { field: 'amount' });
  }
}

/** A SPEI transfer to a CLABE of this bank's own code: a Centli account is paid by TRANSFER_REQUEST. */
export class OwnBankClabeError extends TransferError {
  constructor() {
    super('TRANSFER.OWN_BANK_CLABE', {}, { field: 'to_clabe' });
  }
}

/** A SPEI transfer to a CLABE whose check digit is wrong. */
export class InvalidClabeError extends TransferError {
  constructor() {
    super('TRANSFER.INVALID_CLABE', {}, { field: 'to_clabe' });
  }
}

/** Why a held SPEI transfer ended with the money given back: returned by the receiving bank, or unanswered in time. */
export class SpeiGivenBackError extends TransferError {}

export class SpeiReturnedError extends SpeiGivenBackError {
  constructor(amount: Money, bank: string, returnReason: string | undefined) {
    super('SPEI.RETURNED', { amount, bank, ...(returnReason ? { return_reason: returnReason } : {}) });
  }
}

export class SpeiTimedOutError extends SpeiGivenBackError {
  constructor(amount: Money, bank: string) {
    super('SPEI.TIMED_OUT', { amount, bank });
  }
}

/** The SPEI saga could not hold the money and closed the request: nothing moved, and a hold arriving late is refused. */
export class SpeiHoldFailedError extends TransferError {
  constructor() {
    super('TRANSFER.FAILED');
  }
}

export class TransferStatusError extends CoreBankingError {}

/** No SPEI transfer of the caller's matches: another customer's transfer answers this too. */
export class TransferStatusNotFoundError extends TransferStatusError {
  constructor(field?: string) {
    super('TRANSFER_STATUS.NOT_FOUND', {}, field ? { field } : {});
  }
}

export class HistoryError extends CoreBankingError {}

export class HistoryAccountNotFoundError extends HistoryError {
  constructor() {
    super('TRANSACTIONS.ACCOUNT_NOT_FOUND', {}, { field: 'account_id' });
  }
}

export class InvalidCursorError extends HistoryError {
  constructor() {
    super('TRANSACTIONS.INVALID_CURSOR', {}, { field: 'cursor' });
  }
}

export class InvalidRangeError extends HistoryError {
  constructor() {
    super('TRANSACTIONS.INVALID_RANGE', {}, { field: 'from' });
  }
}

export class BalanceError extends CoreBankingError {}

export class BalanceAccountNotFoundError extends BalanceError {
  constructor() {
    super('BALANCE.ACCOUNT_NOT_FOUND', {}, { field: 'account_id' });
  }
}

export class LimitsError extends CoreBankingError {}

export class AccountHolderError extends CoreBankingError {}

export class AccountHolderNotFoundError extends AccountHolderError {
  constructor() {
    super('PAYEE.ACCOUNT_NOT_FOUND', {}, { field: 'account_id' });
  }
}

export class LimitsAccountNotFoundError extends LimitsError {
  constructor() {
    super('LIMITS.ACCOUNT_NOT_FOUND', {}, { field: 'account_id' });
  }
}

export class MtuError extends CoreBankingError {}

/** Raising the MTU needs a fresh second factor (see domain/mtu.ts); `mtu` is the one that holds. */
export class MtuSecondFactorRequiredError extends MtuError {
  constructor(mtu: Money) {
    super('MTU.SECOND_FACTOR_REQUIRED', { mtu }, { field: 'amount' });
  }
}

/** Refusals of the purchase saga's ChargePayment task; Step Functions catches them by class name. */
export class PaymentError extends CoreBankingError {}

export class PaymentAccountNotFoundError extends PaymentError {
  constructor() {
    super('PAYMENT.ACCOUNT_NOT_FOUND', {}, { field: 'account_id' });
  }
}

export class PaymentAccountInactiveError extends PaymentError {
  constructor() {
    super('PAYMENT.ACCOUNT_INACTIVE', {}, { field: 'account_id' });
  }
}

export class PaymentCurrencyMismatchError extends PaymentError {
  constructor() {
    super('PAYMENT.CURRENCY_MISMATCH', {}, { field: 'account_id' });
  }
}

export class PaymentInsufficientFundsError extends PaymentError {
  constructor() {
    super('PAYMENT.INSUFFICIENT_FUNDS', {}, { field: 'account_id' });
  }
}

/** The total is above the customer's MTU and the purchase came with no fresh second factor (see domain/mtu.ts). */
export class PaymentSecondFactorRequiredError extends PaymentError {
  constructor(mtu?: Money) {
    super('PURCHASE.SECOND_FACTOR_REQUIRED', mtu ? { mtu } : {}, { field: 'total' });
  }
}

/** The retailer's settlement account is missing or cannot receive money: the Marketplace's data is wrong, not the customer's request. */
export class SettlementAccountUnavailableError extends Error {
  constructor(accountId: string, why: string) {
    super(`settlement account ${accountId} ${why}`);
    this.name = 'SettlementAccountUnavailableError';
  }
}
