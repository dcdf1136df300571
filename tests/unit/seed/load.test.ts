import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { isValidClabe } from '@centli/pure/clabe';
import { assertSeedable, createdAt, forBank, protectedStages, SEED_BANK_CODE, SEEDED_PIN, seedCallers, seedTables } from '../../../seed/load';
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

/** The bank's own SPEI accounts: the clearing (settlement) account and the in-transit account the SPEI saga holds money in. */
const SPEI_ACCOUNTS = ['acc-spei-liquidacion-0001', 'acc-spei-transito-0001'];

describe('seeded CLABEs', () => {
  const accounts = seedTables().find(({ table }) => table === 'accounts')?.items ?? [];

  it('gives every account but the SPEI clearing and in-transit accounts its own valid CLABE under the seed’s bank code, ending in the account’s own digits', () => {
    const addressable = accounts.filter((row) => !SPEI_ACCOUNTS.includes(String(row.account_id)));
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

  it.each(SPEI_ACCOUNTS)('keeps the bank’s SPEI account %s out of reach of SPEI: it has no CLABE', (accountId) => {
    expect(accounts.find((row) => row.account_id === accountId)).toBeDefined();
    expect(accounts.find((row) => row.account_id === accountId)).not.toHaveProperty('clabe');
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
