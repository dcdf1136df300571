/**
 * What the kit's middy stack costs a transfer, per invocation, in process: the transfer handler
 * as `transfer.ts` builds it (`eventHandler`: envelope and detail validation, the logger
 * with the Lambda context and correlation id, EMF metrics, error mapping, the publisher with
 * its producer-side validation) against the bare domain call (`transferFunds`) it wraps. I/O is
 * faked in memory on both sides, so only overhead is measured: the store answers at once, the
 * EventBridge client accepts at once, and stdout (where Lambda's logs and EMF lines go) is
 * swallowed while measuring, after the bytes are counted.
 */
import { Session } from "node:inspector/promises";
import { PerformanceObserver, type PerformanceEntry } from "node:perf_hooks";
import { relative, sep } from "node:path";
import type { Context } from "aws-lambda";
import type { EventBridgeClient } from "@aws-sdk/client-eventbridge";
import { eventHandler, type BusEvent } from "@centli/kit/event-handler";
import { eventBridgePublisher } from "@centli/kit/publisher";
import { type OutgoingEvent } from "@centli/pure/events";
import type { TransferRequest } from "@centli/schemas";
import {
  transferFunds,
  type TransferDeps,
} from "../services/core-banking/src/app/transfer";
import { percentile, type BenchOptions, type Figure } from "./harness";
import { medianDifference, type DifferenceEstimate } from "./stats";

/** What the transfer benchmark needs to restate the overhead against a warm transfer's time. */
export interface Overhead {
  figures: Figure[];
  /** CPU ms the kit adds per invocation: the median over rounds of (full − bare), with its interval. */
  added: DifferenceEstimate;
}

const SECTION = "Money path";

const limits = {
  maxAmount: 5_000_000,
  dailyLimit: 10_000_000,
  timeZone: "America/Mexico_City",
  newPayeeLimit: 200_000,
  newPayeeHours: 24,
  defaultMtu: 1_275_000,
};

/** The store a warm function has, without DynamoDB: the owner is known, the transaction commits. */
const store: TransferDeps["store"] = {
  findAccountOwner: async () => "user-carlos",
  commitTransfer: async () => ({ status: "committed" }),
  settleRefusal: async () => {
    throw new Error("the benchmark's transfers are never refused");
  },
};
const deps: TransferDeps = { store, limits, now: () => new Date() };

/** An EventBridge client that accepts every entry at once. */
const bus = {
  send: async (command: { input: { Entries?: unknown[] } }) => ({
    FailedEntryCount: 0,
    Entries: (command.input.Entries ?? []).map((_, i) => ({
      EventId: `evt-${i}`,
    })),
  }),
} as unknown as Pick<EventBridgeClient, "send">;

function detail(i: number): TransferRequest {
  return {
    request_id: `req-overhead-${i}`,
    correlation_id: `corr-overhead-${i}`,
    user_id: "user-ana",
    from_account_id: "acc-ana-nomina-4821",
    to_account_id: "acc-carlos-nomina-3954",
    amount: 10_000,
    currency: "MXN",
    description: "Renta",
  };
}

function busEvent(i: number): BusEvent {
  return {
    version: "0",
    id: `6a7e8feb-b491-4cf7-a9f1-bf3703467718-${i}`,
    "detail-type": "TRANSFER_REQUEST",
    source: "centli.agent-gateway",
    account: "000000000000",
    time: "2026-11-22T16:00:00Z",
    region: "us-east-1",
    resources: [],
    detail: detail(i),
  };
}

function context(i: number): Context {
  return {
    callbackWaitsForEmptyEventLoop: true,
    functionName: "centli-core-banking-bench-transfer",
    functionVersion: "$LATEST",
    invokedFunctionArn:
      "arn:aws:lambda:us-east-1:000000000000:function:centli-core-banking-bench-transfer",
    memoryLimitInMB: "512",
    awsRequestId: `aws-request-${i}`,
    logGroupName: "/aws/lambda/centli-core-banking-bench-transfer",
    logStreamName: "2026/11/22/[$LATEST]bench",
    getRemainingTimeInMillis: () => 10_000,
    done: () => undefined,
    fail: () => undefined,
    succeed: () => undefined,
  };
}

