/**
 * One error model for every service. A `CentliError` is a business outcome with a stable
 * `code` (`TRANSFER.INSUFFICIENT_FUNDS`) of the error catalogue (./refusals.ts) and the
 * parameters its texts name: the kit answers it with the request's *_FAILED event, whose
 * `message` is the catalogue's English text and whose `params` let any door tell it in the
 * customer's language. Anything else is unexpected: logged with the correlation id and rethrown,
 * so the platform retries the (idempotent) delivery and finally dead-letters it.
 */
import type { SchemaViolation } from '@centli/schemas';
import { refusalText, type Params, type RefusalCode, type RefusalParams } from './refusals';

export interface CentliErrorOptions extends ErrorOptions {
  /** The request field at fault, when one is. */
  field?: string;
}

export class CentliError extends Error {
  readonly code: RefusalCode;
  /** What the code's texts name (JSON, so it travels in the failure event). */
  readonly params: Params;
  readonly field: string | undefined;

  constructor(code: RefusalCode, params: Params = {}, options: CentliErrorOptions = {}) {
    super(refusalText(code, params, 'en') ?? code, options);
    this.name = new.target.name;
    this.code = code;
    this.params = params;
    this.field = options.field;
  }
}

/** The event does not match its detail-type's schema; `field` names the first fault, and `rule` the catalogue's rule it broke, if any. */
export class InvalidRequestError extends CentliError {
  constructor(field: string, problem: string, rule?: SchemaViolation['rule']) {
    super('REQUEST.INVALID', invalidRequestParams({ field, message: problem, ...(rule ? { rule } : {}) }), { field });
  }
}

/** What REQUEST.INVALID names for a schema violation: the field, the schema's wording and, for a rule the catalogue words itself (a concepto), the rule. */
export function invalidRequestParams(violation: SchemaViolation): RefusalParams<'REQUEST.INVALID'> {
  return { field: violation.field, problem: violation.message, ...(violation.rule ? { rule: violation.rule.name, max: violation.rule.max } : {}) };
}

/** A dependency was briefly unavailable; the work may be retried as it is. */
export class TransientError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = new.target.name;
  }
}

/**
 * Another writer got there first: a transaction was cancelled untouched, or what was read
 * changed before the write. The attempt is worth making again (see `retryOnContention`).
 */
export class ContentionError extends Error {
  constructor(message = 'another writer got there first', options?: ErrorOptions) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** A request_id seen before arrived with a different request: an idempotency key names one request only. */
export class RequestIdReusedError extends CentliError {
  constructor() {
    super('REQUEST.ID_REUSED', {}, { field: 'request_id' });
  }
}

