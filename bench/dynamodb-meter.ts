/**
 * A meter in front of DynamoDB Local: forwards every request and adds up, by operation and by
 * table (base table and indexes apart), the capacity each one consumed, so what a flow costs in
 * DynamoDB is measured rather than read off the code.
 *
 * - Single-item calls and queries: DynamoDB Local reports their capacity the way DynamoDB bills it
 *   (`ReturnConsumedCapacity: INDEXES`, added where the caller did not ask): 1 write unit per KB,
 *   1 read unit per 4 KB strongly consistent, half that eventually consistent, and the writes of
 *   every index the item is in.
 * - `TransactWriteItems`: DynamoDB Local under-reports these (several items on one table come
 *   back as one item's units), so the meter computes them as DynamoDB bills them: per item, 2
 *   write units per KB of the larger of its old and new image (the new one, read back right
 *   after the transaction; the flows measured run one at a time), plus 1 per KB for each index
 *   whose projection the write changes (an index write is not part of the transaction's two
 *   phases: this is the one assumption here).
 * A request DynamoDB refuses (a condition that does not hold, a cancelled transaction) reports
 * no capacity; it is counted apart, as `failed`.
 */
import {
  createServer,
  request as forward,
  type IncomingMessage,
  type Server,
} from "node:http";
import type { AddressInfo } from "node:net";
import {
  DescribeTableCommand,
  DynamoDBClient,
  GetItemCommand,
  type AttributeValue,
  type TableDescription,
} from "@aws-sdk/client-dynamodb";

const READS = new Set([
  "GetItem",
  "Query",
  "Scan",
  "BatchGetItem",
  "TransactGetItems",
]);
const METERED = new Set([
  ...READS,
  "PutItem",
  "UpdateItem",
  "DeleteItem",
  "BatchWriteItem",
  "TransactWriteItems",
]);

interface Capacity {
  TableName?: string;
  CapacityUnits?: number;
  Table?: { CapacityUnits?: number };
  GlobalSecondaryIndexes?: Record<string, { CapacityUnits?: number }>;
  LocalSecondaryIndexes?: Record<string, { CapacityUnits?: number }>;
}

/** What the meter has counted so far. */
export interface Reading {
  /** Requests by operation (`TransactWriteItems`…). */
  requests: Record<string, number>;
  /** Requests DynamoDB refused (conditional check failed, transaction cancelled…), by operation. */
  failed: Record<string, number>;
  /** Read units by table (`accounts`, `accounts/account_id-index`…). */
  readUnits: Record<string, number>;
  /** Write units by table and index. */
  writeUnits: Record<string, number>;
  /**
   * A cancelled TransactWriteItems' items, 2 units per KB each, by table: what the transaction
   * would have written. DynamoDB bills a refused transactional write too, so the cost tables
   * count these beside the writes that landed (an upper bound: the items it had not reached may
   * not be charged).
   */
  cancelledWriteUnits: Record<string, number>;
}

export interface DynamoDbMeter {
  endpoint: string;
  /** A copy of the counts so far. */
  read(): Reading;
  stop(): Promise<void>;
}

const empty = (): Reading => ({
  requests: {},
  failed: {},
  readUnits: {},
  writeUnits: {},
  cancelledWriteUnits: {},
});

function add(into: Record<string, number>, key: string, amount: number): void {
  into[key] = (into[key] ?? 0) + amount;
}

/** `centli-accounts-local` → `accounts`. */
const shortName = (table: string) =>
  table.replace(/^centli-/, "").replace(/-local$/, "");

/** What `later` counted beyond `earlier`. */
export function difference(later: Reading, earlier: Reading): Reading {
  const minus = (a: Record<string, number>, b: Record<string, number>) =>
    Object.fromEntries(
      Object.entries(a)
        .map(([k, v]) => [k, v - (b[k] ?? 0)] as const)
        .filter(([, v]) => Math.abs(v) > 1e-9),
    );
  return {
    requests: minus(later.requests, earlier.requests),
    failed: minus(later.failed, earlier.failed),
    readUnits: minus(later.readUnits, earlier.readUnits),
    writeUnits: minus(later.writeUnits, earlier.writeUnits),
    cancelledWriteUnits: minus(later.cancelledWriteUnits ?? {}, earlier.cancelledWriteUnits ?? {}),
  };
}

export const total = (counts: Record<string, number>) =>
  Object.values(counts).reduce((a, b) => a + b, 0);

/** An attribute value's size as DynamoDB counts it. */
function valueSize(value: AttributeValue): number {
  const utf8 = (text: string) => Buffer.byteLength(text, "utf8");
  const number = (text: string) => {
    const digits = text.replace(/^[-+]?0*/, "").replace(".", "").replace(/e.*$/i, "").replace(/0+$/, "");
    return Math.ceil(Math.max(digits.length, 1) / 2) + 1;
  };
  if (value.S !== undefined) return utf8(value.S);
  if (value.N !== undefined) return number(value.N);
  if (value.B !== undefined) return value.B.length;
  if (value.BOOL !== undefined || value.NULL !== undefined) return 1;
  if (value.SS) return value.SS.reduce((a, v) => a + utf8(v), 0);
  if (value.NS) return value.NS.reduce((a, v) => a + number(v), 0);
  if (value.BS) return value.BS.reduce((a, v) => a + v.length, 0);
  if (value.L) return 3 + value.L.reduce((a, v) => a + valueSize(v) + 1, 0);
  if (value.M) return 3 + Object.entries(value.M).reduce((a, [k, v]) => a + utf8(k) + valueSize(v) + 1, 0);
  return 0;
}

