/**
 * The whole system on this machine: DynamoDB Local with the services' tables (and seed data),
 * the local event bus with one target per function `eventBridge` event, and the handlers run
 * in process. Handlers find the local parts through the AWS SDK's own endpoint settings
 * (`AWS_ENDPOINT_URL_DYNAMODB`, `AWS_ENDPOINT_URL_EVENTBRIDGE`), so their code is the code
 * that runs in AWS.
 *
 * @module
 */
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { loadSeed } from '../seed/load';
import { LocalEventBus } from './bus';
import { createTables, startDynamoDbLocal } from './dynamodb';
import { applyEnvironment, unionEnvironment } from './environment';
import { handlerLocation, invokeFunction } from './lambda';
import { createLocalSaga } from './saga';
import { loadServiceConfigs, REPOSITORY_ROOT, type ServiceConfig } from './serverless-config';

/** How to start the local stack. */
export interface LocalStackOptions {
  /** The stage the serverless.yml files are resolved for; `local` by default. */
  stage?: string;
  /** The bus's port (DynamoDB Local takes the next one); `0` (the default): free ports. */
  port?: number;
  /** Load the seed data (`seed/load.ts`); `true` by default. */
  seed?: boolean;
  /**
   * Where to write the endpoints for other processes (`sls invoke local`, test setups),
   * relative to the repository root; `.centli/local.json` by default, `false` for none.
   */
  stateFile?: string | false;
  /** POWERTOOLS_LOG_LEVEL for the handlers, over what serverless.yml sets. */
  logLevel?: string;
  /** In-flight deliveries per target (32 by default). */
  concurrency?: number;
  /** The repository to run; this one by default. */
  rootDir?: string;
  /** Receives the stack's own messages (retries, dead letters, warnings); stderr by default. */
  log?: (message: string) => void;
}

/** Where the local parts listen. */
export interface LocalStackEndpoints {
  dynamodb: string;
  eventbridge: string;
  /** The bus's read API (`/events`, `/dead-letters`, `/health`): the same server as `eventbridge`. */
  http: string;
  region: string;
}

/** A running local stack. */
export interface LocalStack {
  endpoints: LocalStackEndpoints;
  bus: LocalEventBus;
  services: ServiceConfig[];
  /** The absolute path of the state file, when one was written. */
  stateFile: string | undefined;
  /** Stops the bus and DynamoDB Local, restores the environment and removes the state file. */
  stop(): Promise<void>;
}

