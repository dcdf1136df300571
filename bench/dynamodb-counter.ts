/**
 * Counts the DynamoDB requests a client sends, at the client: an AWS SDK v3 middleware placed
 * after the retry middleware, so each attempt that goes on the wire counts once (a retried
 * request counts twice, as DynamoDB bills it), by operation. Works for a DynamoDBDocumentClient
 * too: it shares its client's middleware stack.
 *
 *   const client = new DynamoDBClient({ ... });
 *   const requests = countRequests(client);
 *   await doWork(DynamoDBDocumentClient.from(client));
 *   requests.total(); // 1
 */
import type { DynamoDBClient } from "@aws-sdk/client-dynamodb";

export interface RequestCounter {
  /** Requests sent since the last reset. */
  total(): number;
  /** The same, by operation ("TransactWriteItemsCommand": 3, …). */
  byOperation(): Record<string, number>;
  reset(): void;
}

const NAME = "centliRequestCounter";

type Middleware = Parameters<
  DynamoDBClient["middlewareStack"]["addRelativeTo"]
>[0];

export function countRequests(
  client: Pick<DynamoDBClient, "middlewareStack">,
): RequestCounter {
  let counts: Record<string, number> = {};
  const count =
    (
      next: (args: unknown) => Promise<unknown>,
      context: { commandName?: string },
    ) =>
    async (args: unknown) => {
      const operation = context.commandName ?? "unknown";
      counts[operation] = (counts[operation] ?? 0) + 1;
      return next(args);
    };
  client.middlewareStack.addRelativeTo(count as Middleware, {
    name: NAME,
    relation: "after",
    toMiddleware: "retryMiddleware",
  });
  return {
    total: () => Object.values(counts).reduce((sum, n) => sum + n, 0),
    byOperation: () => ({ ...counts }),
    reset: () => {
      counts = {};
    },
  };
}
