/**
 * Starts the purchase saga (Step Functions) with the purchase id as the execution name.
 * Step Functions keeps execution names unique per state machine, so a second start of the same
 * purchase is refused with ExecutionAlreadyExists (or, while the first runs with the same
 * input, answered with the same execution): a request delivered twice starts one execution.
 */
import { DescribeExecutionCommand, SFNClient, StartExecutionCommand } from '@aws-sdk/client-sfn';
import { awsClient } from '@centli/kit/aws';
import { requireEnv } from '@centli/kit/config';
import type { SagaExecution } from '../domain/purchase-status';

export type StartResult = { status: 'started'; executionArn: string } | { status: 'already-started' };

let client: SFNClient | undefined;

/**
 * The SDK reads AWS_ENDPOINT_URL_SFN itself: the local stack points it at its own Step Functions
 * API, and under `sls invoke local` the kit takes it from the running stack's state file.
 */
function sfnClient(): SFNClient {
  client ??= awsClient(() => new SFNClient({ maxAttempts: 5 }));
  return client;
}

/** The account the local stack's ARNs carry, which `sls invoke local` gives no function ARN for. */
const LOCAL_ACCOUNT_ID = '000000000000';

/** The running function's ARN; under `sls invoke local`, which has none, the local stack's. */
export function functionArnOf(context: { invokedFunctionArn?: string; functionName?: string }, env: NodeJS.ProcessEnv = process.env): string | undefined {
  if (context.invokedFunctionArn) return context.invokedFunctionArn;
  if (env.IS_LOCAL !== 'true') return undefined;
  return `arn:aws:lambda:${env.AWS_REGION ?? 'us-east-1'}:${LOCAL_ACCOUNT_ID}:function:${context.functionName ?? 'purchase'}`;
}

/**
 * The state machine's ARN: its name comes from the environment, its partition, region and
 * account from the running function's own ARN. (An ARN in the environment would need the
 * account id when packaging, which `sls package` cannot know offline.)
 */
export function stateMachineArn(functionArn: string, name: string = requireEnv('PURCHASE_STATE_MACHINE_NAME')): string {
  const [arn, partition, service, region, account] = functionArn.split(':');
  if (arn !== 'arn' || service !== 'lambda' || !partition || !region || !account) throw new Error(`not a Lambda function ARN: ${functionArn}`);
  return `arn:${partition}:states:${region}:${account}:stateMachine:${name}`;
}

/**
 * The purchase state machine as a running function finds it: each invocation's context names the
 * function's ARN (`invokedAs`), and `arn` derives the machine's from the last one seen.
 */
export class RunningStateMachine {
  private functionArn: string | undefined;

  /** Remembers the function's ARN from an invocation's context; the context, for the handler. */
  invokedAs<C extends { invokedFunctionArn?: string; functionName?: string }>(context: C): C {
    this.functionArn = functionArnOf(context);
    return context;
  }

  readonly arn = (): string => {
    if (!this.functionArn) throw new Error('the function ARN is known only inside an invocation');
    return stateMachineArn(this.functionArn);
  };
}

/** The ARN of the execution named `name` of the state machine `machineArn`. */
export function executionArn(machineArn: string, name: string): string {
  return `${machineArn.replace(':stateMachine:', ':execution:')}:${name}`;
}

export class PurchaseSaga {
  constructor(private readonly sfn: Pick<SFNClient, 'send'> = sfnClient()) {}

  async start(arn: string, name: string, input: unknown): Promise<StartResult> {
    try {
      const result = await this.sfn.send(new StartExecutionCommand({ stateMachineArn: arn, name, input: JSON.stringify(input) }));
      return { status: 'started', executionArn: result.executionArn ?? '' };
    } catch (error) {
      if ((error as Error).name === 'ExecutionAlreadyExists') return { status: 'already-started' };
      throw error;
    }
  }

  /** The execution, or undefined when Step Functions has none by that ARN (never started, or expired). */
  async describe(arn: string): Promise<SagaExecution | undefined> {
    try {
      const result = await this.sfn.send(new DescribeExecutionCommand({ executionArn: arn }));
      return {
        status: result.status ?? 'RUNNING',
        input: parse(result.input),
        output: parse(result.output),
        ...(result.stopDate ? { stoppedAt: new Date(result.stopDate).toISOString() } : {}),
      };
    } catch (error) {
      if ((error as Error).name === 'ExecutionDoesNotExist') return undefined;
      throw error;
    }
  }
}

function parse<T>(text: string | undefined): T | undefined {
  if (text === undefined) return undefined;
  try {
    return JSON.parse(text) as T;
  } catch {
    return undefined;
  }
}
