/**
 * The SPEI saga's Step Functions calls: start the execution named by the transfer id (a second
 * start of the same transfer is refused by Step Functions, so a redelivered request starts
 * nothing), read it, and hand a waiting task its result (SendTaskSuccess with the token the task
 * was given). A token that is no longer waited on (the task timed out, or was answered already)
 * is not an error here: the order's record decides what happens, not the token.
 */
import { DescribeExecutionCommand, SendTaskSuccessCommand, SFNClient, StartExecutionCommand } from '@aws-sdk/client-sfn';
import { awsClient } from '@centli/kit/aws';
import type { SagaStarter } from '@centli/kit/state-machine';

let client: SFNClient | undefined;

/** The SDK reads AWS_ENDPOINT_URL_SFN itself: the local stack points it at its own Step Functions API. */
function sfnClient(): SFNClient {
  client ??= awsClient(() => new SFNClient({ maxAttempts: 5 }));
  return client;
}

export type StartResult = { status: 'started' } | { status: 'already-started' };

const GONE = new Set(['TaskTimedOut', 'TaskDoesNotExist', 'InvalidToken']);

/** Starts the SPEI saga for a request through the kit's `startSaga`, which calls `start` and `inputOf` through SagaStarter. */
export class SpeiSaga implements SagaStarter {
  constructor(private readonly sfn: Pick<SFNClient, 'send'> = sfnClient()) {}

  async start(stateMachineArn: string, name: string, input: unknown): Promise<StartResult> {
    try {
      await this.sfn.send(new StartExecutionCommand({ stateMachineArn, name, input: JSON.stringify(input) }));
      return { status: 'started' };
    } catch (error) {
      if ((error as Error).name === 'ExecutionAlreadyExists') return { status: 'already-started' };
      throw error;
    }
  }

  /** The execution's input, or undefined when Step Functions has none by that ARN. */
  async inputOf(executionArn: string): Promise<unknown> {
    try {
      const result = await this.sfn.send(new DescribeExecutionCommand({ executionArn }));
      return result.input === undefined ? undefined : (JSON.parse(result.input) as unknown);
    } catch (error) {
      if ((error as Error).name === 'ExecutionDoesNotExist') return undefined;
      throw error;
    }
  }

  /** Hands the waiting task its output; false when the token is no longer waited on. */
  async succeed(taskToken: string, output: unknown): Promise<boolean> {
    try {
      await this.sfn.send(new SendTaskSuccessCommand({ taskToken, output: JSON.stringify(output) }));
      return true;
    } catch (error) {
      if (GONE.has((error as Error).name)) return false;
      throw error;
    }
  }
}
