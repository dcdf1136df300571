/**
 * How a running function finds the state machine it starts: its name comes from the environment,
 * its partition, region and account from the running function's own ARN. (An ARN in the
 * environment would need the account id when packaging, which `sls package` cannot know offline.)
 * The purchase saga's starter and the SPEI saga's both find theirs this way.
 */
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
