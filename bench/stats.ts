/**
 * The statistics every verdict in bench/RESULTS.md is decided by, pure and seeded so a run can
 * be repeated:
 *
 * - `bootstrap`: a percentile bootstrap over rounds (each round one sample, or one pair of a
 *   candidate's and its baseline's figures measured back to back), with mulberry32 drawing the
 *   resamples from a fixed seed;
 * - `ratioOfMedians`: the printed value ÷ the printed baseline (medians over rounds), with its
 *   interval, resampling the rounds as pairs so a round's load lands on both sides;
 * - `judge`: the one verdict function: `met` only when the whole interval clears the goal,
 *   `missed` only when the whole interval misses it, otherwise `not decided`, with an estimate
 *   of how many rounds would decide it;
 * - `williams`: the order of the designs in each round (a balanced Latin square).
 */
import { mulberry32 } from "../local/random";

/** The median, the mean of the middle two for an even count. */
export function median(values: readonly number[]): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const half = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1
    ? (sorted[half] as number)
    : ((sorted[half - 1] as number) + (sorted[half] as number)) / 2;
}

/** The q-quantile (0–1) of sorted values, linearly interpolated (type 7, as R and NumPy default). */
export function quantile(sorted: readonly number[], q: number): number {
  if (sorted.length === 0) return Number.NaN;
  const at = (sorted.length - 1) * q;
  const low = Math.floor(at);
  const high = Math.ceil(at);
  const a = sorted[low] as number;
  const b = sorted[high] as number;
  return a + (b - a) * (at - low);
}

export interface Interval {
  /** What it is, as printed: "bootstrap 95%". */
  name: string;
  low: number;
  high: number;
}

export interface BootstrapOptions {
  /** Resamples drawn; 2,000 by default. */
  resamples?: number;
  /** The PRNG's seed; the same seed and samples give the same interval. */
  seed?: number;
  /** The interval's coverage; 0.95 by default. */
  level?: number;
}

/**
 * A percentile bootstrap interval of `statistic` over `samples` (rounds): resample the rounds
 * with replacement, compute the statistic of each resample, and take the (1 − level)/2 and
 * (1 + level)/2 quantiles of those. Non-finite resampled statistics (a zero baseline) are
 * dropped.
 */
export function bootstrap<T>(
  samples: readonly T[],
  statistic: (resample: readonly T[]) => number,
  options: BootstrapOptions = {},
): Interval {
  const level = options.level ?? 0.95;
  const name = `bootstrap ${Math.round(level * 100)}%`;
  if (samples.length === 0) return { name, low: Number.NaN, high: Number.NaN };
  const random = mulberry32(options.seed ?? 20_261_206);
  const resamples = options.resamples ?? 2_000;
  const values: number[] = [];
  const resample: T[] = new Array<T>(samples.length);
  for (let r = 0; r < resamples; r++) {
    for (let i = 0; i < samples.length; i++)
      resample[i] = samples[Math.floor(random() * samples.length)] as T;
    const value = statistic(resample);
    if (Number.isFinite(value)) values.push(value);
  }
  values.sort((a, b) => a - b);
  return {
    name,
    low: quantile(values, (1 - level) / 2),
    high: quantile(values, (1 + level) / 2),
  };
}

/** One round's figure for a candidate and its baseline, measured back to back. */
export interface Pair {
  candidate: number;
  baseline: number;
}

export interface RatioEstimate {
  /** The median of the candidate's rounds: the printed value. */
  value: number;
  /** The median of the baseline's rounds: the printed baseline. */
  baseline: number;
  /** value ÷ baseline, exactly the quotient of the two printed figures. */
  ratio: number;
  interval: Interval;
  rounds: number;
}

/**
 * The ratio of the candidate's median to the baseline's, with a bootstrap interval that
 * resamples whole rounds (a round's pair stays together).
 */
export function ratioOfMedians(
  pairs: readonly Pair[],
  options: BootstrapOptions = {},
): RatioEstimate {
  const value = median(pairs.map((p) => p.candidate));
  const baseline = median(pairs.map((p) => p.baseline));
  const interval = bootstrap(
    pairs,
    (r) =>
      median(r.map((p) => p.candidate)) / median(r.map((p) => p.baseline)),
    options,
  );
  return { value, baseline, ratio: value / baseline, interval, rounds: pairs.length };
}

