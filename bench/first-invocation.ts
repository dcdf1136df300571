/**
 * A cold start as a customer feels it: a bundle required in a fresh Node 22 process, then its
 * handler invoked once, for bench/cold-start.bench.ts.
 *
 * - I/O is stubbed, never the code: the bundle's own AWS SDK clients (or the runtime's, for the
 *   variant that leaves them out) call a local HTTPS stub this process serves on 127.0.0.1
 *   (`AWS_ENDPOINT_URL`, which every SDK v3 client reads, and its certificate trusted through
 *   NODE_EXTRA_CA_CERTS), answering each operation with the smallest well-formed reply (no item,
 *   no rows, every event put). So the first invocation pays what it pays in Lambda for its
 *   clients (credentials from the environment, endpoint and signer set-up, the HTTPS handler and
 *   its TLS handshake, the first request's serialisation and parsing), without the network.
 * - The child also reports the CPU it used (every thread, user and system): on a shared machine
 *   it varies less than the wall clock, which includes waiting for a core.
 * - The event is the one the function is wired for: an EventBridge envelope with a detail the
 *   detail-type's schema accepts (built from the schema, the least it requires); a saga task's
 *   input from the task's schema; an API Gateway event for an HTTP or WebSocket route (without
 *   credentials: the door refuses it, after loading everything it needs to); `{}` otherwise.
 *   Whatever the function answers, or throws, is its first invocation: the outcome is reported.
 * - A CPU profile (the V8 profiler, through `node:inspector`) of the same require and invocation
 *   is summarised by what the time was spent in: each sample's function mapped through the
 *   bundle's source map to the package or repository folder it came from.
 */
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import { tmpdir } from 'node:os';
import type { AddressInfo } from 'node:net';
import { SourceMap } from 'node:module';
import { dirname, join, relative, resolve } from 'node:path';
import fc from 'fast-check';
import { eventSchemas, taskSchemas } from '@centli/schemas';
import { allSchemas, createAjv } from '@centli/schemas/registry';
import { REPOSITORY_ROOT } from '../local/serverless-config';

type Schema = Record<string, unknown>;

/** The smallest well-formed answer to an AWS JSON-protocol operation (`X-Amz-Target`). */
function stubAnswer(target: string, body: string): unknown {
  const operation = target.slice(target.indexOf('.') + 1);
  switch (operation) {
    case 'Query':
    case 'Scan':
      return { Items: [], Count: 0, ScannedCount: 0 };
    case 'BatchGetItem':
      return { Responses: {}, UnprocessedKeys: {} };
    case 'PutEvents': {
      const entries = (JSON.parse(body || '{}') as { Entries?: unknown[] }).Entries ?? [];
      return { FailedEntryCount: 0, Entries: entries.map((_, i) => ({ EventId: `stub-${i}` })) };
    }
    case 'StartExecution':
      return { executionArn: 'arn:aws:states:us-east-1:000000000000:execution:stub:stub', startDate: 1_700_000_000 };
    default:
      return {};
  }
}

/** The stub's answer to one request. */
function answerRequest(onAnswered: () => void) {
  return (request: IncomingMessage, response: ServerResponse) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      onAnswered();
      const target = String(request.headers['x-amz-target'] ?? '');
      const answer = JSON.stringify(target ? stubAnswer(target, Buffer.concat(chunks).toString('utf8')) : {});
      response.writeHead(200, { 'content-type': 'application/x-amz-json-1.0', 'x-amzn-requestid': 'stub', 'content-length': Buffer.byteLength(answer) });
      response.end(answer);
    });
  };
}

/** A throwaway certificate for 127.0.0.1, valid one day, made by the openssl command line. */
function localCertificate(dir: string): { key: string; cert: string; certFile: string } {
  const keyFile = join(dir, 'stub-key.pem');
  const certFile = join(dir, 'stub-cert.pem');
  const made = spawnSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-keyout', keyFile, '-out', certFile, '-days', '1', '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1'], { encoding: 'utf8' });
  if (made.status !== 0) throw new Error(`openssl could not make the stub's certificate: ${made.stderr}`);
  return { key: readFileSync(keyFile, 'utf8'), cert: readFileSync(certFile, 'utf8'), certFile };
}

