/**
 * What every benchmark shares: the figure it reports (a value, its baseline measured in the same
 * run, the ratio, and the goal it is held to), the options it runs with, latency percentiles,
 * and the one local stack the end-to-end benchmarks use (started once, as the integration tests
 * start theirs: DynamoDB Local, the bus, the handlers, on free ports).
 *
 * Figures are ratios against a baseline run in the same process on purpose: this machine's speed
 * varies from run to run, the ratio of two things measured side by side much less.
 */
import globalSetup from "../tests/integration/global-setup";
import {
  judge,
  nearestRank,
  ratioOfMedians,
  type BootstrapOptions,
  type Goal,
  type Interval,
  type Pair,
} from "./stats";
import globalTeardown from "../tests/integration/global-teardown";

export interface Figure {
  /** The RESULTS.md section: "Money path", "Cold start", … */
  section: string;
  /** What was measured, e.g. "transfer throughput, 8 clients, 100 accounts (event path)". */
  name: string;
  value: number;
  unit: string;
  /** What it is compared with, measured in the same run. */
  baseline?: { name: string; value: number };
  /** value / baseline.value, or as the benchmark defines it (then it says so in `name`). */
  ratio?: number;
  /** The goal as written, e.g. "≥ 0.95", "≤ 1.2", "= 1". */
  goal?: string;
  met?: boolean;
  /**
   * The interval the verdict is decided by (the interquartile range of the samples, or a
   * bootstrap interval; `name` says which): a goal is met only when the whole interval meets it,
   * missed only when the whole interval misses it, and otherwise not decided (`met` false).
   */
  interval?: { name: string; low: number; high: number };
  undecided?: boolean;
  /**
   * The ratio's bootstrap interval over rounds (bench/stats.ts), when the ratio is what the goal
   * is held to; printed beside the ratio with `rounds`.
   */
  ratioInterval?: Interval;
  /** How many rounds the interval was drawn from. */
  rounds?: number;
  /** For a goal not decided: about how many rounds would decide it (bench/stats.ts `judge`). */
  roundsToDecide?: number;
  /** Why a goal was missed, or what the figure needs to be read right. */
  note?: string;
}

export interface BenchOptions {
  /** CI's mode: small sizes, to prove the benchmark still runs; its figures are not claims. */
  quick: boolean;
  log: (line: string) => void;
}

export interface Benchmark {
  name: string;
  /** Whether it needs the local stack (started once for all that do). */
  needsStack?: boolean;
  run(options: BenchOptions): Promise<Figure[]>;
}

/** A goal `≥ x` / `≤ x` checked against a ratio. */
export function atLeast(
  ratio: number,
  goal: number,
): Pick<Figure, "goal" | "met"> {
  return { goal: `≥ ${goal}`, met: ratio >= goal };
}
export function atMost(
  ratio: number,
  goal: number,
): Pick<Figure, "goal" | "met"> {
  return { goal: `≤ ${goal}`, met: ratio <= goal };
}

/**
 * A goal held to an estimate with its bootstrap interval (bench/stats.ts `judge`): the fields a
 * figure carries for it. `on` says whether the interval is the ratio's or the value's.
 */
export function judged(
  estimate: number,
  interval: Interval,
  rounds: number,
  goal: Goal,
  on: "ratio" | "value" = "ratio",
): Pick<
  Figure,
  | "goal"
  | "met"
  | "undecided"
  | "interval"
  | "ratioInterval"
  | "rounds"
  | "roundsToDecide"
> {
  const { verdict, roundsToDecide } = judge(estimate, interval, rounds, goal);
  return {
    goal: `${goal.op} ${goal.target}`,
    met: verdict === "met",
    ...(verdict === "not decided" ? { undecided: true } : {}),
    ...(on === "ratio" ? { ratioInterval: interval } : { interval }),
    rounds,
    ...(roundsToDecide === undefined ? {} : { roundsToDecide }),
  };
}

/**
 * A candidate against its baseline over paired rounds: the value and baseline printed are the
 * medians of the rounds, the ratio is exactly their quotient, with its bootstrap interval over
 * rounds; held to `goal` when there is one.
 */
export function pairedRatio(
  pairs: readonly Pair[],
  goal?: Goal,
  options?: BootstrapOptions,
): Pick<
  Figure,
  | "value"
  | "ratio"
  | "goal"
  | "met"
  | "undecided"
  | "ratioInterval"
  | "rounds"
  | "roundsToDecide"
> & { baselineValue: number } {
  const estimate = ratioOfMedians(pairs, options);
  return {
    value: estimate.value,
    baselineValue: estimate.baseline,
    ratio: estimate.ratio,
    ratioInterval: estimate.interval,
    rounds: estimate.rounds,
    ...(goal ? judged(estimate.ratio, estimate.interval, estimate.rounds, goal) : {}),
  };
}

/** The p-th percentile (0–100) of some samples, nearest-rank (bench/stats.ts). */
export const percentile = nearestRank;

export const median = (samples: readonly number[]) => percentile(samples, 50);

/** Runs `work` from `clients` concurrent clients until `total` jobs are done; returns each job's latency (ms) and the wall time. */
export async function fromClients(
  clients: number,
  total: number,
  work: (job: number, client: number) => Promise<void>,
): Promise<{ latencies: number[]; wallMs: number }> {
  let next = 0;
  const latencies: number[] = [];
  const started = performance.now();
  await Promise.all(
    Array.from({ length: clients }, async (_, client) => {
      for (let job = next++; job < total; job = next++) {
        const t0 = performance.now();
        await work(job, client);
        latencies.push(performance.now() - t0);
      }
    }),
  );
  return { latencies, wallMs: performance.now() - started };
}

let stack: Promise<void> | undefined;

/** Starts the local stack once (CENTLI_TEST_STACK then names its endpoints, as for the integration tests). */
export function useStack(): Promise<void> {
  return (stack ??= globalSetup());
}

export async function stopStack(): Promise<void> {
  if (stack) await globalTeardown();
  stack = undefined;
}
