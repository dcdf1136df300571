/**
 * The one way onto the bus. Every detail is checked against its schema before it leaves
 * (producers validate too), entries go out in PutEvents requests within EventBridge's limits
 * (ten entries, 256 KB), and entries the bus reports as failed are sent again with backoff.
 */
import { PutEventsCommand, type EventBridgeClient, type PutEventsRequestEntry } from '@aws-sdk/client-eventbridge';
import { detailValidator, type DetailType, type SchemaViolation } from '@centli/schemas';
import type { OutgoingEvent } from '@centli/pure/events';
import { eventBridgeClient } from './aws';
import { withBackoff } from '@centli/pure/backoff';
import { requireEnv } from './config';
import { TransientError } from '@centli/pure/errors';

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

/** EventBridge's limit on the total size of the entries of one PutEvents request, in bytes. */
export const MAX_PUT_EVENTS_BYTES = 256 * 1024;
/** EventBridge's limit on the entries of one PutEvents request. */
export const MAX_PUT_EVENTS_ENTRIES = 10;

/**
 * The size EventBridge counts for an entry ("Calculating PutEvents event entry size"): the UTF-8
 * bytes of Source, DetailType, Detail and each Resource, plus 14 for a Time.
 */
export function putEventsEntrySize(entry: { Time?: unknown; Source?: unknown; DetailType?: unknown; Detail?: unknown; Resources?: unknown }): number {
  const bytes = (value: unknown) => (typeof value === 'string' ? Buffer.byteLength(value, 'utf8') : 0);
  let size = (entry.Time !== undefined && entry.Time !== null ? 14 : 0) + bytes(entry.Source) + bytes(entry.DetailType) + bytes(entry.Detail);
  if (Array.isArray(entry.Resources)) for (const resource of entry.Resources) size += bytes(resource);
  return size;
}

/** Splits entries into PutEvents requests within EventBridge's limits (ten entries, 256 KB). */
export function putEventsBatches<T extends Parameters<typeof putEventsEntrySize>[0]>(entries: readonly T[]): T[][] {
  const batches: T[][] = [];
  let current: T[] = [];
  let size = 0;
  for (const entry of entries) {
    const entrySize = putEventsEntrySize(entry);
    if (entrySize > MAX_PUT_EVENTS_BYTES) throw new Error(`an event of ${entrySize} bytes is over EventBridge's ${MAX_PUT_EVENTS_BYTES}-byte limit: ${String(entry.DetailType)}`);
    if (current.length === MAX_PUT_EVENTS_ENTRIES || size + entrySize > MAX_PUT_EVENTS_BYTES) {
      batches.push(current);
      current = [];
      size = 0;
    }
    current.push(entry);
    size += entrySize;
  }
  if (current.length > 0) batches.push(current);
  return batches;
}

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
          for (const batch of putEventsBatches(pending)) {
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
