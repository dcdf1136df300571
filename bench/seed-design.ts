/**
 * The seed's transfer (seeds/000, "2.2 Transfer Flow"), built faithfully so Centli's one
 * transaction can be compared with it on the same DynamoDB Local, from the same clients, in the
 * same run:
 *
 *   a. read the accounts (strong consistency): both, since each update below needs the version
 *      it read, in parallel (two GetItem, ConsistentRead);
 *   b. validate: both exist and are active, same currency, the source has the funds;
 *   c. debit the source, optimistically locked: `version = :read`, which also keeps the balance
 *      it validated; on a conflict, start again from (a), with the same backoff Centli uses
 *      (`withBackoff`: full jitter from 20 ms, capped at 1 s, ten attempts);
 *   d. credit the destination, optimistically locked; on a conflict, read it again and retry
 *      this step alone, with the same backoff, as long as it takes: the debit is done, and
 *      giving up now would lose the money;
 *   e. put the two ledger rows (in parallel), shaped as Centli's.
 *
 * Where a choice was open it was made in the seed's favour: the destination's owner is known
 * (Centli looks it up, or remembers it), the reads and the puts run in parallel, and there is
 * no idempotency record and no daily limit to keep. Nothing here is atomic: a client that stops
 * between (c) and (d) has taken money from one account and given it to nobody, and one that
 * stops between (d) and (e) has moved money the ledger does not show (`transfer.bench.ts`
 * measures both by killing clients).
 */
import { createHash } from "node:crypto";
import {
  GetCommand,
  PutCommand,
  UpdateCommand,
  type DynamoDBDocumentClient,
} from "@aws-sdk/lib-dynamodb";
import { withBackoff } from "@centli/pure/backoff";

export interface SeedTables {
  accounts: string;
  transactions: string;
}

export interface AccountKey {
  user_id: string;
  account_id: string;
}

export interface SeedTransfer {
  request_id: string;
  from: AccountKey;
  to: AccountKey;
  amount: number;
  currency: string;
}

export type SeedResult =
  | {
      status: "completed";
      /** Times (a)–(c) ran: 1 unless the source changed under it. */
      attempts: number;
      /** Times (d) ran: 1 unless the destination changed under it. */
      creditAttempts: number;
    }
  | { status: "refused"; reason: string };

/** An optimistic lock lost its race: someone wrote the account after we read it. */
export class VersionConflict extends Error {
  constructor(accountId: string) {
    super(`account ${accountId} changed since it was read`);
    this.name = "VersionConflict";
  }
}

interface AccountItem extends AccountKey {
  balance: number;
  currency: string;
  status: string;
  version: number;
}

export interface SeedOptions {
  sleep?: (ms: number) => Promise<void>;
}

const BACKOFF = { baseMs: 20, capMs: 1000 };

export async function seedTransfer(
  db: DynamoDBDocumentClient,
  tables: SeedTables,
  transfer: SeedTransfer,
  options: SeedOptions = {},
): Promise<SeedResult> {
  const read = async (key: AccountKey) =>
    (
      await db.send(
        new GetCommand({
          TableName: tables.accounts,
          Key: { user_id: key.user_id, account_id: key.account_id },
          ConsistentRead: true,
        }),
      )
    ).Item as AccountItem | undefined;
  const update = async (
    account: AccountItem,
    delta: number,
    at: string,
  ): Promise<void> => {
    try {
      await db.send(
        new UpdateCommand({
          TableName: tables.accounts,
          Key: { user_id: account.user_id, account_id: account.account_id },
          UpdateExpression:
            "SET balance = balance + :delta, version = :next, updated_at = :at",
          ConditionExpression: "version = :read",
          ExpressionAttributeValues: {
            ":delta": delta,
            ":read": account.version,
            ":next": account.version + 1,
            ":at": at,
          },
        }),
      );
    } catch (error) {
      if ((error as Error).name === "ConditionalCheckFailedException")
        throw new VersionConflict(account.account_id);
      throw error;
    }
  };
  const retrying = <T>(operation: () => Promise<T>, attempts: number) =>
    withBackoff(operation, {
      attempts,
      ...BACKOFF,
      retryable: (error) => error instanceof VersionConflict,
      ...(options.sleep ? { sleep: options.sleep } : {}),
    });

  let attempts = 0;
  let at = "";
  let destination: AccountItem | undefined;
  // (a)–(c): read, validate, debit; again from the read when the source changed.
  const refusal = await retrying(async () => {
    attempts++;
    const [source, target] = await Promise.all([
      read(transfer.from),
      read(transfer.to),
    ]);
    if (!source || source.status !== "active") return "source unavailable";
    if (!target || target.status !== "active") return "destination unavailable";
    if (
      source.currency !== transfer.currency ||
      target.currency !== transfer.currency
    )
      return "currency mismatch";
    if (source.balance < transfer.amount) return "insufficient funds";
    at = new Date().toISOString();
    await update(source, -transfer.amount, at);
    destination = target;
    return undefined;
  }, 10);
  if (refusal !== undefined) return { status: "refused", reason: refusal };

  // (d): credit; on a conflict read the destination again and retry, for as long as it takes.
  let creditAttempts = 0;
  await retrying(async () => {
    creditAttempts++;
    if (creditAttempts > 1) destination = await read(transfer.to);
    if (!destination)
      throw new Error(`account ${transfer.to.account_id} vanished`);
    await update(destination, transfer.amount, at);
  }, Number.MAX_SAFE_INTEGER);

  // (e): the ledger rows.
  const transactionId = `txn_${createHash("sha256").update(transfer.request_id).digest("base64url").slice(0, 24)}`;
  const row = (
    account: AccountKey,
    counterparty: AccountKey,
    direction: "debit" | "credit",
  ) => ({
    account_id: account.account_id,
    sk: `${at}#${transactionId}`,
    user_id: account.user_id,
    transaction_id: transactionId,
    request_id: transfer.request_id,
    direction,
    amount: transfer.amount,
    currency: transfer.currency,
    counterparty_account_id: counterparty.account_id,
    timestamp: at,
  });
  await Promise.all([
    db.send(
      new PutCommand({
        TableName: tables.transactions,
        Item: row(transfer.from, transfer.to, "debit"),
      }),
    ),
    db.send(
      new PutCommand({
        TableName: tables.transactions,
        Item: row(transfer.to, transfer.from, "credit"),
      }),
    ),
  ]);
  return { status: "completed", attempts, creditAttempts };
}
