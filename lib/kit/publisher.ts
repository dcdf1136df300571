/**
 * The one way onto the bus. Every detail is checked against its schema before it leaves
 * (producers validate too), entries go out in PutEvents batches of ten, and entries the bus
 * reports as failed are sent again with backoff.
 */
import { PutEventsCommand, type EventBridgeClient, type PutEventsRequestEntry } from '@aws-sdk/client-eventbridge';
import { detailValidator, type DetailOf, type DetailType, type SchemaViolation } from '@centli/schemas';
import { eventBridgeClient } from './aws';
import { withBackoff } from './backoff';
import { requireEnv } from './config';
import { TransientError } from './errors';

export interface OutgoingEvent<T extends DetailType = DetailType> {
  detailType: T;
  detail: DetailOf<T>;
}

/** Builds an outgoing event with its detail type-checked against the detail-type. */
export function outgoing<T extends DetailType>(detailType: T, detail: DetailOf<T>): OutgoingEvent<T> {
  return { detailType, detail };
}

export interface Publisher {
  publish(source: string, events: readonly OutgoingEvent[]): Promise<void>;
}

const validators = new Map<DetailType, (detail: unknown) => SchemaViolation | undefined>();

/** Throws when a detail we are about to publish breaks its own contract: a bug, never sent. */
export function assertPublishable(event: OutgoingEvent): void {
  let validate = validators.get(event.detailType);
  if (!validate) {
    validate = detailValidator(event.detailType);
    validators.set(event.detailType, validate);
  }
  const violation = validate(event.detail);
  if (violation) throw new Error(`refusing to publish an invalid ${event.detailType}: ${violation.message}`);
}

class FailedEntriesError extends TransientError {}

export function eventBridgePublisher(options: { busName?: string; client?: Pick<EventBridgeClient, 'send'>; sleep?: (ms: number) => Promise<void> } = {}): Publisher {
  return {
    async publish(source, events) {
      if (events.length === 0) return;
      events.forEach(assertPublishable);
      const busName = options.busName ?? requireEnv('EVENT_BUS_NAME');
      let pending: PutEventsRequestEntry[] = events.map((event) => ({
        EventBusName: busName,
        Source: source,
        DetailType: event.detailType,
        Detail: JSON.stringify(event.detail),
      }));
      await withBackoff(
        async () => {
          const failed: PutEventsRequestEntry[] = [];
          for (let i = 0; i < pending.length; i += 10) {
            const batch = pending.slice(i, i + 10);
            const result = await (options.client ?? eventBridgeClient()).send(new PutEventsCommand({ Entries: batch }));
            result.Entries?.forEach((entry, index) => {
              const sent = batch[index];
              if (entry.ErrorCode && sent) failed.push(sent);
            });
          }
          pending = failed;
          if (failed.length > 0) throw new FailedEntriesError(`${failed.length} event(s) were not accepted by the bus`);
        },
        { attempts: 4, baseMs: 50, capMs: 1000, retryable: (error) => error instanceof FailedEntriesError, ...(options.sleep ? { sleep: options.sleep } : {}) },
      );
    },
  };
}
