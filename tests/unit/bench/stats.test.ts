/**
 * The statistics the benchmarks’ verdicts are decided by (bench/stats.ts), checked against
 * cases whose answers are known by hand or by theory.
 */
import { mulberry32 } from '../../../local/random';
import { bootstrap, judge, median, medianDifference, pooledPercentileRatio, quantile, ratioOfMedians, williams, type Pair } from '../../../bench/stats';

describe('median and quantile', () => {
  it('take the middle value, or the mean of the middle two', () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(median([])).toBeNaN();
  });

  it('interpolates between ranks as R’s default (type 7) does', () => {
    const sorted = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10];
    expect(quantile(sorted, 0)).toBe(1);
    expect(quantile(sorted, 1)).toBe(10);
    expect(quantile(sorted, 0.5)).toBe(5.5);
    expect(quantile(sorted, 0.25)).toBeCloseTo(3.25, 10);
  });
});

describe('bootstrap', () => {
  it('gives a point interval for samples that never vary', () => {
    const interval = bootstrap([7, 7, 7, 7], median);
    expect(interval).toEqual({ name: 'bootstrap 95%', low: 7, high: 7 });
  });

  it('spans exactly the two values of a two-round median (resamples give 1, 1.5 or 2)', () => {
    const interval = bootstrap([1, 2], median);
    expect(interval.low).toBe(1);
    expect(interval.high).toBe(2);
  });

  it('is reproducible: the same seed gives the same interval, another seed another', () => {
    const random = mulberry32(1);
    const samples = Array.from({ length: 12 }, () => random());
    // The mean, whose resamples take many values (a median’s land on the samples themselves).
    const mean = (xs: readonly number[]) => xs.reduce((s, x) => s + x, 0) / xs.length;
    const a = bootstrap(samples, mean, { seed: 42 });
    const b = bootstrap(samples, mean, { seed: 42 });
    const c = bootstrap(samples, mean, { seed: 43 });
    expect(a).toEqual(b);
    expect([c.low, c.high]).not.toEqual([a.low, a.high]);
  });

  it('matches the normal theory for a mean: about mean ± 1.96 σ/√n', () => {
    const random = mulberry32(7);
    // Uniform on [0, 1): σ = 1/√12.
    const n = 400;
    const samples = Array.from({ length: n }, () => random());
    const mean = (xs: readonly number[]) => xs.reduce((s, x) => s + x, 0) / xs.length;
    const interval = bootstrap(samples, mean, { resamples: 4_000 });
    const halfWidth = (1.96 * (1 / Math.sqrt(12))) / Math.sqrt(n);
    expect((interval.high - interval.low) / 2).toBeGreaterThan(halfWidth * 0.85);
    expect((interval.high - interval.low) / 2).toBeLessThan(halfWidth * 1.15);
    expect(interval.low).toBeLessThan(mean(samples));
    expect(interval.high).toBeGreaterThan(mean(samples));
  });

  it('names its coverage', () => {
    expect(bootstrap([1, 2, 3], median, { level: 0.9 }).name).toBe('bootstrap 90%');
  });
});

describe('ratioOfMedians', () => {
  it('prints a ratio that is exactly the printed value over the printed baseline', () => {
    // The case: per-round ratios whose median differs from the ratio of the medians.
    const pairs: Pair[] = [
      { candidate: 110, baseline: 124 },
      { candidate: 100, baseline: 90 },
      { candidate: 120, baseline: 140 },
      { candidate: 95, baseline: 96 },
      { candidate: 130, baseline: 128 },
    ];
    const estimate = ratioOfMedians(pairs);
    expect(estimate.value).toBe(110);
    expect(estimate.baseline).toBe(124);
    expect(estimate.ratio).toBe(110 / 124);
    expect(estimate.rounds).toBe(5);
    expect(estimate.interval.low).toBeLessThanOrEqual(estimate.ratio);
    expect(estimate.interval.high).toBeGreaterThanOrEqual(estimate.ratio);
  });

  it('gives a point interval when the candidate is always twice its baseline', () => {
    const pairs = [10, 20, 13, 40].map((b) => ({ candidate: 2 * b, baseline: b }));
    const estimate = ratioOfMedians(pairs);
    expect(estimate.ratio).toBe(2);
    expect(estimate.interval.low).toBeCloseTo(2, 12);
    expect(estimate.interval.high).toBeCloseTo(2, 12);
  });
});

