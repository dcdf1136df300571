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

/** The p-th percentile (0–100) of some samples, nearest-rank. */
export function percentile(samples: readonly number[], p: number): number {
  if (samples.length === 0) return Number.NaN;
  const sorted = [...samples].sort((a, b) => a - b);
  const rank = Math.min(
    sorted.length - 1,
    Math.max(0, Math.ceil((p / 100) * sorted.length) - 1),
  );
  return sorted[rank] as number;
}

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
