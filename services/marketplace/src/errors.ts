/**
 * The Marketplace's refusals, each a code of the error catalogue (@centli/pure/refusals) with
 * its parameters. The purchase errors are also the purchase saga's business
 * errors: Step Functions matches them by class name, and the definition
 * (sagas/purchase.asl.yml) answers each with its code and message in PURCHASE_FAILED.
 */
import { CentliError } from '@centli/pure/errors';
import type { Money } from '@centli/pure/money';

export class MarketplaceError extends CentliError {}

export class CatalogError extends MarketplaceError {}

export class InvalidCatalogCursorError extends CatalogError {
  constructor() {
    super('CATALOG.INVALID_CURSOR', {}, { field: 'cursor' });
  }
}

export class InvalidPriceRangeError extends CatalogError {
  constructor() {
    super('CATALOG.INVALID_PRICE_RANGE', {}, { field: 'min_price' });
  }
}

export class BenefitsError extends MarketplaceError {}

export class ProductNotOfferedError extends BenefitsError {
  constructor() {
    super('BENEFITS.PRODUCT_NOT_FOUND', {}, { field: 'product_id' });
  }
}

export class PurchaseError extends MarketplaceError {}

export class ProductNotFoundError extends PurchaseError {
  constructor() {
    super('PURCHASE.PRODUCT_NOT_FOUND', {}, { field: 'product_id' });
  }
}

export class OutOfStockError extends PurchaseError {
  constructor() {
    super('PURCHASE.OUT_OF_STOCK', {}, { field: 'quantity' });
  }
}

export class InstallmentsNotAvailableError extends PurchaseError {
  constructor() {
    super('PURCHASE.INSTALLMENTS_NOT_AVAILABLE', {}, { field: 'installments' });
  }
}

/**
 * The purchase would now cost other than the total the customer approved (a new price, a
 * promotion that ended, another currency, another monthly payment): nothing is reserved, so
 * nothing is charged. `now` is what it costs now, when the total is what changed.
 */
export class PriceChangedError extends PurchaseError {
  constructor(now?: Money) {
    super('PURCHASE.PRICE_CHANGED', now ? { total: now } : {}, { field: 'total' });
  }
}

/** The customer has no purchase with that id (another customer's purchase is answered the same way). */
export class PurchaseStatusNotFoundError extends MarketplaceError {
  constructor() {
    super('PURCHASE.NOT_FOUND', {}, { field: 'purchase_id' });
  }
}
