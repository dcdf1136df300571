/**
 * The one place for contracts: JSON Schemas (events in events/, saga tasks in tasks/), the
 * types derived from them, and validators. Validators are compiled when a module asks for one
 * (at its load), never per event.
 */
import Ajv, { type ErrorObject, type Options, type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import common from './common.schema.json';
import envelope from './envelope.schema.json';
import { eventSchemas, failureTypes, requestRoutes, speiSchemas, type EventDetails } from './generated';
import { taskSchemas, type TaskInputs, type TaskOutputs } from './tasks/generated';
import toolCatalog from './tools/generated.json';
import { approvalSchema, toolSchemas, type ToolInputs, type ToolOutputs } from './tools/generated';

export * from './generated';
export * from './tasks/generated';
export * from './tools/generated';
export { eventSchemas, taskSchemas, toolSchemas };

export type DetailType = keyof EventDetails;
export type DetailOf<T extends DetailType> = EventDetails[T];
/** Detail-types that answer a request that could not be carried out (their schema is the common failure). */
export type FailureType = (typeof failureTypes)[number];

const failures: ReadonlySet<string> = new Set(failureTypes);

/** Whether an answer says its request was not carried out: the one failure test every door and service uses. */
export function isFailureType(detailType: unknown): detailType is FailureType {
  return typeof detailType === 'string' && failures.has(detailType);
}

/** A request detail-type: one its schema routes to a handler (`x-centli`). */
export type RequestType = keyof typeof requestRoutes;

/** How a request is routed, as its schema says (`x-centli`). */
export interface RequestRoute {
  /** `<service>/<function>`: the function that handles the request. */
  handler: string;
  /** What the handler answers with. */
  answers: readonly DetailType[];
  /** A saga that settles the request later, and what it answers then. */
  saga?: { definition: string; answers: readonly DetailType[] };
}

export function isRequestType(value: unknown): value is RequestType {
  return typeof value === 'string' && Object.hasOwn(requestRoutes, value);
}

/** The route of a request detail-type. */
export function routeOf(request: RequestType): RequestRoute {
  return requestRoutes[request] as RequestRoute;
}

/** The failure a request is answered with when it is refused (the one failure among its answers). */
export function failureOf(request: RequestType): FailureType {
  const failure = routeOf(request).answers.find(isFailureType);
  if (!failure) throw new Error(`${request} has no failure among its answers`);
  return failure;
}

export type TaskName = keyof TaskInputs & keyof TaskOutputs;
export type TaskInputOf<T extends TaskName> = TaskInputs[T];
export type TaskOutputOf<T extends TaskName> = TaskOutputs[T];

export interface SchemaViolation {
  /** The offending field as a dotted path (`amount`, `request.quantity`), or the root's name for the whole. */
  field: string;
  message: string;
  /** A rule the error catalogue words itself in each language (a transfer's concepto), when the field broke one. */
  rule?: { name: 'concepto'; max: number };
}

export type ToolName = keyof ToolInputs & keyof ToolOutputs;
export type ToolInputOf<T extends ToolName> = ToolInputs[T];
export type ToolOutputOf<T extends ToolName> = ToolOutputs[T];

/** A tool as the registry (schemas/tools/registry.json) declares it, its schemas self-contained. */
export interface ToolSpec {
  name: ToolName;
  title: string;
  description: string;
  /** The request event the tool becomes. */
  request: DetailType;
  /** `<service>/<function>`: the service function that handles the request. */
  function: string;
  /** Whether the tool changes nothing. */
  read_only: boolean;
  /** Whether calling it again with the same arguments changes nothing more. */
  idempotent: boolean;
  /** Whether nothing happens until the customer confirms what the first call summarises. */
  confirmation: boolean;
  inputSchema: Record<string, unknown>;
  outputSchema: Record<string, unknown>;
}

/** Every tool, in registry order (schemas/tools/generated.json). */
export const toolSpecs = toolCatalog.tools as unknown as readonly ToolSpec[];

/** Every schema: events, saga tasks and tools. */
export const allSchemas = [
  common,
  envelope,
  ...Object.values(eventSchemas),
  ...Object.values(speiSchemas),
  ...Object.values(taskSchemas).flatMap(({ input, output }) => [input, output]),
  ...Object.values(toolSchemas).flatMap(({ input, output }) => [input, output]),
  approvalSchema,
];

// Checking every schema against the meta-schema here would cost each cold start tens of
// milliseconds, for every schema of every service; a unit test checks them once instead.
// Strict mode still applies to the validators a module compiles.
const ajv = createAjv({ allErrors: false, validateSchema: false });
ajv.addSchema(allSchemas);

/**
 * An ajv configured as the registry's is: strict, with formats, and knowing the route a request
 * schema declares (`x-centli`), an annotation for the generators rather than a constraint. For
 * whoever compiles the schemas themselves (the benchmarks, the tests).
 */
export function createAjv(options: Options = {}): Ajv {
  const instance = new Ajv({ strict: true, ...options });
  instance.addKeyword({ keyword: 'x-centli', schemaType: 'object' });
  // A notice's route (who publishes it, who tells the customer): for the wiring generator, like x-centli.
  instance.addKeyword({ keyword: 'x-centli-notice', schemaType: 'object' });
  addFormats(instance);
  return instance;
}

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
  return (detail) => (validate(detail) ? undefined : describe(validate.errors, 'detail'));
}

