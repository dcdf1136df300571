/**
 * SSM Parameter Store's GetParameter as the local stack serves it (local/ssm.ts), called by the
 * unmodified SDK client: the parameters the functions name (`*_PARAMETER`) with their development
 * values, decrypted only when asked, and ParameterNotFound for any other name.
 */
import { GetParameterCommand, SSMClient } from '@aws-sdk/client-ssm';
import { LocalHttpServer } from '../../../local/http';
import { LOCAL_SPEI_SIGNING_SECRET, mountSsm } from '../../../local/ssm';

describe('the local SSM GetParameter', () => {
  const server = new LocalHttpServer();
  let client: SSMClient;
  let served: string[];

  beforeAll(async () => {
    served = mountSsm(server, { SPEI_SIGNING_SECRET_PARAMETER: '/centli/local/spei/signing-secret', OTHER: 'x' }, 'us-east-1');
    const url = await server.start();
    client = new SSMClient({ endpoint: url, region: 'us-east-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' }, maxAttempts: 1 });
  });

  afterAll(async () => {
    client.destroy();
    await server.stop();
  });

  it('serves the parameters the functions name, and only those', () => {
    expect(served).toEqual(['/centli/local/spei/signing-secret']);
  });

  it('answers the SPEI signing secret, decrypted, the one the local participant signs with', async () => {
    const answer = await client.send(new GetParameterCommand({ Name: '/centli/local/spei/signing-secret', WithDecryption: true }));
    expect(answer.Parameter).toMatchObject({ Name: '/centli/local/spei/signing-secret', Type: 'SecureString', Value: LOCAL_SPEI_SIGNING_SECRET });
  });

  it('never gives the secret without decryption', async () => {
    const answer = await client.send(new GetParameterCommand({ Name: '/centli/local/spei/signing-secret' }));
    expect(answer.Parameter?.Value).not.toBe(LOCAL_SPEI_SIGNING_SECRET);
  });

  it('refuses a parameter no function names', async () => {
    await expect(client.send(new GetParameterCommand({ Name: '/centli/local/nothing', WithDecryption: true }))).rejects.toMatchObject({ name: 'ParameterNotFound' });
  });
});
