/**
 * Loads seed/data/<table>.json into centli-<table>-<stage>. Works against the local stack
 * (npm start calls it) and a deployed stage (`npm run seed -- --stage dev`). An item that
 * already exists is left alone: seeding never resets a balance. The seeded customers' history
 * (seed/history.ts) is written once per stage, ending the day before the first seed (`seedHistory`).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DescribeTableCommand } from '@aws-sdk/client-dynamodb';
import { BatchWriteCommand, GetCommand, PutCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { dynamoDocumentClient } from '@centli/kit/aws';
import { withBankCode } from '@centli/pure/clabe';
import type { Account } from '../services/core-banking/src/domain/account';
import { generateHistory, startDayOf, type SeedBeneficiary, type SeedCard, type SeedHistory } from './history';
import { toE164 } from '../services/voice/src/domain/phone';
import { hashPin } from '../services/voice/src/domain/pin';

const dataDir = join(__dirname, 'data');

export interface SeedTable {
  table: string;
  items: Record<string, unknown>[];
}

/** The seed data, table by table (base names, without prefix or stage). */
export function seedTables(): SeedTable[] {
  return readdirSync(dataDir)
    .filter((file) => file.endsWith('.json'))
    .sort()
    .map((file) => ({
      table: file.replace(/\.json$/, ''),
      items: JSON.parse(readFileSync(join(dataDir, file), 'utf8')) as Record<string, unknown>[],
    }));
}

export function tableName(table: string, stage: string): string {
  return `centli-${table}-${stage}`;
}

export interface SeedResult {
  items: number;
  /** Rows already there, left as they were. */
  skipped: number;
  /** Tables the stage does not have (a service not deployed there). */
  missingTables: string[];
}

/**
 * The bank code the seeded accounts' CLABEs carry: `999`, which no SPEI participant holds, unless
 * the stage's own is given (`--bank-code`, or CENTLI_CLABE_BANK_CODE: the code the stage's receiving
 * function accepts, core-banking's `SPEI_BANK_CODE`). See docs/decisions.md on CLABEs.
 */
export const SEED_BANK_CODE = '999';

/** A seed row as the stage gets it: an account's CLABE under the stage's bank code (check digit recomputed). */
export function forBank(table: string, row: Record<string, unknown>, bankCode: string): Record<string, unknown> {
  if (table !== 'accounts' || typeof row.clabe !== 'string' || bankCode === SEED_BANK_CODE) return row;
  return { ...row, clabe: withBankCode(row.clabe, bankCode) };
}

export async function loadSeed(options: { stage: string; documentClient?: DynamoDBDocumentClient; bankCode?: string }): Promise<SeedResult> {
  const bankCode = options.bankCode ?? SEED_BANK_CODE;
  const db = options.documentClient ?? dynamoDocumentClient();
  const now = new Date();
  let items = 0;
  let skipped = 0;
  const missingTables: string[] = [];
  for (const { table, items: rows } of seedTables()) {
    const TableName = tableName(table, options.stage);
    if (!(await tableExists(db, TableName))) {
      missingTables.push(TableName);
      continue;
    }
    // The first field of every seed row is its table's partition key: a row already there is skipped.
    await Promise.all(
      rows.map(async (row) => {
        const key = Object.keys(row)[0] as string;
        try {
          await db.send(
            new PutCommand({
              TableName,
              Item: { created_at: createdAt(table, now), ...forBank(table, row, bankCode) },
              ConditionExpression: 'attribute_not_exists(#k)',
              ExpressionAttributeNames: { '#k': key },
            }),
          );
          items++;
        } catch (error) {
          if ((error as Error).name !== 'ConditionalCheckFailedException') throw error;
          skipped++;
        }
      }),
    );
  }
  const history = await seedHistory(db, options.stage, now, bankCode);
  if (history === undefined) missingTables.push(tableName('transactions', options.stage));
  else {
    items += history.items;
    skipped += history.skipped;
  }
  const callers = await seedCallers(db, options.stage);
  if (callers === undefined) missingTables.push(tableName(VOICE_CALLERS, options.stage));
  else {
    items += callers.items;
    skipped += callers.skipped;
  }
  return { items, skipped, missingTables };
}

/** The ledger controls row that fixes the seeded history's start day: the first seed writes it, every later one reads it. */
export const HISTORY_ANCHOR = 'seed-history';

interface HistoryAnchor {
  pk: string;
  start_day: string;
  status: 'loading' | 'complete';
  movements?: number;
}

