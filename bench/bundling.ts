/**
 * Bundles the services' functions the way serverless-esbuild does when `sls package` runs, and
 * measures what came out: for bench/cold-start.bench.ts.
 *
 * - The functions and their handlers come from every `services/<name>/serverless.yml`, and the
 *   esbuild options from each one's `custom.esbuild` (serverless.common.yml's `esbuild:`), both
 *   resolved by the local stack's own serverless.yml reader, so the figures follow whatever the
 *   files say.
 * - Options are merged over serverless-esbuild's defaults and its own keys are taken out, as its
 *   `getBuildOptions` and `bundle` do; `exclude` becomes external (and, unlike `external`, is not
 *   packed into the zip: the Lambda runtime provides it). The entry is the handler's module with
 *   the first extension that exists (.ts, .js, .jsx, .tsx), built from the service's directory.
 *   `metafile` is turned on to say what is in a bundle; it changes nothing in the output.
 * - A function's package is its bundle and the files esbuild derived from it (`.js.map`), zipped
 *   with the archiver serverless-esbuild zips with, as it does (entries dated 1970, file modes).
 * - A bundle is required by a fresh Node 22 process (the project's pinned node_modules/node), with
 *   the function's environment (NODE_OPTIONS included) and the variables the Lambda runtime sets.
 *   The child times `require` alone, so process start-up is not counted for anyone.
 */
import {
  createWriteStream,
  existsSync,
  mkdirSync,
  readFileSync,
  statSync,
  writeFileSync,
} from "node:fs";
import { createRequire } from "node:module";
import { basename, join, relative, resolve } from "node:path";
import { build, type BuildOptions, type Metafile } from "esbuild";
import { parseCloudFormationYaml } from "../local/cloudformation-yaml";
import {
  loadServiceConfigs,
  REPOSITORY_ROOT,
  type FunctionConfig,
} from "../local/serverless-config";
import { VariableResolver } from "../local/serverless-variables";
import type { Wiring } from "./first-invocation";

/** The Node the project pins, which is the Lambda runtime's major version (nodejs22.x). */
export const NODE_22 = join(
  REPOSITORY_ROOT,
  "node_modules",
  "node",
  "bin",
  "node",
);

/** serverless-esbuild's DEFAULT_BUILD_OPTIONS (1.57), the part that reaches esbuild. */
const PLUGIN_DEFAULTS: Record<string, unknown> = {
  bundle: true,
  target: "node18",
  external: [],
  exclude: ["aws-sdk"],
  platform: "node",
};
/** Keys serverless-esbuild takes out before calling esbuild (bundle.ts). */
const PLUGIN_ONLY = new Set([
  "concurrency",
  "zipConcurrency",
  "exclude",
  "nativeZip",
  "packager",
  "packagePath",
  "watch",
  "keepOutputDirectory",
  "packagerOptions",
  "installExtraArgs",
  "outputFileExtension",
  "outputBuildFolder",
  "outputWorkFolder",
  "nodeExternals",
  "skipBuild",
  "skipRebuild",
  "skipBuildExcludeFns",
  "stripEntryResolveExtensions",
  "disposeContext",
  "config",
]);
const ENTRY_EXTENSIONS = [".ts", ".js", ".jsx", ".tsx"];

/** A function to bundle: where it lives, its entry, and how its service builds it. */
export interface BundledFunction {
  /** `marketplace/catalog`. */
  id: string;
  service: string;
  dir: string;
  /** The entry, relative to the service directory (`src/handlers/catalog.ts`). */
  entry: string;
  environment: Record<string, string>;
  /** Variables CloudFormation computes (given a placeholder: nothing reads them at load). */
  cloudFormationEnvironment: string[];
  memorySize: number;
  /** `custom.esbuild` of its serverless.yml, resolved. */
  esbuild: Record<string, unknown>;
  /** What it is wired to receive, for its first invocation (bench/first-invocation.ts). */
  wiring: Wiring;
}

