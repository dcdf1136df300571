/**
 * Cold start: every function of every service bundled as `sls package` bundles it
 * (serverless-esbuild with the esbuild options each serverless.yml takes from
 * serverless.common.yml, bench/bundling.ts), and for each one:
 * - its package's size, unzipped (the bundle and its source map) and zipped, and the largest
 *   inputs of the bundle with the import chain that brought each in (esbuild's metafile);
 * - the time to `require` it in a fresh Node 22 process with the function's environment (its
 *   NODE_OPTIONS included), median of several processes, against a hello-world handler built
 *   and required the same way in the same rounds.
 * Goals: each function under 50 ms above hello-world, and under 1 MB (1,000 kB) unzipped.
 *
 * Then the alternatives (minification, source maps external, inline, without sources or none,
 * tree shaking, packages' ES module builds, the AWS SDK left to the Lambda runtime), each on
 * the largest function of every service and its own hello-world, required in the same rounds
 * as the configuration as it is, so each is a ratio against it. The figures of the
 * configuration as it is follow serverless.common.yml: change it, and they change.
 *
 * `--quick`: one function, the configuration and one alternative, two rounds.
 * Bundles go to a temporary directory, removed afterwards.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  bundleFunctions,
  HELLO_WORLD,
  lambdaEnvironment,
  referenceHandler,
  SDK_FLOOR,
  requireOnce,
  serviceFunctions,
  type Bundle,
  type BundledFunction,
} from "./bundling";
import { median, type Benchmark, type Figure } from "./harness";

const SECTION = "Cold start";
/** 1 MB, as the goal says it: 1,000 kB. */
const MAX_UNZIPPED = 1_000_000;
const MAX_ABOVE_HELLO_MS = 50;

interface Variant {
  name: string;
  /** esbuild options over each service's configuration (serverless-esbuild's keys: exclude…). */
  esbuild: Record<string, unknown>;
  /** Changes to the function's environment. */
  env?: (env: Record<string, string>) => Record<string, string>;
}

const RUNTIME_SDK = { exclude: ["@aws-sdk/*"] };
const withoutSourceMapFlag = (env: Record<string, string>) => {
  const options = (env.NODE_OPTIONS ?? "")
    .split(/\s+/)
    .filter((o) => o && o !== "--enable-source-maps")
    .join(" ");
  const { NODE_OPTIONS: _dropped, ...rest } = env;
  return options ? { ...rest, NODE_OPTIONS: options } : rest;
};

/**
 * The alternatives, each one change or one combination over the configuration as it is
 * (serverless.common.yml: minified, the packages' ES module builds first, an external source map
 * without sourcesContent, the AWS SDK bundled). The first is the configuration before the
 * benchmark chose it, so the choice stays measured.
 */
const COMMONJS_FIRST = { mainFields: ["main", "module"] };
const WITH_SOURCES = { sourcesContent: true };
export const ALTERNATIVES: Variant[] = [
  {
    name: "as before: unminified, CommonJS builds first, source map with sources",
    esbuild: { minify: false, ...COMMONJS_FIRST, ...WITH_SOURCES },
  },
  { name: "unminified", esbuild: { minify: false } },
  { name: "CommonJS builds first (mainFields main, module)", esbuild: COMMONJS_FIRST },
  { name: "source map with sourcesContent", esbuild: WITH_SOURCES },
  { name: "no --enable-source-maps", esbuild: {}, env: withoutSourceMapFlag },
  { name: "no source map", esbuild: { sourcemap: false }, env: withoutSourceMapFlag },
  { name: "inline source map", esbuild: { sourcemap: "inline" } },
  { name: "tree shaking off", esbuild: { treeShaking: false } },
  { name: "@aws-sdk/* left to the Lambda runtime (exclude)", esbuild: RUNTIME_SDK },
  {
    name: "no source map, @aws-sdk/* left to the Lambda runtime",
    esbuild: { sourcemap: false, ...RUNTIME_SDK },
    env: withoutSourceMapFlag,
  },
];

interface Measured {
  bundle: Bundle;
  env: NodeJS.ProcessEnv;
  times: number[];
}

const kB = (bytes: number) => bytes / 1000;
const fmt = (n: number) => Math.round(n).toLocaleString("en-US");

/** Require times, in rounds: every bundle once per round, so a slow moment of the machine hits all alike. */
function measureRounds(items: Measured[], rounds: number): void {
  // A first, unrecorded require of each: the file is then in the page cache for every round.
  for (const item of items) requireOnce(item.bundle.js, item.env);
  for (let round = 0; round < rounds; round++)
    for (const item of items)
      item.times.push(requireOnce(item.bundle.js, item.env));
}

function environmentOf(
  bundle: Bundle,
  variant: Variant | undefined,
): NodeJS.ProcessEnv {
  const env = lambdaEnvironment(bundle.fn, bundle.js) as Record<string, string>;
  return variant?.env ? variant.env(env) : env;
}

