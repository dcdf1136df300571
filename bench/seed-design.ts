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
 *
 * Two variants give the seed's approach its best chance (`SeedVariant`):
 *
 * - `equal-features`: the same steps, then also what Centli keeps and the faithful design does
 *   not: the request's outcome record (a put into the ledger controls table, first writer wins)
 *   and the day's debit counter (an ADD on the source's counter), beside the ledger rows, so both
 *   sides write the same six items;
 * - `sensible`: no reads and no versions: the debit is one update conditioned on
 *   `balance >= :amount` (and the account active, in the currency), the credit one unversioned
 *   `ADD`, which cannot conflict; then the ledger rows. Still not atomic: a client stopped
 *   between the debit and the credit still loses the money.
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

export type SeedVariant = "faithful" | "equal-features" | "sensible";

export interface SeedOptions {
  sleep?: (ms: number) => Promise<void>;
  /** `faithful` (the default), `equal-features` or `sensible`: see the module description. */
  variant?: SeedVariant;
  /** Where `equal-features` keeps the outcome and the daily counter (Centli's ledger controls table). */
  controls?: string;
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

  if (options.variant === "sensible") return sensibleTransfer(db, tables, transfer);

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

  // (e): the ledger rows (and, for `equal-features`, the outcome and the day's counter).
  await writeRecords(db, tables, transfer, at, options);
  return { status: "completed", attempts, creditAttempts };
}

/** The ledger rows, and for `equal-features` the outcome record and the daily counter too. */
async function writeRecords(
  db: DynamoDBDocumentClient,
  tables: SeedTables,
  transfer: SeedTransfer,
  at: string,
  options: SeedOptions,
): Promise<void> {
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
  const extra: Promise<unknown>[] = [];
  if (options.variant === "equal-features") {
    if (!options.controls)
      throw new Error("the equal-features variant needs the controls table");
    extra.push(
      db.send(
        new PutCommand({
          TableName: options.controls,
          Item: {
            pk: `seed-outcome#${transfer.from.user_id}#${transfer.request_id}`,
            status: "completed",
            transaction_id: transactionId,
            at,
          },
          ConditionExpression: "attribute_not_exists(pk)",
        }),
      ),
      db.send(
        new UpdateCommand({
          TableName: options.controls,
          Key: { pk: `seed-daily#${transfer.from.account_id}#${at.slice(0, 10)}` },
          UpdateExpression: "ADD debited :amount",
          ExpressionAttributeValues: { ":amount": transfer.amount },
        }),
      ),
    );
  }
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
    ...extra,
  ]);
}

/**
 * The `sensible` variant: a conditioned debit, an unconditioned credit, the ledger rows. Nothing
 * to lose a race over, so no retries; a refused debit is insufficient funds or an unusable
 * source (one read, only then, says which).
 */
async function sensibleTransfer(
  db: DynamoDBDocumentClient,
  tables: SeedTables,
  transfer: SeedTransfer,
): Promise<SeedResult> {
  const at = new Date().toISOString();
  const key = (account: AccountKey) => ({
    user_id: account.user_id,
    account_id: account.account_id,
  });
  try {
    await db.send(
      new UpdateCommand({
        TableName: tables.accounts,
        Key: key(transfer.from),
        UpdateExpression: "SET balance = balance - :amount, updated_at = :at",
        ConditionExpression:
          "balance >= :amount AND #status = :active AND currency = :currency",
        ExpressionAttributeNames: { "#status": "status" },
        ExpressionAttributeValues: {
          ":amount": transfer.amount,
          ":at": at,
          ":active": "active",
          ":currency": transfer.currency,
        },
      }),
    );
  } catch (error) {
    if ((error as Error).name === "ConditionalCheckFailedException")
      return { status: "refused", reason: "insufficient funds or source unavailable" };
    throw error;
  }
  await db.send(
    new UpdateCommand({
      TableName: tables.accounts,
      Key: key(transfer.to),
      UpdateExpression: "ADD balance :amount SET updated_at = :at",
      // Only that the account exists: no version, nothing to lose a race over.
      ConditionExpression: "attribute_exists(account_id)",
      ExpressionAttributeValues: { ":amount": transfer.amount, ":at": at },
    }),
  );
  await writeRecords(db, tables, transfer, at, {});
  return { status: "completed", attempts: 1, creditAttempts: 1 };
}
