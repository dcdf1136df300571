/**
 * A tiny harness: runs a candidate and its baseline interleaved, several rounds each, in the
 * same process, and reports the ratio of their median rates. Ratios, not absolute times, are
 * what the benchmarks claim: this machine's speed varies, the ratio much less.
 */
import { atLeast, type Figure } from "./harness";

export interface Comparison {
  name: string;
  baselineName: string;
  candidateName: string;
  baselineOpsPerSec: number;
  candidateOpsPerSec: number;
  /** Candidate rate / baseline rate: > 1 means the candidate is faster. */
  ratio: number;
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

const median = (values: number[]) =>
  [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] as number;

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
  const b: number[] = [];
  const c: number[] = [];
  for (let i = 0; i < rounds; i++) {
    b.push(rate(baseline[1], minMs));
    c.push(rate(candidate[1], minMs));
  }
  const baselineOpsPerSec = median(b);
  const candidateOpsPerSec = median(c);
  return {
    name,
    baselineName: baseline[0],
    candidateName: candidate[0],
    baselineOpsPerSec,
    candidateOpsPerSec,
    ratio: candidateOpsPerSec / baselineOpsPerSec,
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
    ...(goal === undefined ? {} : atLeast(result.ratio, goal)),
  };
}