/** A checker for one of the SPEI participant's HTTP bodies (schemas/spei/); call it at module load. */
export function speiValidator(name: keyof typeof speiSchemas): (value: unknown) => SchemaViolation | undefined {
  const validate = compiled(speiSchemas[name].$id);
  return (value) => (validate(value) ? undefined : describe(validate.errors, 'body'));
}

export function isTaskName(value: unknown): value is TaskName {
  return typeof value === 'string' && Object.hasOwn(taskSchemas, value);
}

/** A checker for one side of one saga task's contract; call it at module load. */
export function taskValidator(task: TaskName, side: 'input' | 'output'): (value: unknown) => SchemaViolation | undefined {
  const validate = compiled(taskSchemas[task][side].$id);
  return (value) => (validate(value) ? undefined : describe(validate.errors, side));
}

export function isToolName(value: unknown): value is ToolName {
  return typeof value === 'string' && Object.hasOwn(toolSchemas, value);
}

/** A checker for one side of one tool's contract; call it at module load. */
export function toolValidator(tool: ToolName, side: 'input' | 'output'): (value: unknown) => SchemaViolation | undefined {
  const validate = compiled(toolSchemas[tool][side].$id);
  return (value) => (validate(value) ? undefined : describe(validate.errors, side === 'input' ? 'arguments' : 'output'));
}

export const validateEnvelope: (event: unknown) => SchemaViolation | undefined = (() => {
  const validate = compiled(envelope.$id);
  return (event: unknown) => (validate(event) ? undefined : describe(validate.errors, 'event'));
})();

/** The timestamp's pattern (RFC 3339 without leap seconds): a violation of it is named by the format, not the regex. */
const TIMESTAMP_PATTERN = common.$defs.timestamp.pattern;

/**
 * A transfer's concepto as SPEI allows it (common.schema.json `$defs/concepto`): its pattern holds
 * the whole rule, the characters and the length, so every violation of it is one error that names
 * it, whichever schema `$ref`s it. The chat makes its descriptions with it (@centli/tools/concepto).
 */
export const concepto: { readonly pattern: RegExp; readonly characters: RegExp; readonly max: number } = (() => {
  const source = common.$defs.concepto.pattern;
  const parts = /^\^(\[[^\]]+\])\{1,(\d+)\}\$$/.exec(source);
  if (!parts?.[1] || !parts[2]) throw new Error(`the concepto's pattern ${source} is not ^[characters]{1,max}$`);
  return { pattern: new RegExp(source, 'u'), characters: new RegExp(parts[1], 'u'), max: Number(parts[2]) };
})();

/** How much of a field name a violation repeats: a name is the caller's text, and an answer must stay small. */
const FIELD_NAME_LENGTH = 64;

function describe(errors: ErrorObject[] | null | undefined, root: string): SchemaViolation {
  const error = errors?.[0];
  if (!error) return { field: root, message: `${root} is invalid` };
  const path = error.instancePath.split('/').filter(Boolean).map((part) => part.replaceAll('~1', '/').replaceAll('~0', '~'));
  if (error.keyword === 'required') path.push(String(error.params.missingProperty));
  if (error.keyword === 'additionalProperties') path.push(String(error.params.additionalProperty));
  if (error.keyword === 'dependencies') path.push(String(error.params.missingProperty));
  for (let i = 0; i < path.length; i++) {
    const part = path[i] as string;
    if (part.length > FIELD_NAME_LENGTH) path[i] = `${part.slice(0, FIELD_NAME_LENGTH)}…`;
  }
  const field = path.join('.') || root;
  const message =
    error.keyword === 'required'
      ? `${field} is required`
      : error.keyword === 'dependencies'
        ? `${field} is required with ${String(error.params.property)}`
        : error.keyword === 'additionalProperties'
          ? `${field} is not a known field`
          : error.keyword === 'pattern' && error.params.pattern === TIMESTAMP_PATTERN
            ? `${field} must match format "date-time"`
            : `${field} ${error.message ?? 'is invalid'}`;
  if (error.keyword === 'pattern' && error.params.pattern === common.$defs.concepto.pattern) {
    return { field, message: `${field} must be 1 to ${concepto.max} characters, each a letter (accents included), a digit, a space or . , -`, rule: { name: 'concepto', max: concepto.max } };
  }
  return { field, message };
}
