/**
 * How a front door reaches a service synchronously: the way seed 004's MCP Lambda reaches Card
 * Operations, by invoking the service's own function (the one its bus rule targets) with the
 * very event that rule would deliver. The service's role, schema and rules apply as for any
 * event, no component reads another's tables, and the function's answer events (which it also
 * publishes on the bus) come back as the invocation's result.
 */
import { InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { randomUUID } from 'node:crypto';
import { applyLocalEndpoints } from '@centli/kit/config';
import { TransientError } from '@centli/pure/errors';
import { functionForRequest, functionNameOf } from '../registry';
import type { ToolAnswer } from '../plan';

/** A request with its identifiers: what a service receives as `detail`. */
export interface IdentifiedRequest {
  detailType: string;
  detail: Record<string, unknown> & { request_id: string; correlation_id: string; user_id: string };
}

export interface ServiceCaller {
  /** Sends one request to its service and returns the service's answers to it. */
  call(request: IdentifiedRequest): Promise<ToolAnswer[]>;
}

let client: LambdaClient | undefined;
function lambdaClient(): LambdaClient {
  if (!client) {
    applyLocalEndpoints();
    client = new LambdaClient({ maxAttempts: 3 });
  }
  return client;
}

export interface LambdaServiceCallerOptions {
  /** The stage whose functions to call (`centli-<service>-<stage>-<function>`). */
  stage: string;
  /** The event source: the front door's own (`centli.mcp`). */
  source: string;
  region?: string;
  client?: Pick<LambdaClient, 'send'>;
}

export class LambdaServiceCaller implements ServiceCaller {
  constructor(private readonly options: LambdaServiceCallerOptions) {}

  async call(request: IdentifiedRequest): Promise<ToolAnswer[]> {
    const functionName = functionNameOf(functionForRequest(request.detailType as never), this.options.stage);
    const event = {
      version: '0',
      id: randomUUID(),
      'detail-type': request.detailType,
      source: this.options.source,
      account: '000000000000',
      time: new Date().toISOString().replace(/\.\d{3}Z$/, 'Z'),
      region: this.options.region ?? process.env.AWS_REGION ?? 'us-east-1',
      resources: [],
      detail: request.detail,
    };
    const result = await (this.options.client ?? lambdaClient()).send(new InvokeCommand({ FunctionName: functionName, Payload: JSON.stringify(event) }));
    const text = Buffer.from(result.Payload ?? []).toString('utf8');
    if (result.FunctionError) {
      // The service failed unexpectedly (it logged why, with the correlation id): retryable, not the customer's fault.
      throw new TransientError(`${functionName} failed: ${describeFunctionError(text)}`);
    }
    const answers = JSON.parse(text || '[]') as unknown;
    if (!Array.isArray(answers)) throw new Error(`${functionName} answered ${text.slice(0, 200)}, not a list of events`);
    return answers as ToolAnswer[];
  }
}

function describeFunctionError(text: string): string {
  try {
    const parsed = JSON.parse(text) as { errorType?: string; errorMessage?: string };
    return `${parsed.errorType ?? 'Error'}: ${parsed.errorMessage ?? ''}`;
  } catch {
    return text.slice(0, 200);
  }
}