/** Starts the local stack (see the module description). */
export async function startLocalStack(options: LocalStackOptions = {}): Promise<LocalStack> {
  const stage = options.stage ?? 'local';
  const rootDir = options.rootDir ?? REPOSITORY_ROOT;
  const log = options.log ?? ((message: string) => process.stderr.write(`[centli] ${message}\n`));
  const port = options.port ?? 0;

  const services = loadServiceConfigs({ stage }, rootDir);
  const functions = services.flatMap((service) => service.functions);
  for (const fn of functions) handlerLocation(fn.dir, fn.handler);
  const environment = unionEnvironment(functions);
  const region = services[0]?.region ?? 'us-east-1';
  const busName = eventBusName(services, environment, stage);

  const undo: Array<() => unknown> = [];
  const unwind = async () => {
    const errors: unknown[] = [];
    for (const step of undo.splice(0).reverse()) {
      try {
        await step();
      } catch (error) {
        errors.push(error);
      }
    }
    if (errors.length > 0) throw new AggregateError(errors, 'the local stack did not stop cleanly');
  };

  try {
    const dynamo = await startDynamoDbLocal({ port: port === 0 ? 0 : port + 1, region });
    undo.push(() => dynamo.stop());
    // Per service: logical ids are unique within a stack only.
    const tables = (await Promise.all(services.map((service) => createTables(dynamo.client, service.resources)))).flat();

    // The purchase saga (sagas/purchase.asl.yml): its Step Functions API (which the start-purchase
    // function calls) and its executions' histories (`GET /executions/<purchase_id>`) are served
    // beside the bus; its result events go on the bus.
    const saga = createLocalSaga({ rootDir, stage, region, busName, functions, environment, log, putEvents: async (entries) => bus.putEvents(entries) });
    const bus = new LocalEventBus({
      busName,
      region,
      port,
      log,
      ...(options.concurrency === undefined ? {} : { concurrency: options.concurrency }),
      ...(saga ? { operations: saga.operations, routes: saga.routes } : {}),
    });
    for (const fn of functions) {
      fn.eventBridge.forEach((subscription, index) => {
        bus.register({
          name: fn.eventBridge.length > 1 ? `${fn.functionName}#${index + 1}` : fn.functionName,
          pattern: subscription.pattern,
          invoke: (event) => invokeFunction(fn, event, { region }),
        });
      });
    }
    const busUrl = await bus.start();
    undo.push(() => bus.stop());
    if (saga) undo.push(() => saga.runner.stop());
    const endpoints: LocalStackEndpoints = { dynamodb: dynamo.endpoint, eventbridge: busUrl, http: busUrl, region };

    const restore = applyEnvironment({
      ...environment,
      AWS_ENDPOINT_URL_DYNAMODB: endpoints.dynamodb,
      AWS_ENDPOINT_URL_EVENTBRIDGE: endpoints.eventbridge,
      AWS_ENDPOINT_URL_SFN: endpoints.eventbridge,
      AWS_REGION: region,
      AWS_DEFAULT_REGION: region,
      // DynamoDB Local and the bus accept any credentials; the SDK insists on some.
      AWS_ACCESS_KEY_ID: 'local',
      AWS_SECRET_ACCESS_KEY: 'local',
      // What Lambda sets for on-demand functions; Powertools reports cold starts only under it.
      AWS_LAMBDA_INITIALIZATION_TYPE: 'on-demand',
      ...(options.logLevel ? { POWERTOOLS_LOG_LEVEL: options.logLevel } : {}),
      // EMF metric lines are for CloudWatch; locally they would only crowd the logs.
      POWERTOOLS_METRICS_DISABLED: process.env.POWERTOOLS_METRICS_DISABLED ?? 'true',
    });
    undo.push(restore);

    if (options.seed ?? true) await seed(stage, endpoints, log);

    let stateFile: string | undefined;
    if (options.stateFile !== false) {
      const file = options.stateFile ?? join('.centli', 'local.json');
      stateFile = isAbsolute(file) ? file : resolve(rootDir, file);
      writeStateFile(stateFile, endpoints);
      const written = stateFile;
      undo.push(() => removeStateFile(written));
    }

    log(`stage ${stage}: tables ${tables.join(', ') || '(none)'}; ${functions.length} function(s) on bus ${busName}`);
    let stopping: Promise<void> | undefined;
    return {
      endpoints,
      bus,
      services,
      stateFile,
      stop: () => (stopping ??= unwind()),
    };
  } catch (error) {
    await unwind().catch(() => {});
    throw error;
  }
}

/** The bus the platform declares, checked against the EVENT_BUS_NAME the handlers publish to. */
function eventBusName(services: readonly ServiceConfig[], environment: Readonly<Record<string, string>>, stage: string): string {
  const declared = services
    .flatMap((service) => Object.values(service.resources))
    .find((resource) => resource?.Type === 'AWS::Events::EventBus')?.Properties?.Name;
  const name = typeof declared === 'string' ? declared : (environment.EVENT_BUS_NAME ?? `centli-event-bus-${stage}`);
  const published = environment.EVENT_BUS_NAME;
  if (published !== undefined && published !== name) {
    throw new Error(`the functions publish to EVENT_BUS_NAME=${published}, but the platform's event bus is ${name}`);
  }
  return name;
}

async function seed(stage: string, endpoints: LocalStackEndpoints, log: (message: string) => void): Promise<void> {
  const client = new DynamoDBClient({ endpoint: endpoints.dynamodb, region: endpoints.region, credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
  try {
    const documentClient = DynamoDBDocumentClient.from(client, { marshallOptions: { removeUndefinedValues: true } });
    const { items, missingTables } = await loadSeed({ stage, documentClient });
    log(`seeded ${items} item(s)${missingTables.length > 0 ? `; no table for ${missingTables.join(', ')}` : ''}`);
  } finally {
    client.destroy();
  }
}

function writeStateFile(file: string, endpoints: LocalStackEndpoints): void {
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, `${JSON.stringify({ ...endpoints, pid: process.pid }, null, 2)}\n`);
}

/** Removes the state file unless another stack has since written its own there. */
function removeStateFile(file: string): void {
  try {
    const state = JSON.parse(readFileSync(file, 'utf8')) as { pid?: unknown };
    if (state.pid !== process.pid) return;
  } catch {
    return;
  }
  rmSync(file, { force: true });
}