/** Runs `work` with stdout swallowed (its bytes counted), as Lambda's log shipping is not the handler's cost. */
async function quietly<T>(
  work: () => Promise<T>,
): Promise<{ result: T; bytes: number }> {
  const write = process.stdout.write;
  let bytes = 0;
  process.stdout.write = ((chunk: string | Uint8Array, ...rest: unknown[]) => {
    bytes +=
      typeof chunk === "string" ? Buffer.byteLength(chunk) : chunk.length;
    const done = rest.find((arg) => typeof arg === "function") as
      (() => void) | undefined;
    done?.();
    return true;
  }) as typeof process.stdout.write;
  try {
    return { result: await work(), bytes };
  } finally {
    process.stdout.write = write;
  }
}

/** Environment set while `work` runs (Powertools reads some of it per call), restored after. */
async function withEnv<T>(
  env: Record<string, string>,
  work: () => Promise<T>,
): Promise<T> {
  const saved = Object.fromEntries(
    Object.keys(env).map((name) => [name, process.env[name]]),
  );
  Object.assign(process.env, env);
  try {
    return await work();
  } finally {
    for (const [name, value] of Object.entries(saved)) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
  }
}

/** Lambda's settings for the function: logs at INFO, EMF metrics on (the local stack turns them off). */
const LAMBDA = {
  POWERTOOLS_LOG_LEVEL: "INFO",
  POWERTOOLS_METRICS_DISABLED: "false",
};
/** The same stack with its logging and metrics off, to show what they cost. */
const QUIET = {
  POWERTOOLS_LOG_LEVEL: "SILENT",
  POWERTOOLS_METRICS_DISABLED: "true",
};

type Handler = ReturnType<
  typeof eventHandler<"TRANSFER_REQUEST", "TRANSFER_FAILED">
>;

function transferHandler(): Handler {
  // As transfer.ts builds its handler, with the store and the bus faked.
  return eventHandler((d) => transferFunds(d, deps), {
    service: "core-banking",
    accepts: "TRANSFER_REQUEST",
    failure: "TRANSFER_FAILED",
    publisher: eventBridgePublisher({
      busName: "centli-event-bus-bench",
      client: bus,
    }),
  });
}

const ROOT = `${__dirname}${sep}..`;

/** Who a profiled frame's code belongs to: an npm package, or a file of this repository; undefined for Node's own code. */
function ownerOf(url: string): string | undefined {
  const path = url.startsWith("file://") ? new URL(url).pathname : url;
  const nodeModules = path.lastIndexOf("/node_modules/");
  if (nodeModules >= 0) {
    const [scope, name] = path.slice(nodeModules + 14).split("/");
    return scope?.startsWith("@") ? `${scope}/${name}` : scope;
  }
  if (!path.startsWith("/")) return undefined;
  const file = relative(ROOT, path);
  return file.startsWith("services/core-banking/")
    ? "the transfer's own code (services/core-banking)"
    : file;
}

/**
 * Runs `work` under V8's sampling profiler and says where its CPU went, by owner: each sample is
 * charged to the nearest frame that is a package's or this repository's code (so Node's own
 * functions count for whoever called them), garbage collection apart.
 */
async function whereTimeGoes(work: () => Promise<void>): Promise<string> {
  const session = new Session();
  session.connect();
  try {
    await session.post("Profiler.enable");
    await session.post("Profiler.setSamplingInterval", { interval: 50 });
    await session.post("Profiler.start");
    await work();
    const { profile } = await session.post("Profiler.stop");
    const parent = new Map<number, number>();
    for (const node of profile.nodes)
      for (const child of node.children ?? []) parent.set(child, node.id);
    const byId = new Map(profile.nodes.map((node) => [node.id, node]));
    const owners = new Map<string, number>();
    let total = 0;
    const deltas = profile.timeDeltas ?? [];
    (profile.samples ?? []).forEach((sample, index) => {
      const node = byId.get(sample);
      // Idle time, and the profiler's own start and stop, are not the invocations'.
      if (!node || node.callFrame.functionName === "(idle)") return;
      if (node.callFrame.url.startsWith("node:inspector")) return;
      let owner: string | undefined =
        node.callFrame.functionName === "(garbage collector)"
          ? "garbage collection"
          : undefined;
      for (
        let at: number | undefined = sample;
        owner === undefined && at !== undefined;
        at = parent.get(at)
      )
        owner = ownerOf(byId.get(at)?.callFrame.url ?? "");
      const weight = deltas[index] ?? 0;
      total += weight;
      owners.set(owner ?? "Node", (owners.get(owner ?? "Node") ?? 0) + weight);
    });
    return [...owners]
      .sort(([, a], [, b]) => b - a)
      .slice(0, 6)
      .map(([owner, time]) => `${owner} ${Math.round((time / total) * 100)}%`)
      .join(", ");
  } finally {
    session.disconnect();
  }
}

