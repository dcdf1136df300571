/**
 * The one way to write a function that listens to other services' answers (rather than answering
 * a request itself), such as the chat gateway's responder:
 *
 *   export const handler = eventListener(respond, { service: 'agent-gateway' });
 *
 * The kit checks the envelope and the detail against its own detail-type's schema (a detail that
 * breaks its contract is logged and dropped: there is no one to answer), puts `correlation_id`
 * on every log line, counts each event received by detail-type, and calls the wrapped function.
 * What it throws is logged and rethrown, so the delivery is retried and finally dead-lettered.
 */
import middy from '@middy/core';
import { Logger } from '@aws-lambda-powertools/logger';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import type { Context } from 'aws-lambda';
import { detailValidator, isDetailType, validateEnvelope, type DetailType, type SchemaViolation } from '@centli/schemas';
import type { BusEvent } from './event-handler';

/** An event as a listener gets it: valid against its detail-type's schema. */
export interface ListenedEvent {
  id: string;
  source: string;
  detailType: DetailType;
  detail: Record<string, unknown>;
}

export interface EventListenerOptions {
  service: string;
}

export function eventListener(fn: (event: ListenedEvent, logger: Logger) => Promise<void>, options: EventListenerOptions) {
  const logger = new Logger({ serviceName: options.service });
  const metrics = new Metrics({ namespace: 'Centli', serviceName: options.service });
  const validators = new Map<DetailType, (detail: unknown) => SchemaViolation | undefined>();

  async function handle(event: BusEvent, _lambda: Context): Promise<void> {
    const raw = (event ?? {}) as Partial<BusEvent>;
    const detail = (raw.detail ?? {}) as Record<string, unknown>;
    logger.appendKeys({ correlation_id: typeof detail.correlation_id === 'string' ? detail.correlation_id : raw.id, request_id: detail.request_id, detail_type: raw['detail-type'] });
    const detailType = raw['detail-type'];
    const envelope = validateEnvelope(event);
    if (envelope || !isDetailType(detailType)) {
      logger.error('event dropped: not a Centli event', { reason: envelope?.message ?? `unknown detail-type ${String(detailType)}` });
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

  return middy<BusEvent, void>()
    .use(injectLambdaContext(logger, { resetKeys: true }))
    .use(logMetrics(metrics))
    .handler(handle);
}
