/**
 * How a running function finds the state machine it starts: its name comes from the environment,
 * its partition, region and account from the running function's own ARN. (An ARN in the
 * environment would need the account id when packaging, which `sls package` cannot know offline.)
 * The purchase saga's starter and the SPEI saga's both find theirs this way, and both start it
 * for a request, once, and answer that it started, with `startSaga`.
 */
import { requestFingerprint } from '@centli/pure/canonical';
import { RequestIdReusedError } from '@centli/pure/errors';
import { outgoing, type OutgoingEvent } from '@centli/pure/events';
import type { DetailOf, DetailType } from '@centli/schemas';
import { requireEnv } from './config';

/** The account the local stack's ARNs carry, which `sls invoke local` gives no function ARN for. */
const LOCAL_ACCOUNT_ID = '000000000000';

/** The running function's ARN; under `sls invoke local`, which has none, the local stack's. */
export function functionArnOf(context: { invokedFunctionArn?: string; functionName?: string }, env: NodeJS.ProcessEnv = process.env, fallbackName = 'function'): string | undefined {
  if (context.invokedFunctionArn) return context.invokedFunctionArn;
  if (env.IS_LOCAL !== 'true') return undefined;
  return `arn:aws:lambda:${env.AWS_REGION ?? 'us-east-1'}:${LOCAL_ACCOUNT_ID}:function:${context.functionName ?? fallbackName}`;
}

/** The ARN of the state machine `name` in the function's partition, region and account. */
export function stateMachineArnFor(functionArn: string, name: string): string {
  const [arn, partition, service, region, account] = functionArn.split(':');
  if (arn !== 'arn' || service !== 'lambda' || !partition || !region || !account) throw new Error(`not a Lambda function ARN: ${functionArn}`);
  return `arn:${partition}:states:${region}:${account}:stateMachine:${name}`;
}

/** The ARN of the execution named `name` of the state machine `machineArn`. */
export function executionArnOf(machineArn: string, name: string): string {
  return `${machineArn.replace(':stateMachine:', ':execution:')}:${name}`;
}

/**
 * A state machine as a running function finds it: each invocation's context names the function's
 * ARN (`invokedAs`), and `arn` derives the machine's, named by the environment variable `nameVariable`.
 */
export class NamedStateMachine {
  private functionArn: string | undefined;

  constructor(private readonly nameVariable: string) {}

  /** Remembers the function's ARN from an invocation's context; the context, for the handler. */
  invokedAs<C extends { invokedFunctionArn?: string; functionName?: string }>(context: C): C {
    this.functionArn = functionArnOf(context);
    return context;
  }

  readonly arn = (): string => {
    if (!this.functionArn) throw new Error('the function ARN is known only inside an invocation');
    return stateMachineArnFor(this.functionArn, requireEnv(this.nameVariable));
  };
}

/** The identifiers every request event carries. */
interface RequestIds {
  request_id: string;
  correlation_id: string;
  user_id: string;
}

/** The answers that say a saga started. */
type StartedType = Extract<DetailType, `${string}_STARTED`>;

/** What a *_STARTED answer says besides the request's identifiers and the time: the saga's own ids. */
export type StartedFields<T extends StartedType> = Omit<DetailOf<T>, keyof RequestIds | 'started_at'>;

/** What starting a request's saga needs of its Step Functions adapter. */
export interface SagaStarter {
  /** Starts the execution `name` of the state machine `machine`; `already-started` when one of that name stands. */
  start(machine: string, name: string, input: unknown): Promise<{ status: 'started' | 'already-started' }>;
  /** The input of the execution at `executionArn`, or undefined when Step Functions has none by it. */
  inputOf(executionArn: string): Promise<unknown>;
}

/**
 * Starts the saga for `request` and answers that it started (`answer.detailType`, with the
 * request's identifiers, `answer.fields` and the time). The execution is named by the id the
 * request_id gives (`execution.name`), so Step Functions starts it once: started now or before,
 * either way the saga answers, once. An execution that already stands under that name must hold
 * this very request (its canonical fingerprint, whatever the delivery's correlation id);
 * otherwise the request_id was reused for another request, and it is refused (RequestIdReusedError).
 */
export async function startSaga<T extends StartedType>(
  request: RequestIds,
  saga: SagaStarter,
  execution: { machine: string; name: string; input: unknown },
  answer: { detailType: T; fields: StartedFields<T>; now?: () => Date },
): Promise<OutgoingEvent<T>> {
  const started = await saga.start(execution.machine, execution.name, execution.input);
  if (started.status === 'already-started') {
    const first = (await saga.inputOf(executionArnOf(execution.machine, execution.name))) as { request?: Record<string, unknown> } | undefined;
    if (first?.request && requestFingerprint(first.request) !== requestFingerprint(request as unknown as Record<string, unknown>)) throw new RequestIdReusedError();
  }
  const detail = { request_id: request.request_id, correlation_id: request.correlation_id, user_id: request.user_id, ...answer.fields, started_at: (answer.now ?? (() => new Date()))().toISOString() };
  // The spread of a generic Omit is not DetailOf<T> to the compiler, though it has every field of it.
  return outgoing(answer.detailType, detail as DetailOf<T>);
}
