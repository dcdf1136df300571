/**
 * A process of transfer clients for `transfer.bench.ts` to kill: it runs `clients` concurrent
 * clients moving `amount` between random pairs of `accounts`, with Centli's transfer (the
 * handler's function with its real DynamoDB adapter) or the seed's design, until it is killed.
 * It prints `start <request_id> <from index> <to index>` as it sends each transfer and
 * `done <request_id>` once it is done, so whoever kills it knows which requests were in flight
 * and can deliver them again.
 *
 *   node --import tsx bench/transfer-worker.ts '<WorkerConfig as JSON>'
 */
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import type { OutgoingEvent } from "@centli/pure/events";
import {
  LedgerStore,
  type LedgerTables,
} from "../services/core-banking/src/adapters/ledger-store";
import { transferFunds } from "../services/core-banking/src/app/transfer";
import { seedTransfer, VersionConflict, type AccountKey } from "./seed-design";

export interface WorkerConfig {
  design: "centli" | "seed";
  endpoint: string;
  tables: LedgerTables;
  accounts: AccountKey[];
  clients: number;
  amount: number;
  /** Keeps this process's request ids apart from every other's. */
  prefix: string;
}

export const LIMITS = {
  maxAmount: 5_000_000,
  dailyLimit: 10_000_000_000,
  timeZone: "America/Mexico_City",
  newPayeeLimit: 200_000,
  newPayeeHours: 24,
  defaultMtu: 1_275_000,
};

async function main(config: WorkerConfig): Promise<void> {
  const client = new DynamoDBClient({
    endpoint: config.endpoint,
    region: "us-east-1",
    credentials: { accessKeyId: "local", secretAccessKey: "local" },
    maxAttempts: 5,
  });
  const db = DynamoDBDocumentClient.from(client, {
    marshallOptions: { removeUndefinedValues: true },
  });
  const store = new LedgerStore(config.tables, db);
  const pick = () =>
    config.accounts[
      Math.floor(Math.random() * config.accounts.length)
    ] as AccountKey;
  let next = 0;
  const index = (account: AccountKey) => config.accounts.indexOf(account);
  await Promise.all(
    Array.from({ length: config.clients }, async () => {
      for (;;) {
        const from = pick();
        let to = pick();
        while (to.account_id === from.account_id) to = pick();
        const requestId = `${config.prefix}-${next++}`;
        process.stdout.write(`start ${requestId} ${index(from)} ${index(to)}\n`);
        if (config.design === "centli") {
          const answer = (await transferFunds(
            {
              request_id: requestId,
              correlation_id: requestId,
              user_id: from.user_id,
              from_account_id: from.account_id,
              to_account_id: to.account_id,
              amount: config.amount,
              currency: "MXN",
            },
            { store, limits: LIMITS, now: () => new Date() },
          )) as OutgoingEvent;
          if (answer.detailType !== "TRANSFER_COMPLETED")
            throw new Error(
              `transfer refused: ${JSON.stringify(answer.detail)}`,
            );
        } else {
          const result = await seedTransfer(db, config.tables, {
            request_id: requestId,
            from,
            to,
            amount: config.amount,
            currency: "MXN",
          }).catch((error: unknown) => {
            // The source stayed busy through every attempt: nothing was written; the next transfer.
            if (error instanceof VersionConflict) return undefined;
            throw error;
          });
          if (!result) continue;
          if (result.status !== "completed")
            throw new Error(`transfer refused: ${result.reason}`);
        }
        process.stdout.write(`done ${requestId}\n`);
      }
    }),
  );
}

if (require.main === module) {
  main(JSON.parse(process.argv[2] ?? "{}") as WorkerConfig).catch(
    (error: unknown) => {
      console.error(error);
      process.exitCode = 1;
    },
  );
}
