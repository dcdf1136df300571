/**
 * The Marketplace's refusals. Each has a stable code the assistant can branch on and a message
 * it can read to the customer. The purchase errors are also the purchase saga's business
 * errors: Step Functions matches them by class name, and the definition
 * (sagas/purchase.asl.yml) answers each with its code and message in PURCHASE_FAILED.
 */
import { CentliError } from '@centli/pure/errors';

export class MarketplaceError extends CentliError {}

export class CatalogError extends MarketplaceError {}

export class InvalidCatalogCursorError extends CatalogError {
  constructor() {
    super('CATALOG.INVALID_CURSOR', 'The cursor does not belong to this search; start again without it.', { field: 'cursor' });
  }
}

export class InvalidPriceRangeError extends CatalogError {
  constructor() {
    super('CATALOG.INVALID_PRICE_RANGE', 'The lowest price is above the highest price.', { field: 'min_price' });
  }
}

export class BenefitsError extends MarketplaceError {}

export class ProductNotOfferedError extends BenefitsError {
  constructor() {
    super('BENEFITS.PRODUCT_NOT_FOUND', 'No retailer sells that product.', { field: 'product_id' });
  }
}

export class PurchaseError extends MarketplaceError {}

export class ProductNotFoundError extends PurchaseError {
  constructor() {
    super('PURCHASE.PRODUCT_NOT_FOUND', 'That retailer does not sell that product.', { field: 'product_id' });
  }
}

export class OutOfStockError extends PurchaseError {
  constructor() {
    super('PURCHASE.OUT_OF_STOCK', 'There are not enough units of that product in stock.', { field: 'quantity' });
  }
}

export class InstallmentsNotAvailableError extends PurchaseError {
  constructor() {
    super('PURCHASE.INSTALLMENTS_NOT_AVAILABLE', 'The retailer does not offer that many interest-free months for this purchase.', { field: 'installments' });
  }
}

/** The customer has no purchase with that id (another customer's purchase is answered the same way). */
export class PurchaseStatusNotFoundError extends MarketplaceError {
  constructor() {
    super('PURCHASE.NOT_FOUND', 'You have no purchase with that id.', { field: 'purchase_id' });
  }
}