export interface DifferenceEstimate {
  /** The median of the rounds' differences (candidate − baseline). */
  value: number;
  interval: Interval;
  rounds: number;
}

/** The median of the rounds' differences (candidate − baseline), with its bootstrap interval. */
export function medianDifference(
  pairs: readonly Pair[],
  options: BootstrapOptions = {},
): DifferenceEstimate {
  const differences = pairs.map((p) => p.candidate - p.baseline);
  return {
    value: median(differences),
    interval: bootstrap(differences, median, options),
    rounds: pairs.length,
  };
}

/** A goal a figure is held to: at least or at most `target`. */
export interface Goal {
  op: "≥" | "≤";
  target: number;
}

export type Verdict = "met" | "missed" | "not decided";

export interface Judgement {
  verdict: Verdict;
  /**
   * For `not decided`: about how many rounds would decide it, if the estimate stayed where it
   * is and the interval narrowed as 1/√rounds; undefined when the estimate sits on the goal
   * (no number of rounds decides that).
   */
  roundsToDecide?: number;
}

/**
 * The verdict: `met` only when the whole interval clears the goal, `missed` only when the whole
 * interval misses it, and otherwise `not decided`. A goal on the interval's edge counts as met
 * (≥ and ≤ include it).
 */
export function judge(
  estimate: number,
  interval: Pick<Interval, "low" | "high">,
  rounds: number,
  goal: Goal,
): Judgement {
  const { low, high } = interval;
  const clears = goal.op === "≥" ? low >= goal.target : high <= goal.target;
  const misses = goal.op === "≥" ? high < goal.target : low > goal.target;
  if (clears) return { verdict: "met" };
  if (misses) return { verdict: "missed" };
  // The half of the interval on the goal's side must shrink to the estimate's distance from it.
  const distance = Math.abs(estimate - goal.target);
  const half = estimate >= goal.target ? estimate - low : high - estimate;
  if (!(distance > 0) || !(half > 0) || !Number.isFinite(half))
    return { verdict: "not decided" };
  return {
    verdict: "not decided",
    roundsToDecide: Math.ceil(rounds * (half / distance) ** 2),
  };
}

/**
 * A balanced Latin square of orders for `n` designs (Williams' design): over n rounds (even n)
 * every design runs in every position once and right after each other design once, so what a
 * round leaves behind (garbage to collect, a warm cache) is spread evenly. Row r is the first
 * row 0, 1, n−1, 2, n−2, … shifted by r.
 */
export function williams(n: number): number[][] {
  const first: number[] = [];
  for (let i = 0, low = 1, high = n - 1; i < n; i++) {
    if (i === 0) first.push(0);
    else if (i % 2 === 1) first.push(low++);
    else first.push(high--);
  }
  return Array.from({ length: n }, (_, r) => first.map((d) => (d + r) % n));
}

/** One round's samples of a candidate and its baseline (latencies, say), measured together. */
export interface RoundSamples {
  candidate: readonly number[];
  baseline: readonly number[];
}

/** The p-th percentile (0–100) of some samples, nearest-rank: the one every benchmark prints (bench/harness.ts `percentile`). */
export function nearestRank(samples: readonly number[], p: number): number {
  if (samples.length === 0) return Number.NaN;
  const sorted = [...samples].sort((a, b) => a - b);
  const rank = Math.min(
    sorted.length - 1,
    Math.max(0, Math.ceil((p / 100) * sorted.length) - 1),
  );
  return sorted[rank] as number;
}

/**
 * A percentile of the candidate's samples over the same percentile of the baseline's, every
 * round's samples pooled: value and baseline are what is printed, the ratio exactly their
 * quotient, and the interval resamples whole rounds (samples within a round share its load, so
 * they are not independent; rounds are).
 */
export function pooledPercentileRatio(
  rounds: readonly RoundSamples[],
  p: number,
  options: BootstrapOptions = {},
): RatioEstimate {
  const of = (rs: readonly RoundSamples[], side: keyof RoundSamples) =>
    nearestRank(
      rs.flatMap((r) => r[side]),
      p,
    );
  const value = of(rounds, "candidate");
  const baseline = of(rounds, "baseline");
  const interval = bootstrap(
    rounds,
    (r) => of(r, "candidate") / of(r, "baseline"),
    options,
  );
  return { value, baseline, ratio: value / baseline, interval, rounds: rounds.length };
}