function whatIsIn(bundle: Bundle, top = 4): string {
  return bundle.inputs
    .slice(0, top)
    .map(
      (input) =>
        `${input.name} ${fmt(kB(input.bytes))} kB (${input.via.join(" → ")})`,
    )
    .join("; ");
}

/** A variant's bundles, with its own hello-world and SDK floor built the same way. */
interface Built {
  variant: Variant | undefined;
  hello: Measured;
  floor: Measured;
  bundles: Measured[];
}

async function buildVariant(
  functions: readonly BundledFunction[],
  dir: string,
  like: BundledFunction,
  variant: Variant | undefined,
): Promise<Built> {
  const overrides = variant?.esbuild ?? {};
  const measured = (bundle: Bundle): Measured => ({
    bundle,
    env: environmentOf(bundle, variant),
    times: [],
  });
  const bundles = await bundleFunctions(functions, dir, overrides);
  return {
    variant,
    hello: measured(
      await referenceHandler(dir, "hello-world", HELLO_WORLD, like, overrides),
    ),
    floor: measured(
      await referenceHandler(dir, "sdk-floor", SDK_FLOOR, like, overrides),
    ),
    bundles: bundles.map(measured),
  };
}

const middle = (items: readonly Measured[]) =>
  median(items.map((m) => median(m.times)));

