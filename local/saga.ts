/**
 * The sagas, locally: every state machine a service declares (`stepFunctions.stateMachines`, its
 * definition a `sagas/*.asl.yml`, the file AWS deploys) run by aws-local-stepfunctions, with every
 * Task state mapped to what Step Functions would call:
 * - `arn:aws:states:::lambda:invoke` → the function named by `FunctionName`, invoked in this
 *   process by local/lambda.ts; the result comes back as `{ Payload, StatusCode }` and an
 *   error as Step Functions reports it (Error = the error's name, Cause = the Lambda error
 *   JSON; a Lambda timeout is `Sandbox.Timedout`);
 * - `arn:aws:states:::lambda:invoke.waitForTaskToken` → the same function, given a fresh task
 *   token where the definition says `$$.Task.Token` (the library knows neither), then waiting for
 *   SendTaskSuccess or SendTaskFailure with that token, or the state's timeout (TimeoutSeconds or
 *   TimeoutSecondsPath, read from the state's input as Step Functions reads it), which fails the
 *   state with `States.Timeout` and makes the token stale (TaskTimedOut);
 * - `arn:aws:states:::events:putEvents` → `putEvents` (the local bus), each Detail checked
 *   against its detail-type's schema.
 * A Task the runner cannot map stops it from starting: nothing reaches real AWS.
 *
 * It speaks enough of the Step Functions API (StartExecution, DescribeExecution, SendTaskSuccess,
 * SendTaskFailure, SendTaskHeartbeat) for the unmodified SDK: execution names are unique, so a purchase request delivered twice starts one
 * execution. Each execution's history is kept: every state entered, its input and output, every
 * task attempt with its payload, result or error and timing, retries and catches.
 *
 * Tests can wrap every task invocation (`wrapTask`) to inject faults around the real handlers,
 * and shorten the Retry pauses (`retryIntervalMs`); production code has no test branches.
 *
 * @module
 */
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { StateMachine } from 'aws-local-stepfunctions';
import { detailValidator, isDetailType } from '@centli/schemas';
import { parseCloudFormationYaml } from './cloudformation-yaml';
import { LOCAL_ACCOUNT_ID } from './eventbridge-event';
import { invokeFunction, LambdaTimeoutError, type LambdaFunction } from './lambda';
import type { StateMachineConfig } from './serverless-config';
import { VariableResolver } from './serverless-variables';

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** What a Task state's resource is asked, and answers. */
export type TaskInvoker = (input: Json) => Promise<Json>;

/** A PutEvents entry as the runner hands it to the bus. */
export interface SagaEventEntry {
  EventBusName: string;
  Source: string;
  DetailType: string;
  Detail: string;
}

export interface SagaRunnerOptions {
  /** The ASL file: YAML with `${sls:stage}` and `Fn::ImportValue`, as serverless.yml includes it. */
  definitionFile: string;
  /** The state machine's name (`centli-purchase-local`). */
  stateMachineName: string;
  stage: string;
  region?: string;
  /** The functions Task states may invoke, by their deployed names. */
  functions: readonly LambdaFunction[];
  /** Values of the CloudFormation exports the definition imports (`centli-event-bus-name-local`). */
  imports: Readonly<Record<string, string>>;
  /** Puts events on the bus; answers like PutEvents. */
  putEvents: (entries: SagaEventEntry[]) => Promise<{ FailedEntryCount?: number; Entries?: unknown[] }>;
  /** Wraps each task invocation (state name, the real invoker): fault injection for tests. */
  wrapTask?: (state: string, invoke: TaskInvoker) => TaskInvoker;
  /** Every Retry pause, in milliseconds, instead of the definition's backoff: for tests. */
  retryIntervalMs?: number;
  /** Receives the runner's own messages (contract violations, executions that fail). */
  log?: (message: string) => void;
}

export type ExecutionStatus = 'RUNNING' | 'SUCCEEDED' | 'FAILED' | 'ABORTED';

/** One call of a Task state's resource. */
export interface TaskAttempt {
  attempt: number;
  resource: string;
  /** The Lambda function, for `lambda:invoke` tasks. */
  function?: string;
  /** What the resource was given (the Lambda payload, the PutEvents entries). */
  input: Json;
  output?: Json;
  error?: { error: string; cause: string };
  startedAt: string;
  durationMs: number;
  /** `.waitForTaskToken` tasks: how long the function itself ran (durationMs also holds the wait for the token). */
  invokedMs?: number;
}

