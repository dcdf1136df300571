/**
 * Starts the purchase saga (Step Functions) with the purchase id as the execution name.
 * Step Functions keeps execution names unique per state machine, so a second start of the same
 * purchase is refused with ExecutionAlreadyExists (or, while the first runs with the same
 * input, answered with the same execution): a request delivered twice starts one execution.
 */
import { DescribeExecutionCommand, SFNClient, StartExecutionCommand } from '@aws-sdk/client-sfn';
import { awsClient } from '@centli/kit/aws';
import { requireEnv } from '@centli/kit/config';
import { executionArnOf, functionArnOf as kitFunctionArnOf, NamedStateMachine, stateMachineArnFor } from '@centli/kit/state-machine';
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

/** The running function's ARN; under `sls invoke local`, which has none, the local stack's (lib/kit/state-machine.ts). */
export function functionArnOf(context: { invokedFunctionArn?: string; functionName?: string }, env: NodeJS.ProcessEnv = process.env): string | undefined {
  return kitFunctionArnOf(context, env, 'purchase');
}

/** The purchase state machine's ARN, in the running function's partition, region and account (lib/kit/state-machine.ts). */
export function stateMachineArn(functionArn: string, name: string = requireEnv('PURCHASE_STATE_MACHINE_NAME')): string {
  return stateMachineArnFor(functionArn, name);
}

/** The purchase state machine as a running function finds it (PURCHASE_STATE_MACHINE_NAME). */
export class RunningStateMachine extends NamedStateMachine {
  constructor() {
    super('PURCHASE_STATE_MACHINE_NAME');
  }
}

/** The ARN of the execution named `name` of the state machine `machineArn`. */
export const executionArn = executionArnOf;

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
