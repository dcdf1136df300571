/**
 * The Lambda Invoke API for the functions the local stack runs, so a component that calls
 * another service's function (the MCP server calling Card Operations, as seed 004 draws it)
 * does it with the unmodified `@aws-sdk/client-lambda` and an endpoint setting:
 *
 *   POST /2015-03-31/functions/{FunctionName}/invocations
 *
 * `FunctionName` is a name or an ARN; `X-Amz-Invocation-Type` RequestResponse (the default)
 * answers with what the handler returned, and a handler that throws is answered as Lambda
 * answers a function error: status 200, `X-Amz-Function-Error: Unhandled` and the error as
 * `{ errorType, errorMessage, trace }`; `Event` answers 202 and runs the function afterwards;
 * `DryRun` answers 204. `X-Amz-Client-Context` (base64 JSON) reaches the handler as
 * `context.clientContext`. An invocation a function of the stack makes (local/caller.ts names it)
 * is held to its role (local/iam.ts): a function its role does not name answers 403
 * `AccessDeniedException`, as Lambda answers, before the function is even looked up.
 *
 * @module
 */
import type { Context } from 'aws-lambda';
import { callerOf } from './caller';
import { LOCAL_ACCOUNT_ID } from './eventbridge-event';
import { AwsError, readBody, requireAwsStyle, sendBody, sendJson, type LocalHttpServer } from './http';
import type { LocalPermissions } from './iam';
import { invokeFunction, LambdaTimeoutError, type LambdaFunction } from './lambda';

const INVOKE_PATH = /^\/2015-03-31\/functions\/([^/]+)\/invocations$/;
/** Lambda's own limit on a synchronous invocation's payload. */
const MAX_PAYLOAD_BYTES = 6 * 1024 * 1024;

export interface LambdaApiOptions {
  functions: readonly LambdaFunction[];
  region: string;
  /** Invokes a function; `invokeFunction` unless the stack wraps it (fault injection). */
  invoke?: typeof invokeFunction;
  log?: (message: string) => void;
  /** The functions' roles: an invocation a function makes is held to its role. */
  permissions?: Pick<LocalPermissions, 'invoke'>;
}

/** Serves the Invoke API on the server (see the module description). */
export function mountLambdaApi(server: LocalHttpServer, options: LambdaApiOptions): void {
  const byName = new Map(options.functions.map((fn) => [fn.functionName, fn]));
  const invoke = options.invoke ?? invokeFunction;
  server.route(async (request, response, url) => {
    const match = INVOKE_PATH.exec(url.pathname);
    if (!match || request.method !== 'POST') return false;
    requireAwsStyle(request);
    const requested = decodeURIComponent(match[1] as string);
    // A name, a partial ARN or a full ARN: the name is what follows `function:`.
    const name = requested.includes(':function:') ? (requested.split(':function:')[1] ?? '').split(':')[0] ?? '' : requested;
    const caller = callerOf(request);
    if (caller !== undefined && options.permissions) {
      const arn = requested.startsWith('arn:') ? requested : `arn:aws:lambda:${options.region}:${LOCAL_ACCOUNT_ID}:function:${name}`;
      try {
        options.permissions.invoke(caller, arn);
      } catch (error) {
        options.log?.(`${caller}: Invoke of ${name} refused by its role`);
        throw error;
      }
    }
    const fn = byName.get(name);
    if (!fn) throw new AwsError('ResourceNotFoundException', `Function not found: ${requested}`, 404);
    const body = await readBody(request, MAX_PAYLOAD_BYTES);
    let payload: unknown;
    try {
      payload = body.length === 0 ? {} : JSON.parse(body.toString('utf8'));
    } catch {
      throw new AwsError('InvalidRequestContentException', 'Could not parse request body into json', 400);
    }
    const type = String(request.headers['x-amz-invocation-type'] ?? 'RequestResponse');
    const clientContext = decodeClientContext(request.headers['x-amz-client-context']);
    const run = () => invoke(fn, payload, { region: options.region, ...(clientContext ? { clientContext } : {}) });
    if (type === 'DryRun') {
      response.writeHead(204).end();
      return true;
    }
    if (type === 'Event') {
      run().catch((error: unknown) => options.log?.(`${fn.functionName}: asynchronous invocation failed: ${(error as Error).message}`));
      response.writeHead(202, { 'content-length': 0 }).end();
      return true;
    }
    if (type !== 'RequestResponse') throw new AwsError('InvalidParameterValueException', `unknown invocation type ${type}`);
    try {
      const result = await run();
      sendBody(response, 200, 'application/json', JSON.stringify(result ?? null), { 'x-amz-executed-version': '$LATEST' });
    } catch (error) {
      const failure = error instanceof Error ? error : new Error(String(error));
      sendJson(
        response,
        200,
        { errorType: failure instanceof LambdaTimeoutError ? 'Sandbox.Timedout' : failure.name, errorMessage: failure.message, trace: (failure.stack ?? '').split('\n') },
        { 'x-amz-function-error': 'Unhandled', 'x-amz-executed-version': '$LATEST' },
      );
    }
    return true;
  });
}

function decodeClientContext(header: string | string[] | undefined): Context['clientContext'] | undefined {
  if (typeof header !== 'string' || header === '') return undefined;
  try {
    return JSON.parse(Buffer.from(header, 'base64').toString('utf8')) as Context['clientContext'];
  } catch {
    throw new AwsError('InvalidRequestContentException', 'X-Amz-Client-Context is not base64-encoded JSON');
  }
}
