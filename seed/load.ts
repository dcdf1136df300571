/**
 * Loads seed/data/<table>.json into centli-<table>-<stage>. Works against the local stack
 * (npm start calls it) and a deployed stage (`npm run seed -- --stage dev`). An item that
 * already exists is left alone: seeding never resets a balance.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DescribeTableCommand } from '@aws-sdk/client-dynamodb';
import { PutCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { dynamoDocumentClient } from '@centli/kit/aws';
import { withBankCode } from '@centli/pure/clabe';
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
  const callers = await seedCallers(db, options.stage);
  if (callers === undefined) missingTables.push(tableName(VOICE_CALLERS, options.stage));
  else {
    items += callers.items;
    skipped += callers.skipped;
  }
  return { items, skipped, missingTables };
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
