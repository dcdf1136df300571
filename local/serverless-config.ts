/**
 * The services as their serverless.yml files declare them, resolved for one stage: what the
 * local stack needs to run them (handlers, environments, timeouts, EventBridge patterns,
 * CloudFormation resources). The root `serverless.yml` is the platform; every
 * `services/<name>/serverless.yml` is a domain service.
 *
 * @module
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { parseCloudFormationYaml } from './cloudformation-yaml';
import { VariableResolver, type VariableContext } from './serverless-variables';
import type { EventPattern } from './event-pattern';

/** The repository root: the directory holding the platform's serverless.yml. */
export const REPOSITORY_ROOT = resolve(__dirname, '..');

/** Serverless Framework defaults, used when neither the function nor the provider sets them. */
const DEFAULT_TIMEOUT_SECONDS = 6;
const DEFAULT_MEMORY_MB = 1024;
const DEFAULT_REGION = 'us-east-1';

/** A CloudFormation resource as written under `resources.Resources`. */
export interface CloudFormationResource {
  Type: string;
  Properties?: Record<string, unknown>;
  [attribute: string]: unknown;
}

/** One `eventBridge` event of a function. */
export interface EventBridgeSubscription {
  /** The rule's event pattern. */
  pattern: EventPattern;
  /** The bus as declared (a name, an ARN, or an intrinsic such as `Fn::ImportValue`). */
  eventBus?: unknown;
}

/** One `httpApi` event of a function: API Gateway HTTP API routes it to the function. */
export interface HttpApiRoute {
  /** `POST`, or `*` for any method. */
  method: string;
  /** `/mcp`, `/items/{id}`, `/{proxy+}`. */
  path: string;
}

/** A function's IAM role as serverless.yml declares it (serverless-iam-roles-per-function). */
export interface FunctionRoleConfig {
  /** `iamRoleStatementsName`, or the name osls would give the role. */
  name: string;
  /** Its statements, resolved: the function's own, the provider's when it has none or inherits them. */
  statements: Array<Record<string, unknown>>;
}

/** A function of a service, resolved. */
export interface FunctionConfig {
  /** The function's key in serverless.yml (`transfer`). */
  name: string;
  /** The deployed name (`centli-core-banking-local-transfer`). */
  functionName: string;
  /** The service's name (`centli-core-banking`). */
  service: string;
  /** The service's directory, which `handler` is relative to. */
  dir: string;
  /** `src/handlers/transfer.handler`: module path, then the export. */
  handler: string;
  /** The provider's environment with the function's own on top (plain values). */
  environment: Record<string, string>;
  /**
   * Variables whose value is a CloudFormation intrinsic (`!ImportValue …`), which only
   * CloudFormation can evaluate: the local stack must provide each of them itself.
   */
  cloudFormationEnvironment: string[];
  /** Seconds. */
  timeout: number;
  memorySize: number;
  /** Its `eventBridge` events that have a pattern (schedules are not run locally). */
  eventBridge: EventBridgeSubscription[];
  /** The periods, in seconds, of its `schedule: rate(…)` events, which the local stack runs too. */
  schedules: number[];
  /** Its `httpApi` events. */
  httpApi: HttpApiRoute[];
  /** The WebSocket API route keys of its `websocket` events (`$connect`, `message`). */
  websocket: string[];
  /** Its role: what the local stack lets it put on the bus and invoke (local/iam.ts). */
  role: FunctionRoleConfig;
}

/** One serverless.yml, resolved. */
export interface ServiceConfig {
  /** `service:` (`centli-core-banking`). */
  name: string;
  /** The directory of its serverless.yml. */
  dir: string;
  file: string;
  stage: string;
  region: string;
  /** `provider.environment`. */
  environment: Record<string, string>;
  functions: FunctionConfig[];
  /** `resources.Resources`. */
  resources: Record<string, CloudFormationResource>;
  /** `resources.Outputs` (their exports are what other services import). */
  outputs: Record<string, unknown>;
  /** `provider.websocketsApiRouteSelectionExpression`; `$request.body.action` by default. */
  websocketRouteSelection: string;
  /** `stepFunctions.stateMachines` (serverless-step-functions): each one's key, name and the ASL file its definition includes. */
  stateMachines: StateMachineConfig[];
}

/** A state machine a service declares, its definition an ASL file (`definition: ${file(../../sagas/<key>.asl.yml)}`). */
export interface StateMachineConfig {
  /** Its key in `stepFunctions.stateMachines` (`purchase`, `spei-transfer`): the saga's name in the contracts. */
  key: string;
  /** `name:` (`centli-purchase-local`). */
  name: string;
  /** The absolute path of the ASL file. */
  definitionFile: string;
}

