/**
 * Cold start before and after, in one run: `tsx bench/cold-start-against.ts <git-ref> [rounds]`
 * bundles every function as the ref has it (its code, serverless.yml and esbuild options, taken
 * with `git archive` into a temporary directory that shares this checkout's node_modules) and as
 * the working tree has it, and runs both in the same rounds, in an order rotated each round,
 * against one hello-world and the same HTTPS stub, as bench/cold-start.bench.ts does. It prints a
 * markdown table: each function's median above hello-world (IQR) before and after, the median of
 * the per-round differences after − before, the CPU used above hello-world's, and the bundle sizes.
 * Functions only one side has are left out. Nothing is written to bench/RESULTS.md: the two sides
 * are two commits, which that file never mixes.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { REPOSITORY_ROOT } from '../local/serverless-config';
import { bundleFunctions, HELLO_WORLD, lambdaEnvironment, NODE_22, referenceHandler, serviceFunctions, type Bundle } from './bundling';
import { coldStartOnce, firstEvent, startAwsStub, type ColdStart } from './first-invocation';
import { median, percentile } from './harness';

interface Item {
  bundle: Bundle;
  env: NodeJS.ProcessEnv;
  event: unknown;
  samples: ColdStart[];
}

const whole = (n: number) => Math.round(n).toLocaleString('en-US');
const signed = (n: number) => `${n >= 0 ? '+' : ''}${whole(n)}`;
const spread = (values: readonly number[]) => `${signed(median(values))} (${whole(percentile(values, 25))} to ${whole(percentile(values, 75))})`;

async function main(): Promise<void> {
  const ref = process.argv[2];
  const rounds = Number(process.argv[3] ?? 12);
  if (!ref || !Number.isInteger(rounds) || rounds < 1) {
    process.stderr.write('usage: tsx bench/cold-start-against.ts <git-ref> [rounds]\n');
    process.exitCode = 2;
    return;
  }
  const work = mkdtempSync(join(tmpdir(), 'centli-cold-start-against-'));
  const stub = await startAwsStub();
  try {
    const theirs = join(work, 'repository');
    execFileSync('bash', ['-c', `mkdir -p "${theirs}" && git -C "${REPOSITORY_ROOT}" archive "$0" | tar -x -C "${theirs}"`, ref]);
    symlinkSync(join(REPOSITORY_ROOT, 'node_modules'), join(theirs, 'node_modules'));
    const after = serviceFunctions();
    const beforeById = new Map(serviceFunctions(theirs).map((fn) => [fn.id, fn]));
    const both = after.filter((fn) => beforeById.has(fn.id));
    const item = (bundle: Bundle): Item => ({ bundle, env: lambdaEnvironment(bundle.fn, bundle.js, stub.env), event: firstEvent(bundle.fn.wiring).event, samples: [] });
    const hello = item(await referenceHandler(work, 'hello-world', HELLO_WORLD, both[0] as (typeof both)[number]));
    const before = (await bundleFunctions(both.map((fn) => beforeById.get(fn.id) as (typeof both)[number]), join(work, 'before'))).map(item);
    const now = (await bundleFunctions(both, join(work, 'after'))).map(item);
    const every = [hello, ...before, ...now];
    process.stderr.write(`${both.length} functions as ${ref} and as the working tree has them, ${rounds} rounds\n`);
    for (const each of every) await coldStartOnce(NODE_22, each.bundle.js, each.env, each.event);
    for (let round = 0; round < rounds; round++) {
      const shift = round % every.length;
      for (const each of [...every.slice(shift), ...every.slice(0, shift)]) each.samples.push(await coldStartOnce(NODE_22, each.bundle.js, each.env, each.event));
      process.stderr.write(`round ${round + 1} of ${rounds}\n`);
    }
    const above = (each: Item, key: 'totalMs' | 'cpuMs') => each.samples.map((s, i) => s[key] - (hello.samples[i] as ColdStart)[key]);
    const lines = [
      `| function | ${ref}: ms above hello-world, median (IQR) | working tree | after − before, per round, median (IQR) | CPU above hello-world's, before → after | kB before → after |`,
      '|---|---|---|---|---|---|',
    ];
    before.forEach((old, i) => {
      const fresh = now[i] as Item;
      const change = fresh.samples.map((s, r) => s.totalMs - (old.samples[r] as ColdStart).totalMs);
      lines.push(`| ${old.bundle.fn.id} | ${spread(above(old, 'totalMs'))} | ${spread(above(fresh, 'totalMs'))} | ${spread(change)} | ${signed(median(above(old, 'cpuMs')))} → ${signed(median(above(fresh, 'cpuMs')))} | ${whole(old.bundle.jsBytes / 1000)} → ${whole(fresh.bundle.jsBytes / 1000)} |`);
    });
    lines.push('', `hello-world: ${median(hello.samples.map((s) => s.totalMs)).toFixed(2)} ms (require + first invocation); ${rounds} rounds.`);
    process.stdout.write(`${lines.join('\n')}\n`);
  } finally {
    await stub.close();
    rmSync(work, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exitCode = 1;
});
