/**
 * The contracts of the purchase saga's tasks: what each Step Functions task state passes to
 * its Lambda and gets back. Types are generated from the JSON Schemas beside this file
 * (`generated.ts`); validators are compiled when a module asks for one (at its load), never per
 * invocation.
 */
import Ajv, { type ErrorObject, type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import common from '../common.schema.json';
import { eventSchemas } from '../generated';
import { taskSchemas, type TaskInputs, type TaskOutputs } from './generated';

export * from './generated';

export type TaskName = keyof TaskInputs & keyof TaskOutputs;
export type TaskInputOf<T extends TaskName> = TaskInputs[T];
export type TaskOutputOf<T extends TaskName> = TaskOutputs[T];

export interface TaskViolation {
  /** The offending field as a dotted path (`request.quantity`), or `input` for the whole. */
  field: string;
  message: string;
}

const ajv = new Ajv({
  schemas: [common, ...Object.values(eventSchemas), ...Object.values(taskSchemas).flatMap(({ input, output }) => [input, output])],
  strict: true,
  allErrors: false,
});
addFormats(ajv);

export function isTaskName(value: unknown): value is TaskName {
  return typeof value === 'string' && Object.hasOwn(taskSchemas, value);
}

/** A checker for one side of one task's contract; call it at module load. */
export function taskValidator(task: TaskName, side: 'input' | 'output'): (value: unknown) => TaskViolation | undefined {
  const id = taskSchemas[task][side].$id;
  const validate: ValidateFunction | undefined = ajv.getSchema(id);
  if (!validate) throw new Error(`no schema with $id ${id}`);
  return (value) => (validate(value) ? undefined : describe(validate.errors, side));
}

function describe(errors: ErrorObject[] | null | undefined, side: string): TaskViolation {
  const error = errors?.[0];
  if (!error) return { field: side, message: `${side} is invalid` };
  const path = error.instancePath.split('/').filter(Boolean);
  if (error.keyword === 'required') path.push(String(error.params.missingProperty));
  if (error.keyword === 'additionalProperties') path.push(String(error.params.additionalProperty));
  const field = path.join('.') || side;
  const message =
    error.keyword === 'required'
      ? `${field} is required`
      : error.keyword === 'additionalProperties'
        ? `${field} is not a known field`
        : `${field} ${error.message ?? 'is invalid'}`;
  return { field, message };
}