/** How to resolve the files: the stage (default `local`) and the rest of the variables' context. */
export type ServiceConfigOptions = Partial<VariableContext>;

/**
 * Services that exist only in AWS and declare nothing the local stack runs (no function, no table,
 * no key): the private network of a `vpc: true` stage (`services/network`). The local stack skips
 * them; the checks of the packaged templates (tests/policy) include them.
 */
export const AWS_ONLY_SERVICES: readonly string[] = ['network'];

/**
 * Finds the root serverless.yml and every `services/<name>/serverless.yml`, root first, then
 * services by name; those in {@link AWS_ONLY_SERVICES} only with `awsOnly: true`.
 */
export function findServerlessFiles(rootDir: string = REPOSITORY_ROOT, options: { awsOnly?: boolean } = {}): string[] {
  const files: string[] = [];
  const root = join(rootDir, 'serverless.yml');
  if (existsSync(root)) files.push(root);
  const servicesDir = join(rootDir, 'services');
  if (existsSync(servicesDir)) {
    for (const entry of readdirSync(servicesDir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      if (!options.awsOnly && AWS_ONLY_SERVICES.includes(entry.name)) continue;
      const file = join(servicesDir, entry.name, 'serverless.yml');
      if (entry.isDirectory() && existsSync(file)) files.push(file);
    }
  }
  return files;
}

/** Loads and resolves every serverless.yml of the repository (see {@link findServerlessFiles}). */
export function loadServiceConfigs(options: ServiceConfigOptions = {}, rootDir: string = REPOSITORY_ROOT): ServiceConfig[] {
  return findServerlessFiles(rootDir).map((file) => loadServiceConfig(file, options));
}

/** Loads and resolves one serverless.yml file. */
export function loadServiceConfig(file: string, options: ServiceConfigOptions = {}): ServiceConfig {
  try {
    return serviceConfigFromYaml(readFileSync(file, 'utf8'), { ...options, file });
  } catch (error) {
    throw new Error(`${file}: ${(error as Error).message}`, { cause: error });
  }
}

/**
 * Resolves a serverless.yml given as text.
 *
 * @param text - The YAML source.
 * @param options - The stage (default `local`) and variable context; `file` names the file
 *   (its directory is the service's `dir`).
 */
export function serviceConfigFromYaml(text: string, options: ServiceConfigOptions & { file?: string } = {}): ServiceConfig {
  const file = resolve(options.file ?? 'serverless.yml');
  const document = parseCloudFormationYaml(text, file);
  if (document === null || typeof document !== 'object' || Array.isArray(document)) throw new Error('serverless.yml must be a mapping');
  // `${file(...)}` paths are relative to the serverless.yml, as osls reads them.
  const context: VariableContext = { ...options, stage: options.stage ?? 'local', serviceDir: options.serviceDir ?? dirname(file) };
  const resolver = new VariableResolver(document as Record<string, unknown>, context);

  const name = serviceName(resolver.resolveAt('service'));
  const region = optionalString(resolver.resolveAt('provider.region'), 'provider.region') ?? context.region ?? DEFAULT_REGION;
  const providerEnvironment = environmentOf(resolver.resolveAt('provider.environment'), 'provider.environment');
  const providerIntrinsics = intrinsicVariables(resolver.resolveAt('provider.environment'));
  const providerTimeout = optionalNumber(resolver.resolveAt('provider.timeout'), 'provider.timeout');
  const providerMemory = optionalNumber(resolver.resolveAt('provider.memorySize'), 'provider.memorySize');

  const dir = dirname(file);
  // The provider role's statements: what a function without statements of its own runs with.
  const providerStatements = () => statementsOf(resolver.resolveAt('provider.iam.role.statements') ?? resolver.resolveAt('provider.iamRoleStatements'), 'provider.iam.role.statements');
  const functions = Object.keys(objectAt(document, 'functions')).map((key): FunctionConfig => {
    const at = (field: string) => resolver.resolveAt(['functions', key, field]);
    const where = (field: string) => `functions.${key}.${field}`;
    const handler = at('handler');
    if (typeof handler !== 'string' || !handler.includes('.')) throw new Error(`${where('handler')} must be "path/to/module.export"`);
    const own = at('iamRoleStatements');
    const statements = own === undefined ? providerStatements() : [...statementsOf(own, where('iamRoleStatements')), ...(at('iamRoleStatementsInherit') === true ? providerStatements() : [])];
    return {
      name: key,
      functionName: optionalString(at('name'), where('name')) ?? `${name}-${context.stage}-${key}`,
      service: name,
      dir,
      handler,
      environment: { ...providerEnvironment, ...environmentOf(at('environment'), where('environment')) },
      cloudFormationEnvironment: [...new Set([...providerIntrinsics, ...intrinsicVariables(at('environment'))])],
      timeout: optionalNumber(at('timeout'), where('timeout')) ?? providerTimeout ?? DEFAULT_TIMEOUT_SECONDS,
      memorySize: optionalNumber(at('memorySize'), where('memorySize')) ?? providerMemory ?? DEFAULT_MEMORY_MB,
      eventBridge: subscriptionsOf(at('events'), where('events')),
      schedules: schedulesOf(at('events'), where('events')),
      httpApi: httpApiRoutesOf(at('events'), where('events')),
      websocket: websocketRoutesOf(at('events'), where('events')),
      role: { name: optionalString(at('iamRoleStatementsName'), where('iamRoleStatementsName')) ?? `${name}-${context.stage}-${key}-${region}-lambdaRole`, statements },
    };
  });

  const resources = resolver.resolveAt('resources.Resources') ?? {};
  if (typeof resources !== 'object' || Array.isArray(resources)) throw new Error('resources.Resources must be a mapping');
  const outputs = resolver.resolveAt('resources.Outputs') ?? {};
  if (typeof outputs !== 'object' || Array.isArray(outputs)) throw new Error('resources.Outputs must be a mapping');

  return {
    name,
    dir,
    file,
    stage: context.stage,
    region,
    environment: providerEnvironment,
    functions,
    resources: resources as Record<string, CloudFormationResource>,
    outputs: outputs as Record<string, unknown>,
    websocketRouteSelection: optionalString(resolver.resolveAt('provider.websocketsApiRouteSelectionExpression'), 'provider.websocketsApiRouteSelectionExpression') ?? '$request.body.action',
    stateMachines: stateMachinesOf(document as Record<string, unknown>, dir, (key) => optionalString(resolver.resolveAt(['stepFunctions', 'stateMachines', key, 'name']), `stepFunctions.stateMachines.${key}.name`)),
  };
}

const FILE_VARIABLE = /^\$\{file\(([^)]+)\)\}$/;

