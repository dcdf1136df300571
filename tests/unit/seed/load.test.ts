import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { isValidClabe } from '@centli/pure/clabe';
import { assertSeedable, createdAt, forBank, HISTORY_ANCHOR, protectedStages, SEED_BANK_CODE, SEEDED_PIN, seedCallers, seededHistory, seedHistory, seedTables } from '../../../seed/load';
import { verifyPin } from '../../../services/voice/src/domain/pin';

describe('assertSeedable', () => {
  it.each(['prod', 'production'])('refuses the protected stage %s without --force', (stage) => {
    expect(() => assertSeedable(stage, false, {})).toThrow(/stage .* is protected: .* pass --force/);
  });

  it('lets a protected stage be seeded when forced, and any other stage', () => {
    expect(() => assertSeedable('prod', true, {})).not.toThrow();
    expect(() => assertSeedable('dev', false, {})).not.toThrow();
  });

  it('protects the stages CENTLI_PROTECTED_STAGES names too', () => {
    expect([...protectedStages({ CENTLI_PROTECTED_STAGES: 'staging, uat' })].sort()).toEqual(['prod', 'production', 'staging', 'uat']);
    expect(() => assertSeedable('uat', false, { CENTLI_PROTECTED_STAGES: 'staging,uat' })).toThrow(/protected/);
  });

  it('makes `npm run seed -- --stage prod` exit 2 before touching anything', () => {
    const root = join(__dirname, '..', '..', '..');
    const run = spawnSync(process.execPath, ['--import', 'tsx', 'seed/load.ts', '--stage', 'prod'], { cwd: root, encoding: 'utf8', env: { ...process.env, AWS_ACCESS_KEY_ID: '', AWS_SECRET_ACCESS_KEY: '', AWS_ENDPOINT_URL_DYNAMODB: 'http://127.0.0.1:9' } });
    expect(run.status).toBe(2);
    expect(run.stderr).toContain('stage prod is protected');
  });
});

describe('createdAt', () => {
  const now = new Date('2026-12-06T12:00:00.000Z');

  it('dates the seeded beneficiaries months back, so none of them is a new payee held to the new-payee limit', () => {
    expect(now.getTime() - Date.parse(createdAt('beneficiaries', now))).toBeGreaterThan(30 * 86_400_000);
  });

  it('dates every other seeded row now', () => {
    expect(createdAt('accounts', now)).toBe(now.toISOString());
  });
});

describe('seedCallers', () => {
  /** A document client that has every table and records what is put. */
  function recordingClient(existing: ReadonlySet<string> = new Set()) {
    const puts: Record<string, unknown>[] = [];
    const send = async (command: { input: Record<string, unknown>; constructor: { name: string } }) => {
      if (command.constructor.name === 'DescribeTableCommand') return {};
      const item = command.input.Item as { phone: string };
      if (existing.has(item.phone)) throw Object.assign(new Error('exists'), { name: 'ConditionalCheckFailedException' });
      puts.push(command.input);
      return {};
    };
    return { puts, client: { send } as unknown as DynamoDBDocumentClient };
  }

  it('gives every seeded customer’s phone, in E.164, the PIN 2468, stored only as its scrypt hash, once', async () => {
    // Prepare
    const customers = seedTables().find(({ table }) => table === 'customers')?.items ?? [];
    const { puts, client } = recordingClient(new Set(['+523323456789']));

    // Act
    const result = await seedCallers(client, 'local');

    // Assess
    expect(SEEDED_PIN).toBe('2468');
    expect(result).toEqual({ items: customers.length - 1, skipped: 1 });
    expect(puts.map((put) => put.TableName)).toEqual(puts.map(() => 'centli-voice-callers-local'));
    expect(puts.every((put) => put.ConditionExpression === 'attribute_not_exists(phone)')).toBe(true);
    const items = puts.map((put) => put.Item as { phone: string; user_id: string; pin_hash: string; failures: number });
    expect(items.map((item) => item.phone)).toContain('+525512345678');
    expect(new Set(items.map((item) => item.phone)).size).toBe(items.length);
    for (const item of items) {
      expect(item.phone).toMatch(/^\+\d{8,15}$/);
      expect(item.failures).toBe(0);
      expect(item.pin_hash).not.toContain('2468');
      expect(await verifyPin('2468', item.pin_hash)).toBe(true);
    }
  });

});

