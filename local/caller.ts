/**
 * Which function a request to the local stack comes from, so the bus and the Lambda API can hold
 * it to its role (local/iam.ts). In AWS the caller is known by its credentials; here every handler
 * runs in the stack's own process and they share module singletons (one SDK client serves them
 * all), so credentials tell nothing. Instead each invocation runs in an AsyncLocalStorage context
 * naming its function ({@link runAs}, used by local/lambda.ts), and every HTTP request made in that
 * context to the stack's own server carries the function's name in a header ({@link CALLER_HEADER}),
 * set when Node creates the request, before the SDK sends it (diagnostics_channel
 * `http.client.request.created`, Node 22.12 and later). A request without the header (a
 * developer's CLI, `npm run mcp` over stdio, `sls invoke local`, a test's own client) is not a
 * function's, and is not checked.
 *
 * @module
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import { subscribe, unsubscribe } from 'node:diagnostics_channel';
import type { ClientRequest, IncomingMessage } from 'node:http';

/** The header naming the function a request comes from (its deployed name). */
export const CALLER_HEADER = 'x-centli-caller-function';

/** The Node channel published as each HTTP client request is created, before it is sent. */
const REQUEST_CREATED = 'http.client.request.created';
/** The first Node 22 with {@link REQUEST_CREATED}. */
const FIRST_NODE = [22, 12];

const invocations = new AsyncLocalStorage<{ functionName: string }>();

/** Runs `work` (and everything it starts) as an invocation of `functionName`. */
export function runAs<T>(functionName: string, work: () => T): T {
  return invocations.run({ functionName }, work);
}

/** The function whose invocation this code runs in, if any. */
export function currentCaller(): string | undefined {
  return invocations.getStore()?.functionName;
}

/** The function a request to the stack comes from, as its {@link CALLER_HEADER} says. */
export function callerOf(request: IncomingMessage): string | undefined {
  const value = request.headers[CALLER_HEADER];
  const caller = Array.isArray(value) ? value[0] : value;
  return caller === undefined || caller === '' ? undefined : caller;
}

/**
 * Names the calling function on every HTTP request made inside an invocation to `origin` (the
 * stack's server, `http://127.0.0.1:4010`); requests elsewhere (DynamoDB Local, a model's API) are
 * left alone. Returns the undo.
 *
 * @throws Error on a Node without `http.client.request.created` (before 22.12), where functions
 *   could not be told apart and every check would silently pass.
 */
export function tagCallerRequests(origin: string): () => void {
  const [major = 0, minor = 0] = process.versions.node.split('.').map(Number);
  if (major < (FIRST_NODE[0] as number) || (major === FIRST_NODE[0] && minor < (FIRST_NODE[1] as number))) {
    throw new Error(`the local stack tells functions apart through diagnostics_channel ${REQUEST_CREATED}, new in Node ${FIRST_NODE.join('.')}; this is Node ${process.versions.node}: run it with the project's Node (npm start, npm test)`);
  }
  const target = new URL(origin);
  const onCreated = (message: unknown) => {
    const caller = currentCaller();
    if (caller === undefined) return;
    const request = (message as { request: ClientRequest }).request;
    if (!sameServer(request, target) || request.headersSent) return;
    request.setHeader(CALLER_HEADER, caller);
  };
  subscribe(REQUEST_CREATED, onCreated);
  return () => unsubscribe(REQUEST_CREATED, onCreated);
}

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '[::1]', '::1']);

/** Whether a client request goes to the server at `target` (any loopback name for a loopback server). */
function sameServer(request: ClientRequest, target: URL): boolean {
  const host = request.getHeader('host');
  if (typeof host !== 'string') return false;
  const at = new URL(`${target.protocol}//${host}`);
  const port = (url: URL) => url.port || (url.protocol === 'https:' ? '443' : '80');
  if (port(at) !== port(target)) return false;
  return at.hostname === target.hostname || (LOOPBACK.has(at.hostname) && LOOPBACK.has(target.hostname));
}