/** One visit of a state. */
export interface StateVisit {
  name: string;
  type: string;
  enteredAt: string;
  exitedAt?: string;
  durationMs?: number;
  input: Json;
  output?: Json;
  /** Task states: each call of the resource, in order. */
  attempts: TaskAttempt[];
  retries: { attempt: number; error: string }[];
  /** The error that left the state, when a Catch (or nothing) took it. */
  error?: { error: string; cause: string };
  caught?: { errorEquals: string[]; next: string };
}

export interface ExecutionHistory {
  executionArn: string;
  stateMachineArn: string;
  name: string;
  status: ExecutionStatus;
  startDate: string;
  stopDate?: string;
  durationMs?: number;
  input: Json;
  output?: Json;
  error?: string;
  cause?: string;
  /** StartExecution calls that named this execution (a redelivered request adds one, starts nothing). */
  startRequests: number;
  states: StateVisit[];
  /** Events the definition published that break their detail-type's schema. */
  contractViolations: string[];
}

/** A Step Functions API error: `name` is its AWS error code. */
export class StepFunctionsApiError extends Error {
  constructor(
    code: string,
    message: string,
    readonly statusCode = 400,
  ) {
    super(message);
    this.name = code;
  }
}

interface Execution {
  /** The history, its visits without their task attempts. */
  history: ExecutionHistory;
  /** Task attempts by state name, in order; attached to the visits they fall in by `snapshot`. */
  attempts: Map<string, TaskAttempt[]>;
  inputText: string;
  done: Promise<void>;
  abort: () => void;
}

/** The history with every task attempt in the visit it happened in. */
function snapshot(execution: Execution): ExecutionHistory {
  const history = clone(execution.history);
  for (const visit of history.states) {
    const from = Date.parse(visit.enteredAt);
    const to = visit.exitedAt === undefined ? Number.POSITIVE_INFINITY : Date.parse(visit.exitedAt);
    visit.attempts = clone((execution.attempts.get(visit.name) ?? []).filter((a) => Date.parse(a.startedAt) >= from && Date.parse(a.startedAt) <= to));
  }
  return history;
}

/** An ASL definition as the runner uses it. */
export interface SagaDefinition {
  StartAt: string;
  States: Record<string, Record<string, unknown>>;
  [key: string]: unknown;
}

const LAMBDA_INVOKE = 'arn:aws:states:::lambda:invoke';
const LAMBDA_INVOKE_WAIT = 'arn:aws:states:::lambda:invoke.waitForTaskToken';
const TASK_TOKEN_PATH = '$$.Task.Token';
/** Where the rewritten definition carries a token-waiting state's timeout (its TimeoutSecondsPath, read from the state's input). */
const TIMEOUT_PARAMETER = '__centli_timeout_seconds';
/** What stands for `$$.Task.Token` in a rewritten definition, replaced by each attempt's own token. */
const TOKEN_PLACEHOLDER = '__centli_task_token__';
/** The library times every Task out (60 s by default); a token-waiting state's timeout is the runner's, so the library's is pushed out of the way. */
const NO_LIBRARY_TIMEOUT_SECONDS = 2_000_000; // under setTimeout’s 2^31 - 1 ms, which fires at once when passed
const PUT_EVENTS = 'arn:aws:states:::events:putEvents';
const NAME = /^[A-Za-z0-9_-]{1,80}$/;

/**
 * Reads an ASL file the way serverless.yml includes it: YAML (short-form tags allowed),
 * Serverless variables resolved for `stage`, `Fn::ImportValue` replaced by `imports`.
 *
 * @throws Error naming any other CloudFormation intrinsic, which only CloudFormation can evaluate.
 */
export function loadSagaDefinition(file: string, stage: string, imports: Readonly<Record<string, string>>): SagaDefinition {
  const document = parseCloudFormationYaml(readFileSync(file, 'utf8'), file);
  const resolved = new VariableResolver(document as Record<string, unknown>, { stage }).resolveValue(document, '');
  const substituted = substituteImports(resolved, imports, '');
  const definition = substituted as SagaDefinition;
  if (!definition || typeof definition.StartAt !== 'string' || typeof definition.States !== 'object') throw new Error(`${file} is not a state machine definition`);
  return definition;
}

function substituteImports(value: unknown, imports: Readonly<Record<string, string>>, where: string): unknown {
  if (Array.isArray(value)) return value.map((item, i) => substituteImports(item, imports, `${where}[${i}]`));
  if (value === null || typeof value !== 'object') return value;
  const entries = Object.entries(value);
  const [first] = entries;
  if (entries.length === 1 && first && (first[0] === 'Ref' || first[0].startsWith('Fn::'))) {
    const [intrinsic, argument] = first;
    if (intrinsic === 'Fn::ImportValue' && typeof argument === 'string') {
      const imported = imports[argument];
      if (imported === undefined) throw new Error(`${where}: no value for the export ${argument}`);
      return imported;
    }
    throw new Error(`${where}: ${intrinsic} cannot be evaluated locally; only Fn::ImportValue of a known export can`);
  }
  return Object.fromEntries(entries.map(([key, item]) => [key, substituteImports(item, imports, where ? `${where}.${key}` : key)]));
}