/** Every function of every service, with its service's esbuild configuration (of the repository at `root`). */
export function serviceFunctions(root: string = REPOSITORY_ROOT): BundledFunction[] {
  const functions: BundledFunction[] = [];
  for (const service of loadServiceConfigs({}, root)) {
    if (service.functions.length === 0) continue;
    const document = parseCloudFormationYaml(
      readFileSync(service.file, "utf8"),
      service.file,
    ) as Record<string, unknown>;
    const resolver = new VariableResolver(document, {
      stage: "local",
      serviceDir: service.dir,
    });
    const esbuild = (resolver.resolveAt("custom.esbuild") ?? {}) as Record<
      string,
      unknown
    >;
    const short = basename(service.dir);
    for (const fn of service.functions)
      functions.push({
        id: `${short}/${fn.name}`,
        service: short,
        dir: service.dir,
        entry: entryOf(fn),
        environment: fn.environment,
        cloudFormationEnvironment: fn.cloudFormationEnvironment,
        memorySize: fn.memorySize,
        esbuild,
        wiring: {
          name: fn.name,
          detailTypes: fn.eventBridge.flatMap((subscription) => {
            const types = (subscription.pattern as Record<string, unknown>)["detail-type"];
            return Array.isArray(types) ? types.filter((t): t is string => typeof t === "string") : [];
          }),
          websocket: fn.websocket,
          httpApi: fn.httpApi,
        },
      });
  }
  return functions;
}

function entryOf(fn: FunctionConfig): string {
  const module = fn.handler.slice(0, fn.handler.lastIndexOf("."));
  for (const extension of ENTRY_EXTENSIONS)
    if (existsSync(join(fn.dir, module + extension))) return module + extension;
  throw new Error(`${fn.service}/${fn.name}: no module for ${fn.handler}`);
}

/** What serverless-esbuild hands esbuild for this configuration, and what it leaves to the runtime. */
export function esbuildOptionsOf(custom: Record<string, unknown>): {
  options: BuildOptions;
  /** Module patterns left out of the bundle and of the zip (the runtime provides them). */
  runtimeProvided: string[];
  /** Module patterns left out of the bundle but packed into the zip's node_modules. */
  packed: string[];
} {
  const merged: Record<string, unknown> = { ...PLUGIN_DEFAULTS, ...custom };
  const strings = (value: unknown) =>
    (Array.isArray(value) ? value : [value]).filter(
      (v): v is string => typeof v === "string",
    );
  const exclude = strings(merged.exclude);
  const external = strings(merged.external);
  const options = Object.fromEntries(
    Object.entries(merged).filter(([key]) => !PLUGIN_ONLY.has(key)),
  ) as BuildOptions;
  options.external = [...external, ...(exclude.includes("*") ? [] : exclude)];
  return {
    options,
    runtimeProvided: exclude,
    packed: external.filter((e) => !exclude.includes(e)),
  };
}

/** One function's package, built. */
export interface Bundle {
  fn: BundledFunction;
  /** The bundle's path. */
  js: string;
  /** Every file of the function's zip (the bundle and what esbuild derived from it). */
  files: string[];
  jsBytes: number;
  /** Unzipped: every file of the package. */
  unzippedBytes: number;
  zippedBytes: number;
  /** Bytes of the bundle by what they came from: packages, the repository's folders. */
  inputs: InputShare[];
  /** What esbuild warned about while building the function's service (e.g. `import.meta` in a CommonJS bundle). */
  warnings: string[];
}

export interface InputShare {
  /** `@aws-sdk/client-dynamodb`, `lib/kit`, `schemas`, `services/marketplace`. */
  name: string;
  bytes: number;
  /** Why it is in: the import chain from the entry to its first module. */
  via: string[];
}

/**
 * Builds functions (all of one service together: esbuild gives each entry its own bundle, as
 * separate builds would) under `outRoot/<service>/`, with `overrides` over their configuration.
 */