/** CPU time (user + system, ms) of one call. */
async function cpuOf(call: () => Promise<void>): Promise<number> {
  const before = process.cpuUsage();
  await call();
  const used = process.cpuUsage(before);
  return (used.user + used.system) / 1000;
}

interface Variant {
  name: string;
  env: Record<string, string>;
  one: (i: number) => Promise<void>;
  means: number[];
  /** CPU ms of each measured invocation. */
  samples: number[];
}

const mean = (values: readonly number[]) =>
  values.reduce((a, b) => a + b, 0) / values.length;

/**
 * Per invocation, CPU time rather than wall time: on a machine shared with other processes a
 * wall clock mostly measures the scheduler (a call that is descheduled waits milliseconds), and
 * a longer call is descheduled more often, which would inflate the stack's figures; CPU time is
 * what the invocation costs, and what a Lambda sandbox, which has its CPU to itself, turns into
 * duration. The wall-clock figures are in the log line.
 */
export async function handlerOverhead({
  quick,
  log,
}: BenchOptions): Promise<Overhead> {
  const full = await withEnv(LAMBDA, async () => transferHandler());
  const quiet = await withEnv(QUIET, async () => transferHandler());
  const bareCall = async (i: number) => {
    const answer = (await transferFunds(detail(i), deps)) as OutgoingEvent;
    if (answer.detailType !== "TRANSFER_COMPLETED")
      throw new Error(
        `expected a completed transfer, got ${answer.detailType}`,
      );
  };
  const handlerCall = (handler: Handler) => async (i: number) => {
    const answer = await handler(busEvent(i), context(i));
    if (answer[0]?.detailType !== "TRANSFER_COMPLETED")
      throw new Error(
        `expected a completed transfer, got ${answer[0]?.detailType}`,
      );
  };
  const variants: Variant[] = [
    { name: "bare", env: LAMBDA, one: bareCall, means: [], samples: [] },
    {
      name: "full",
      env: LAMBDA,
      one: handlerCall(full),
      means: [],
      samples: [],
    },
    {
      name: "quiet",
      env: QUIET,
      one: handlerCall(quiet),
      means: [],
      samples: [],
    },
  ];

  const perRound = quick ? 300 : 2_000;
  const rounds = quick ? 3 : 9;
  let next = 0;
  const wall: Record<string, number[]> = {};
  /** When each invocation ran (performance.now(), ms), to find the ones a collection landed in. */
  const spans: Record<string, Array<[number, number]>> = {};
  const batch = (variant: Variant, n: number) =>
    withEnv(variant.env, async () => {
      const cpu: number[] = [];
      for (let i = 0; i < n; i++) {
        const t0 = performance.now();
        cpu.push(await cpuOf(() => variant.one(next++)));
        const t1 = performance.now();
        (wall[variant.name] ??= []).push(t1 - t0);
        (spans[variant.name] ??= []).push([t0, t1]);
      }
      return cpu;
    });
  const collections: PerformanceEntry[] = [];
  const gc = new PerformanceObserver((list) =>
    collections.push(...list.getEntries()),
  );
  gc.observe({ entryTypes: ["gc"] });

  const { bytes } = await quietly(async () => {
    // Warm every variant (JIT, the validators, the formatters) before measuring.
    for (const variant of variants)
      await batch(variant, quick ? 1_000 : perRound);
    for (const name of Object.keys(wall)) {
      wall[name] = [];
      spans[name] = [];
    }
    for (let round = 0; round < rounds; round++) {
      // Rotate which goes first, so none always runs on a fresher heap.
      for (let k = 0; k < variants.length; k++) {
        const variant = variants[(round + k) % variants.length] as Variant;
        const cpu = await batch(variant, perRound);
        variant.means.push(mean(cpu));
        variant.samples.push(...cpu);
      }
    }
  });
  // The observer hears of collections asynchronously.
  await new Promise((resolve) => setTimeout(resolve, 50));
  gc.disconnect();
  const [bare, stack, silent] = variants as [Variant, Variant, Variant];
  // The full stack's measured invocations that no garbage collection overlapped.
  const fullSpans = spans.full ?? [];
  const measured = collections.filter(
    (entry) => entry.startTime >= (fullSpans[0]?.[0] ?? Infinity),
  );
  const untouched = stack.samples.filter((_, i) => {
    const [t0, t1] = fullSpans[i] as [number, number];
    return !measured.some(
      (entry) => entry.startTime < t1 && entry.startTime + entry.duration > t0,
    );
  });
  // Where the full stack's time goes, profiled apart from the measurement.
  let breakdown = "";
  await quietly(async () => {
    breakdown = await whereTimeGoes(() =>
      withEnv(stack.env, async () => {
        for (let i = 0; i < perRound; i++) await stack.one(next++);
      }),
    );
  });
  const bareMean = percentile(bare.means, 50);
  const fullMean = percentile(stack.means, 50);
  const quietMean = percentile(silent.means, 50);
  const fullP99 = percentile(stack.samples, 99);
  const bareP99 = percentile(bare.samples, 99);
  const us = (ms: number) => `${Math.round(ms * 1000)} µs`;
  const wallP = (name: string, p: number) =>
    percentile(wall[name] ?? [], p).toFixed(3);
  const fullInvocations = (rounds + 1) * perRound;
  log(
    `handler overhead, CPU per invocation (median of ${rounds} rotated rounds of ${perRound}): full ${us(fullMean)}, logs and metrics off ${us(quietMean)}, bare ${us(bareMean)}; ${Math.round(bytes / (fullInvocations * 2))} bytes of log and EMF per full invocation`,
  );
  log(
    `handler overhead, wall clock p50/p99: full ${wallP("full", 50)}/${wallP("full", 99)} ms, bare ${wallP("bare", 50)}/${wallP("bare", 99)} ms`,
  );
  // Each round ran every variant back to back: the rounds' differences, and their interval.
  const added = medianDifference(
    stack.means.map((candidate, i) => ({
      candidate,
      baseline: bare.means[i] as number,
    })),
  );
  const observability = fullMean - quietMean;
  const µs = (ms: number) => ms * 1000;
  const figures: Figure[] = [
    {
      section: SECTION,
      name: "transfer handler: CPU the kit's middy stack adds per invocation, in process (full stack − the bare domain call; median of the rounds' differences)",
      value: µs(added.value),
      unit: "µs",
      interval: {
        name: added.interval.name,
        low: µs(added.interval.low),
        high: µs(added.interval.high),
      },
      rounds: added.rounds,
      baseline: { name: "the bare transferFunds call's own CPU", value: µs(bareMean) },
      note: `I/O faked on both sides, so this is only the kit: validation both ways, the logger, EMF metrics, error mapping, the publisher; with logging and EMF metrics turned off it adds ${us(quietMean - bareMean)} (${us(observability)} less). Profiled, a full invocation's CPU goes to: ${breakdown}. Its share of a warm transfer's end-to-end time is the next figure; an improvement claim needs both commits measured in one run.`,
    },
    {
      section: SECTION,
      name: "transfer handler, CPU per invocation in process: full middy stack p99",
      value: fullP99,
      unit: "ms",
      baseline: { name: "bare transferFunds p99", value: bareP99 },
      ratio: fullP99 / bareP99,
      goal: "< 1 ms",
      met: fullP99 < 1,
      ...(fullP99 < 1
        ? {}
        : {
            note: `garbage collection: ${stack.samples.length - untouched.length} of ${stack.samples.length} invocations overlapped one of the ${measured.length} collections while measuring, and without them the p99 is ${percentile(untouched, 99).toFixed(2)} ms; CPU time counts the whole process, so V8's background compiler and collector threads too, which are busiest early in a run; wall-clock p99 on this shared machine was ${wallP("full", 99)} ms`,
          }),
    },
  ];
  return { figures, added };
}