/** The Task states of a definition (top level; the purchase saga has no Map or Parallel). */
export function taskStates(definition: SagaDefinition): [string, Record<string, unknown>][] {
  return Object.entries(definition.States).filter(([, state]) => state.Type === 'Task');
}

/**
 * The definition as the library runs it: each `.waitForTaskToken` state's `$$.Task.Token` replaced
 * by a placeholder (each attempt gets its own token), and its timeout carried in its Parameters
 * (so it is read from the state's input, as Step Functions reads TimeoutSecondsPath) for the
 * runner to apply, the library's own pushed out of the way.
 */
export function runnableDefinition(definition: SagaDefinition): SagaDefinition {
  const copy = clone(definition);
  for (const [name, state] of taskStates(copy)) {
    if (state.Resource !== LAMBDA_INVOKE_WAIT) continue;
    const parameters = (state.Parameters ?? {}) as Record<string, unknown>;
    if (!JSON.stringify(parameters).includes(TASK_TOKEN_PATH)) throw new Error(`Task ${name}: a .waitForTaskToken task must pass $$.Task.Token`);
    const replaced = replaceTokenPath(parameters) as Record<string, unknown>;
    if (typeof state.TimeoutSecondsPath === 'string') replaced[`${TIMEOUT_PARAMETER}.$`] = state.TimeoutSecondsPath;
    else if (typeof state.TimeoutSeconds === 'number') replaced[TIMEOUT_PARAMETER] = state.TimeoutSeconds;
    else throw new Error(`Task ${name}: a .waitForTaskToken task needs a timeout (TimeoutSeconds or TimeoutSecondsPath)`);
    state.Parameters = replaced;
    delete state.TimeoutSecondsPath;
    state.TimeoutSeconds = NO_LIBRARY_TIMEOUT_SECONDS;
  }
  return copy;
}

function replaceTokenPath(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(replaceTokenPath);
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(Object.entries(value).map(([key, item]) => (key.endsWith('.$') && item === TASK_TOKEN_PATH ? [key.slice(0, -2), TOKEN_PLACEHOLDER] : [key, replaceTokenPath(item)])));
}

function withToken(value: Json, token: string): Json {
  if (Array.isArray(value)) return value.map((item) => withToken(item, token));
  if (value === TOKEN_PLACEHOLDER) return token;
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, withToken(item, token)]));
}

/** How the runner calls a Task state's resource, and what its history records of it. */
interface TaskResource {
  resource: string;
  functionName?: string;
  invoke: TaskInvoker;
  describeInput: (input: Json) => Json;
  describeOutput: (output: Json) => Json;
  /** `.waitForTaskToken` tasks: how long the function ran in the last attempt, without the wait. */
  invokedMs?: () => number | undefined;
}

/** A task waiting for its token. */
interface Waiter {
  resolve: (output: Json) => void;
  reject: (error: Error) => void;
}

/** Runs the saga's executions (see the module description). */
export class SagaRunner {
  readonly stateMachineArn: string;
  readonly definition: SagaDefinition;
  private readonly machine: StateMachine;
  private readonly region: string;
  private readonly executions = new Map<string, Execution>();
  private readonly functions = new Map<string, LambdaFunction>();
  private readonly validators = new Map<string, (detail: unknown) => { message: string } | undefined>();
  private readonly log: (message: string) => void;
  private stopped = false;
  /** Tokens of tasks waiting now, and those no longer waited on (answered, timed out). */
  private readonly waiting = new Map<string, Waiter>();
  private readonly spent = new Set<string>();

  constructor(private readonly options: SagaRunnerOptions) {
    this.region = options.region ?? 'us-east-1';
    this.log = options.log ?? (() => {});
    this.stateMachineArn = `arn:aws:states:${this.region}:${LOCAL_ACCOUNT_ID}:stateMachine:${options.stateMachineName}`;
    this.definition = loadSagaDefinition(options.definitionFile, options.stage, options.imports);
    for (const fn of options.functions) this.functions.set(fn.functionName, fn);
    // Every Task must map to something local before anything runs.
    for (const [name, state] of taskStates(this.definition)) this.resourceOf(name, state);
    this.machine = new StateMachine(runnableDefinition(this.definition) as never, { validationOptions: { checkArn: true, checkPaths: true } });
  }