export async function bundleFunctions(
  functions: readonly BundledFunction[],
  outRoot: string,
  overrides: Record<string, unknown> = {},
): Promise<Bundle[]> {
  const bundles: Bundle[] = [];
  const byService = new Map<string, BundledFunction[]>();
  for (const fn of functions)
    byService.set(fn.service, [...(byService.get(fn.service) ?? []), fn]);
  for (const [service, members] of byService) {
    const first = members[0] as BundledFunction;
    const { options } = esbuildOptionsOf({ ...first.esbuild, ...overrides });
    const outdir = join(outRoot, service);
    const entries = [...new Set(members.map((fn) => fn.entry))];
    const result = await build({
      ...options,
      entryPoints: entries,
      outdir,
      outbase: ".",
      absWorkingDir: first.dir,
      metafile: true,
      logLevel: "error",
    });
    for (const fn of members) {
      const js = join(
        outdir,
        fn.entry.slice(0, fn.entry.lastIndexOf(".")) + ".js",
      );
      const files = [js, `${js}.map`].filter(existsSync);
      const jsBytes = statSync(js).size;
      bundles.push({
        fn,
        js,
        files,
        jsBytes,
        unzippedBytes: files.reduce((sum, f) => sum + statSync(f).size, 0),
        zippedBytes: await zippedSize(files, outdir),
        inputs: inputsOf(result.metafile, first.dir, js, fn.entry),
        warnings: result.warnings.map(
          (w) => `${w.location?.file ?? ""}: ${w.text}`,
        ),
      });
    }
  }
  return bundles;
}

interface Archive {
  pipe(stream: NodeJS.WritableStream): void;
  append(data: Buffer, entry: { name: string; mode: number; date: Date }): void;
  finalize(): Promise<void>;
  on(event: "error", listener: (error: Error) => void): void;
}

/** The archiver serverless-esbuild zips with (its own dependency). */
const archiver = createRequire(require.resolve("serverless-esbuild"))(
  "archiver",
) as { create(format: "zip"): Archive };

/** The size of the zip serverless-esbuild writes for these files (nodeZip: entries dated 1970, with their modes). */
async function zippedSize(
  files: readonly string[],
  root: string,
): Promise<number> {
  const path = join(root, `.zip-${basename(files[0] as string)}.zip`);
  const archive = archiver.create("zip");
  const output = createWriteStream(path);
  const closed = new Promise<void>((done, fail) => {
    output.on("close", () => done());
    archive.on("error", fail);
  });
  archive.pipe(output);
  for (const file of files)
    archive.append(readFileSync(file), {
      name: relative(root, file),
      mode: statSync(file).mode,
      date: new Date(0),
    });
  await archive.finalize();
  await closed;
  return statSync(path).size;
}

/** Groups a bundle's bytes by package or repository folder, with the import chain that brought each in. */
function inputsOf(
  metafile: Metafile,
  cwd: string,
  js: string,
  entry: string,
): InputShare[] {
  const key = relative(cwd, js);
  const output =
    metafile.outputs[key] ??
    Object.entries(metafile.outputs).find(([path]) =>
      resolve(cwd, path).endsWith(key),
    )?.[1] ??
    Object.values(metafile.outputs).find((o) => o.entryPoint === entry);
  if (!output) throw new Error(`no output for ${entry} in the metafile`);
  const groupOf = (path: string): string => {
    const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(path);
    if (pkg) return pkg[1] as string;
    const local = relative(REPOSITORY_ROOT, resolve(cwd, path)).split("/");
    if (local[0] === "services" || local[0] === "lib")
      return local.slice(0, 2).join("/");
    return local[0] as string;
  };
  // The shortest import chain from the entry to every input (breadth first over the metafile).
  const parent = new Map<string, string | undefined>([[entry, undefined]]);
  const queue = [entry];
  for (let at = queue.shift(); at !== undefined; at = queue.shift())
    for (const imported of metafile.inputs[at]?.imports ?? [])
      if (!parent.has(imported.path) && metafile.inputs[imported.path]) {
        parent.set(imported.path, at);
        queue.push(imported.path);
      }
  const chainTo = (path: string): string[] => {
    const chain: string[] = [];
    for (
      let at: string | undefined = path;
      at !== undefined;
      at = parent.get(at)
    )
      chain.unshift(at);
    // Each step once: consecutive modules of one package or folder are one step.
    return chain
      .map(groupOf)
      .filter((group, i, all) => i === 0 || group !== all[i - 1]);
  };
  const groups = new Map<string, InputShare>();
  for (const [path, { bytesInOutput }] of Object.entries(output.inputs)) {
    const name = groupOf(path);
    const group = groups.get(name) ?? { name, bytes: 0, via: chainTo(path) };
    group.bytes += bytesInOutput;
    if (chainTo(path).length < group.via.length) group.via = chainTo(path);
    groups.set(name, group);
  }
  return [...groups.values()].sort((a, b) => b.bytes - a.bytes);
}

