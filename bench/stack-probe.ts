/**
 * What the end-to-end benchmarks share for timing a request on the local stack from outside.
 *
 * A request put on the bus is timed as the stack saw it, not as a poller noticed it: the bus
 * records, for every event, how long each target's function ran (`?include=deliveries`), and a
 * function answers by publishing its result event before it returns. So a bus round trip is
 * `PutEvents round trip + the answering function's delivery time`, to within the bus's dispatch
 * (a `setImmediate` after it accepts the event; nothing queues with fewer clients than the bus's
 * per-target concurrency). Polling only says *when to look*, so its interval adds nothing to the
 * figure; it only paces the clients, and the same way for candidate and baseline.
 */
import { randomUUID } from "node:crypto";
import { PutEventsCommand } from "@aws-sdk/client-eventbridge";
import {
  BUS,
  eventBus,
  getJson,
  type BusEvent,
} from "../tests/integration/support";
import { percentile } from "./harness";

/** The fate of an event at one target, as the local bus records it. */
export interface Delivery {
  target: string;
  attempts: number;
  outcome: "pending" | "succeeded" | "failed" | "cancelled";
  durationMs: number;
}

export type RecordedEvent = BusEvent & { deliveries: Delivery[] };

/** Every event under a correlation id, with its deliveries. */
export function eventsWithDeliveries(
  correlationId: string,
): Promise<RecordedEvent[]> {
  return getJson<RecordedEvent[]>(
    `/events?correlation_id=${encodeURIComponent(correlationId)}&include=deliveries`,
  );
}

const sleep = (ms: number) =>
  new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * Calls `probe` until it answers: first after `firstMs`, then every `everyMs`.
 *
 * @throws Error naming `what` after `timeoutMs`.
 */
export async function until<T>(
  what: string,
  probe: () => Promise<T | undefined>,
  { firstMs = 5, everyMs = 15, timeoutMs = 60_000 } = {},
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  await sleep(firstMs);
  for (;;) {
    const found = await probe();
    if (found !== undefined) return found;
    if (Date.now() > deadline)
      throw new Error(`${what}: nothing within ${timeoutMs} ms`);
    await sleep(everyMs);
  }
}

/** One request put on the bus and answered. */
export interface BusTiming {
  /** PutEvents round trip + the answering function's delivery: request accepted → answer on the bus. */
  latencyMs: number;
  rttMs: number;
  /** The function's time, from the bus handing it the event to its return (after it published the answer). */
  handlerMs: number;
  /** The function that answered (the delivery target). */
  target: string;
  answer: RecordedEvent;
}

/**
 * Puts one request on the bus as a front door would and waits for its answer (an event under
 * the same correlation id from another source), timing it as the module description says.
 */
export async function busRoundTrip(
  detailType: string,
  detail: Record<string, unknown> & { correlation_id: string },
  options: { source?: string; firstMs?: number } = {},
): Promise<BusTiming> {
  const source = options.source ?? "centli.agent-gateway";
  const started = performance.now();
  const result = await eventBus().send(
    new PutEventsCommand({
      Entries: [
        {
          EventBusName: BUS,
          Source: source,
          DetailType: detailType,
          Detail: JSON.stringify(detail),
        },
      ],
    }),
  );
  const rttMs = performance.now() - started;
  if (result.FailedEntryCount)
    throw new Error(
      `the bus refused ${detailType}: ${JSON.stringify(result.Entries)}`,
    );
  return until(
    `${detailType} ${detail.correlation_id}`,
    async () => {
      const events = await eventsWithDeliveries(detail.correlation_id);
      const request = events.find(
        (e) => e["detail-type"] === detailType && e.source === source,
      );
      const answer = events.find((e) => e.source !== source);
      if (
        !request ||
        !answer ||
        request.deliveries.length === 0 ||
        request.deliveries.some((d) => d.outcome === "pending")
      )
        return undefined;
      const failed = request.deliveries.find((d) => d.outcome !== "succeeded");
      if (failed)
        throw new Error(
          `${detailType} ${detail.correlation_id}: ${failed.target} ${failed.outcome}`,
        );
      const slowest = request.deliveries.reduce((a, b) =>
        b.durationMs > a.durationMs ? b : a,
      );
      return {
        latencyMs: rttMs + slowest.durationMs,
        rttMs,
        handlerMs: slowest.durationMs,
        target: slowest.target,
        answer,
      };
    },
    { firstMs: options.firstMs ?? 5 },
  );
}

/** A fresh id for a benchmark's request (`bench-<kind>-<uuid>`). */
export const benchId = (kind: string) => `bench-${kind}-${randomUUID()}`;

/** p50 and p99 of some samples, and how many. */
export function spread(samples: readonly number[]): {
  p50: number;
  p99: number;
  n: number;
} {
  return {
    p50: percentile(samples, 50),
    p99: percentile(samples, 99),
    n: samples.length,
  };
}

export const ms = (value: number) => `${value.toFixed(1)} ms`;