  /** The AWS JSON operations the local Step Functions endpoint serves, by X-Amz-Target. */
  get operations(): Record<string, (input: Record<string, unknown>) => Promise<unknown>> {
    return {
      'AWSStepFunctions.StartExecution': async (input) => this.startExecution(input),
      'AWSStepFunctions.DescribeExecution': async (input) => this.describeExecution(input),
      'AWSStepFunctions.SendTaskSuccess': async (input) => this.sendTaskSuccess(input),
      'AWSStepFunctions.SendTaskFailure': async (input) => this.sendTaskFailure(input),
      'AWSStepFunctions.SendTaskHeartbeat': async (input) => this.sendTaskHeartbeat(input),
    };
  }

  /** Whether a task of this runner's was given the token (waiting or not). */
  knowsToken(token: unknown): boolean {
    return typeof token === 'string' && (this.waiting.has(token) || this.spent.has(token));
  }

  /** SendTaskSuccess: the waiting task succeeds with `output`; a token no longer waited on is TaskTimedOut, an unknown one InvalidToken. */
  sendTaskSuccess(request: { taskToken?: unknown; output?: unknown }): Record<string, never> {
    const waiter = this.waiterOf(request.taskToken);
    let output: Json;
    try {
      output = JSON.parse(typeof request.output === 'string' ? request.output : 'null') as Json;
    } catch {
      throw new StepFunctionsApiError('InvalidOutput', 'Invalid Output: not JSON');
    }
    waiter.resolve(output);
    return {};
  }

  /** SendTaskFailure: the waiting task fails with `error` (what its Catch and Retry match) and `cause`. */
  sendTaskFailure(request: { taskToken?: unknown; error?: unknown; cause?: unknown }): Record<string, never> {
    const waiter = this.waiterOf(request.taskToken);
    const failure = new Error(typeof request.cause === 'string' ? request.cause : '');
    failure.name = typeof request.error === 'string' && request.error !== '' ? request.error : 'States.TaskFailed';
    waiter.reject(failure);
    return {};
  }

  /** SendTaskHeartbeat: accepted while the task waits (no HeartbeatSeconds is enforced locally). */
  sendTaskHeartbeat(request: { taskToken?: unknown }): Record<string, never> {
    this.waiterOf(request.taskToken);
    return {};
  }

  private waiterOf(token: unknown): Waiter {
    if (typeof token !== 'string' || token === '') throw new StepFunctionsApiError('InvalidToken', 'Invalid Token');
    const waiter = this.waiting.get(token);
    if (waiter) return waiter;
    if (this.spent.has(token)) throw new StepFunctionsApiError('TaskTimedOut', 'Task Timed Out: the task is no longer waiting for this token');
    throw new StepFunctionsApiError('InvalidToken', 'Invalid Token: no task was given it');
  }

  /**
   * Starts an execution, as StartExecution does: a name already used is refused with
   * ExecutionAlreadyExists, unless that execution is still running with the same input, which
   * answers with it again.
   */
  startExecution(request: { stateMachineArn?: unknown; name?: unknown; input?: unknown }): { executionArn: string; startDate: number } {
    if (this.stopped) throw new StepFunctionsApiError('ServiceUnavailable', 'the local saga runner is stopping', 503);
    if (request.stateMachineArn !== this.stateMachineArn) {
      throw new StepFunctionsApiError('StateMachineDoesNotExist', `State Machine Does Not Exist: '${String(request.stateMachineArn)}'; this runner has ${this.stateMachineArn}`);
    }
    const name = request.name;
    if (typeof name !== 'string' || !NAME.test(name)) throw new StepFunctionsApiError('InvalidName', `Invalid Name: '${String(name)}'`);
    const inputText = typeof request.input === 'string' ? request.input : '{}';
    let input: Json;
    try {
      input = JSON.parse(inputText) as Json;
    } catch {
      throw new StepFunctionsApiError('InvalidExecutionInput', 'Invalid State Machine Execution Input: not JSON');
    }
    const existing = this.executions.get(name);
    if (existing) {
      existing.history.startRequests += 1;
      if (existing.history.status === 'RUNNING' && existing.inputText === inputText) return this.started(existing.history);
      throw new StepFunctionsApiError('ExecutionAlreadyExists', `Execution Already Exists: '${existing.history.executionArn}'`);
    }
    const execution = this.run(name, input, inputText);
    this.executions.set(name, execution);
    return this.started(execution.history);
  }