export interface AwsStub {
  url: string;
  /** What a child needs to reach the stub as a function reaches AWS (`AWS_ENDPOINT_URL`, and the stub's certificate as a trusted one). */
  env: Record<string, string>;
  requests: () => number;
  close: () => Promise<void>;
}

/**
 * The local stand-in for every AWS endpoint: one answer per request, nothing kept. Over HTTPS, as
 * AWS's endpoints are (its certificate trusted through NODE_EXTRA_CA_CERTS): the SDK's HTTP
 * handler loads `node:http` for a plain-HTTP endpoint only, by a dynamic `import()` that starts
 * Node's ES module loader and its fetch (undici), some 30–40 ms a function in Lambda never pays.
 * `https: false` serves plain HTTP (to measure that difference).
 */
export async function startAwsStub(options: { https?: boolean } = {}): Promise<AwsStub> {
  let count = 0;
  const dir = mkdtempSync(join(tmpdir(), 'centli-aws-stub-'));
  const secure = options.https ?? true;
  const certificate = secure ? localCertificate(dir) : undefined;
  const onRequest = answerRequest(() => count++);
  const server: Server = certificate ? createHttpsServer({ key: certificate.key, cert: certificate.cert }, onRequest) : createServer(onRequest);
  await new Promise<void>((ready) => server.listen(0, '127.0.0.1', ready));
  const { port } = server.address() as AddressInfo;
  const url = `${secure ? 'https' : 'http'}://127.0.0.1:${port}`;
  return {
    url,
    env: { AWS_ENDPOINT_URL: url, ...(certificate ? { NODE_EXTRA_CA_CERTS: certificate.certFile } : {}) },
    requests: () => count,
    close: () =>
      new Promise<void>((done) =>
        server.close(() => {
          rmSync(dir, { recursive: true, force: true });
          done();
        }),
      ),
  };
}

const byId = new Map<string, Schema>(allSchemas.map((schema) => [String((schema as Schema).$id), schema as Schema]));

function resolveRef(ref: string, base: string): { schema: Schema; base: string } {
  const target = new URL(ref, base);
  const documentId = `${target.origin}${target.pathname}`;
  let node: unknown = byId.get(documentId);
  for (const part of target.hash.slice(1).split('/').filter(Boolean)) node = (node as Schema)[decodeURIComponent(part)];
  return { schema: node as Schema, base: documentId };
}

/** The least a schema accepts: required properties only, each its simplest valid value. */
function leastOf(schema: Schema, base: string): unknown {
  if (typeof schema.$ref === 'string') {
    const target = resolveRef(schema.$ref, base);
    return leastOf({ ...target.schema, ...Object.fromEntries(Object.entries(schema).filter(([k]) => k !== '$ref')) }, target.base);
  }
  if ('const' in schema) return schema.const;
  if (Array.isArray(schema.enum)) return schema.enum[0];
  for (const key of ['oneOf', 'anyOf'] as const) if (Array.isArray(schema[key])) return leastOf((schema[key] as Schema[])[0] as Schema, base);
  if (Array.isArray(schema.allOf)) return Object.assign({}, ...(schema.allOf as Schema[]).map((part) => leastOf(part, base)));
  const type = Array.isArray(schema.type) ? schema.type[0] : schema.type;
  if (type === 'object' || schema.properties) {
    const properties = (schema.properties ?? {}) as Record<string, Schema>;
    const required = (schema.required ?? []) as string[];
    return Object.fromEntries(required.map((name) => [name, leastOf(properties[name] ?? {}, base)]));
  }
  if (type === 'array') return Array.from({ length: Number(schema.minItems ?? 0) }, () => leastOf((schema.items ?? {}) as Schema, base));
  if (type === 'integer' || type === 'number') {
    const min = typeof schema.minimum === 'number' ? schema.minimum : typeof schema.exclusiveMinimum === 'number' ? schema.exclusiveMinimum + 1 : 1;
    return Math.max(min, 1);
  }
  if (type === 'boolean') return true;
  if (type === 'string') {
    if (schema.format === 'date-time') return '2026-01-15T12:00:00Z';
    if (schema.format === 'date') return '2026-01-15';
    if (schema.format === 'email') return 'cliente@example.com';
    if (schema.format === 'uuid') return '00000000-0000-4000-8000-000000000000';
    if (schema.format === 'uri') return 'https://example.com/';
    const min = Number(schema.minLength ?? 1);
    if (typeof schema.pattern === 'string') {
      // Strings the pattern matches, the first within the schema's lengths: a bounded number of
      // draws, since a filter that no draw passes would never end.
      const max = Number(schema.maxLength ?? Infinity);
      const pattern = new RegExp(schema.pattern, 'u');
      const found = fc.sample(fc.stringMatching(pattern), { numRuns: 50, seed: 20 }).find((s) => s.length >= min && s.length <= max);
      if (found !== undefined) return found;
    }
    return 'a'.repeat(Math.max(min, 1));
  }
  return {};
}

