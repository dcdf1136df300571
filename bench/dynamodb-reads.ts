/**
 * Meters the reads a DynamoDB client makes, at the client, with two AWS SDK v3 middlewares:
 * - one at `initialize` asks every read (Query, Scan, GetItem, BatchGetItem) for its consumed
 *   capacity (`ReturnConsumedCapacity: TOTAL`, which changes nothing else about the request)
 *   and adds up, from each answer, the read units DynamoDB charged and the items it evaluated
 *   (`ScannedCount`: a filter does not make DynamoDB read less);
 * - one after the retry middleware counts each attempt on the wire, by operation, so a retried
 *   request counts as often as DynamoDB sees it.
 * A DynamoDBDocumentClient made `from` the client goes through the same middlewares.
 *
 *   const client = new DynamoDBClient({ ... });
 *   const reads = meterReads(client);
 *   await search(DynamoDBDocumentClient.from(client));
 *   reads.take(); // { requests: 3, byOperation: { QueryCommand: 2, BatchGetItemCommand: 1 }, readUnits: 2.5, scanned: 60 }
 */
import type { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import type {
  FinalizeHandler,
  FinalizeHandlerArguments,
  HandlerExecutionContext,
  InitializeHandler,
  InitializeHandlerArguments,
  MetadataBearer,
} from "@smithy/types";

export interface Reads {
  /** Requests on the wire (retries included). */
  requests: number;
  byOperation: Record<string, number>;
  /** Read units DynamoDB reported as consumed (ConsumedCapacity.CapacityUnits, summed). */
  readUnits: number;
  /** Items evaluated by queries and scans (ScannedCount, summed). */
  scanned: number;
}

export interface ReadMeter {
  /** What was read since the last `take`, and starts counting afresh. */
  take(): Reads;
}

const READS = new Set([
  "QueryCommand",
  "ScanCommand",
  "GetItemCommand",
  "BatchGetItemCommand",
  "GetCommand",
  "BatchGetCommand",
]);

interface Capacity {
  CapacityUnits?: number;
  ReadCapacityUnits?: number;
}

function unitsOf(capacity: Capacity | Capacity[] | undefined): number {
  const all = Array.isArray(capacity) ? capacity : capacity ? [capacity] : [];
  return all.reduce(
    (sum, c) => sum + (c.ReadCapacityUnits ?? c.CapacityUnits ?? 0),
    0,
  );
}

const empty = (): Reads => ({
  requests: 0,
  byOperation: {},
  readUnits: 0,
  scanned: 0,
});

export function meterReads(
  client: Pick<DynamoDBClient, "middlewareStack">,
): ReadMeter {
  let reads = empty();
  client.middlewareStack.add(
    (
      next: InitializeHandler<object, MetadataBearer>,
      context: HandlerExecutionContext,
    ) =>
      async (args: InitializeHandlerArguments<object>) => {
        const read = READS.has(context.commandName ?? "");
        const input = args.input as Record<string, unknown>;
        if (read) input.ReturnConsumedCapacity = "TOTAL";
        const result = await next(args);
        if (read) {
          const output = result.output as {
            ConsumedCapacity?: Capacity | Capacity[];
            ScannedCount?: number;
          };
          reads.readUnits += unitsOf(output.ConsumedCapacity);
          reads.scanned += output.ScannedCount ?? 0;
        }
        return result;
      },
    { step: "initialize", name: "centliReadUnits" },
  );
  client.middlewareStack.addRelativeTo(
    (
      next: FinalizeHandler<object, MetadataBearer>,
      context: HandlerExecutionContext,
    ) =>
      async (args: FinalizeHandlerArguments<object>) => {
        const operation = context.commandName ?? "unknown";
        reads.requests += 1;
        reads.byOperation[operation] = (reads.byOperation[operation] ?? 0) + 1;
        return next(args);
      },
    {
      name: "centliReadRequests",
      relation: "after",
      toMiddleware: "retryMiddleware",
    },
  );
  return {
    take: () => {
      const taken = reads;
      reads = empty();
      return taken;
    },
  };
}