/** The state machines a service declares; each definition must be one ASL file, as the local runner reads it. */
function stateMachinesOf(document: Record<string, unknown>, dir: string, nameOf: (key: string) => string | undefined): StateMachineConfig[] {
  const machines = ((document.stepFunctions as { stateMachines?: unknown } | undefined)?.stateMachines ?? {}) as Record<string, { definition?: unknown }>;
  return Object.entries(machines).map(([key, machine]) => {
    const file = typeof machine?.definition === 'string' ? FILE_VARIABLE.exec(machine.definition)?.[1] : undefined;
    if (!file) throw new Error(`stepFunctions.stateMachines.${key}.definition must be \${file(<an ASL file>)}`);
    const name = nameOf(key);
    if (!name) throw new Error(`stepFunctions.stateMachines.${key}.name must be set`);
    return { key, name, definitionFile: resolve(dir, file.trim()) };
  });
}

function serviceName(value: unknown): string {
  // Serverless v1 also allowed `service: { name: ... }`.
  const name = value !== null && typeof value === 'object' ? (value as { name?: unknown }).name : value;
  if (typeof name !== 'string' || name === '') throw new Error('service must be a non-empty string');
  return name;
}

function objectAt(document: object, key: string): Record<string, unknown> {
  const value = (document as Record<string, unknown>)[key];
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
}

/** The plain (string, number, boolean) variables of an environment mapping; CloudFormation values are listed by `intrinsicVariables`. */
function environmentOf(value: unknown, where: string): Record<string, string> {
  if (value === undefined || value === null) return {};
  if (typeof value !== 'object' || Array.isArray(value)) throw new Error(`${where} must be a mapping`);
  const environment: Record<string, string> = {};
  for (const [key, item] of Object.entries(value)) {
    if (item === undefined || item === null || typeof item === 'object') continue;
    environment[key] = String(item);
  }
  return environment;
}

function intrinsicVariables(value: unknown): string[] {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return [];
  return Object.entries(value)
    .filter(([, item]) => item !== null && typeof item === 'object')
    .map(([key]) => key);
}

