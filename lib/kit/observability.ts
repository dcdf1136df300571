/**
 * What every Lambda entry shares for being watched: one Powertools Logger, Metrics and Tracer per
 * function, and the middy stack that puts them around it:
 *
 *   const obs = observabilityFor('agent-gateway');
 *   export const handler = observed(connect, obs, { handler: 'connect' });
 *
 * The kit's handler factories (eventHandler, eventListener, taskHandler) use the same stack; the
 * front doors that are not bus consumers (WebSocket routes, MCP over HTTP, AgentCore Gateway)
 * wrap themselves with `observed`. Per invocation it:
 * - opens the X-Ray handler subsegment (`captureLambdaHandler`, ColdStart and Service
 *   annotations; responses are not recorded, since they carry customer data);
 * - adds the Lambda context to every log line and drops the keys an invocation appended when it
 *   ends (`resetKeys`), so no invocation inherits the previous one's correlation id;
 * - counts the invocation once, as `Invocations` by outcome (see `recordOutcome`), and flushes
 *   the metrics the function buffered.
 *
 * `correlate` puts the ids of what is being handled on every later log line and, for those worth
 * searching traces by (correlation_id, detail_type, tool, task), as X-Ray annotations.
 *
 * Tracing is on only inside Lambda. Powertools turns it off where AWS_EXECUTION_ENV is not set
 * (the local stack, tests, scripts); but CloudShell, ECS and CodeBuild set it too, so the kit also
 * wants a Lambda runtime's value (`AWS_Lambda_nodejs22.x`), and turns tracing off under
 * `sls invoke local` (IS_LOCAL=true) whatever the machine sets; the local stack sets
 * POWERTOOLS_TRACE_ENABLED=false for its handlers. Off, the Tracer does nothing: no segment, no
 * X-Ray daemon, no output, and clients are left as they are.
 */
import middy, { type MiddlewareObj } from '@middy/core';
import { Logger } from '@aws-lambda-powertools/logger';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import { Tracer } from '@aws-lambda-powertools/tracer';
import { captureLambdaHandler } from '@aws-lambda-powertools/tracer/middleware';
import type { Context } from 'aws-lambda';

/** Every Centli metric's CloudWatch namespace. */
export const METRICS_NAMESPACE = 'Centli';

/**
 * How an invocation (or a tool call) ended. A bounded set, so each is a dimension value:
 * - `completed`: it did what was asked;
 * - `refused`: it answered a business refusal, whose stable code is the `Code` dimension;
 * - `failed`: it threw (the platform retries or dead-letters), or could not find out what happened;
 * - `dropped`: the event was not one this function handles, and was logged and let go;
 * - `awaiting_approval`: a tool that needs the customer's approval answered where to give it, and waits.
 */
export type Outcome = 'completed' | 'refused' | 'failed' | 'dropped' | 'awaiting_approval';

export interface Observability {
  /** The service's name: the logs' `service`, the metrics' `service` dimension, the trace's Service annotation. */
  readonly service: string;
  readonly logger: Logger;
  /** Buffered per invocation and flushed when it ends. */
  readonly metrics: Metrics;
  readonly tracer: Tracer;
}

export interface ObservabilityOptions {
  /** Dimensions every buffered metric of the function carries besides `service` (a saga task's `task`). */
  dimensions?: Record<string, string>;
}

/** A service function's logger, metrics and the process's tracer. */
export function observabilityFor(service: string, options: ObservabilityOptions = {}): Observability {
  return {
    service,
    logger: new Logger({ serviceName: service }),
    metrics: new Metrics({ namespace: METRICS_NAMESPACE, serviceName: service, ...(options.dimensions ? { defaultDimensions: options.dimensions } : {}) }),
    tracer: tracer(service),
  };
}

let processTracer: Tracer | undefined;

/**
 * The process's one Tracer. Powertools patches the HTTP(S) modules and subscribes to fetch once
 * per Tracer, so a second one would record every request twice; a function is one service, and
 * the first to ask names it (locally, where many share a process, tracing is off anyway).
 */
export function tracer(service?: string): Tracer {
  return (processTracer ??= createTracer(service));
}

/** A new Tracer, off outside a Lambda runtime and under `sls invoke local` (see the module description). */
export function createTracer(service?: string, env: NodeJS.ProcessEnv = process.env): Tracer {
  const inLambda = env.IS_LOCAL !== 'true' && (env.AWS_EXECUTION_ENV ?? '').startsWith('AWS_Lambda_');
  return new Tracer({ ...(service ? { serviceName: service } : {}), ...(inLambda ? {} : { enabled: false }) });
}

/** An AWS SDK v3 client whose calls are X-Ray subsegments (the client itself when tracing is off). */
export function traced<C>(client: C): C {
  return tracer().captureAWSv3Client(client);
}

/** What `observed` needs to know about the function it wraps. */
export interface ObservedOptions {
  /**
   * What the function is, for the `Handler` dimension of `Invocations`: a name fixed in code
   * (the detail-type it answers, the saga task, the route), never anything from the input.
   */
  handler: string;
}

