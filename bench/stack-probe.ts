/**
 * What the end-to-end benchmarks share for timing a request on the local stack from outside.
 *
 * A request put on the bus is timed by the client's own clock, from the PutEvents call to the
 * moment its answer reaches the client, and the answer is pushed, not polled: the client waits
 * on the bus's `/events/wait`, which answers the moment the answering event is accepted. So a
 * bus request is timed as the chat's WebSocket turn and the purchase's confirmation are: the
 * client's wall clock, answers pushed. How long the answering function ran (the bus records it,
 * `?include=deliveries`) is read afterwards, outside the timing, to say where the time went.
 */
import { randomUUID } from "node:crypto";
import { PutEventsCommand } from "@aws-sdk/client-eventbridge";
import { BatchWriteCommand } from "@aws-sdk/lib-dynamodb";
import { rateWindow } from "@centli/pure/rate-limit";
import {
  BUS,
  documents,
  endpoints,
  eventBus,
  getJson,
  table,
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
  /** The client's wall clock: PutEvents called → the answer pushed to it. */
  latencyMs: number;
  rttMs: number;
  /** The function's time, from the bus handing it the event to its return (after it published the answer). */
  handlerMs: number;
  /** The function that answered (the delivery target). */
  target: string;
  answer: RecordedEvent;
}

/**
 * Waits for an event under `correlationId` (of one of `detailTypes`, or any not from
 * `excludeSource`), pushed by the bus the moment it is accepted; resolves with the id's events.
 */
export async function pushed(
  correlationId: string,
  options: { detailTypes?: readonly string[]; excludeSource?: string; timeoutMs?: number },
): Promise<BusEvent[]> {
  const query = new URLSearchParams({ correlation_id: correlationId });
  if (options.detailTypes) query.set("detail_type", options.detailTypes.join(","));
  if (options.excludeSource) query.set("exclude_source", options.excludeSource);
  query.set("timeout_ms", String(options.timeoutMs ?? 60_000));
  const events = await getJson<BusEvent[]>(`/events/wait?${query.toString()}`);
  if (events.length === 0)
    throw new Error(`${correlationId}: no answer within ${options.timeoutMs ?? 60_000} ms`);
  return events;
}

/**
 * Puts one request on the bus as a front door would and waits for its answer (an event under
 * the same correlation id from another source), pushed, timing it by the client's clock; then
 * reads how long the answering function ran.
 */
export async function busRoundTrip(
  detailType: string,
  detail: Record<string, unknown> & { correlation_id: string },
  options: { source?: string } = {},
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
  await pushed(detail.correlation_id, { excludeSource: source });
  const latencyMs = performance.now() - started;
  // Outside the timing: which function answered and how long it ran.
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
        latencyMs,
        rttMs,
        handlerMs: slowest.durationMs,
        target: slowest.target,
        answer,
      };
    },
    { firstMs: 0, everyMs: 5 },
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

/**
 * The seeded customers' rate limits unspent (lib/pure/rate-limit.ts), as
 * tests/integration/fresh-minute.ts leaves them before each test: a benchmark measures the door's
 * latency, and its turns from one customer would otherwise run into the per-minute limit.
 */
export async function freshMinute(): Promise<void> {
  const now = Date.now();
  const keys = Object.keys(endpoints().tokens).flatMap((userId) =>
    (["read", "write"] as const).flatMap((kind) =>
      [now - 60_000, now, now + 60_000].map(
        (at) => rateWindow(userId, kind, new Date(at)).key,
      ),
    ),
  );
  for (let start = 0; start < keys.length; start += 25)
    await documents().send(
      new BatchWriteCommand({
        RequestItems: {
          [table("rate-limits")]: keys
            .slice(start, start + 25)
            .map((pk) => ({ DeleteRequest: { Key: { pk } } })),
        },
      }),
    );
}