/** A hello-world handler: the baseline every require time is measured against. */
export const HELLO_WORLD =
  "export const handler = async () => ({ statusCode: 200, body: 'hello' });\n";

/**
 * The AWS SDK clients every bus handler imports through lib/kit (DynamoDB, its document client,
 * EventBridge), and nothing else: what any function that reads a table and answers on the bus
 * pays before its own code.
 */
export const SDK_FLOOR = [
  "import { DynamoDBClient } from '@aws-sdk/client-dynamodb';",
  "import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';",
  "import { EventBridgeClient } from '@aws-sdk/client-eventbridge';",
  "export const handler = async () => [DynamoDBClient, DynamoDBDocumentClient, EventBridgeClient].map((c) => c.name);",
  "",
].join("\n");

/**
 * What every bus handler does before any code of Centli's: with the Powertools Tracer around the
 * invocation (X-Ray, on in every deployed function) and its clients traced, one DynamoDB read and
 * one PutEvents, each client made on first use. The least a function that reads a table and
 * answers on the bus can cost with this SDK and this tracing.
 */
export const SDK_FIRST_REQUESTS = [
  "import { DynamoDBClient } from '@aws-sdk/client-dynamodb';",
  "import { DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';",
  "import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';",
  "import { Tracer } from '@aws-lambda-powertools/tracer';",
  "import { captureLambdaHandler } from '@aws-lambda-powertools/tracer/middleware';",
  "import middy from '@middy/core';",
  "const tracer = new Tracer({ serviceName: 'reference' });",
  "export const handler = middy().use(captureLambdaHandler(tracer, { captureResponse: false })).handler(async () => {",
  "  const documents = DynamoDBDocumentClient.from(tracer.captureAWSv3Client(new DynamoDBClient({ maxAttempts: 5 })));",
  "  const bus = tracer.captureAWSv3Client(new EventBridgeClient({ maxAttempts: 5 }));",
  "  await documents.send(new GetCommand({ TableName: 'reference', Key: { pk: 'a' } }));",
  "  await bus.send(new PutEventsCommand({ Entries: [{ Source: 'centli.reference', DetailType: 'REFERENCE', Detail: '{}', EventBusName: 'reference' }] }));",
  "  return 'answered';",
  "});",
  "",
].join("\n");

/** The same read and PutEvents without X-Ray: no Tracer, the clients as they come. */
export const SDK_FIRST_REQUESTS_UNTRACED = [
  "import { DynamoDBClient } from '@aws-sdk/client-dynamodb';",
  "import { DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';",
  "import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';",
  "export const handler = async () => {",
  "  const documents = DynamoDBDocumentClient.from(new DynamoDBClient({ maxAttempts: 5 }));",
  "  const bus = new EventBridgeClient({ maxAttempts: 5 });",
  "  await documents.send(new GetCommand({ TableName: 'reference', Key: { pk: 'a' } }));",
  "  await bus.send(new PutEventsCommand({ Entries: [{ Source: 'centli.reference', DetailType: 'REFERENCE', Detail: '{}', EventBusName: 'reference' }] }));",
  "  return 'answered';",
  "};",
  "",
].join("\n");

/** X-Ray alone: the Powertools Tracer made and around an invocation that calls nothing. */
export const TRACER_ALONE = [
  "import { Tracer } from '@aws-lambda-powertools/tracer';",
  "import { captureLambdaHandler } from '@aws-lambda-powertools/tracer/middleware';",
  "import middy from '@middy/core';",
  "const tracer = new Tracer({ serviceName: 'reference' });",
  "export const handler = middy().use(captureLambdaHandler(tracer, { captureResponse: false })).handler(async () => 'answered');",
  "",
].join("\n");