describe('seeded CLABEs', () => {
  const accounts = seedTables().find(({ table }) => table === 'accounts')?.items ?? [];

  it('gives every account but the bank’s clearing accounts its own valid CLABE under the seed’s bank code, ending in the account’s own digits', () => {
    const addressable = accounts.filter((row) => row.type !== 'clearing');
    expect(addressable.length).toBeGreaterThan(0);
    for (const row of addressable) {
      const clabe = String(row.clabe);
      expect(isValidClabe(clabe)).toBe(true);
      expect(clabe.slice(0, 3)).toBe(SEED_BANK_CODE);
      // Positions 7 to 17 are the account number; its last four are the account id's.
      expect(clabe.slice(13, 17)).toBe(String(row.account_id).slice(-4));
    }
    expect(new Set(addressable.map((row) => row.clabe)).size).toBe(addressable.length);
  });

  it('keeps the bank’s clearing accounts (SPEI, cards) out of reach of SPEI: they have no CLABE', () => {
    const clearing = accounts.filter((row) => row.type === 'clearing');
    expect(clearing.map((row) => row.account_id)).toEqual(expect.arrayContaining(['acc-spei-liquidacion-0001', 'acc-spei-transito-0001', 'acc-tarjetas-liquidacion-0002', 'acc-tarjetas-dolares-0003']));
    for (const row of clearing) expect(row).not.toHaveProperty('clabe');
  });

  it('moves the CLABEs to a stage’s own bank code, with their check digits recomputed', () => {
    const row = accounts[0] as Record<string, unknown>;
    const moved = forBank('accounts', row, '646');
    expect(String(moved.clabe).slice(0, 3)).toBe('646');
    expect(String(moved.clabe).slice(3, 17)).toBe(String(row.clabe).slice(3, 17));
    expect(isValidClabe(String(moved.clabe))).toBe(true);
    expect(forBank('accounts', row, SEED_BANK_CODE)).toBe(row);
  });
});

describe('seedHistory', () => {
  /** A document client holding one ledger controls table in memory, recording the batches written. */
  function ledgerClient(anchor?: Record<string, unknown>) {
    const controls = new Map<string, Record<string, unknown>>(anchor ? [['seed-history', anchor]] : []);
    const batches: Array<Record<string, Array<{ PutRequest: { Item: Record<string, unknown> } }>>> = [];
    const send = async (command: { input: Record<string, unknown>; constructor: { name: string } }) => {
      const input = command.input as { Item?: Record<string, unknown>; Key?: { pk: string }; RequestItems?: (typeof batches)[number]; ExpressionAttributeValues?: Record<string, unknown> };
      switch (command.constructor.name) {
        case 'DescribeTableCommand':
          return {};
        case 'PutCommand':
          if (controls.has(input.Item?.pk as string)) throw Object.assign(new Error('exists'), { name: 'ConditionalCheckFailedException' });
          controls.set(input.Item?.pk as string, { ...input.Item });
          return {};
        case 'GetCommand':
          return { Item: controls.get(input.Key?.pk as string) };
        case 'BatchWriteCommand':
          batches.push(input.RequestItems as (typeof batches)[number]);
          return {};
        case 'UpdateCommand':
          controls.set(input.Key?.pk as string, { ...controls.get(input.Key?.pk as string), status: input.ExpressionAttributeValues?.[':complete'], movements: input.ExpressionAttributeValues?.[':movements'] });
          return {};
        default:
          throw new Error(`unexpected ${command.constructor.name}`);
      }
    };
    return { controls, batches, client: { send } as unknown as DynamoDBDocumentClient };
  }
  const now = new Date('2026-12-07T18:00:00.000Z');
  const written = (batches: ReturnType<typeof ledgerClient>['batches']) => batches.flatMap((b) => Object.values(b).flat().map((r) => r.PutRequest.Item));

  it('fixes the start day on the first seed, writes the whole history in batches of at most 25, then marks it complete', async () => {
    const { controls, batches, client } = ledgerClient();

    const result = await seedHistory(client, 'local', now);

    const expected = seededHistory('2026-12-07');
    expect(result).toEqual({ items: expected.movements.length, skipped: 0 });
    expect(controls.get(HISTORY_ANCHOR)).toEqual({ pk: HISTORY_ANCHOR, start_day: '2026-12-07', status: 'complete', movements: expected.movements.length });
    expect(batches.every((b) => Object.values(b).flat().length <= 25)).toBe(true);
    const items = written(batches);
    expect(items.filter((i) => 'sk' in i)).toHaveLength(expected.movements.length * 2);
    expect(items.filter((i) => String(i.pk).startsWith('spei-in#'))).toHaveLength(expected.movements.filter((m) => m.record).length);
    expect(Object.keys(batches[0] ?? {}).every((t) => ['centli-transactions-local', 'centli-ledger-controls-local'].includes(t))).toBe(true);
  });

  it('writes nothing on a later seed, on any day, once the history is complete', async () => {
    const { batches, client } = ledgerClient({ pk: HISTORY_ANCHOR, start_day: '2026-11-01', status: 'complete' });

    const result = await seedHistory(client, 'local', now);

    expect(batches).toEqual([]);
    expect(result).toEqual({ items: 0, skipped: seededHistory('2026-11-01').movements.length });
  });

  it('finishes a history a stopped seed left loading with the same items, from the day it started', async () => {
    const { controls, batches, client } = ledgerClient({ pk: HISTORY_ANCHOR, start_day: '2026-11-01', status: 'loading' });

    await seedHistory(client, 'local', now);

    const key = (i: { account_id?: unknown; sk?: unknown }) => `${String(i.account_id)} ${String(i.sk)}`;
    const bySk = <T extends { account_id?: unknown; sk?: unknown }>(list: T[]) => [...list].sort((a, b) => key(a).localeCompare(key(b)));
    const first = seededHistory('2026-11-01').movements.flatMap((m) => [...m.entries]);
    expect(bySk(written(batches).filter((i) => 'sk' in i))).toEqual(bySk(first));
    expect(controls.get(HISTORY_ANCHOR)).toMatchObject({ start_day: '2026-11-01', status: 'complete' });
  });
});
