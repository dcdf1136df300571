/**
 * The one way to write an EventBridge consumer:
 *
 *   export const handler = eventHandler(transferFunds, { service: 'core-banking', accepts: 'TRANSFER_REQUEST' });
 *
 * The kit checks the envelope and the detail against the detail-type's schema (validator
 * compiled once, at module load), puts `correlation_id` on every log line, calls the wrapped
 * function with a valid, typed detail, and publishes what it answers. A `CentliError` thrown
 * by the function (or a schema violation) becomes the *_FAILED event with its code, message
 * and field; anything else is logged and rethrown for the platform to retry.
 *
 * Observability (./observability.ts): the invocation is traced, its trace annotated with the
 * correlation id and detail-type; it is counted once as `Invocations` (namespace Centli) by
 * outcome: `completed`, `refused` with the refusal's code (a thrown `CentliError`, a schema
 * violation as REQUEST.INVALID, or a *_FAILED answer the function chose, such as a recorded
 * refusal replayed), `failed` (rethrown) or `dropped` (not an event for this function), under
 * [service, Outcome], [service, Outcome, Handler = the detail-type it accepts] and, for a
 * refusal, [service, Outcome, Code]. Each request and each answer is also counted as an EMF
 * metric named after its detail-type (dimension service).
 */
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import type { Context, EventBridgeEvent } from 'aws-lambda';
import {
  detailValidator,
  validateEnvelope,
  type DetailOf,
  failureOf,
  isRequestType,
  type DetailType,
  type FailureType,
} from '@centli/schemas';
import { CentliError, InvalidRequestError } from '@centli/pure/errors';
import { correlate, observabilityFor, observed, recordOutcome } from './observability';
import { eventBridgePublisher, type Publisher } from './publisher';
import { outgoing, type OutgoingEvent } from '@centli/pure/events';

export type BusEvent = EventBridgeEvent<string, unknown>;

export type Answer = OutgoingEvent | readonly OutgoingEvent[];

export interface EventHandlerOptions<T extends DetailType, F extends FailureType> {
  /** The service's name: logs say it, and its events' source is `centli.<service>`. */
  service: string;
  accepts: T;
  /** The failure it answers a refusal with: the one failure among the request's answers (its schema's `x-centli`) unless named. */
  failure?: F;
  /** Where answers go; the EventBridge publisher unless a test passes another. */
  publisher?: Publisher;
}

/**
 * The wrapped function gets the valid detail and nothing else; its adapters come from its
 * own `deps` parameter, defaulted, so tests pass fakes without module mocks.
 */
export type EventFunction<T extends DetailType> = (detail: DetailOf<T>) => Promise<Answer>;

export function eventHandler<T extends DetailType, F extends FailureType>(
  fn: EventFunction<T>,
  options: EventHandlerOptions<T, F>,
) {
  const obs = observabilityFor(options.service);
  const { logger, metrics } = obs;
  const validate = detailValidator(options.accepts);
  const source = `centli.${options.service}`;
  const named = options.failure ?? (isRequestType(options.accepts) ? (failureOf(options.accepts) as F) : undefined);
  if (!named) throw new Error(`${options.accepts} is not a request with a failure among its answers: name the failure`);
  const failureType: F = named;
  let publisher = options.publisher;

  async function handle(event: BusEvent, lambda: Context): Promise<OutgoingEvent[]> {
    const raw = (event ?? {}) as Partial<BusEvent>;
    const detail = (raw.detail ?? {}) as Record<string, unknown>;
    const ids: RequestIds = {
      correlation_id: stringOr(detail.correlation_id, raw.id ?? lambda.awsRequestId) ?? 'unknown',
      request_id: stringOr(detail.request_id),
      user_id: stringOr(detail.user_id),
    };
    correlate(obs, { correlation_id: ids.correlation_id, request_id: ids.request_id, detail_type: stringOr(raw['detail-type']) });

    const fail = (error: CentliError): OutgoingEvent[] => [failureEvent(failureType, ids, error)];

    let answer: OutgoingEvent[];
    const envelopeViolation = validateEnvelope(event);
    if (envelopeViolation || raw['detail-type'] !== options.accepts) {
      // Not ours or not an event at all: answering could misroute, so it is logged and dropped.
      logger.error('event rejected before dispatch', { reason: envelopeViolation?.message ?? `expected ${options.accepts}` });
      recordOutcome(lambda, 'dropped');
      return [];
    }
    metrics.addMetric(options.accepts, MetricUnit.Count, 1);
    const violation = validate(detail);
    if (violation) {
      logger.warn('invalid request', { field: violation.field, reason: violation.message });
      answer = fail(new InvalidRequestError(violation.field, violation.message, violation.rule));
    } else {
      try {
        const result = await fn(detail as unknown as DetailOf<T>);
        answer = (Array.isArray(result) ? [...result] : [result as OutgoingEvent]).map((event) => toThisRequest(event, ids.correlation_id));
      } catch (error) {
        if (!(error instanceof CentliError)) {
          metrics.addMetric('UnexpectedError', MetricUnit.Count, 1);
          logger.error('request failed unexpectedly; the delivery will be retried', error as Error);
          throw error;
        }
        logger.info('request refused', { code: error.code, field: error.field });
        answer = fail(error);
      }
    }
    publisher ??= eventBridgePublisher();
    await publisher.publish(source, answer);
    for (const event of answer) metrics.addMetric(event.detailType, MetricUnit.Count, 1);
    const refusal = answer.find((event) => event.detailType === failureType);
    if (refusal) recordOutcome(lambda, 'refused', String((refusal.detail as { reason?: unknown }).reason));
    logger.info('answered', { detail_types: answer.map((a) => a.detailType) });
    return answer;
  }

  return observed(handle, obs, { handler: options.accepts });
}

export interface RequestIds {
  correlation_id: string;
  request_id?: string | undefined;
  user_id?: string | undefined;
}

/** The *_FAILED answer to a request, naming the error's code, message and field. */
export function failureEvent<F extends FailureType>(failure: F, ids: RequestIds, error: CentliError): OutgoingEvent<F> {
  return outgoing(failure, {
    ...(ids.request_id === undefined ? {} : { request_id: ids.request_id }),
    correlation_id: ids.correlation_id,
    ...(ids.user_id === undefined ? {} : { user_id: ids.user_id }),
    reason: error.code,
    message: error.message,
    ...(error.field === undefined ? {} : { field: error.field }),
    ...(Object.keys(error.params).length === 0 ? {} : { params: error.params }),
  } as DetailOf<F>);
}

function stringOr(value: unknown, fallback?: string): string | undefined {
  return typeof value === 'string' && value.length > 0 ? value : fallback;
}

/**
 * An answer goes to whoever asked this time: an outcome replayed for a request_id seen before
 * (the first answer, recorded) carries this delivery's correlation id, not the first asker's, so
 * a caller that retries with a new correlation id still hears back.
 */
function toThisRequest(event: OutgoingEvent, correlationId: string): OutgoingEvent {
  const detail = event.detail as unknown as Record<string, unknown>;
  if (typeof detail?.correlation_id !== 'string' || detail.correlation_id === correlationId) return event;
  return { ...event, detail: { ...detail, correlation_id: correlationId } } as OutgoingEvent;
}