/** A value the schema accepts, checked by the registry's own ajv; the least value otherwise (the function refuses it). */
function sampleOf(schema: Schema): unknown {
  const value = leastOf(schema, String(schema.$id));
  return value;
}

let checker: ReturnType<typeof createAjv> | undefined;
/** Whether a sample is valid for its schema (said in the report: a refused sample is a refusal path). */
export function isValidSample(schema: Schema, value: unknown): boolean {
  if (!checker) {
    checker = createAjv({ allErrors: false, validateSchema: false });
    checker.addSchema(allSchemas);
  }
  return Boolean(checker.getSchema(String(schema.$id))?.(value));
}

/** What a function is wired to receive, for its first invocation. */
export interface Wiring {
  name: string;
  detailTypes: string[];
  websocket: string[];
  httpApi: Array<{ method: string; path: string }>;
}

/** The first event of a function, and whether the function should accept it. */
export function firstEvent(fn: Wiring): { event: unknown; kind: string; valid: boolean } {
  const detailType = fn.detailTypes[0];
  if (detailType && detailType in eventSchemas) {
    const schema = eventSchemas[detailType as keyof typeof eventSchemas] as unknown as Schema;
    const detail = sampleOf(schema);
    return {
      kind: `${detailType} event`,
      valid: isValidSample(schema, detail),
      event: {
        version: '0',
        id: '11111111-2222-4333-8444-555555555555',
        'detail-type': detailType,
        source: 'centli.agent-gateway',
        account: '000000000000',
        time: '2026-01-15T12:00:00Z',
        region: 'us-east-1',
        resources: [],
        detail,
      },
    };
  }
  if (fn.name in taskSchemas) {
    const schema = taskSchemas[fn.name as keyof typeof taskSchemas].input as unknown as Schema;
    const input = sampleOf(schema);
    return { kind: `${fn.name} task input`, valid: isValidSample(schema, input), event: input };
  }
  const route = fn.httpApi[0];
  if (route) {
    const path = route.path.replace(/\{[^}]+\}/g, 'x');
    const method = route.method === '*' ? 'GET' : route.method;
    return {
      kind: `HTTP ${method} ${path}, no credentials`,
      valid: false,
      event: {
        version: '2.0',
        routeKey: `${route.method} ${route.path}`,
        rawPath: path,
        rawQueryString: '',
        headers: { host: 'api.example.com', 'content-type': 'application/json' },
        requestContext: { http: { method, path, sourceIp: '203.0.113.1', protocol: 'HTTP/1.1', userAgent: 'bench' }, requestId: 'bench', routeKey: `${route.method} ${route.path}`, stage: '$default', timeEpoch: 1_768_478_400_000, domainName: 'api.example.com' },
        body: method === 'GET' ? undefined : '{}',
        isBase64Encoded: false,
      },
    };
  }
  const routeKey = fn.websocket[0];
  if (routeKey) {
    return {
      kind: `WebSocket ${routeKey}, no credentials`,
      valid: false,
      event: {
        headers: { Host: 'ws.example.com' },
        requestContext: { routeKey, eventType: routeKey === '$connect' ? 'CONNECT' : routeKey === '$disconnect' ? 'DISCONNECT' : 'MESSAGE', connectionId: 'bench-connection', requestId: 'bench', domainName: 'ws.example.com', stage: 'local', connectedAt: 1_768_478_400_000, requestTimeEpoch: 1_768_478_400_000, apiId: 'bench' },
        body: routeKey.startsWith('$') ? undefined : JSON.stringify({ action: routeKey, text: 'hola' }),
        isBase64Encoded: false,
      },
    };
  }
  return { kind: 'empty event', valid: false, event: {} };
}