/** An item's size as DynamoDB counts it: attribute names and values. */
export function itemSize(item: Record<string, AttributeValue>): number {
  return Object.entries(item).reduce(
    (a, [name, value]) => a + Buffer.byteLength(name, "utf8") + valueSize(value),
    0,
  );
}

const kb = (bytes: number) => Math.max(1, Math.ceil(bytes / 1024));

async function body(message: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of message) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/** Starts a meter forwarding to `target` (DynamoDB Local's endpoint). */
export async function startDynamoDbMeter(target: string): Promise<DynamoDbMeter> {
  const upstream = new URL(target);
  const counts = empty();
  const client = new DynamoDBClient({
    endpoint: target,
    region: "us-east-1",
    credentials: { accessKeyId: "local", secretAccessKey: "local" },
  });
  const tables = new Map<string, Promise<TableDescription | undefined>>();
  const describe = (name: string) => {
    let found = tables.get(name);
    if (!found) {
      found = client.send(new DescribeTableCommand({ TableName: name })).then((r) => r.Table);
      tables.set(name, found);
    }
    return found;
  };
  const server: Server = createServer((incoming, response) => {
    void (async () => {
      const operation =
        String(incoming.headers["x-amz-target"] ?? "").split(".").pop() ?? "";
      let sent = await body(incoming);
      if (METERED.has(operation)) {
        add(counts.requests, operation, 1);
        const parsed = JSON.parse(sent.toString("utf8") || "{}") as Record<string, unknown>;
        if (parsed.ReturnConsumedCapacity === undefined) {
          parsed.ReturnConsumedCapacity = "INDEXES";
          sent = Buffer.from(JSON.stringify(parsed));
        }
      }
      const headers = { ...incoming.headers, "content-length": String(sent.length) };
      delete headers["transfer-encoding"];
      const proxied = forward(
        {
          hostname: upstream.hostname,
          port: upstream.port,
          path: incoming.url,
          method: incoming.method,
          headers,
        },
        (answer) => {
          const chunks: Buffer[] = [];
          answer.on("data", (chunk: Buffer) => chunks.push(chunk));
          answer.on("end", () => {
            void (async () => {
              const received = Buffer.concat(chunks);
              if (METERED.has(operation)) {
                if ((answer.statusCode ?? 500) >= 400) {
                  add(counts.failed, operation, 1);
                  if (operation === "TransactWriteItems") await meterTransaction(sent, counts.cancelledWriteUnits, false);
                } else if (operation === "TransactWriteItems") await meterTransaction(sent);
                else meter(operation, received);
              }
              response.writeHead(answer.statusCode ?? 500, answer.headers);
              response.end(received);
            })();
          });
        },
      );
      proxied.on("error", (error) => {
        response.writeHead(500, { "content-type": "application/json" });
        response.end(JSON.stringify({ message: error.message }));
      });
      proxied.end(sent);
    })();
  });

  /** A transaction's units, computed per item (see the module description). */
  async function meterTransaction(sent: Buffer, into = counts.writeUnits, indexes = true): Promise<void> {
    const request = JSON.parse(sent.toString("utf8")) as {
      TransactItems: Array<Record<string, { TableName: string; Item?: Record<string, AttributeValue>; Key?: Record<string, AttributeValue> }>>;
    };
    for (const wrapper of request.TransactItems) {
      const [kind, op] = Object.entries(wrapper)[0] as [string, { TableName: string; Item?: Record<string, AttributeValue>; Key?: Record<string, AttributeValue> }];
      const table = await describe(op.TableName);
      let image = op.Item;
      if (!image && op.Key)
        image = (
          await client.send(new GetItemCommand({ TableName: op.TableName, Key: op.Key, ConsistentRead: true }))
        ).Item;
      const size = image ? itemSize(image) : 0;
      const name = shortName(op.TableName);
      add(into, name, 2 * kb(size));
      if (kind === "ConditionCheck" || !image || !indexes) continue;
      for (const index of table?.GlobalSecondaryIndexes ?? []) {
        const keys = (index.KeySchema ?? []).map((k) => k.AttributeName as string);
        if (!keys.every((k) => image?.[k] !== undefined)) continue;
        // An update that leaves a KEYS_ONLY index's keys alone does not write the index.
        if (kind === "Update" && index.Projection?.ProjectionType === "KEYS_ONLY") continue;
        add(into, `${name}/${index.IndexName}`, kb(size));
      }
    }
  }

  function meter(operation: string, received: Buffer): void {
    const answer = JSON.parse(received.toString("utf8") || "{}") as {
      ConsumedCapacity?: Capacity | Capacity[];
    };
    const consumed = answer.ConsumedCapacity;
    const list = Array.isArray(consumed) ? consumed : consumed ? [consumed] : [];
    const into = READS.has(operation) ? counts.readUnits : counts.writeUnits;
    for (const capacity of list) {
      const table = shortName(capacity.TableName ?? "?");
      const indexes = {
        ...capacity.GlobalSecondaryIndexes,
        ...capacity.LocalSecondaryIndexes,
      };
      const onTable =
        capacity.Table?.CapacityUnits ??
        (Object.keys(indexes).length === 0 ? (capacity.CapacityUnits ?? 0) : 0);
      if (onTable > 0) add(into, table, onTable);
      for (const [index, units] of Object.entries(indexes))
        if ((units.CapacityUnits ?? 0) > 0)
          add(into, `${table}/${index}`, units.CapacityUnits ?? 0);
    }
  }

  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", () => resolve()));
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    read: () => JSON.parse(JSON.stringify(counts)) as Reading,
    stop: async () => {
      client.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
