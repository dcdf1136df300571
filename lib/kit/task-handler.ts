/**
 * The one way to write a saga task (a Lambda that Step Functions invokes directly):
 *
 *   export const handler = taskHandler(reserveInventory, { service: 'marketplace', task: 'reserve-inventory', errors: [OutOfStockError] });
 *
 * The kit checks the input against the task's schema (validator compiled once, at module load),
 * puts `correlation_id` and `purchase_id` on every log line, calls the wrapped function with a
 * valid, typed input and checks what it returns against the task's output schema, since the
 * state machine reads fields out of it.
 *
 * Step Functions matches a failed task by its error's `name`, so errors leave as they are named:
 * - a declared business error (a `CentliError` listed in `errors`) leaves unchanged; the state's
 *   Catch names it (the saga's structural test checks every declared name is caught);
 * - a dependency that was briefly unavailable (the kit's `TransientError`, an AWS SDK error the
 *   SDK calls retryable or a 5xx, a dropped connection) leaves as `TransientError`, which the
 *   state's Retry names;
 * - an input that breaks the schema leaves as `TaskInputInvalidError`: the definition passed
 *   the wrong thing and retrying cannot help;
 * - anything else is logged with the correlation id and leaves as it is, for the state's
 *   catch-all.
 * Each outcome is counted as an EMF metric (namespace Centli, dimensions service and task):
 * `TaskSucceeded`, the business error's name, `TransientError`, `TaskInputInvalidError` or
 * `UnexpectedError`; and each invocation once as `Invocations` (./observability.ts) by outcome,
 * `completed`, `refused` (a declared business error, with its code) or `failed` (anything
 * thrown otherwise), with the task as its `Handler`. The trace is annotated with the
 * correlation id and the task.
 */
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import type { Context } from 'aws-lambda';
import { taskValidator, type TaskInputOf, type TaskName, type TaskOutputOf } from '@centli/schemas';
import { CentliError, TransientError } from '@centli/pure/errors';
import { correlate, observabilityFor, observed, recordOutcome } from './observability';

export type { TaskInputOf, TaskName, TaskOutputOf } from '@centli/schemas';

/** A business error class a task may throw. */
export type TaskErrorClass = abstract new (...args: never[]) => CentliError;

export interface TaskHandlerOptions<T extends TaskName> {
  /** The service's name, for the logs. */
  service: string;
  /** The task's contract in schemas/tasks. */
  task: T;
  /** The business errors the task throws, each named for an ErrorEquals of its state. */
  errors: readonly TaskErrorClass[];
}

/** The wrapped function gets the valid input; its adapters come from its own defaulted `deps`. */
export type TaskFunction<T extends TaskName> = (input: TaskInputOf<T>) => Promise<TaskOutputOf<T>>;

/** The state machine passed a task an input its schema refuses. */
export class TaskInputInvalidError extends Error {
  readonly field: string;

  constructor(task: string, field: string, message: string) {
    super(`${task}: ${message}`);
    this.name = new.target.name;
    this.field = field;
  }
}

/** What the saga's definition and its tests read off a task handler. */
export interface TaskHandlerInfo<T extends TaskName> {
  task: T;
  /** The business errors the task may throw. */
  errors: readonly TaskErrorClass[];
  /** Their names: what the state's Catch must name. */
  errorNames: readonly string[];
}

export function taskHandler<T extends TaskName>(fn: TaskFunction<T>, options: TaskHandlerOptions<T>) {
  const obs = observabilityFor(options.service, { dimensions: { task: options.task } });
  const { logger, metrics } = obs;
  const count = (name: string) => metrics.addMetric(name, MetricUnit.Count, 1);
  const validateInput = taskValidator(options.task, 'input');
  const validateOutput = taskValidator(options.task, 'output');
  const declared = new Set<unknown>(options.errors);

  async function handle(input: unknown, lambda: Context): Promise<TaskOutputOf<T>> {
    const raw = (input ?? {}) as Record<string, unknown>;
    correlate(obs, { correlation_id: stringOr(raw.correlation_id, 'unknown'), purchase_id: stringOr(raw.purchase_id), task: options.task });

    const violation = validateInput(input);
    if (violation) {
      logger.error('task input refused by its schema', { field: violation.field, reason: violation.message });
      count('TaskInputInvalidError');
      throw new TaskInputInvalidError(options.task, violation.field, violation.message);
    }
    let output: TaskOutputOf<T>;
    try {
      output = await fn(input as TaskInputOf<T>);
    } catch (error) {
      if (error instanceof CentliError && declared.has(error.constructor)) {
        logger.info('task refused', { code: error.code, error: error.name });
        count(error.name);
        // Step Functions reads a refusal off the error's name, so it leaves thrown, yet it is no failure.
        recordOutcome(lambda, 'refused', error.code);
        throw error;
      }
      if (isTransient(error)) {
        logger.warn('task failed on a transient error; the state will retry', error as Error);
        count('TransientError');
        throw error instanceof TransientError ? error : new TransientError(`${options.task}: ${(error as Error).message}`, { cause: error });
      }
      logger.error('task failed unexpectedly', error as Error);
      count('UnexpectedError');
      throw error;
    }
    const broken = validateOutput(output);
    if (broken) {
      logger.error('task output refused by its schema', { field: broken.field, reason: broken.message });
      count('UnexpectedError');
      throw new Error(`${options.task} produced an output its schema refuses: ${broken.message}`);
    }
    logger.info('task done');
    count('TaskSucceeded');
    return output;
  }

  const handler = observed(handle, obs, { handler: options.task });
  const info: TaskHandlerInfo<T> = { task: options.task, errors: options.errors, errorNames: options.errors.map((error) => error.name) };
  return Object.assign(handler, info);
}

const TRANSIENT_NAMES = new Set(['TimeoutError', 'RequestTimeout', 'RequestTimeoutException', 'ThrottlingException', 'ProvisionedThroughputExceededException', 'InternalServerError', 'ServiceUnavailable']);
const TRANSIENT_CODES = new Set(['ECONNRESET', 'ECONNREFUSED', 'ETIMEDOUT', 'EPIPE', 'EAI_AGAIN']);

/** Whether trying the same call again later may succeed. */
export function isTransient(error: unknown): boolean {
  if (error instanceof TransientError) return true;
  if (error === null || typeof error !== 'object') return false;
  const e = error as { name?: unknown; code?: unknown; $retryable?: unknown; $metadata?: { httpStatusCode?: unknown } };
  if (e.$retryable) return true;
  if (typeof e.$metadata?.httpStatusCode === 'number' && e.$metadata.httpStatusCode >= 500) return true;
  return (typeof e.name === 'string' && TRANSIENT_NAMES.has(e.name)) || (typeof e.code === 'string' && TRANSIENT_CODES.has(e.code));
}

function stringOr(value: unknown, fallback?: string): string | undefined {
  return typeof value === 'string' && value.length > 0 ? value : fallback;
}
