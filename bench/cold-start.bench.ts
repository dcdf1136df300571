/**
 * Cold start: every function of every service bundled as `sls package` bundles it
 * (serverless-esbuild with the esbuild options each serverless.yml takes from
 * serverless.common.yml, bench/bundling.ts), and for each one:
 * - its bundle's size unzipped without its source map (the goal), and with it and zipped;
 * - the time to `require` it **and run its first invocation** (I/O stubbed: its AWS SDK
 *   clients answer from a local HTTP stub, bench/first-invocation.ts) in a fresh Node 22
 *   process with the function's environment, against a hello-world handler built, required and
 *   invoked the same way in the same rounds. Every round runs every bundle once, so a slow
 *   moment of the machine hits all alike; the figure is the median of the per-round differences
 *   (function − hello-world of the same round), with their interquartile range;
 * - a CPU profile of one more such cold start, summarised by package or repository folder.
 * Goals: each function within 50 ms of hello-world, decided by the interval (met only when the
 * whole IQR is within it, missed only when the whole IQR is above it), and under 1 MB
 * (1,000 kB) unzipped without its source map.
 *
 * Four references in the same rounds, which show what is left when Centli's code is taken away:
 * a handler that only imports the SDK clients every bus handler uses; the Powertools Tracer
 * (X-Ray) around an invocation that calls nothing; one DynamoDB read and one PutEvents untraced;
 * and the same traced (the least such a function can cost with this SDK and X-Ray tracing). Each
 * function's note gives its own share: per round, its time minus the traced reference's.
 *
 * Then, on the largest function of every service and in the same rounds: the AWS SDK left to the
 * Lambda runtime (`exclude: ['@aws-sdk/*']`, resolved from NODE_PATH as the runtime's own copy
 * would be) against the SDK bundled, the configuration keeping whichever is faster; the same
 * bundles with Node reading their source maps (`NODE_OPTIONS=--enable-source-maps`) against
 * without; and the same bundles against the stub over plain HTTP rather than HTTPS (what the
 * benchmark's first version did; AWS serves HTTPS).
 *
 * `--quick`: one function, the configuration and that one alternative, two rounds.
 * Bundles go to a temporary directory, removed afterwards.
 */
import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  bundleFunctions,
  HELLO_WORLD,
  lambdaEnvironment,
  NODE_22,
  referenceHandler,
  SDK_FIRST_REQUESTS,
  SDK_FIRST_REQUESTS_UNTRACED,
  SDK_FLOOR,
  TRACER_ALONE,
  serviceFunctions,
  type Bundle,
  type BundledFunction,
} from "./bundling";
import {
  coldStartOnce,
  firstEvent,
  startAwsStub,
  summariseProfile,
  type ColdStart,
  type ProfileShare,
} from "./first-invocation";
import { median, percentile, type Benchmark, type Figure } from "./harness";

const SECTION = "Cold start";
/** 1 MB, as the goal says it: 1,000 kB, of the bundle without its source map. */
const MAX_UNZIPPED = 1_000_000;
const MAX_ABOVE_HELLO_MS = 50;
const RUNTIME_SDK = { exclude: ["@aws-sdk/*"] };
const SOURCE_MAPS = "--enable-source-maps";

interface Measured {
  bundle: Bundle;
  env: NodeJS.ProcessEnv;
  event: unknown;
  eventKind: string;
  eventValid: boolean;
  samples: ColdStart[];
}

const kB = (bytes: number) => bytes / 1000;

/** A difference in CPU, its median and IQR, and what the IQR says. */
function cpuText(d: { median: number; low: number; high: number }): string {
  const verdict =
    d.low > 0
      ? "more across the whole IQR"
      : d.high < 0
        ? "less across the whole IQR"
        : "the IQR straddles zero";
  return `${d.median >= 0 ? "+" : ""}${d.median.toFixed(1)} ms (IQR ${d.low.toFixed(1)} to ${d.high.toFixed(1)}): ${verdict}`;
}
const fmt = (n: number) => Math.round(n).toLocaleString("en-US");
const ms1 = (n: number) => n.toFixed(1);
const signedMs = (n: number) => `${n >= 0 ? "+" : ""}${ms1(n)} ms`;

