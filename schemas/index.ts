/**
 * The one place for contracts: JSON Schemas, the types derived from them, and validators.
 * Validators are compiled when a module asks for one (at its load), never per event.
 */
import Ajv, { type ErrorObject, type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import common from './common.schema.json';
import envelope from './envelope.schema.json';
import { eventSchemas, type EventDetails } from './generated';

export * from './generated';
export { eventSchemas };

export type DetailType = keyof EventDetails;
export type DetailOf<T extends DetailType> = EventDetails[T];
/** Detail-types that answer a request that could not be carried out (failure-shaped details). */
export type FailureType = Extract<DetailType, `${string}_FAILED` | `${string}_REJECTED`>;

export interface SchemaViolation {
  /** The offending field as a dotted path (`amount`, `accounts.0.balance`), or `detail` for the whole. */
  field: string;
  message: string;
}

const ajv = new Ajv({ schemas: [common, envelope, ...Object.values(eventSchemas)], strict: true, allErrors: false });
addFormats(ajv);

function compiled(id: string): ValidateFunction {
  const validate = ajv.getSchema(id);
  if (!validate) throw new Error(`no schema with $id ${id}`);
  return validate;
}

export function isDetailType(value: unknown): value is DetailType {
  return typeof value === 'string' && Object.hasOwn(eventSchemas, value);
}

/** Returns a checker for one detail-type; call it at module load. */
export function detailValidator<T extends DetailType>(detailType: T): (detail: unknown) => SchemaViolation | undefined {
  const validate = compiled(eventSchemas[detailType].$id);
  return (detail) => (validate(detail) ? undefined : describe(validate.errors));
}

export const validateEnvelope: (event: unknown) => SchemaViolation | undefined = (() => {
  const validate = compiled(envelope.$id);
  return (event: unknown) => (validate(event) ? undefined : describe(validate.errors));
})();

function describe(errors: ErrorObject[] | null | undefined): SchemaViolation {
  const error = errors?.[0];
  if (!error) return { field: 'detail', message: 'detail is invalid' };
  const path = error.instancePath.split('/').filter(Boolean);
  if (error.keyword === 'required') path.push(String(error.params.missingProperty));
  if (error.keyword === 'additionalProperties') path.push(String(error.params.additionalProperty));
  const field = path.join('.') || 'detail';
  const message =
    error.keyword === 'required'
      ? `${field} is required`
      : error.keyword === 'additionalProperties'
        ? `${field} is not a known field`
        : `${field} ${error.message ?? 'is invalid'}`;
  return { field, message };
}