  describeExecution(request: { executionArn?: unknown }): Record<string, unknown> {
    const execution = [...this.executions.values()].find((e) => e.history.executionArn === request.executionArn);
    if (!execution) throw new StepFunctionsApiError('ExecutionDoesNotExist', `Execution Does Not Exist: '${String(request.executionArn)}'`);
    const h = execution.history;
    return {
      executionArn: h.executionArn,
      stateMachineArn: h.stateMachineArn,
      name: h.name,
      status: h.status,
      startDate: Date.parse(h.startDate) / 1000,
      ...(h.stopDate ? { stopDate: Date.parse(h.stopDate) / 1000 } : {}),
      input: JSON.stringify(h.input),
      ...(h.output === undefined ? {} : { output: JSON.stringify(h.output) }),
      ...(h.error === undefined ? {} : { error: h.error, cause: h.cause }),
    };
  }

  /** The history of the execution named `name` (the purchase id). */
  history(name: string): ExecutionHistory | undefined {
    const execution = this.executions.get(name);
    return execution ? snapshot(execution) : undefined;
  }

  /** Every execution, newest first, without state detail. */
  list(): Pick<ExecutionHistory, 'name' | 'status' | 'startDate' | 'stopDate'>[] {
    return [...this.executions.values()]
      .map(({ history: { name, status, startDate, stopDate } }) => ({ name, status, startDate, ...(stopDate ? { stopDate } : {}) }))
      .reverse();
  }

  /** Resolves with the execution's history once it has finished. */
  async wait(name: string, timeoutMs = 60_000): Promise<ExecutionHistory> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const execution = this.executions.get(name);
      if (execution) {
        const remaining = deadline - Date.now();
        const finished = await Promise.race([execution.done.then(() => true), new Promise<false>((resolve) => setTimeout(() => resolve(false), Math.max(0, remaining)).unref())]);
        if (finished) return snapshot(execution);
        throw new Error(`execution ${name} did not finish within ${timeoutMs} ms`);
      }
      if (Date.now() > deadline) throw new Error(`no execution named ${name} within ${timeoutMs} ms`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }

  /** Resolves when no execution is running. */
  async idle(): Promise<void> {
    await Promise.all([...this.executions.values()].map((e) => e.done));
  }

  /** Refuses new executions and aborts the running ones. */
  async stop(): Promise<void> {
    this.stopped = true;
    for (const execution of this.executions.values()) if (execution.history.status === 'RUNNING') execution.abort();
    await this.idle();
  }

  private started(history: ExecutionHistory): { executionArn: string; startDate: number } {
    return { executionArn: history.executionArn, startDate: Date.parse(history.startDate) / 1000 };
  }

  private run(name: string, input: Json, inputText: string): Execution {
    const executionArn = `arn:aws:states:${this.region}:${LOCAL_ACCOUNT_ID}:execution:${this.options.stateMachineName}:${name}`;
    const history: ExecutionHistory = {
      executionArn,
      stateMachineArn: this.stateMachineArn,
      name,
      status: 'RUNNING',
      startDate: new Date().toISOString(),
      input,
      startRequests: 1,
      states: [],
      contractViolations: [],
    };
    const attemptsByState = new Map<string, TaskAttempt[]>();
    const handlers: Record<string, (input: Json) => Promise<Json>> = {};
    for (const [stateName, state] of taskStates(this.definition)) {
      const attempts: TaskAttempt[] = [];
      attemptsByState.set(stateName, attempts);
      const real = this.resourceOf(stateName, state);
      const invoke = this.options.wrapTask ? this.options.wrapTask(stateName, real.invoke) : real.invoke;
      handlers[stateName] = async (taskInput) => {
        const record: TaskAttempt = {
          attempt: attempts.length + 1,
          resource: real.resource,
          ...(real.functionName ? { function: real.functionName } : {}),
          input: clone(real.describeInput(taskInput)),
          startedAt: new Date().toISOString(),
          durationMs: 0,
        };
        attempts.push(record);
        const started = performance.now();
        try {
          const output = await invoke(taskInput);
          record.output = clone(real.describeOutput(output));
          if (real.resource === PUT_EVENTS) history.contractViolations.push(...this.checkEntries(taskInput));
          return output;
        } catch (error) {
          record.error = { error: (error as Error).name ?? 'Error', cause: describeCause((error as Error).message ?? String(error)) };
          throw error;
        } finally {
          record.durationMs = round(performance.now() - started);
          const invokedMs = real.invokedMs?.();
          if (invokedMs !== undefined) record.invokedMs = invokedMs;
        }
      };
    }
    const retryIntervalOverrides =
      this.options.retryIntervalMs === undefined
        ? undefined
        : Object.fromEntries(Object.entries(this.definition.States).filter(([, s]) => Array.isArray(s.Retry)).map(([n]) => [n, this.options.retryIntervalMs as number]));
    const execution = this.machine.run(input as never, {
      noThrowOnAbort: true,
      context: { Execution: { Id: executionArn, Name: name, RoleArn: `arn:aws:iam::${LOCAL_ACCOUNT_ID}:role/local` }, StateMachine: { Id: this.stateMachineArn, Name: this.options.stateMachineName } },
      overrides: { taskResourceLocalHandlers: handlers as never, ...(retryIntervalOverrides ? { retryIntervalOverrides } : {}) },
    });
    const recording = this.record(history, execution.eventLogs as AsyncIterable<Record<string, unknown>>);
    const done = Promise.allSettled([execution.result, recording]).then(([result]) => {
      if (history.status === 'RUNNING') {
        if (result.status === 'fulfilled' && result.value === null) history.status = 'ABORTED';
        else if (result.status === 'fulfilled') history.status = 'SUCCEEDED';
        else {
          history.status = 'FAILED';
          history.error ??= (result.reason as Error).name;
          history.cause ??= (result.reason as Error).message;
        }
      }
      history.stopDate ??= new Date().toISOString();
      history.durationMs = round(Date.parse(history.stopDate) - Date.parse(history.startDate));
      if (history.status === 'FAILED') this.log(`saga execution ${name} failed: ${history.error}: ${history.cause}`);
      for (const violation of history.contractViolations) this.log(`saga execution ${name}: ${violation}`);
    });
    return { history, attempts: attemptsByState, inputText, done, abort: execution.abort };
  }