/** The kit's middy stack around a function; see the module description. */
export function observed<E, R>(fn: (event: E, context: Context) => Promise<R>, obs: Observability, options: ObservedOptions) {
  return middy<E, R, Error, Context>()
    .use(captureLambdaHandler(obs.tracer, { captureResponse: false }))
    .use(injectLambdaContext(obs.logger, { resetKeys: true }))
    .use(countInvocations(obs, options.handler))
    .handler(fn);
}

const outcomes = new WeakMap<object, { outcome: Outcome; code?: string | undefined }>();

/**
 * Says how this invocation ended when it did not simply complete: refused (with the error
 * model's code) or dropped. Record it once the outcome is certain (after the answer is
 * published): a recorded outcome stands even if the function then throws, as a saga task does
 * to refuse (Step Functions catches the error by name). With nothing recorded, an invocation
 * that throws is `failed` and one that returns is `completed`.
 */
export function recordOutcome(context: Context, outcome: Exclude<Outcome, 'failed'>, code?: string): void {
  outcomes.set(context, { outcome, code });
}

function countInvocations(obs: Observability, handler: string): MiddlewareObj<unknown, unknown, Error, Context> {
  const finish = (context: Context, failed: boolean) => {
    const recorded = outcomes.get(context);
    outcomes.delete(context);
    const { outcome, code } = recorded ?? { outcome: failed ? 'failed' : 'completed', code: undefined };
    // Powertools warns on every flush of an empty buffer; most front doors buffer nothing.
    if (obs.metrics.hasStoredMetrics()) obs.metrics.publishStoredMetrics();
    countOutcome(obs, 'Invocations', outcome, { Handler: handler, ...(code === undefined ? {} : { Code: code }) });
  };
  return {
    before: (request) => void outcomes.delete(request.context),
    after: (request) => finish(request.context, false),
    onError: (request) => finish(request.context, true),
  };
}

/**
 * Counts one thing by outcome, in an EMF line of its own: the metric is published under
 * [service, Outcome] and, for each breakdown (`Handler`, `Tool`, `Code`…), under
 * [service, Outcome, <breakdown>], so a service's refusals can be alarmed on as a whole and read
 * by code. Every value must come from code, not input: a `Code` that is not an error-model code
 * is counted as `OTHER` (see `metricCode`).
 */
export function countOutcome(obs: Pick<Observability, 'service'>, metric: string, outcome: Outcome, breakdown: Record<string, string> = {}): void {
  const line = outcomeLine(obs, outcome);
  // An empty set publishes the defaults alone: the [service, Outcome] roll-up.
  line.addDimensions({});
  for (const [name, value] of Object.entries(breakdown)) line.addDimensions({ [name]: name === 'Code' ? metricCode(value) : value });
  line.addMetric(metric, MetricUnit.Count, 1);
  line.publishStoredMetrics();
}

/**
 * One Metrics per function's observability and outcome, made on first use: building one reads its
 * configuration from the environment, which was the largest part of the kit's cost per invocation
 * (`npm run bench`, handler overhead). Publishing clears the metrics and the added dimension sets
 * and keeps the default `Outcome`, so a reused line starts every count empty.
 */
const outcomeLines = new WeakMap<object, Map<Outcome, Metrics>>();
function outcomeLine(obs: Pick<Observability, 'service'>, outcome: Outcome): Metrics {
  let lines = outcomeLines.get(obs);
  if (!lines) {
    lines = new Map();
    outcomeLines.set(obs, lines);
  }
  let line = lines.get(outcome);
  if (!line) {
    line = new Metrics({ namespace: METRICS_NAMESPACE, serviceName: obs.service, defaultDimensions: { Outcome: outcome } });
    lines.set(outcome, line);
  }
  return line;
}

const ERROR_CODE = /^[A-Z][A-Z_]*\.[A-Z][A-Z_]*$/;

/**
 * A refusal code as a dimension value: the error model's stable codes (`TRANSFER.INSUFFICIENT_FUNDS`,
 * the shape every *_FAILED `reason` has by schema) pass; anything else is `OTHER`, so a metric
 * never gets a dimension value per distinct input.
 */
export function metricCode(code: unknown): string {
  return typeof code === 'string' && code.length <= 64 && ERROR_CODE.test(code) ? code : 'OTHER';
}

/** The ids of what an invocation handles; every other key goes on the log lines only. */
export interface Correlation {
  correlation_id?: string | undefined;
  detail_type?: string | undefined;
  tool?: string | undefined;
  task?: string | undefined;
  [key: string]: unknown;
}

/** The keys also put on the trace, as annotations (searchable in X-Ray). */
const ANNOTATED = ['correlation_id', 'detail_type', 'tool', 'task'] as const;
/** X-Ray keeps annotation strings up to 1,000 characters. */
const MAX_ANNOTATION = 250;

/**
 * Puts the ids of what this invocation handles on every later log line (until it ends: the
 * stack resets them) and annotates the trace with correlation_id, detail_type, tool and task.
 * Undefined keys are left out.
 */
export function correlate(obs: Pick<Observability, 'logger' | 'tracer'>, keys: Correlation): void {
  const defined = Object.fromEntries(Object.entries(keys).filter(([, value]) => value !== undefined));
  obs.logger.appendKeys(defined);
  for (const name of ANNOTATED) {
    const value = defined[name];
    if (typeof value === 'string') obs.tracer.putAnnotation(name, value.slice(0, MAX_ANNOTATION));
  }
}