/** A reference handler of the given source, built like `like` (its service's options and tsconfig). */
export async function referenceHandler(
  outRoot: string,
  id: string,
  source: string,
  like: BundledFunction,
  overrides: Record<string, unknown> = {},
): Promise<Bundle> {
  const dir = join(outRoot, `${id}-src`);
  mkdirSync(join(dir, "src", "handlers"), { recursive: true });
  writeFileSync(join(dir, "src", "handlers", `${id}.ts`), source);
  const { tsconfig, alias } = like.esbuild;
  const fn: BundledFunction = {
    id,
    service: id,
    dir,
    entry: `src/handlers/${id}.ts`,
    environment: like.environment,
    cloudFormationEnvironment: [],
    memorySize: like.memorySize,
    wiring: { name: id, detailTypes: [], websocket: [], httpApi: [] },
    esbuild: {
      ...like.esbuild,
      // The same tsconfig, found from here; packages from the repository's node_modules (only
      // where modules are looked for: what is found, and so the output, is the same).
      ...(typeof tsconfig === "string"
        ? { tsconfig: resolve(like.dir, tsconfig) }
        : {}),
      // Aliases to relative paths are resolved from the working directory: the function's service.
      ...(alias && typeof alias === "object"
        ? {
            alias: Object.fromEntries(
              Object.entries(alias as Record<string, string>).map(
                ([from, to]) => [
                  from,
                  to.startsWith(".") ? resolve(like.dir, to) : to,
                ],
              ),
            ),
          }
        : {}),
      nodePaths: [join(REPOSITORY_ROOT, "node_modules")],
    },
  };
  const [bundle] = await bundleFunctions([fn], outRoot, overrides);
  return bundle as Bundle;
}

/** What the Lambda runtime sets for a function, and the function's own environment. */
export function lambdaEnvironment(
  fn: BundledFunction,
  taskRoot: string,
  extra: Record<string, string> = {},
): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    LANG: "en_US.UTF-8",
    TZ: ":UTC",
    AWS_REGION: "us-east-1",
    AWS_DEFAULT_REGION: "us-east-1",
    AWS_EXECUTION_ENV: "AWS_Lambda_nodejs22.x",
    AWS_LAMBDA_FUNCTION_NAME: `centli-${fn.id.replace("/", "-local-")}`,
    AWS_LAMBDA_FUNCTION_MEMORY_SIZE: String(fn.memorySize),
    AWS_LAMBDA_FUNCTION_VERSION: "$LATEST",
    AWS_LAMBDA_INITIALIZATION_TYPE: "on-demand",
    AWS_XRAY_CONTEXT_MISSING: "LOG_ERROR",
    // The trace the runtime opens for the invocation, and a daemon on this machine (UDP: a
    // segment sent there is sent, whether or not anything listens; nothing leaves the machine).
    AWS_XRAY_DAEMON_ADDRESS: "127.0.0.1:2000",
    _X_AMZN_TRACE_ID:
      "Root=1-65a5b000-0123456789abcdef01234567;Parent=0123456789abcdef;Sampled=1",
    // The role's temporary credentials, which the runtime puts in the environment.
    AWS_ACCESS_KEY_ID: "ASIABENCHMARKKEY0000",
    AWS_SECRET_ACCESS_KEY: "bench-secret-access-key",
    AWS_SESSION_TOKEN: "bench-session-token",
    AWS_LAMBDA_LOG_GROUP_NAME: `/aws/lambda/centli-${fn.id.replace("/", "-local-")}`,
    AWS_LAMBDA_LOG_STREAM_NAME: "2026/01/15/[$LATEST]bench",
    LAMBDA_TASK_ROOT: taskRoot,
    // The runtime's own node_modules (its AWS SDK) are on NODE_PATH: here, the repository's.
    NODE_PATH: join(REPOSITORY_ROOT, "node_modules"),
    ...Object.fromEntries(
      fn.cloudFormationEnvironment.map((name) => [
        name,
        "cloudformation-value",
      ]),
    ),
    ...fn.environment,
    ...extra,
  };
  return env;
}