  /**
   * Turns the library's event log into the execution's history. Values are copied as they are
   * logged: the library hands out live references to the execution's data, and its
   * States.JsonMerge merges into its first argument in place (AWS's does not), so a later state
   * could otherwise rewrite what an earlier one is recorded to have seen.
   */
  private async record(history: ExecutionHistory, events: AsyncIterable<Record<string, unknown>>): Promise<void> {
    for await (const event of events) {
      const at = new Date(event.timestamp as number).toISOString();
      const state = event.state as { name: string; type: string; input: Json; output?: Json } | undefined;
      const current = state ? history.states.filter((visit) => visit.name === state.name).at(-1) : undefined;
      switch (event.type) {
        case 'ExecutionStarted':
          history.startDate = at;
          break;
        case 'StateEntered':
          if (state) history.states.push({ name: state.name, type: state.type, enteredAt: at, input: clone(state.input), attempts: [], retries: [] });
          break;
        case 'StateExited':
          if (current && state) {
            current.exitedAt = at;
            current.durationMs = Date.parse(at) - Date.parse(current.enteredAt);
            current.output = clone(state.output as Json);
          }
          break;
        case 'StateFailed':
          if (current) current.error = { error: String(event.Error), cause: describeCause(event.Cause) };
          break;
        case 'StateRetried':
          if (current) {
            const retry = event.retry as { attempt: number };
            current.retries.push({ attempt: retry.attempt, error: current.error?.error ?? 'unknown' });
            delete current.error;
          }
          break;
        case 'StateCaught':
          if (current) {
            const catcher = (event.catch as { catcher: { ErrorEquals: string[]; Next: string } }).catcher;
            current.caught = { errorEquals: catcher.ErrorEquals, next: catcher.Next };
          }
          break;
        case 'ExecutionSucceeded':
          history.status = 'SUCCEEDED';
          history.output = clone(event.output as Json);
          history.stopDate = at;
          break;
        case 'ExecutionFailed':
          history.status = 'FAILED';
          history.error = String(event.Error);
          history.cause = describeCause(event.Cause);
          history.stopDate = at;
          break;
        case 'ExecutionAborted':
        case 'ExecutionTimeout':
          history.status = 'ABORTED';
          history.stopDate = at;
          break;
      }
    }
  }

