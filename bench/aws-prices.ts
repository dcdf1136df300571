/**
 * The AWS on-demand prices the cost figures use: us-east-1, USD, no free tier, no savings plans.
 *
 * There is no internet on the machine these benchmarks run on, so these are the published prices
 * as known in mid-2025 (DynamoDB's on-demand rates after the 50 % cut of 1 November 2024; Lambda
 * arm64, which serverless.common.yml deploys). Check them against aws.amazon.com/<service>/pricing
 * before quoting a figure; every cost in bench/COST.md is quantity × one of these, so a changed
 * price changes one factor.
 */
export const PRICES_AS_OF = "mid-2025 (from the published us-east-1 price pages, not re-checked online)";

export const PRICES = {
  lambda: {
    /** Per request. */
    request: 0.2 / 1e6,
    /** Per GB-second, arm64 (x86_64 is 0.0000166667), first 7.5 billion GB-s a month. */
    gbSecondArm: 0.0000133334,
  },
  dynamodb: {
    /** On-demand, Standard table class, per write request unit (1 KB; 2 per KB in a transaction). */
    writeUnit: 0.625 / 1e6,
    /** Per read request unit (4 KB strongly consistent; half for eventually consistent; 2 in a transaction). */
    readUnit: 0.125 / 1e6,
  },
  eventBridge: {
    /** Custom events: per PutEvents entry, each 64 KB chunk of it counted as one event. Rule deliveries to Lambda are free. */
    customEvent: 1.0 / 1e6,
  },
  stepFunctions: {
    /** Standard workflows: per state transition (each state run, each retry). */
    standardTransition: 0.025 / 1e3,
    /** Express workflows: per execution started. */
    expressRequest: 1.0 / 1e6,
    /** Express duration, per GB-second, first 1,000 GB-hours a month (then 0.00000833, then 0.00000456). */
    expressGbSecond: 0.00001667,
    /** Express bills duration rounded up to 100 ms and memory in 64 MB chunks (50 MB + definition + execution data). */
    expressDurationStepMs: 100,
    expressMemoryChunkMb: 64,
  },
  apiGatewayHttp: {
    /** HTTP API requests, per request (first 300 million a month). */
    request: 1.0 / 1e6,
  },
  apiGatewayWebSocket: {
    /** Per message sent or received, in 32 KB units; first billion a month. */
    message: 1.0 / 1e6,
    /** Per connection minute. */
    connectionMinute: 0.25 / 1e6,
  },
  cloudWatchLogs: {
    /** Standard log class ingestion, per GB. */
    ingestedGb: 0.5,
  },
  xray: {
    /** Per trace recorded (active tracing samples 1 a second and 5 % of the rest by default). */
    traceRecorded: 5.0 / 1e6,
  },
  bedrock: {
    /** Amazon Nova Lite (the deployed chat's default model), on-demand, per token. */
    novaLiteInputToken: 0.06 / 1e6,
    novaLiteOutputToken: 0.24 / 1e6,
  },
} as const;

/** What one Express execution of `durationMs` costs: the request, and the duration rounded up to 100 ms at the billed memory. */
export function expressExecutionCost(
  durationMs: number,
  billedMemoryMb: number = PRICES.stepFunctions.expressMemoryChunkMb,
): number {
  const sf = PRICES.stepFunctions;
  const billedSeconds =
    (Math.ceil(durationMs / sf.expressDurationStepMs) * sf.expressDurationStepMs) /
    1000;
  return sf.expressRequest + billedSeconds * (billedMemoryMb / 1024) * sf.expressGbSecond;
}

/** What one Standard execution of `transitions` state transitions costs. */
export function standardExecutionCost(transitions: number): number {
  return transitions * PRICES.stepFunctions.standardTransition;
}
