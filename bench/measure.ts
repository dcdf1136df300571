/**
 * A tiny harness: runs a candidate and its baseline interleaved, several rounds each, in the
 * same process, and reports the ratio of their median rates with its bootstrap interval over the
 * rounds (bench/stats.ts). Ratios, not absolute times, are
 * what the benchmarks claim: this machine's speed varies, the ratio much less.
 */
import { judged, type Figure } from "./harness";
import { ratioOfMedians, type Interval, type Pair } from "./stats";

export interface Comparison {
  name: string;
  baselineName: string;
  candidateName: string;
  baselineOpsPerSec: number;
  candidateOpsPerSec: number;
  /** Candidate rate / baseline rate (the medians' quotient): > 1 means the candidate is faster. */
  ratio: number;
  /** The ratio's bootstrap 95% interval over the rounds (each round's two rates a pair). */
  interval: Interval;
  rounds: number;
}

function rate(fn: () => void, minMs: number): number {
  let ops = 0;
  const start = process.hrtime.bigint();
  let elapsed = 0;
  while (elapsed < minMs) {
    for (let i = 0; i < 10; i++) fn();
    ops += 10;
    elapsed = Number(process.hrtime.bigint() - start) / 1e6;
  }
  return (ops / elapsed) * 1000;
}

export function compare(
  name: string,
  baseline: [string, () => void],
  candidate: [string, () => void],
  rounds = 7,
  minMs = 150,
): Comparison {
  // Warm both up before measuring.
  rate(baseline[1], 50);
  rate(candidate[1], 50);
  const pairs: Pair[] = [];
  for (let i = 0; i < rounds; i++) {
    // Alternate which goes first, so neither always runs on the other's leftovers.
    if (i % 2 === 0) {
      const b = rate(baseline[1], minMs);
      pairs.push({ baseline: b, candidate: rate(candidate[1], minMs) });
    } else {
      const c = rate(candidate[1], minMs);
      pairs.push({ baseline: rate(baseline[1], minMs), candidate: c });
    }
  }
  const estimate = ratioOfMedians(pairs);
  return {
    name,
    baselineName: baseline[0],
    candidateName: candidate[0],
    baselineOpsPerSec: estimate.baseline,
    candidateOpsPerSec: estimate.value,
    ratio: estimate.ratio,
    interval: estimate.interval,
    rounds: estimate.rounds,
  };
}

/** A comparison as a figure: the candidate's rate, the baseline's, their ratio, held to `goal` (a ratio at least). */
export function figureOf(
  result: Comparison,
  section: string,
  goal?: number,
): Figure {
  return {
    section,
    name: `${result.name}: ${result.candidateName}`,
    value: result.candidateOpsPerSec,
    unit: "ops/s",
    baseline: { name: result.baselineName, value: result.baselineOpsPerSec },
    ratio: result.ratio,
    ratioInterval: result.interval,
    rounds: result.rounds,
    ...(goal === undefined
      ? {}
      : judged(result.ratio, result.interval, result.rounds, {
          op: "≥",
          target: goal,
        })),
  };
}