  /** How a Task state reaches its resource locally. */
  private resourceOf(stateName: string, state: Record<string, unknown>): TaskResource {
    const resource = state.Resource;
    if (resource === LAMBDA_INVOKE_WAIT) {
      const lambda = this.resourceOf(stateName, { ...state, Resource: LAMBDA_INVOKE });
      let invokedMs: number | undefined;
      const invoke: TaskInvoker = async (input) => {
        invokedMs = undefined;
        const { [TIMEOUT_PARAMETER]: timeout, ...parameters } = (input ?? {}) as Record<string, Json>;
        const seconds = Number(timeout);
        if (!Number.isInteger(seconds) || seconds < 1) throw Object.assign(new Error(`the timeout of ${stateName} must be a whole number of seconds ≥ 1, got ${JSON.stringify(timeout)}`), { name: 'States.Runtime' });
        const token = Buffer.from(`${this.options.stateMachineName}:${stateName}:${randomUUID()}`).toString('base64url');
        const answered = new Promise<Json>((resolve, reject) => this.waiting.set(token, { resolve, reject }));
        // Nothing else will settle an abandoned promise's rejection: keep it from being reported as unhandled.
        answered.catch(() => undefined);
        let timer: NodeJS.Timeout | undefined;
        try {
          // The function is given the token, and may hand it back (SendTaskSuccess) before it returns.
          const invoked = performance.now();
          await lambda.invoke(withToken(parameters, token)).finally(() => {
            invokedMs = round(performance.now() - invoked);
          });
          const timedOut = new Promise<never>((_, reject) => {
            timer = setTimeout(() => reject(Object.assign(new Error(`no answer for the task token within ${seconds} s`), { name: 'States.Timeout' })), seconds * 1000);
            timer.unref();
          });
          return await Promise.race([answered, timedOut]);
        } finally {
          clearTimeout(timer);
          this.waiting.delete(token);
          this.spent.add(token);
        }
      };
      return { ...lambda, resource, invoke, describeOutput: (output: Json) => output, invokedMs: () => invokedMs };
    }
    if (resource === LAMBDA_INVOKE) {
      const functionName = (state.Parameters as { FunctionName?: unknown } | undefined)?.FunctionName;
      if (typeof functionName !== 'string') throw new Error(`Task ${stateName}: Parameters.FunctionName must be a function name`);
      const fn = this.functions.get(functionName.split(':function:').at(-1) as string);
      if (!fn) throw new Error(`Task ${stateName}: no local function named ${functionName}`);
      const invoke: TaskInvoker = async (input) => {
        const payload = (input as { Payload?: Json } | null)?.Payload ?? null;
        try {
          const result = (await invokeFunction(fn, payload, { region: this.region })) as Json | undefined;
          return { ExecutedVersion: '$LATEST', Payload: result ?? null, StatusCode: 200 };
        } catch (error) {
          throw lambdaError(error);
        }
      };
      return {
        resource,
        functionName: fn.functionName,
        invoke,
        describeInput: (input: Json) => (input as { Payload?: Json } | null)?.Payload ?? null,
        describeOutput: (output: Json) => (output as { Payload?: Json } | null)?.Payload ?? null,
      };
    }
    if (resource === PUT_EVENTS) {
      const invoke: TaskInvoker = async (input) => {
        const entries = ((input as { Entries?: Record<string, unknown>[] } | null)?.Entries ?? []).map(
          (entry): SagaEventEntry => ({
            EventBusName: String(entry.EventBusName),
            Source: String(entry.Source),
            DetailType: String(entry.DetailType),
            Detail: typeof entry.Detail === 'string' ? entry.Detail : JSON.stringify(entry.Detail ?? {}),
          }),
        );
        const result = await this.options.putEvents(entries);
        if (result.FailedEntryCount) {
          throw Object.assign(new Error(JSON.stringify(result.Entries ?? [])), { name: 'EventBridge.FailedEntry' });
        }
        return { Entries: (result.Entries ?? []) as Json[], FailedEntryCount: 0 };
      };
      return { resource, invoke, describeInput: (input: Json) => input, describeOutput: (output: Json) => output };
    }
    throw new Error(`Task ${stateName}: the local runner cannot run resource ${String(resource)}`);
  }

  private checkEntries(input: Json): string[] {
    const violations: string[] = [];
    for (const entry of (input as { Entries?: { DetailType?: unknown; Detail?: unknown }[] } | null)?.Entries ?? []) {
      const detailType = entry.DetailType;
      if (!isDetailType(detailType)) {
        violations.push(`published an event of unknown detail-type ${String(detailType)}`);
        continue;
      }
      let validate = this.validators.get(detailType);
      if (!validate) {
        validate = detailValidator(detailType);
        this.validators.set(detailType, validate);
      }
      const detail = typeof entry.Detail === 'string' ? (JSON.parse(entry.Detail) as unknown) : entry.Detail;
      const violation = validate(detail);
      if (violation) violations.push(`published a ${detailType} its schema refuses: ${violation.message}`);
    }
    return violations;
  }
}

/** A handler's error as Step Functions reports a Lambda function error. */
function lambdaError(error: unknown): Error {
  const original = error instanceof Error ? error : new Error(String(error));
  const errorType = original instanceof LambdaTimeoutError ? 'Sandbox.Timedout' : original.name || 'Error';
  const cause = JSON.stringify({ errorType, errorMessage: original.message, trace: (original.stack ?? '').split('\n') });
  const failure = new Error(cause);
  failure.name = errorType;
  return failure;
}

