import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fromIni, fromProcess, loadedWhenAsked } from '@centli/kit/credentials-elsewhere';

describe('the credential providers a bundle leaves out', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'centli-credentials-'));
    writeFileSync(join(dir, 'credentials'), '[bench]\naws_access_key_id = AKIAFROMPROFILE00000\naws_secret_access_key = profile-secret\n');
    writeFileSync(join(dir, 'config'), '');
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('answers a profile’s credentials as the SDK’s own fromIni does, loading it when asked', async () => {
    // Prepare
    const provider = fromIni({ profile: 'bench', filepath: join(dir, 'credentials'), configFilepath: join(dir, 'config') });
    // Act
    const credentials = (await provider()) as { accessKeyId: string; secretAccessKey: string };
    // Assess
    expect(credentials.accessKeyId).toBe('AKIAFROMPROFILE00000');
    expect(credentials.secretAccessKey).toBe('profile-secret');
  });

  it('refuses as the SDK’s own provider does when the profile has no credential process', async () => {
    // Prepare
    const provider = fromProcess({ profile: 'bench', filepath: join(dir, 'credentials'), configFilepath: join(dir, 'config') });
    // Act
    const answered = provider();
    // Assess
    await expect(answered).rejects.toMatchObject({ name: 'CredentialsProviderError' });
  });

  it('passes to the chain’s next link when the package cannot be found', async () => {
    // Prepare
    const provider = loadedWhenAsked('@centli/no-such-credential-provider', 'fromNothing')();
    // Act
    const answered = provider();
    // Assess
    await expect(answered).rejects.toMatchObject({ name: 'CredentialsProviderError', tryNextLink: true });
  });
});