/** The seeded history for the stage's accounts, from seed/data, as of a start day (seed/history.ts). */
export function seededHistory(startDay: string, bankCode: string = SEED_BANK_CODE): SeedHistory {
  const rows = (table: string) => seedTables().find((t) => t.table === table)?.items ?? [];
  const accounts = rows('accounts').map((row) => forBank('accounts', row, bankCode)) as unknown as Account[];
  return generateHistory(startDay, accounts, rows('beneficiaries') as unknown as SeedBeneficiary[], rows('cards') as unknown as SeedCard[]);
}

/**
 * Writes the seeded customers' history (seed/history.ts) into centli-transactions-<stage>, with the
 * records of the payments received by SPEI in centli-ledger-controls-<stage>; undefined when the
 * stage has no ledger. The history ends the day before its start day, which the first seed fixes
 * in the {@link HISTORY_ANCHOR} row: a later seed, on any day, finds it complete and writes nothing;
 * one that finds it still loading (a seed that stopped half-way) writes the same items again, which
 * changes nothing. No balance is written: the history ends at the seeded balances.
 */
export async function seedHistory(db: DynamoDBDocumentClient, stage: string, now: Date, bankCode: string = SEED_BANK_CODE): Promise<{ items: number; skipped: number } | undefined> {
  const transactions = tableName('transactions', stage);
  const controls = tableName('ledger-controls', stage);
  if (!(await tableExists(db, transactions)) || !(await tableExists(db, controls))) return undefined;
  const anchor = await historyAnchor(db, controls, startDayOf(now));
  const history = seededHistory(anchor.start_day, bankCode);
  if (anchor.status === 'complete') return { items: 0, skipped: history.movements.length };
  const writes: Array<{ table: string; item: Record<string, unknown> }> = [];
  for (const movement of history.movements) {
    for (const entry of movement.entries) writes.push({ table: transactions, item: entry as unknown as Record<string, unknown> });
    if (movement.record) writes.push({ table: controls, item: movement.record as unknown as Record<string, unknown> });
  }
  await batchPut(db, writes);
  await db.send(
    new UpdateCommand({
      TableName: controls,
      Key: { pk: HISTORY_ANCHOR },
      UpdateExpression: 'SET #status = :complete, movements = :movements',
      ExpressionAttributeNames: { '#status': 'status' },
      ExpressionAttributeValues: { ':complete': 'complete', ':movements': history.movements.length },
    }),
  );
  return { items: history.movements.length, skipped: 0 };
}

/** The stage's history anchor: the one there, or a new one starting today. */
async function historyAnchor(db: DynamoDBDocumentClient, controls: string, today: string): Promise<HistoryAnchor> {
  const fresh: HistoryAnchor = { pk: HISTORY_ANCHOR, start_day: today, status: 'loading' };
  try {
    await db.send(new PutCommand({ TableName: controls, Item: fresh, ConditionExpression: 'attribute_not_exists(pk)' }));
    return fresh;
  } catch (error) {
    if ((error as Error).name !== 'ConditionalCheckFailedException') throw error;
  }
  const found = await db.send(new GetCommand({ TableName: controls, Key: { pk: HISTORY_ANCHOR }, ConsistentRead: true }));
  return found.Item as HistoryAnchor;
}

const BATCH = 25;
const PARALLEL_BATCHES = 8;

/**
 * Puts items 25 at a time, a few batches at once, asking again for what DynamoDB leaves
 * unprocessed. The items are the history's, identical on every run, so a put over one already
 * there changes nothing.
 */
async function batchPut(db: DynamoDBDocumentClient, writes: ReadonlyArray<{ table: string; item: Record<string, unknown> }>): Promise<void> {
  const batches: Array<typeof writes> = [];
  for (let i = 0; i < writes.length; i += BATCH) batches.push(writes.slice(i, i + BATCH));
  let next = 0;
  await Promise.all(
    Array.from({ length: PARALLEL_BATCHES }, async () => {
      for (let batch = batches[next++]; batch; batch = batches[next++]) {
        let requests: Record<string, Array<{ PutRequest: { Item: Record<string, unknown> } }>> | undefined = {};
        for (const { table, item } of batch) (requests[table] ??= []).push({ PutRequest: { Item: item } });
        for (let round = 0; requests && Object.keys(requests).length > 0; round++) {
          if (round === 8) throw new Error('DynamoDB left seed history items unprocessed through every attempt');
          if (round > 0) await new Promise((resolve) => setTimeout(resolve, 50 * 2 ** round));
          const result = await db.send(new BatchWriteCommand({ RequestItems: requests }));
          requests = result.UnprocessedItems as typeof requests;
        }
      }
    }),
  );
}

