import { drawLatency, latencyAt, latencySampler, RECORDED } from '../../../bench/bedrock-latency';
import { quantile } from '../../../bench/stats';

describe('the recorded Bedrock latency', () => {
  it.each([
    [0.25, 1.1732318922877312],
    [0.5, 1.2193979024887085],
    [0.75, 1.273735634982586],
    [0.9, 1.5114243939518928],
    [0.95, 1.899415288865566],
    [0.99, 2.174612186104059],
  ])('gives back the recorded p%s (in seconds in the source) exactly, in ms', (p, seconds) => {
    expect(latencyAt(RECORDED, p)).toBeCloseTo(seconds * 1000, 6);
  });

  it('stays between the recorded minimum and maximum, and reads straight between two recorded points', () => {
    expect(latencyAt(RECORDED, 0)).toBeCloseTo(1129.8867650330067, 6);
    expect(latencyAt(RECORDED, 1)).toBeCloseTo(2199.0757696330547, 6);
    expect(latencyAt(RECORDED, -1)).toBe(latencyAt(RECORDED, 0));
    expect(latencyAt(RECORDED, 2)).toBe(latencyAt(RECORDED, 1));
    expect(latencyAt(RECORDED, 0.375)).toBeCloseTo((1173.2318922877312 + 1219.3979024887085) / 2, 6);
  });

  it('draws a sample whose percentiles are the recorded ones', () => {
    // Prepare
    const sorted = drawLatency(RECORDED, 20_000).sort((a, b) => a - b);

    // Assess: the share of draws at or under each recorded percentile is that percentile, within
    // 0.015 (five standard errors of a share of 20,000 draws at worst).
    for (const [p, seconds] of RECORDED.quantiles.filter(([q]) => q > 0 && q < 1)) {
      const under = sorted.filter((ms) => ms <= seconds * 1000).length / sorted.length;
      expect(Math.abs(under - p)).toBeLessThan(0.015);
    }
    expect(quantile(sorted, 0.5)).toBeGreaterThan(1173.2318922877312);
    expect(quantile(sorted, 0.5)).toBeLessThan(1273.735634982586);
    expect(sorted[0]).toBeGreaterThanOrEqual(1129.8867650330067 - 1e-9);
    expect(sorted.at(-1)).toBeLessThanOrEqual(2199.0757696330547 + 1e-9);
  });

  it('repeats a run from its seed', () => {
    const a = latencySampler(RECORDED, 7);
    const b = latencySampler(RECORDED, 7);
    expect([a(), a(), a()]).toEqual([b(), b(), b()]);
    expect(drawLatency(RECORDED, 3, 8)).not.toEqual(drawLatency(RECORDED, 3, 7));
  });
});
