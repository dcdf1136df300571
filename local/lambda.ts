/**
 * Runs a function's handler in this process, the way the Lambda runtime would: the handler
 * module is loaded once (the cold start) and then called with the event and a Lambda context
 * whose clock follows the function's timeout. A call that outlives the timeout fails as
 * `Task timed out`, like Lambda; the handler itself cannot be stopped in process and finishes
 * in the background. Each invocation runs as its function (local/caller.ts), so the requests it
 * makes to the stack are held to the function's role.
 *
 * @module
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Context } from 'aws-lambda';
import { runAs } from './caller';
import { LOCAL_ACCOUNT_ID } from './eventbridge-event';

/** What the runtime needs to know about a function. */
export interface LambdaFunction {
  /** The deployed name, used in the context (`centli-core-banking-local-transfer`). */
  functionName: string;
  /** The service directory the handler path is relative to. */
  dir: string;
  /** `src/handlers/transfer.handler`. */
  handler: string;
  /** Seconds. */
  timeout: number;
  memorySize: number;
}

/** Options of one invocation. */
export interface InvokeOptions {
  region?: string;
  /** The caller's client context, as Lambda passes it (`context.clientContext`): AgentCore Gateway names the tool there. */
  clientContext?: Context['clientContext'];
}

type Callback = (error?: unknown, result?: unknown) => void;
type Handler = (event: unknown, context: Context, callback: Callback) => unknown;

/** Raised when a handler outlives its function's timeout. */
export class LambdaTimeoutError extends Error {
  constructor(seconds: number) {
    super(`Task timed out after ${seconds.toFixed(2)} seconds`);
    this.name = 'LambdaTimeoutError';
  }
}

const EXTENSIONS = ['.ts', '.mts', '.cts', '.js', '.mjs', '.cjs'];

/**
 * Where a handler lives: `src/handlers/transfer.handler` in `dir` is the export `handler`
 * of `dir/src/handlers/transfer.ts`.
 *
 * @throws Error when the handler string has no export name or no module file exists.
 */
export function handlerLocation(dir: string, handler: string): { file: string; exportName: string } {
  const dot = handler.lastIndexOf('.');
  if (dot <= 0 || dot === handler.length - 1) throw new Error(`handler "${handler}" must be "path/to/module.export"`);
  const base = join(dir, handler.slice(0, dot));
  const file = EXTENSIONS.map((extension) => base + extension).find((candidate) => existsSync(candidate));
  if (!file) throw new Error(`handler "${handler}": no module ${base}{${EXTENSIONS.join(',')}}`);
  return { file, exportName: handler.slice(dot + 1) };
}

const modules = new Map<string, Promise<Record<string, unknown>>>();

/** Loads a handler, once per module file; a module that failed to load is tried again next time. */
export async function loadHandler(fn: Pick<LambdaFunction, 'dir' | 'handler'>): Promise<Handler> {
  const { file, exportName } = handlerLocation(fn.dir, fn.handler);
  let loading = modules.get(file);
  if (!loading) {
    loading = import(file) as Promise<Record<string, unknown>>;
    modules.set(file, loading);
    loading.catch(() => modules.delete(file));
  }
  const module = await loading;
  // A CommonJS module imported from ESM may expose its exports only under `default`.
  const exported = module[exportName] ?? (module.default as Record<string, unknown> | undefined)?.[exportName];
  if (typeof exported !== 'function') throw new Error(`${file} does not export a function named ${exportName}`);
  return exported as Handler;
}

/**
 * A Lambda context for one invocation of `fn`.
 *
 * @param deadline - Epoch milliseconds at which the invocation times out.
 * @param settle - Called by `done` / `succeed` / `fail`.
 */
export function lambdaContext(fn: LambdaFunction, deadline: number, settle: Callback = () => {}, options: InvokeOptions = {}): Context {
  const region = options.region ?? process.env.AWS_REGION ?? 'us-east-1';
  const day = new Date().toISOString().slice(0, 10).replaceAll('-', '/');
  return {
    callbackWaitsForEmptyEventLoop: true,
    functionName: fn.functionName,
    functionVersion: '$LATEST',
    invokedFunctionArn: `arn:aws:lambda:${region}:${LOCAL_ACCOUNT_ID}:function:${fn.functionName}`,
    memoryLimitInMB: String(fn.memorySize),
    awsRequestId: randomUUID(),
    logGroupName: `/aws/lambda/${fn.functionName}`,
    logStreamName: `${day}/[$LATEST]${randomBytes(16).toString('hex')}`,
    ...(options.clientContext ? { clientContext: options.clientContext } : {}),
    getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
    done: (error?: Error, result?: unknown) => settle(error ?? undefined, result),
    fail: (error: Error | string) => settle(typeof error === 'string' ? new Error(error) : error),
    succeed: (result: unknown) => settle(undefined, result),
  };
}

/**
 * Invokes a function's handler with an event, as Lambda would.
 *
 * Async handlers settle with their promise; other handlers with the callback or the context's
 * `done` / `succeed` / `fail` (one that does neither times out, as it would in Lambda once its
 * event loop never empties, which it never does in a shared process). The handler, and all the
 * work it starts, runs as `fn` (local/caller.ts).
 *
 * @returns What the handler returned.
 * @throws What the handler threw, or {@link LambdaTimeoutError} after `fn.timeout` seconds.
 */
export async function invokeFunction(fn: LambdaFunction, event: unknown, options: InvokeOptions = {}): Promise<unknown> {
  const handler = await loadHandler(fn);
  const timeoutMs = fn.timeout * 1000;
  const deadline = Date.now() + timeoutMs;
  return new Promise((resolve, reject) => {
    let settled = false;
    const timer = setTimeout(() => settle(new LambdaTimeoutError(fn.timeout)), timeoutMs);
    function settle(error?: unknown, result?: unknown): void {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      if (error !== undefined && error !== null) reject(error);
      else resolve(result);
    }
    const context = lambdaContext(fn, deadline, settle, options);
    try {
      const returned = runAs(fn.functionName, () => handler(event, context, settle));
      if (isThenable(returned)) returned.then((result) => settle(undefined, result), (error: unknown) => settle(error ?? new Error('handler rejected')));
      // A handler without a promise answers through the callback or the context; a value it
      // returns outright (without taking a callback) is taken as its answer.
      else if (returned !== undefined && handler.length < 3) settle(undefined, returned);
    } catch (error) {
      settle(error ?? new Error('handler threw'));
    }
  });
}

function isThenable(value: unknown): value is PromiseLike<unknown> {
  return value !== null && (typeof value === 'object' || typeof value === 'function') && typeof (value as { then?: unknown }).then === 'function';
}
