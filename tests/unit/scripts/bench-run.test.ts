/**
 * `npm run bench -- --only …` at full size rewrites only its sections of bench/RESULTS.md, and
 * the closing list of goals is read again off every table, so no section keeps a stale verdict
 * and none is lost.
 */
import { line, table, verdict, withSections } from '../../../bench/run';

const previous = [
  '# Benchmark results',
  '',
  'Written by `npm run bench` on 2026-11-26: 2 cores (AMD EPYC), 24 GiB, Node v22.23.3.',
  'Every ratio compares two things measured side by side in the same run.',
  '',
  '## In process',
  '',
  '| figure | value | baseline (same run) | ratio | goal | |',
  '| --- | --- | --- | --- | --- | --- |',
  '| kept figure | 1 ms |  |  | ≤ 2 | met |',
  '',
  '## Cold start',
  '',
  '| figure | value | baseline (same run) | ratio | goal | |',
  '| --- | --- | --- | --- | --- | --- |',
  '| old cold start | 200 ms |  |  | ≤ +50 ms | **missed** |',
  '',
  'Missed: old cold start. Each says why above.',
  '',
].join('\n');

describe('withSections', () => {
  const started = new Date('2026-12-06T21:00:00Z');

  it('replaces the sections it measured, keeps the others, and recomputes the closing list', () => {
    const text = withSections(
      previous,
      [
        { section: 'Cold start', name: 'new cold start', value: 40, unit: 'ms', goal: '≤ +50 ms, whole IQR', met: false, undecided: true, interval: { name: 'IQR', low: 30, high: 60 } },
        { section: 'Cold start', name: 'new size', value: 900, unit: 'kB', goal: '≤ 1,000 kB', met: true },
      ],
      'npm run bench -- --only cold-start',
      started,
    );
    expect(text).toContain('| kept figure | 1 ms |');
    expect(text).not.toContain('old cold start');
    expect(text).toContain('| new cold start | 40 ms (IQR 30 to 60) |');
    expect(text).toContain('Sections «Cold start» rewritten by `npm run bench -- --only cold-start` on 2026-12-06');
    expect(text.trimEnd().split('\n').at(-1)).toBe('Not decided (the interval straddles the goal): new cold start.');
  });

  it('keeps a run’s line while a section it wrote is still its own, and drops it once every one has been rewritten since', () => {
    // Prepare: two partial runs after the full one, each rewriting one of the two sections.
    const figure = (section: string) => [{ section, name: `${section} figure`, value: 1, unit: 'ms' }];
    const once = withSections(previous, figure('Cold start'), 'npm run bench -- --only cold-start', started);
    // Act
    const twice = withSections(once, figure('In process'), 'npm run bench -- --only validation', started);
    // Assess: after the first, the full run still wrote «In process»; after the second, it wrote nothing left.
    expect(once).toContain('Written by `npm run bench` on 2026-11-26');
    expect(twice).not.toContain('Written by `npm run bench` on 2026-11-26');
    expect(twice).toContain('Sections «Cold start» rewritten by `npm run bench -- --only cold-start`');
    expect(twice).toContain('Sections «In process» rewritten by `npm run bench -- --only validation`');
  });

  it('drops an earlier partial run’s line once later runs have rewritten all it named', () => {
    const figures = [
      { section: 'Cold start', name: 'a', value: 1, unit: 'ms' },
      { section: 'In process', name: 'b', value: 1, unit: 'ms' },
    ];
    const both = withSections(previous, figures, 'npm run bench -- --only both', started);
    const first = withSections(both, [figures[0]!], 'npm run bench -- --only cold-start', started);
    const second = withSections(first, [figures[1]!], 'npm run bench -- --only validation', started);
    expect(first).toContain('rewritten by `npm run bench -- --only both`');
    expect(second).not.toContain('rewritten by `npm run bench -- --only both`');
  });

  it('appends a section the file did not have, and says every goal was met when none is left open', () => {
    const text = withSections(previous.replace('**missed**', 'met').replace('Missed: old cold start. Each says why above.\n', ''), [{ section: 'New', name: 'fresh', value: 1, unit: 'ms', goal: '≤ 2', met: true }], 'npm run bench -- --only new', started);
    expect(text).toContain('## Cold start');
    expect(text).toContain('## New');
    expect(text.trimEnd().split('\n').at(-1)).toBe('Every goal was met.');
  });
});

describe('the verdict as printed', () => {
  const ratio = {
    section: 'Money path',
    name: 'throughput',
    value: 110,
    unit: 'transfers/s',
    baseline: { name: 'bare', value: 124 },
    ratio: 110 / 124,
    ratioInterval: { name: 'bootstrap 95%', low: 0.8, high: 1.02 },
    rounds: 12,
    goal: '≥ 0.95',
    met: false,
    undecided: true,
    roundsToDecide: 40,
  };

  it('prints value ÷ baseline with its interval and rounds, and the rounds that would decide it', () => {
    expect(line(ratio)).toBe('throughput: 110 transfers/s vs bare 124 transfers/s → ratio 0.89 (bootstrap 95% 0.80 to 1.02, 12 rounds) (goal ≥ 0.95: not decided (≈40 rounds would decide it))');
    expect(verdict({ ...ratio, met: true, undecided: false })).toBe('met');
    expect(verdict({ ...ratio, undecided: false })).toBe('**missed**');
  });

  it('lists a goal not decided in the closing list however many rounds it names', () => {
    const text = withSections(previous, [ratio], 'npm run bench -- --only transfer', new Date('2026-12-06T21:00:00Z'));
    expect(table([ratio])).toContain('| 0.89 (bootstrap 95% 0.80 to 1.02, 12 rounds) | ≥ 0.95 | not decided (≈40 rounds would decide it) |');
    expect(text.trimEnd().split('\n').at(-1)).toBe('Missed: old cold start. Each says why above. Not decided (the interval straddles the goal): throughput.');
  });
});
