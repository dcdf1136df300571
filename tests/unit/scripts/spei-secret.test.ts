/**
 * scripts/spei-secret.ts against SSM Parameter Store as the local stack serves it (local/ssm.ts),
 * with the unmodified SDK client: a stage without its SPEI signing secret gets a random one, and a
 * stage that has one keeps it.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { GetParameterCommand, SSMClient } from '@aws-sdk/client-ssm';
import { LocalHttpServer } from '../../../local/http';
import { mountSsm } from '../../../local/ssm';
import { ensureSpeiSigningSecret, speiSecretParameter } from '../../../scripts/spei-secret';

describe('ensureSpeiSigningSecret', () => {
  const server = new LocalHttpServer();
  let client: SSMClient;

  beforeAll(async () => {
    mountSsm(server, { SPEI_SIGNING_SECRET_PARAMETER: speiSecretParameter('local') }, 'us-east-1');
    const url = await server.start();
    client = new SSMClient({ endpoint: url, region: 'us-east-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' }, maxAttempts: 1 });
  });

  afterAll(async () => {
    client.destroy();
    await server.stop();
  });

  const secretOf = async (stage: string) => (await client.send(new GetParameterCommand({ Name: speiSecretParameter(stage), WithDecryption: true }))).Parameter?.Value;

  it('creates a new stage’s secret: 256 random bits, a SecureString under the name Core Banking reads', async () => {
    await expect(ensureSpeiSigningSecret('dev', client)).resolves.toBe('created');
    const secret = await secretOf('dev');
    expect(secret).toMatch(/^[A-Za-z0-9_-]{43}$/);
    await expect(ensureSpeiSigningSecret('qa', client)).resolves.toBe('created');
    expect(await secretOf('qa')).not.toBe(secret);
  });

  it('never replaces a secret the participant already holds', async () => {
    const before = await secretOf('dev');
    await expect(ensureSpeiSigningSecret('dev', client)).resolves.toBe('kept');
    expect(await secretOf('dev')).toBe(before);
    await expect(ensureSpeiSigningSecret('local', client)).resolves.toBe('kept');
  });

  it('names the parameter services/core-banking/serverless.yml grants and reads', () => {
    const template = readFileSync(join(__dirname, '..', '..', '..', 'services', 'core-banking', 'serverless.yml'), 'utf8');
    expect(template).toContain(`speiSigningSecretParameter: ${speiSecretParameter('${sls:stage}')}\n`);
  });
});