function subscriptionsOf(value: unknown, where: string): EventBridgeSubscription[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) throw new Error(`${where} must be a list`);
  const subscriptions: EventBridgeSubscription[] = [];
  value.forEach((event: unknown, index) => {
    const eventBridge = event !== null && typeof event === 'object' ? (event as Record<string, unknown>).eventBridge : undefined;
    if (eventBridge === undefined || eventBridge === null) return;
    if (typeof eventBridge !== 'object') throw new Error(`${where}[${index}].eventBridge must be a mapping`);
    const { pattern, eventBus } = eventBridge as Record<string, unknown>;
    if (pattern === undefined) return;
    if (pattern === null || typeof pattern !== 'object' || Array.isArray(pattern)) {
      throw new Error(`${where}[${index}].eventBridge.pattern must be a mapping`);
    }
    subscriptions.push({ pattern: pattern as EventPattern, ...(eventBus === undefined ? {} : { eventBus }) });
  });
  return subscriptions;
}

function statementsOf(value: unknown, where: string): Array<Record<string, unknown>> {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value) || !value.every((statement) => statement !== null && typeof statement === 'object' && !Array.isArray(statement))) {
    throw new Error(`${where} must be a list of statements`);
  }
  return value as Array<Record<string, unknown>>;
}

function eventsOfKind(value: unknown, kind: string, where: string): Array<[number, unknown]> {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) throw new Error(`${where} must be a list`);
  return value.flatMap((event: unknown, index): Array<[number, unknown]> => {
    const body = event !== null && typeof event === 'object' ? (event as Record<string, unknown>)[kind] : undefined;
    return body === undefined || body === null ? [] : [[index, body]];
  });
}

function httpApiRoutesOf(value: unknown, where: string): HttpApiRoute[] {
  return eventsOfKind(value, 'httpApi', where).map(([index, body]) => {
    // `httpApi: 'POST /mcp'` or `httpApi: { method: POST, path: /mcp }`; `'*'` is the default route.
    if (body === '*') return { method: '*', path: '*' };
    if (typeof body === 'string') {
      const [method, path] = body.trim().split(/\s+/);
      if (!method || !path) throw new Error(`${where}[${index}].httpApi must be "METHOD /path"`);
      return { method: method.toUpperCase(), path };
    }
    const { method, path } = body as { method?: unknown; path?: unknown };
    if (typeof method !== 'string' || typeof path !== 'string') throw new Error(`${where}[${index}].httpApi needs a method and a path`);
    return { method: method.toUpperCase(), path };
  });
}

const RATE_UNITS: Readonly<Record<string, number>> = { minute: 60, minutes: 60, hour: 3600, hours: 3600, day: 86_400, days: 86_400 };

/** The periods of a function's `schedule` events: `rate(1 minute)`, or `{ rate: [...], enabled }`; a `cron(…)` is not run locally. */
function schedulesOf(value: unknown, where: string): number[] {
  return eventsOfKind(value, 'schedule', where).flatMap(([index, body]) => {
    const spec = typeof body === 'string' ? { rate: body } : ((body ?? {}) as { rate?: unknown; enabled?: unknown });
    if (spec.enabled === false) return [];
    const rates = Array.isArray(spec.rate) ? spec.rate : [spec.rate];
    return rates.flatMap((rate: unknown) => {
      if (typeof rate !== 'string') throw new Error(`${where}[${index}].schedule needs a rate`);
      if (rate.startsWith('cron(')) return [];
      const match = /^rate\((\d+) (minutes?|hours?|days?)\)$/.exec(rate);
      if (!match) throw new Error(`${where}[${index}].schedule ${JSON.stringify(rate)} is not rate(<n> minute(s)|hour(s)|day(s))`);
      return [Number(match[1]) * (RATE_UNITS[match[2] as string] as number)];
    });
  });
}

function websocketRoutesOf(value: unknown, where: string): string[] {
  return eventsOfKind(value, 'websocket', where).map(([index, body]) => {
    const route = typeof body === 'string' ? body : (body as { route?: unknown }).route;
    if (typeof route !== 'string' || route === '') throw new Error(`${where}[${index}].websocket needs a route`);
    return route;
  });
}

function optionalString(value: unknown, where: string): string | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') throw new Error(`${where} must be a string`);
  return value;
}

function optionalNumber(value: unknown, where: string): number | undefined {
  if (value === undefined || value === null) return undefined;
  const number = typeof value === 'string' ? Number(value) : value;
  if (typeof number !== 'number' || !Number.isFinite(number) || number <= 0) throw new Error(`${where} must be a positive number`);
  return number;
}