/**
 * The child: the timer starts before `require` and stops when the first invocation settles.
 * Before the timer, it loads `node:http`, as the Lambda runtime has by then: the Node.js runtime
 * interface client (npm `aws-lambda-ric`, `RAPIDClient`) requires `http` in its constructor, before
 * it loads the handler, so no function pays for it in Lambda. With a profile asked for
 * (`argv[3]`, a directory), the V8 profiler runs from before `require` to the settling, through
 * `node:inspector` (whose session answers synchronously on the main thread), and its profile is
 * written before the figures. The child then waits: a handler may leave sockets or timers open,
 * so the parent ends it once the figures' line has arrived (see `coldStartOnce`).
 */
const CHILD = [
  "require('node:http');",
  'const event = JSON.parse(process.argv[2]);',
  'const profileDir = process.argv[3];',
  "const context = { awsRequestId: 'bench-request', functionName: process.env.AWS_LAMBDA_FUNCTION_NAME, functionVersion: '$LATEST',",
  "  invokedFunctionArn: 'arn:aws:lambda:us-east-1:000000000000:function:' + process.env.AWS_LAMBDA_FUNCTION_NAME, memoryLimitInMB: process.env.AWS_LAMBDA_FUNCTION_MEMORY_SIZE,",
  "  logGroupName: '/aws/lambda/bench', logStreamName: 'bench', callbackWaitsForEmptyEventLoop: true, getRemainingTimeInMillis: () => 10000, done() {}, fail() {}, succeed() {} };",
  "const session = profileDir ? new (require('node:inspector').Session)() : undefined;",
  'if (session) {',
  '  session.connect();',
  "  session.post('Profiler.enable');",
  "  session.post('Profiler.setSamplingInterval', { interval: 100 });",
  "  session.post('Profiler.start');",
  '}',
  'const cpu = process.cpuUsage();',
  'const started = process.hrtime.bigint();',
  'const handler = require(process.argv[1]).handler;',
  'const loaded = process.hrtime.bigint();',
  'const settle = (outcome) => {',
  '  const done = process.hrtime.bigint();',
  '  const used = process.cpuUsage(cpu);',
  "  if (session) session.post('Profiler.stop', (error, result) => require('node:fs').writeFileSync(require('node:path').join(profileDir, 'child.cpuprofile'), JSON.stringify(result.profile)));",
  "  process.stdout.write('\\n@@' + JSON.stringify({ requireMs: Number(loaded - started) / 1e6, totalMs: Number(done - started) / 1e6, cpuMs: (used.user + used.system) / 1e3, outcome }) + '\\n');",
  '};',
  "Promise.resolve().then(() => handler(event, context)).then((answer) => settle(answer && typeof answer === 'object' && 'statusCode' in answer ? 'status ' + answer.statusCode : 'returned'), (error) => settle('threw ' + ((error && error.name) || 'error')));",
].join('\n');

export interface ColdStart {
  /** `require` alone. */
  requireMs: number;
  /** `require` and the first invocation. */
  totalMs: number;
  /** CPU the process used (every thread, user and system) for `require` and the first invocation. */
  cpuMs: number;
  /** How the first invocation ended: `returned`, `status 401`, `threw TypeError`. */
  outcome: string;
}

/**
 * One cold start in a fresh Node 22 process; with `profileDir`, profiled (not a timed sample).
 * The child's figures end with a newline; once they have arrived the child is ended (it may hold
 * a handler's sockets or timers open), and a child that ends without them is a failure.
 */