/** Every seeded customer's telephone PIN (the voice channel's caller check): documented in seed/README.md. */
export const SEEDED_PIN = '2468';
const VOICE_CALLERS = 'voice-callers';

/**
 * Gives every seeded customer with a phone the PIN {@link SEEDED_PIN} in centli-voice-callers-<stage>
 * (keyed by the phone in E.164, the PIN stored only as its scrypt hash); undefined when the stage
 * has no voice table. A phone already there keeps its PIN and its lock state.
 */
export async function seedCallers(db: DynamoDBDocumentClient, stage: string): Promise<{ items: number; skipped: number } | undefined> {
  const TableName = tableName(VOICE_CALLERS, stage);
  if (!(await tableExists(db, TableName))) return undefined;
  const customers = seedTables().find(({ table }) => table === 'customers')?.items ?? [];
  let items = 0;
  let skipped = 0;
  await Promise.all(
    customers.map(async (customer) => {
      const phone = toE164(customer.phone);
      if (!phone || typeof customer.user_id !== 'string') return;
      try {
        await db.send(
          new PutCommand({
            TableName,
            Item: { phone, user_id: customer.user_id, pin_hash: await hashPin(SEEDED_PIN), failures: 0 },
            ConditionExpression: 'attribute_not_exists(phone)',
          }),
        );
        items++;
      } catch (error) {
        if ((error as Error).name !== 'ConditionalCheckFailedException') throw error;
        skipped++;
      }
    }),
  );
  return { items, skipped };
}

/**
 * When a seeded row was made: now, except the customers' beneficiaries, which the seed's story has
 * them saved long ago (a beneficiary saved in the last 24 hours is a new payee, held to the
 * new-payee limit, and the seeded ones are the people they pay every month).
 */
export function createdAt(table: string, now: Date): string {
  return table === 'beneficiaries' ? new Date(now.getTime() - SEEDED_PAYEES_AGE_DAYS * 86_400_000).toISOString() : now.toISOString();
}

const SEEDED_PAYEES_AGE_DAYS = 90;

/** Stages whose books are real: seed money must never reach them. More with CENTLI_PROTECTED_STAGES=a,b. */
export function protectedStages(env: NodeJS.ProcessEnv = process.env): Set<string> {
  return new Set(['prod', 'production', ...(env.CENTLI_PROTECTED_STAGES ?? '').split(',').map((s) => s.trim()).filter(Boolean)]);
}

/**
 * Refuses to seed a protected stage unless forced: seed accounts hold invented money.
 *
 * @throws Error saying how to force it, for a protected stage without `force`.
 */
export function assertSeedable(stage: string, force: boolean, env: NodeJS.ProcessEnv = process.env): void {
  if (protectedStages(env).has(stage) && !force) {
    throw new Error(`stage ${stage} is protected: its books are real, and seed data holds invented money. Refusing to seed it; pass --force if you truly mean to.`);
  }
}

async function tableExists(db: DynamoDBDocumentClient, TableName: string): Promise<boolean> {
  try {
    await db.send(new DescribeTableCommand({ TableName }));
    return true;
  } catch (error) {
    if ((error as Error).name === 'ResourceNotFoundException') return false;
    throw error;
  }
}

if (require.main === module) {
  const args = process.argv.slice(2);
  const stageIndex = args.indexOf('--stage');
  const stage = stageIndex >= 0 ? args[stageIndex + 1] : undefined;
  if (!stage) {
    console.error('usage: npm run seed -- --stage <stage> [--bank-code <3 digits>] [--force]');
    process.exitCode = 2;
  } else {
    try {
      assertSeedable(stage, args.includes('--force'));
      const bankIndex = args.indexOf('--bank-code');
      const bankCode = bankIndex >= 0 ? args[bankIndex + 1] : process.env.CENTLI_CLABE_BANK_CODE;
      loadSeed({ stage, ...(bankCode ? { bankCode } : {}) })
        .then(({ items, skipped, missingTables }) => {
          console.log(`seeded ${items} item(s) into stage ${stage}; ${skipped} already there`);
          if (missingTables.length > 0) console.log(`not in this stage (service not deployed?): ${missingTables.join(', ')}`);
        })
        .catch((error: unknown) => {
          console.error(error);
          process.exitCode = 1;
        });
    } catch (error) {
      console.error((error as Error).message);
      process.exitCode = 2;
    }
  }
}
