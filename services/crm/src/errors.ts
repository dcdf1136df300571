/**
 * CRM's refusals, each a code of the error catalogue (@centli/pure/refusals) with its
 * parameters; none of them writes anything.
 */
import { CentliError } from '@centli/pure/errors';

export class CrmError extends CentliError {}

/** Refusals of BENEFICIARY_ADD_REQUEST, answered with BENEFICIARY_REJECTED. */
export class BeneficiaryError extends CrmError {}

/** The rule a name or an alias broke. */
export type TextRule = { rule: 'length'; min: number; max: number } | { rule: 'characters' };

export class InvalidNameError extends BeneficiaryError {
  constructor(broke: TextRule) {
    super('BENEFICIARY.INVALID_NAME', broke, { field: 'name' });
  }
}

export class InvalidAliasError extends BeneficiaryError {
  constructor(broke: TextRule) {
    super('BENEFICIARY.INVALID_ALIAS', broke, { field: 'alias' });
  }
}

export class DuplicateAliasError extends BeneficiaryError {
  constructor(alias: string) {
    super('BENEFICIARY.DUPLICATE_ALIAS', { alias }, { field: 'alias' });
  }
}

export class InvalidDestinationError extends BeneficiaryError {
  constructor(given: 'both' | 'none') {
    super('BENEFICIARY.INVALID_DESTINATION', { given }, { field: 'account_id' });
  }
}

export class InvalidClabeError extends BeneficiaryError {
  constructor(problem: 'characters' | 'length' | 'check_digit') {
    super('BENEFICIARY.INVALID_CLABE', { problem }, { field: 'clabe' });
  }
}

export class AccountNotFoundError extends BeneficiaryError {
  constructor() {
    super('BENEFICIARY.ACCOUNT_NOT_FOUND', {}, { field: 'account_id' });
  }
}

/** Refusals of ALIAS_RESOLUTION_REQUEST, answered with ALIAS_RESOLUTION_FAILED. */
export class AliasResolutionError extends CrmError {}

export class EmptyAliasError extends AliasResolutionError {
  constructor() {
    super('ALIAS.EMPTY', {}, { field: 'alias' });
  }
}

/** Refusals of BENEFICIARIES_QUERY, answered with BENEFICIARIES_FAILED. */
export class BeneficiariesQueryError extends CrmError {}

export class InvalidCursorError extends BeneficiariesQueryError {
  constructor() {
    super('BENEFICIARIES.INVALID_CURSOR', {}, { field: 'cursor' });
  }
}