export function coldStartOnce(node: string, js: string, env: NodeJS.ProcessEnv, event: unknown, profileDir?: string): Promise<ColdStart> {
  return new Promise((done, fail) => {
    const child = spawn(node, ['-e', CHILD, js, JSON.stringify(event), ...(profileDir ? [profileDir] : [])], { cwd: dirname(js), env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    let figures: ColdStart | undefined;
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString('utf8');
      const at = stdout.lastIndexOf('\n@@');
      const end = at < 0 ? -1 : stdout.indexOf('\n', at + 3);
      if (figures === undefined && end > 0) {
        figures = JSON.parse(stdout.slice(at + 3, end)) as ColdStart;
        child.kill('SIGKILL');
      }
    });
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
    const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      if (figures) done(figures);
      else fail(new Error(`cold start of ${js} failed (${code ?? signal}): ${(stderr || stdout).slice(0, 600)}`));
    });
  });
}

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number; columnNumber: number };
}
interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

/** Milliseconds of CPU by where the code came from, largest first. */
export interface ProfileShare {
  name: string;
  ms: number;
}

/** The package (`@aws-sdk/client-dynamodb`) or repository folder (`lib/kit`) of a source path. */
export function groupOfSource(path: string): string {
  const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(path);
  if (pkg) return pkg[1] as string;
  const local = relative(REPOSITORY_ROOT, path).split('/');
  if (local[0] === 'services' || local[0] === 'lib') return local.slice(0, 2).join('/');
  return local[0] as string;
}

/** What Node was doing: V8 compiling the bundle's script, loading its own modules, reading source maps, or else. */
function nodeGroup(url: string, functionName: string): string {
  if (functionName === 'wrapSafe' || functionName === 'compileFunction') return 'compiling the bundle’s script (V8, in Node’s loader)';
  if (url.includes('source_map')) return 'reading the source map (--enable-source-maps)';
  // A built-in module's top level runs as an anonymous function the first time it is required.
  if (functionName === 'compileForInternalLoader' || functionName === '' || url.startsWith('node:internal/bootstrap')) return 'loading Node’s built-in modules (http, dgram, crypto…)';
  if (url.startsWith('node:internal/crypto')) return 'Node’s crypto (request signing)';
  if (url.includes('undici')) return 'Node’s fetch (undici), loaded on first use';
  return 'Node internals (sockets, streams, the module loader…)';
}

/** Reads the one profile `coldStartOnce` wrote in `dir` and sums its self time by package or folder. */
export function summariseProfile(dir: string, js: string): ProfileShare[] {
  const file = readdirSync(dir).find((f) => f.endsWith('.cpuprofile'));
  if (!file) throw new Error(`no CPU profile in ${dir}`);
  const profile = JSON.parse(readFileSync(join(dir, file), 'utf8')) as CpuProfile;
  rmSync(join(dir, file));
  let map: SourceMap | undefined;
  try {
    map = new SourceMap(JSON.parse(readFileSync(`${js}.map`, 'utf8')) as ConstructorParameters<typeof SourceMap>[0]);
  } catch {
    map = undefined;
  }
  const mapDir = dirname(js);
  const groupOf = new Map<number, string>();
  for (const node of profile.nodes) {
    const { url, functionName, lineNumber, columnNumber } = node.callFrame;
    let group: string;
    if (!url) group = functionName.startsWith('(') ? `V8 ${functionName}` : 'V8 (native)';
    else if (url.startsWith('node:')) group = nodeGroup(url, functionName);
    else if (url.endsWith(js) || url === `file://${js}`) {
      const entry = map?.findEntry(lineNumber, columnNumber) as { originalSource?: string } | undefined;
      const source = entry?.originalSource;
      group = source ? groupOfSource(resolve(mapDir, source.replace(/^file:\/\//, ''))) : 'the bundle (unmapped)';
    } else if (url.includes('/node_modules/')) group = `${groupOfSource(url.replace(/^file:\/\//, ''))} (outside the bundle)`;
    else group = 'the child’s own timing lines';
    groupOf.set(node.id, group);
  }
  const totals = new Map<string, number>();
  profile.samples.forEach((id, i) => {
    const group = groupOf.get(id) ?? 'unknown';
    totals.set(group, (totals.get(group) ?? 0) + (profile.timeDeltas[i] ?? 0) / 1000);
  });
  totals.delete('V8 (idle)');
  return [...totals.entries()].map(([name, ms]) => ({ name, ms })).sort((a, b) => b.ms - a.ms);
}
