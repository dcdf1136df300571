/**
 * The one way to write a function that listens to other services' answers (rather than answering
 * a request itself), such as the chat gateway's responder:
 *
 *   export const handler = eventListener(respond, { service: 'agent-gateway', handler: 'respond' });
 *
 * The kit checks the envelope and the detail against its own detail-type's schema (a detail that
 * breaks its contract is logged and dropped: there is no one to answer), puts `correlation_id`
 * on every log line and the trace (with the detail-type), counts each event received by
 * detail-type, and calls the wrapped function. What it throws is logged and rethrown, so the
 * delivery is retried and finally dead-lettered. Each invocation is counted as `Invocations` by
 * outcome (`completed`, `failed`, `dropped`), as ./observability.ts describes.
 */
import type { Logger } from '@aws-lambda-powertools/logger';
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import type { Context } from 'aws-lambda';
import { detailValidator, isDetailType, validateEnvelope, type DetailType, type SchemaViolation } from '@centli/schemas';
import type { BusEvent } from './event-handler';
import { correlate, observabilityFor, observed, recordOutcome, type Observability } from './observability';

/** An event as a listener gets it: valid against its detail-type's schema. */
export interface ListenedEvent {
  id: string;
  source: string;
  detailType: DetailType;
  detail: Record<string, unknown>;
}

export interface EventListenerOptions {
  service: string;
  /** What the function is, for the `Handler` dimension of `Invocations` (`respond`). */
  handler: string;
  /**
   * The service's own logger, metrics and tracer, when what the function calls logs or counts
   * through them too (the chat gateway's deps): its lines then carry this event's correlation id.
   */
  observability?: Observability;
}

export function eventListener(fn: (event: ListenedEvent, logger: Logger) => Promise<void>, options: EventListenerOptions) {
  const obs = options.observability ?? observabilityFor(options.service);
  const { logger, metrics } = obs;
  const validators = new Map<DetailType, (detail: unknown) => SchemaViolation | undefined>();

  async function handle(event: BusEvent, lambda: Context): Promise<void> {
    const raw = (event ?? {}) as Partial<BusEvent>;
    const detail = (raw.detail ?? {}) as Record<string, unknown>;
    const detailType = raw['detail-type'];
    correlate(obs, {
      correlation_id: typeof detail.correlation_id === 'string' ? detail.correlation_id : typeof raw.id === 'string' ? raw.id : lambda.awsRequestId,
      request_id: detail.request_id,
      detail_type: typeof detailType === 'string' ? detailType : undefined,
    });
    const envelope = validateEnvelope(event);
    if (envelope || !isDetailType(detailType)) {
      logger.error('event dropped: not a Centli event', { reason: envelope?.message ?? `unknown detail-type ${String(detailType)}` });
      recordOutcome(lambda, 'dropped');
      return;
    }
    let validate = validators.get(detailType);
    if (!validate) {
      validate = detailValidator(detailType);
      validators.set(detailType, validate);
    }
    const violation = validate(detail);
    if (violation) {
      logger.error('event dropped: its detail breaks its schema', { field: violation.field, reason: violation.message });
      recordOutcome(lambda, 'dropped');
      return;
    }
    metrics.addMetric(detailType, MetricUnit.Count, 1);
    try {
      await fn({ id: String(raw.id), source: String(raw.source), detailType, detail }, logger);
    } catch (error) {
      metrics.addMetric('UnexpectedError', MetricUnit.Count, 1);
      logger.error('event failed unexpectedly; the delivery will be retried', error as Error);
      throw error;
    }
  }

  return observed(handle, obs, { handler: options.handler });
}