export const coldStart: Benchmark = {
  name: "cold-start",
  async run({ quick, log }) {
    const rounds = quick ? 2 : 5;
    const all = serviceFunctions();
    const functions = quick
      ? all.filter((fn) => fn.id === "marketplace/catalog")
      : all;
    const alternatives = quick ? ALTERNATIVES.slice(0, 1) : ALTERNATIVES;
    const like = functions[0] as BundledFunction;
    const out = mkdtempSync(join(tmpdir(), "centli-cold-start-"));
    try {
      log(
        `bundling ${functions.length} functions of ${new Set(functions.map((f) => f.service)).size} services as configured`,
      );
      const configured = await buildVariant(
        functions,
        join(out, "configured"),
        like,
        undefined,
      );

      // The alternatives, on the largest function of every service.
      const largest = new Map<string, Bundle>();
      for (const { bundle } of configured.bundles) {
        const seen = largest.get(bundle.fn.service);
        if (!seen || bundle.unzippedBytes > seen.unzippedBytes)
          largest.set(bundle.fn.service, bundle);
      }
      const sample = [...largest.values()].map((b) => b.fn);
      const variants: Built[] = [];
      for (const [i, variant] of alternatives.entries()) {
        log(`bundling ${sample.length} function(s) for «${variant.name}»`);
        variants.push(
          await buildVariant(
            sample,
            join(out, `alternative-${i}`),
            like,
            variant,
          ),
        );
      }

      const everything = [configured, ...variants].flatMap((v) => [
        v.hello,
        v.floor,
        ...v.bundles,
      ]);
      log(
        `requiring ${everything.length} bundles, ${rounds} rounds, each in a fresh Node 22 process`,
      );
      measureRounds(everything, rounds);

      const helloMs = median(configured.hello.times);
      const floorMs = median(configured.floor.times);
      const figures: Figure[] = [];
      log(
        `hello-world: ${helloMs.toFixed(1)} ms, ${fmt(kB(configured.hello.bundle.unzippedBytes))} kB; SDK floor: ${floorMs.toFixed(1)} ms, ${fmt(kB(configured.floor.bundle.unzippedBytes))} kB`,
      );
      figures.push({
        section: SECTION,
        name: `reference: a handler importing only the DynamoDB, DynamoDB document and EventBridge clients (median of ${rounds})`,
        value: floorMs,
        unit: "ms",
        baseline: { name: "hello-world, built the same way", value: helloMs },
        ratio: floorMs / helloMs,
        note: `What every bus handler pays for the AWS SDK before its own code: ${(floorMs - helloMs).toFixed(0)} ms above hello-world, ${fmt(kB(configured.floor.bundle.unzippedBytes))} kB unzipped. Largest inputs: ${whatIsIn(configured.floor.bundle, 3)}.`,
      });
      log(
        "function | require ms | above hello | bundle kB | map kB | unzipped kB | zipped kB",
      );
      for (const item of configured.bundles) {
        const { bundle } = item;
        const ms = median(item.times);
        const above = ms - helloMs;
        const mapBytes = bundle.unzippedBytes - bundle.jsBytes;
        log(
          `${bundle.fn.id} | ${ms.toFixed(1)} | ${above.toFixed(1)} | ${fmt(kB(bundle.jsBytes))} | ${fmt(kB(mapBytes))} | ${fmt(kB(bundle.unzippedBytes))} | ${fmt(kB(bundle.zippedBytes))}`,
        );
        figures.push({
          section: SECTION,
          name: `${bundle.fn.id}: require in a fresh Node 22 process (median of ${rounds})`,
          value: ms,
          unit: "ms",
          baseline: { name: "hello-world, built the same way", value: helloMs },
          ratio: ms / helloMs,
          goal: `≤ hello-world + ${MAX_ABOVE_HELLO_MS} ms`,
          met: above <= MAX_ABOVE_HELLO_MS,
          note: `${above.toFixed(0)} ms above hello-world, of which the AWS SDK clients alone take ${(floorMs - helloMs).toFixed(0)} ms.`,
        });
        figures.push({
          section: SECTION,
          name: `${bundle.fn.id}: package unzipped (bundle + source map)`,
          value: kB(bundle.unzippedBytes),
          unit: "kB",
          goal: `≤ ${fmt(kB(MAX_UNZIPPED))} kB`,
          met: bundle.unzippedBytes <= MAX_UNZIPPED,
          note: `bundle ${fmt(kB(bundle.jsBytes))} kB${mapBytes > 0 ? ` + source map ${fmt(kB(mapBytes))} kB` : ""}, zipped ${fmt(kB(bundle.zippedBytes))} kB. Largest inputs: ${whatIsIn(bundle)}.`,
        });
      }

      // Each alternative against the configuration as it is, on the same functions, in the same rounds.
      const baseItems = sample.map(
        (fn) =>
          configured.bundles.find((m) => m.bundle.fn.id === fn.id) as Measured,
      );
      const baseMiddle = middle(baseItems);
      const baseLargest = Math.max(
        ...baseItems.map((m) => m.bundle.unzippedBytes),
      );
      const ranking: Array<[number, string]> = [];
      for (const built of variants) {
        const variant = built.variant as Variant;
        const ownHello = median(built.hello.times);
        const ownFloor = median(built.floor.times);
        const typical = middle(built.bundles);
        const slowest = Math.max(
          ...built.bundles.map((m) => median(m.times) - ownHello),
        );
        const largestBytes = Math.max(
          ...built.bundles.map((m) => m.bundle.unzippedBytes),
        );
        const largestZipped = Math.max(
          ...built.bundles.map((m) => m.bundle.zippedBytes),
        );
        const largestJs = Math.max(
          ...built.bundles.map((m) => m.bundle.jsBytes),
        );
        const warnings = [
          ...new Set(built.bundles.flatMap((m) => m.bundle.warnings)),
        ];
        const fast = slowest <= MAX_ABOVE_HELLO_MS;
        const small = largestBytes <= MAX_UNZIPPED;
        ranking.push([
          typical,
          `${(typical / baseMiddle).toFixed(2)} × as configured: «${variant.name}»: median ${typical.toFixed(0)} ms, slowest ${slowest.toFixed(0)} ms above hello-world (${ownHello.toFixed(1)} ms), SDK floor ${ownFloor.toFixed(0)} ms; largest ${fmt(kB(largestBytes))} kB unzipped (bundle ${fmt(kB(largestJs))} kB), ${fmt(kB(largestZipped))} kB zipped; time goal ${fast ? "met" : "missed"}, size goal ${small ? "met" : "missed"}${warnings.length ? `; ${warnings.length} esbuild warning(s), e.g. ${warnings[0]}` : ""}`,
        ]);
        figures.push({
          section: SECTION,
          name: `alternative «${variant.name}»: require, median of the largest function of each service (${built.bundles.length})`,
          value: typical,
          unit: "ms",
          baseline: { name: "as configured", value: baseMiddle },
          ratio: typical / baseMiddle,
          goal: `slowest ≤ hello-world + ${MAX_ABOVE_HELLO_MS} ms`,
          met: slowest <= MAX_ABOVE_HELLO_MS,
          note: `slowest ${slowest.toFixed(0)} ms above its hello-world (${ownHello.toFixed(1)} ms); the SDK clients alone: ${ownFloor.toFixed(0)} ms.${warnings.length ? ` esbuild warned ${warnings.length} time(s), e.g. ${warnings[0]}.` : ""}`,
        });
        figures.push({
          section: SECTION,
          name: `alternative «${variant.name}»: largest package unzipped`,
          value: kB(largestBytes),
          unit: "kB",
          baseline: { name: "as configured", value: kB(baseLargest) },
          ratio: largestBytes / baseLargest,
          goal: `≤ ${fmt(kB(MAX_UNZIPPED))} kB`,
          met: largestBytes <= MAX_UNZIPPED,
          note: `largest bundle ${fmt(kB(largestJs))} kB, largest zip ${fmt(kB(largestZipped))} kB.`,
        });
      }
      log(
        "alternatives, fastest first (median require against as configured):",
      );
      for (const [, line] of ranking.sort((a, b) => a[0] - b[0])) log(line);
      return figures;
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  },
};
