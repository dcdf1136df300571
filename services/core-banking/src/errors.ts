/**
 * Core Banking's refusals. Each has a stable code the assistant can branch on and a message
 * it can read to the customer; none of them moves money.
 */
import { CentliError, type CentliErrorOptions } from '@centli/pure/errors';

export class CoreBankingError extends CentliError {}

export class TransferError extends CoreBankingError {}

export class SameAccountError extends TransferError {
  constructor() {
    super('TRANSFER.SAME_ACCOUNT', 'The source and destination accounts are the same.', { field: 'to_account_id' });
  }
}

export class InvalidAmountError extends TransferError {
  constructor() {
    super('TRANSFER.INVALID_AMOUNT', 'The amount must be a positive whole number of centavos.', { field: 'amount' });
  }
}

export class AmountOverLimitError extends TransferError {
  constructor(limit: string) {
    super('TRANSFER.AMOUNT_OVER_LIMIT', `The amount is over the per-transfer limit of ${limit}.`, { field: 'amount' });
  }
}

export class DailyLimitExceededError extends TransferError {
  constructor(limit: string, options?: CentliErrorOptions) {
    super('TRANSFER.DAILY_LIMIT_EXCEEDED', `This transfer would take the account over its daily limit of ${limit}.`, {
      field: 'amount',
      ...options,
    });
  }
}

export class AccountNotFoundError extends TransferError {
  constructor() {
    super('TRANSFER.ACCOUNT_NOT_FOUND', 'The source account is not one of your accounts.', { field: 'from_account_id' });
  }
}

export class AccountInactiveError extends TransferError {
  constructor(status: string) {
    super('TRANSFER.ACCOUNT_INACTIVE', `The source account is ${status} and cannot send money.`, { field: 'from_account_id' });
  }
}

export class InsufficientFundsError extends TransferError {
  constructor() {
    super('TRANSFER.INSUFFICIENT_FUNDS', 'The source account does not have enough funds for this transfer.', { field: 'amount' });
  }
}

export class DestinationNotFoundError extends TransferError {
  constructor() {
    super('TRANSFER.DESTINATION_NOT_FOUND', 'The destination account does not exist.', { field: 'to_account_id' });
  }
}

export class DestinationInactiveError extends TransferError {
  constructor(status: string) {
    super('TRANSFER.DESTINATION_INACTIVE', `The destination account is ${status} and cannot receive money.`, { field: 'to_account_id' });
  }
}

export class CurrencyMismatchError extends TransferError {
  constructor(field: 'from_account_id' | 'to_account_id', accountCurrency: string, requested: string) {
    super('TRANSFER.CURRENCY_MISMATCH', `The ${field === 'from_account_id' ? 'source' : 'destination'} account holds ${accountCurrency}, not ${requested}.`, {
      field: 'currency',
    });
  }
}

export class HistoryError extends CoreBankingError {}

export class HistoryAccountNotFoundError extends HistoryError {
  constructor() {
    super('TRANSACTIONS.ACCOUNT_NOT_FOUND', 'That account is not one of your accounts.', { field: 'account_id' });
  }
}

export class InvalidCursorError extends HistoryError {
  constructor() {
    super('TRANSACTIONS.INVALID_CURSOR', 'The cursor does not belong to this query; start again without it.', { field: 'cursor' });
  }
}

export class InvalidRangeError extends HistoryError {
  constructor() {
    super('TRANSACTIONS.INVALID_RANGE', 'The start of the date range is after its end.', { field: 'from' });
  }
}

export class BalanceError extends CoreBankingError {}

export class BalanceAccountNotFoundError extends BalanceError {
  constructor() {
    super('BALANCE.ACCOUNT_NOT_FOUND', 'That account is not one of your accounts.', { field: 'account_id' });
  }
}

/** Refusals of the purchase saga's ChargePayment task; Step Functions catches them by class name. */
export class PaymentError extends CoreBankingError {}

export class PaymentAccountNotFoundError extends PaymentError {
  constructor() {
    super('PAYMENT.ACCOUNT_NOT_FOUND', 'The account to charge is not one of your accounts.', { field: 'account_id' });
  }
}

export class PaymentAccountInactiveError extends PaymentError {
  constructor() {
    super('PAYMENT.ACCOUNT_INACTIVE', 'The account to charge is not active.', { field: 'account_id' });
  }
}

export class PaymentCurrencyMismatchError extends PaymentError {
  constructor() {
    super('PAYMENT.CURRENCY_MISMATCH', 'The account to charge does not hold the currency of the purchase.', { field: 'account_id' });
  }
}

export class PaymentInsufficientFundsError extends PaymentError {
  constructor() {
    super('PAYMENT.INSUFFICIENT_FUNDS', 'The account does not have enough funds for this purchase.', { field: 'account_id' });
  }
}

/** The retailer's settlement account is missing or cannot receive money: the Marketplace's data is wrong, not the customer's request. */
export class SettlementAccountUnavailableError extends Error {
  constructor(accountId: string, why: string) {
    super(`settlement account ${accountId} ${why}`);
    this.name = 'SettlementAccountUnavailableError';
  }
}