describe('medianDifference', () => {
  it('is the median of the rounds’ differences, with an interval around it', () => {
    const pairs = [5, 6, 7, 8, 9].map((d, i) => ({ candidate: 100 + i + d, baseline: 100 + i }));
    const estimate = medianDifference(pairs);
    expect(estimate.value).toBe(7);
    expect(estimate.interval.low).toBeGreaterThanOrEqual(5);
    expect(estimate.interval.high).toBeLessThanOrEqual(9);
    expect(estimate.rounds).toBe(5);
  });
});

describe('judge', () => {
  const atLeast = { op: '≥', target: 0.95 } as const;
  const atMost = { op: '≤', target: 1.2 } as const;

  it('says met only when the whole interval clears the goal', () => {
    expect(judge(1.02, { low: 0.96, high: 1.08 }, 12, atLeast)).toEqual({ verdict: 'met' });
    expect(judge(1.1, { low: 1.0, high: 1.2 }, 12, atMost)).toEqual({ verdict: 'met' });
    expect(judge(1, { low: 0.95, high: 1.05 }, 12, atLeast).verdict).toBe('met');
  });

  it('says missed only when the whole interval misses it', () => {
    expect(judge(0.8, { low: 0.7, high: 0.9 }, 12, atLeast)).toEqual({ verdict: 'missed' });
    expect(judge(1.5, { low: 1.3, high: 1.7 }, 12, atMost)).toEqual({ verdict: 'missed' });
  });

  it('says not decided when the interval straddles the goal, with the rounds that would decide it', () => {
    // Half-width on the goal’s side 0.1, distance 0.05: the interval must halve, 4× the rounds.
    expect(judge(1.0, { low: 0.9, high: 1.1 }, 10, atLeast)).toEqual({ verdict: 'not decided', roundsToDecide: 40 });
    // Below the goal the upper half counts: 0.05 above 0.92, distance 0.03 → (5/3)² × 12 = 33.3.
    expect(judge(0.92, { low: 0.8, high: 0.97 }, 12, atLeast)).toEqual({ verdict: 'not decided', roundsToDecide: 34 });
  });

  it('gives no number of rounds when the estimate sits on the goal', () => {
    expect(judge(0.95, { low: 0.9, high: 1.0 }, 12, atLeast)).toEqual({ verdict: 'not decided' });
  });
});

describe('williams', () => {
  for (const n of [4, 6]) {
    it(`orders ${n} designs so each runs in every position once and after each other once`, () => {
      const square = williams(n);
      expect(square).toHaveLength(n);
      for (let position = 0; position < n; position++) expect(new Set(square.map((row) => row[position])).size).toBe(n);
      for (const row of square) expect(new Set(row).size).toBe(n);
      const follows = new Set(square.flatMap((row) => row.slice(1).map((d, i) => `${row[i]}>${d}`)));
      expect(follows.size).toBe(n * (n - 1));
    });
  }

  it('gives the order the money path used for its four designs', () => {
    expect(williams(4)).toEqual([
      [0, 1, 3, 2],
      [1, 2, 0, 3],
      [2, 3, 1, 0],
      [3, 0, 2, 1],
    ]);
  });
});

describe('pooledPercentileRatio', () => {
  it('pools the rounds’ samples for the printed figures and resamples whole rounds for the interval', () => {
    const rounds = [
      { candidate: [10, 12, 14], baseline: [5, 6, 7] },
      { candidate: [20, 22, 24], baseline: [10, 11, 12] },
    ];
    const estimate = pooledPercentileRatio(rounds, 50);
    expect(estimate.value).toBe(14);
    expect(estimate.baseline).toBe(7);
    expect(estimate.ratio).toBe(2);
    expect(estimate.rounds).toBe(2);
    // Each round on its own, or both pooled, gives exactly 2.
    expect(estimate.interval.low).toBe(2);
    expect(estimate.interval.high).toBe(2);
  });

  it('widens when the rounds disagree', () => {
    const rounds = [
      { candidate: [10, 10], baseline: [10, 10] },
      { candidate: [30, 30], baseline: [10, 10] },
    ];
    const estimate = pooledPercentileRatio(rounds, 50);
    expect(estimate.interval.low).toBe(1);
    expect(estimate.interval.high).toBe(3);
  });
});
