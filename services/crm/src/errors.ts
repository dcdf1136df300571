/**
 * CRM's refusals. Each has a stable code the assistant can branch on and a message it can read
 * to the customer; none of them writes anything.
 */
import { CentliError } from '@centli/pure/errors';

export class CrmError extends CentliError {}

/** Refusals of BENEFICIARY_ADD_REQUEST, answered with BENEFICIARY_REJECTED. */
export class BeneficiaryError extends CrmError {}

export class InvalidNameError extends BeneficiaryError {
  constructor(detail: string) {
    super('BENEFICIARY.INVALID_NAME', `The name ${detail}.`, { field: 'name' });
  }
}

export class InvalidAliasError extends BeneficiaryError {
  constructor(detail: string) {
    super('BENEFICIARY.INVALID_ALIAS', `The alias ${detail}.`, { field: 'alias' });
  }
}

export class DuplicateAliasError extends BeneficiaryError {
  constructor(alias: string) {
    super('BENEFICIARY.DUPLICATE_ALIAS', `You already have a beneficiary called "${alias}"; choose another alias.`, { field: 'alias' });
  }
}

export class InvalidDestinationError extends BeneficiaryError {
  constructor(message: string) {
    super('BENEFICIARY.INVALID_DESTINATION', message, { field: 'account_id' });
  }
}

export class InvalidClabeError extends BeneficiaryError {
  constructor(detail: string) {
    super('BENEFICIARY.INVALID_CLABE', `The CLABE ${detail}.`, { field: 'clabe' });
  }
}

export class AccountNotFoundError extends BeneficiaryError {
  constructor() {
    super('BENEFICIARY.ACCOUNT_NOT_FOUND', 'There is no Centli account with that id.', { field: 'account_id' });
  }
}

/** Refusals of ALIAS_RESOLUTION_REQUEST, answered with ALIAS_RESOLUTION_FAILED. */
export class AliasResolutionError extends CrmError {}

export class EmptyAliasError extends AliasResolutionError {
  constructor() {
    super('ALIAS.EMPTY', 'The alias has no letters or digits to look for.', { field: 'alias' });
  }
}

/** Refusals of BENEFICIARIES_QUERY, answered with BENEFICIARIES_FAILED. */
export class BeneficiariesQueryError extends CrmError {}

export class InvalidCursorError extends BeneficiariesQueryError {
  constructor() {
    super('BENEFICIARIES.INVALID_CURSOR', 'The cursor does not belong to this list; start again without it.', { field: 'cursor' });
  }
}