/** The Lambda error JSON's message, or the cause as it is. */
function describeCause(cause: unknown): string {
  if (typeof cause !== 'string') return cause instanceof Error ? cause.message : JSON.stringify(cause);
  try {
    const parsed = JSON.parse(cause) as { errorMessage?: unknown };
    return typeof parsed.errorMessage === 'string' ? parsed.errorMessage : cause;
  } catch {
    return cause;
  }
}

/** A deep copy as JSON would carry it (the history is served as JSON). */
function clone<T>(value: T): T {
  return JSON.parse(JSON.stringify(value)) as T;
}

function round(ms: number): number {
  return Math.round(ms * 10) / 10;
}

/** What the local stack needs to run the sagas beside the bus. */
export interface LocalSagas {
  /** One runner per state machine, by its key (`purchase`, `spei-transfer`). */
  runners: ReadonlyMap<string, SagaRunner>;
  /** For the bus's HTTP server: the Step Functions API, by X-Amz-Target, each call routed to the runner it names. */
  operations: Record<string, (input: Record<string, unknown>) => Promise<unknown>>;
  /** `GET /executions` (every runner's, newest first) and `GET /executions/<name>` (one history: a purchase id, a transfer id). */
  execution: (name: string) => ExecutionHistory | undefined;
  list: () => ReturnType<SagaRunner['list']>;
  /** Each saga's definition as written (the chat page draws it), by key. */
  definitions: () => Record<string, unknown>;
  stop: () => Promise<void>;
}

/**
 * The sagas for the local stack: one runner for every state machine a service declares (its
 * `stepFunctions.stateMachines`, each definition an ASL file), none when no service declares one.
 * Their functions are the services' functions.
 */
export function createLocalSagas(options: {
  stateMachines: readonly StateMachineConfig[];
  stage: string;
  region: string;
  busName: string;
  functions: readonly LambdaFunction[];
  putEvents: SagaRunnerOptions['putEvents'];
  log?: (message: string) => void;
  /** Wraps each task invocation (chaos mode's transient faults). */
  wrapTask?: SagaRunnerOptions['wrapTask'];
}): LocalSagas | undefined {
  if (options.stateMachines.length === 0) return undefined;
  const runners = new Map<string, SagaRunner>();
  for (const machine of options.stateMachines) {
    if (runners.has(machine.key)) throw new Error(`two services declare the state machine ${machine.key}`);
    runners.set(
      machine.key,
      new SagaRunner({
        definitionFile: machine.definitionFile,
        stateMachineName: machine.name,
        stage: options.stage,
        region: options.region,
        functions: options.functions,
        imports: { [`centli-event-bus-name-${options.stage}`]: options.busName },
        putEvents: options.putEvents,
        ...(options.log ? { log: options.log } : {}),
        ...(options.wrapTask ? { wrapTask: options.wrapTask } : {}),
      }),
    );
  }
  const all = [...runners.values()];
  const byMachine = (arn: unknown) => {
    const runner = all.find((r) => r.stateMachineArn === arn);
    if (!runner) throw new StepFunctionsApiError('StateMachineDoesNotExist', `State Machine Does Not Exist: '${String(arn)}'`);
    return runner;
  };
  const byExecution = (arn: unknown) => all.find((r) => typeof arn === 'string' && arn.startsWith(`${r.stateMachineArn.replace(':stateMachine:', ':execution:')}:`)) ?? all[0];
  const byToken = (token: unknown) => all.find((r) => r.knowsToken(token)) ?? all[0];
  return {
    runners,
    operations: {
      'AWSStepFunctions.StartExecution': async (input) => byMachine(input.stateMachineArn).startExecution(input),
      'AWSStepFunctions.DescribeExecution': async (input) => (byExecution(input.executionArn) as SagaRunner).describeExecution(input),
      'AWSStepFunctions.SendTaskSuccess': async (input) => (byToken(input.taskToken) as SagaRunner).sendTaskSuccess(input),
      'AWSStepFunctions.SendTaskFailure': async (input) => (byToken(input.taskToken) as SagaRunner).sendTaskFailure(input),
      'AWSStepFunctions.SendTaskHeartbeat': async (input) => (byToken(input.taskToken) as SagaRunner).sendTaskHeartbeat(input),
    },
    execution: (name) => all.map((runner) => runner.history(name)).find((history) => history !== undefined),
    list: () => all.flatMap((runner) => runner.list()).sort((a, b) => b.startDate.localeCompare(a.startDate)),
    definitions: () => Object.fromEntries([...runners].map(([key, runner]) => [key, runner.definition])),
    stop: async () => {
      await Promise.all(all.map((runner) => runner.stop()));
    },
  };
}