/** Median and interquartile range. */
function spread(values: readonly number[]): {
  median: number;
  low: number;
  high: number;
} {
  return {
    median: median(values),
    low: percentile(values, 25),
    high: percentile(values, 75),
  };
}

/** Per round: this item's time minus its hello-world's in the same round. */
const aboveHello = (item: Measured, hello: Measured) =>
  item.samples.map(
    (s, i) => s.totalMs - (hello.samples[i] as ColdStart).totalMs,
  );

/**
 * The same bundles run another way, against how they run as configured: per round, each one's
 * cold start minus its configured twin's (wall clock and CPU), pooled over the bundles, and each
 * bundle's median difference described by `describe`.
 */
function againstConfigured(
  variant: readonly Measured[],
  configured: readonly Measured[],
  describe: (item: Measured, medianMs: number) => string,
): { wall: ReturnType<typeof spread>; cpu: ReturnType<typeof spread>; perFunction: string[] } {
  const wall: number[] = [];
  const cpu: number[] = [];
  const perFunction: string[] = [];
  for (const item of variant) {
    const base = configured.find((m) => m.bundle.fn.id === item.bundle.fn.id) as Measured;
    const diff = item.samples.map((s, i) => s.totalMs - (base.samples[i] as ColdStart).totalMs);
    wall.push(...diff);
    cpu.push(...item.samples.map((s, i) => s.cpuMs - (base.samples[i] as ColdStart).cpuMs));
    perFunction.push(describe(item, median(diff)));
  }
  return { wall: spread(wall), cpu: spread(cpu), perFunction };
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

function profileText(shares: readonly ProfileShare[], top = 7): string {
  const total = shares.reduce((sum, s) => sum + s.ms, 0);
  return `${fmt(total)} ms of CPU sampled: ${shares
    .slice(0, top)
    .map((s) => `${s.name} ${ms1(s.ms)} ms`)
    .join(", ")}`;
}

interface References {
  /** The SDK clients imported, none made. */
  floor: Measured;
  /** The Powertools Tracer around an invocation that calls nothing. */
  tracer: Measured;
  /** One DynamoDB read and one PutEvents, untraced. */
  untraced: Measured;
  /** The same, traced: the least a bus handler costs with this SDK and X-Ray. */
  firstRequests: Measured;
}

interface Built {
  hello: Measured;
  references?: References;
  bundles: Measured[];
}

async function buildVariant(
  functions: readonly BundledFunction[],
  dir: string,
  like: BundledFunction,
  stubEnv: Record<string, string>,
  overrides: Record<string, unknown>,
  withFloor: boolean,
): Promise<Built> {
  const measured = (bundle: Bundle): Measured => {
    const first = firstEvent(bundle.fn.wiring);
    return {
      bundle,
      env: lambdaEnvironment(bundle.fn, bundle.js, stubEnv),
      event: first.event,
      eventKind: first.kind,
      eventValid: first.valid,
      samples: [],
    };
  };
  const bundles = await bundleFunctions(functions, dir, overrides);
  return {
    hello: measured(
      await referenceHandler(dir, "hello-world", HELLO_WORLD, like, overrides),
    ),
    ...(withFloor
      ? {
          references: {
            floor: measured(await referenceHandler(dir, "sdk-floor", SDK_FLOOR, like, overrides)),
            tracer: measured(await referenceHandler(dir, "tracer-alone", TRACER_ALONE, like, overrides)),
            untraced: measured(await referenceHandler(dir, "sdk-first-requests-untraced", SDK_FIRST_REQUESTS_UNTRACED, like, overrides)),
            firstRequests: measured(await referenceHandler(dir, "sdk-first-requests", SDK_FIRST_REQUESTS, like, overrides)),
          },
        }
      : {}),
    bundles: bundles.map(measured),
  };
}

/** Every item once per round, the order rotated each round, after one unrecorded start of each (the page cache). */
async function measureRounds(
  items: Measured[],
  rounds: number,
  log: (line: string) => void,
): Promise<void> {
  for (const item of items)
    await coldStartOnce(NODE_22, item.bundle.js, item.env, item.event);
  for (let round = 0; round < rounds; round++) {
    const shift = round % items.length;
    const order = [...items.slice(shift), ...items.slice(0, shift)];
    for (const item of order)
      item.samples.push(
        await coldStartOnce(NODE_22, item.bundle.js, item.env, item.event),
      );
    if ((round + 1) % 5 === 0) log(`round ${round + 1} of ${rounds}`);
  }
}

export const coldStart: Benchmark = {
  name: "cold-start",
  async run({ quick, log }) {
    const rounds = quick ? 2 : 20;
    const all = serviceFunctions();
    const functions = quick
      ? all.filter((fn) => fn.id === "marketplace/catalog")
      : all;
    const like = functions[0] as BundledFunction;
    const out = mkdtempSync(join(tmpdir(), "centli-cold-start-"));
    const stub = await startAwsStub();
    const plainStub = await startAwsStub({ https: false });
    try {
      log(
        `bundling ${functions.length} functions of ${new Set(functions.map((f) => f.service)).size} services as configured`,
      );
      const configured = await buildVariant(
        functions,
        join(out, "configured"),
        like,
        stub.env,
        {},
        true,
      );
      // The runtime's SDK, on the largest function of every service.
      const largest = new Map<string, Bundle>();
      for (const { bundle } of configured.bundles) {
        const seen = largest.get(bundle.fn.service);
        if (!seen || bundle.jsBytes > seen.jsBytes)
          largest.set(bundle.fn.service, bundle);
      }
      const sample = [...largest.values()].map((b) => b.fn);
      log(
        `bundling ${sample.length} function(s) with @aws-sdk/* left to the Lambda runtime`,
      );
      const runtimeSdk = await buildVariant(
        sample,
        join(out, "runtime-sdk"),
        like,
        stub.env,
        RUNTIME_SDK,
        false,
      );
      // The same bundles with Node reading their source maps (`--enable-source-maps`).
      const withMaps: Measured[] = sample.map((fn) => {
        const base = configured.bundles.find(
          (m) => m.bundle.fn.id === fn.id,
        ) as Measured;
        return {
          ...base,
          env: { ...base.env, NODE_OPTIONS: SOURCE_MAPS },
          samples: [],
        };
      });
      // The same bundles against the stub over plain HTTP (as this benchmark first did), to show
      // what an endpoint AWS never serves would add.
      const overHttp: Measured[] = sample.map((fn) => {
        const base = configured.bundles.find(
          (m) => m.bundle.fn.id === fn.id,
        ) as Measured;
        return {
          ...base,
          env: lambdaEnvironment(base.bundle.fn, base.bundle.js, plainStub.env),
          samples: [],
        };
      });
      const everything = [
        configured.hello,
        ...Object.values(configured.references as References),
        ...configured.bundles,
        runtimeSdk.hello,
        ...runtimeSdk.bundles,
        ...withMaps,
        ...overHttp,
      ];
      log(
        `${everything.length} bundles, ${rounds} rounds: each required and invoked once per round in a fresh Node 22 process`,
      );
      await measureRounds(everything, rounds, log);

      // One profiled cold start of each function as configured.
      const profiles = new Map<string, ProfileShare[]>();
      const profileDir = join(out, "profiles");
      mkdirSync(profileDir, { recursive: true });
      for (const item of configured.bundles) {
        await coldStartOnce(
          NODE_22,
          item.bundle.js,
          item.env,
          item.event,
          profileDir,
        );
        profiles.set(
          item.bundle.fn.id,
          summariseProfile(profileDir, item.bundle.js),
        );
      }

      const hello = configured.hello;
      const helloMs = median(hello.samples.map((s) => s.totalMs));
      const figures: Figure[] = [];
      log(`hello-world: ${ms1(helloMs)} ms (require + first invocation), ${fmt(kB(hello.bundle.jsBytes))} kB`);
      const references = configured.references as References;
      const cpuAboveHello = (item: Measured) =>
        spread(item.samples.map((s, i) => s.cpuMs - (hello.samples[i] as ColdStart).cpuMs));
      const referenceFigure = (item: Measured, name: string, note: string): Figure => {
        const above = spread(aboveHello(item, hello));
        const cpu = cpuAboveHello(item);
        log(`${name}: +${ms1(above.median)} ms (IQR ${ms1(above.low)} to ${ms1(above.high)}), CPU +${ms1(cpu.median)} ms, ${fmt(kB(item.bundle.jsBytes))} kB`);
        return {
          section: SECTION,
          name: `reference: ${name}, require + first invocation above hello-world (median of ${rounds} rounds)`,
          value: above.median,
          unit: "ms",
          interval: { name: "IQR", low: above.low, high: above.high },
          baseline: { name: "hello-world, built, required and invoked the same way", value: helloMs },
          note: `${note} CPU used above hello-world's: +${ms1(cpu.median)} ms (IQR ${ms1(cpu.low)} to ${ms1(cpu.high)}); ${fmt(kB(item.bundle.jsBytes))} kB. Largest inputs: ${whatIsIn(item.bundle, 3)}.`,
        };
      };
      const requestsAbove = spread(aboveHello(references.firstRequests, hello));
      const verdictOf = (d: { low: number; high: number }) =>
        d.low > MAX_ABOVE_HELLO_MS
          ? "more than the whole allowance across its IQR"
          : d.high <= MAX_ABOVE_HELLO_MS
            ? "within the allowance across its IQR"
            : "its IQR straddles the allowance";
      const untracedAbove = spread(aboveHello(references.untraced, hello));
      const xrayShare = spread(
        references.firstRequests.samples.map((s, i) => s.totalMs - (references.untraced.samples[i] as ColdStart).totalMs),
      );
      // Each function's own share: per round, its time minus the traced reference's.
      const ownShare = (item: Measured) =>
        spread(item.samples.map((s, i) => s.totalMs - (references.firstRequests.samples[i] as ColdStart).totalMs));
      const ownShares = new Map(configured.bundles.map((item) => [item.bundle.fn.id, ownShare(item)]));
      const shares = [...ownShares]
        .map(([id, own]) => ({ id, own }))
        .sort((a, b) => a.own.median - b.own.median);
      const least = shares[0];
      const most = shares[shares.length - 1];
      const sharesText =
        least && most
          ? ` Each function's own share over it (per round; median): from ${signedMs(least.own.median)} (${least.id}) to ${signedMs(most.own.median)} (${most.id}), median of the functions' medians ${signedMs(median(shares.map((x) => x.own.median)))}; ${shares.filter((x) => x.own.high <= MAX_ABOVE_HELLO_MS).length} of ${shares.length} within ${MAX_ABOVE_HELLO_MS} ms of it across the whole IQR.`
          : "";
      figures.push(
        referenceFigure(
          references.floor,
          "a handler importing only the DynamoDB, DynamoDB document and EventBridge clients",
          "What a bus handler pays for the AWS SDK's modules before its own code (it creates no client).",
        ),
        referenceFigure(
          references.tracer,
          "the Powertools Tracer (X-Ray) around an invocation that calls nothing",
          "What X-Ray tracing costs on its own: aws-xray-sdk-core, its HTTP(S) patching and the invocation's segment.",
        ),
        referenceFigure(
          references.untraced,
          "one DynamoDB read and one PutEvents, untraced (clients made on first use)",
          `The SDK's modules, two clients, credentials from the environment, signing, and two HTTPS connections: ${verdictOf(untracedAbove)}.`,
        ),
        referenceFigure(
          references.firstRequests,
          "the same read and PutEvents traced (Powertools Tracer, as every deployed function)",
          `The least a function that reads a table and answers on the bus costs with this SDK and X-Ray tracing, before any code of Centli's: ${verdictOf(requestsAbove)}${requestsAbove.low > MAX_ABOVE_HELLO_MS ? ", so no such function can meet the goal while it uses them" : ""}. Tracing adds +${ms1(xrayShare.median)} ms (IQR ${ms1(xrayShare.low)} to ${ms1(xrayShare.high)}) to the untraced reference, per round.${sharesText}`,
        ),
      );
      log(
        "function | above hello-world ms (IQR) | CPU above hello-world ms (IQR) | require alone ms | bundle kB | map kB | zipped kB | first invocation",
      );
      for (const item of configured.bundles) {
        const { bundle } = item;
        const above = spread(aboveHello(item, hello));
        const requireAbove = median(
          item.samples.map(
            (s, i) => s.requireMs - (hello.samples[i] as ColdStart).requireMs,
          ),
        );
        const cpuAbove = spread(
          item.samples.map(
            (s, i) => s.cpuMs - (hello.samples[i] as ColdStart).cpuMs,
          ),
        );
        const own = ownShares.get(bundle.fn.id) as ReturnType<typeof spread>;
        const ownCpu = spread(item.samples.map((s, i) => s.cpuMs - (references.firstRequests.samples[i] as ColdStart).cpuMs));
        const mapBytes = bundle.unzippedBytes - bundle.jsBytes;
        const outcomes = [...new Set(item.samples.map((s) => s.outcome))].join(
          ", ",
        );
        log(
          `${bundle.fn.id} | ${ms1(above.median)} (${ms1(above.low)} to ${ms1(above.high)}) | cpu ${ms1(cpuAbove.median)} (${ms1(cpuAbove.low)} to ${ms1(cpuAbove.high)}) | ${ms1(requireAbove)} | ${fmt(kB(bundle.jsBytes))} | ${fmt(kB(mapBytes))} | ${fmt(kB(bundle.zippedBytes))} | ${item.eventKind}: ${outcomes}`,
        );
        const met = above.high <= MAX_ABOVE_HELLO_MS;
        const missed = above.low > MAX_ABOVE_HELLO_MS;
        figures.push({
          section: SECTION,
          name: `${bundle.fn.id}: require + first invocation, above hello-world (median of ${rounds} rounds)`,
          value: above.median,
          unit: "ms",
          interval: { name: "IQR", low: above.low, high: above.high },
          baseline: {
            name: "hello-world, built, required and invoked the same way",
            value: helloMs,
          },
          goal: `≤ +${MAX_ABOVE_HELLO_MS} ms, whole IQR`,
          met,
          undecided: !met && !missed,
          note: `require alone +${ms1(requireAbove)} ms; CPU used (every thread), above hello-world's: +${ms1(cpuAbove.median)} ms (IQR ${ms1(cpuAbove.low)} to ${ms1(cpuAbove.high)}); first invocation: ${item.eventKind}${item.eventValid ? "" : " (not one it carries out)"}, ${outcomes}.Above the traced reference (its own code, per round): ${signedMs(own.median)} (IQR ${ms1(own.low)} to ${ms1(own.high)}), CPU ${signedMs(ownCpu.median)} (IQR ${ms1(ownCpu.low)} to ${ms1(ownCpu.high)}). Profile: ${profileText(profiles.get(bundle.fn.id) ?? [])}.`,
        });
        figures.push({
          section: SECTION,
          name: `${bundle.fn.id}: bundle unzipped, without its source map`,
          value: kB(bundle.jsBytes),
          unit: "kB",
          goal: `≤ ${fmt(kB(MAX_UNZIPPED))} kB`,
          met: bundle.jsBytes <= MAX_UNZIPPED,
          note: `with its source map ${fmt(kB(bundle.unzippedBytes))} kB (map ${fmt(kB(mapBytes))} kB), zipped ${fmt(kB(bundle.zippedBytes))} kB. Largest inputs: ${whatIsIn(bundle)}.`,
        });
      }

      // The runtime's SDK against the bundled one: per round, its cold start minus the same
      // function's as configured, each against its own hello-world.
      const differences: number[] = [];
      const cpuDifferences: number[] = [];
      const perFunction: string[] = [];
      for (const item of runtimeSdk.bundles) {
        const base = configured.bundles.find(
          (m) => m.bundle.fn.id === item.bundle.fn.id,
        ) as Measured;
        const theirs = aboveHello(item, runtimeSdk.hello);
        const ours = aboveHello(base, hello);
        const diff = theirs.map((t, i) => t - (ours[i] as number));
        differences.push(...diff);
        cpuDifferences.push(
          ...item.samples.map(
            (s, i) =>
              s.cpuMs -
              (runtimeSdk.hello.samples[i] as ColdStart).cpuMs -
              ((base.samples[i] as ColdStart).cpuMs -
                (hello.samples[i] as ColdStart).cpuMs),
          ),
        );
        perFunction.push(
          `${item.bundle.fn.id} ${median(diff) >= 0 ? "+" : ""}${ms1(median(diff))} ms (bundle ${fmt(kB(item.bundle.jsBytes))} kB against ${fmt(kB(base.bundle.jsBytes))} kB)`,
        );
      }
      const runtime = spread(differences);
      const runtimeCpu = spread(cpuDifferences);
      const runtimeWins = runtime.high < 0;
      log(
        `@aws-sdk/* from the runtime minus bundled: ${ms1(runtime.median)} ms (IQR ${ms1(runtime.low)} to ${ms1(runtime.high)}): ${perFunction.join("; ")}`,
      );
      figures.push({
        section: SECTION,
        name: `alternative «@aws-sdk/* left to the Lambda runtime»: cold start minus the bundled SDK’s, the largest function of each service (${runtimeSdk.bundles.length} functions × ${rounds} rounds)`,
        value: runtime.median,
        unit: "ms",
        interval: { name: "IQR", low: runtime.low, high: runtime.high },
        note: `${runtimeWins ? "faster across the whole IQR: the runtime's SDK wins" : runtime.low > 0 ? "slower across the whole IQR: the bundled SDK stays" : "the IQR straddles zero: neither is faster here, and the bundled SDK stays (its version is pinned by package-lock.json)"}. In CPU used (every thread), ${cpuText(runtimeCpu)}. Each function's median: ${perFunction.join("; ")}.`,
      });
      // Node reading the source maps against not: per round, the same bundle's cold start with
      // `--enable-source-maps` minus without.
      const {
        wall: maps,
        cpu: mapsCpu,
        perFunction: mapPerFunction,
      } = againstConfigured(withMaps, configured.bundles, (item, ms) =>
        `${item.bundle.fn.id} ${signedMs(ms)} (first invocation ${[...new Set(item.samples.map((x) => x.outcome))].join(", ")}; map ${fmt(kB(item.bundle.unzippedBytes - item.bundle.jsBytes))} kB)`,
      );
      log(
        `${SOURCE_MAPS} minus without: ${ms1(maps.median)} ms (IQR ${ms1(maps.low)} to ${ms1(maps.high)}): ${mapPerFunction.join("; ")}`,
      );
      figures.push({
        section: SECTION,
        name: `alternative «NODE_OPTIONS=${SOURCE_MAPS}»: cold start minus without it, the largest function of each service (${withMaps.length} functions × ${rounds} rounds)`,
        value: maps.median,
        unit: "ms",
        interval: { name: "IQR", low: maps.low, high: maps.high },
        note: `${maps.low > 0 ? "slower across the whole IQR: Node does not read the maps (the configuration sets no NODE_OPTIONS); the map stays in the package, for turning a logged position into file and line" : maps.high < 0 ? "faster across the whole IQR: the configuration should read the maps" : "the IQR straddles zero: neither is faster here; Node does not read the maps"}. In CPU used (every thread), ${cpuText(mapsCpu)}. It costs when Node loads a bundle (reading the map) and again when a stack is first printed (parsing it), so most on a first invocation that throws. Each function's median: ${mapPerFunction.join("; ")}.`,
      });
      // The stub over plain HTTP against HTTPS: per round, the same bundle's cold start.
      const {
        wall: http,
        cpu: httpCpuSpread,
        perFunction: httpPerFunction,
      } = againstConfigured(overHttp, configured.bundles, (item, ms) => `${item.bundle.fn.id} ${signedMs(ms)}`);
      log(
        `stub over plain HTTP minus HTTPS: ${ms1(http.median)} ms (IQR ${ms1(http.low)} to ${ms1(http.high)}): ${httpPerFunction.join("; ")}`,
      );
      figures.push({
        section: SECTION,
        name: `method: the AWS stub over plain HTTP (as AWS never serves) minus over HTTPS, the largest function of each service (${overHttp.length} functions × ${rounds} rounds)`,
        value: http.median,
        unit: "ms",
        interval: { name: "IQR", low: http.low, high: http.high },
        note: `${http.low > 0 ? "slower across the whole IQR" : http.high < 0 ? "faster across the whole IQR" : "the IQR straddles zero"}: for a plain-HTTP endpoint the SDK loads \`node:http\` by a dynamic import, which starts Node's ES module loader and its fetch (undici); over HTTPS it pays the TLS handshake instead, as in Lambda. In CPU used (every thread), ${cpuText(httpCpuSpread)}. The figures above use HTTPS. Each function's median: ${httpPerFunction.join("; ")}.`,
      });
      log(`the stub answered ${stub.requests()} AWS requests`);
      return figures;
    } finally {
      await stub.close();
      await plainStub.close();
      rmSync(out, { recursive: true, force: true });
    }
  },
};
