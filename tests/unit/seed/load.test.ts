import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { assertSeedable, createdAt, protectedStages } from '../../../seed/load';

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
