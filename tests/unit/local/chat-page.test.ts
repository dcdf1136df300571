/**
 * The chat and approval pages as the local stack serves them (local/chat-page.ts): the pages'
 * files, and beside them the vendored browser library the approval page imports
 * (@simplewebauthn/browser at vendor/simplewebauthn/), and nothing else of node_modules.
 */
import { join } from 'node:path';
import { CHAT_PATH, mountChatPage, vendorFiles } from '../../../local/chat-page';
import { LocalHttpServer } from '../../../local/http';
import { REPOSITORY_ROOT } from '../../../local/serverless-config';

describe('the pages the local stack serves', () => {
  const server = new LocalHttpServer();
  let url: string;

  beforeAll(async () => {
    mountChatPage(server, {
      dir: join(REPOSITORY_ROOT, 'web', 'chat'),
      config: () => ({ http: 'http://localhost', customers: [] }),
      sagaDefinitions: () => ({ purchase: { StartAt: 'ReserveInventory' }, 'spei-transfer': { StartAt: 'Hold' } }),
    });
    url = await server.start();
  });

  afterAll(() => server.stop());

  it('serves the WebAuthn browser library beside the approval page, as the modules it imports', async () => {
    // Act
    const library = await fetch(`${url}${CHAT_PATH}vendor/simplewebauthn/index.js`);
    const method = await fetch(`${url}${CHAT_PATH}vendor/simplewebauthn/methods/startAuthentication.js`);

    // Assess
    expect([library.status, method.status]).toEqual([200, 200]);
    expect(library.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect(await library.text()).toContain('startAuthentication');
    expect(vendorFiles().map((file) => file.key)).toEqual(expect.arrayContaining(['vendor/simplewebauthn/index.js', 'vendor/simplewebauthn/methods/startRegistration.js']));
    expect(vendorFiles().every((file) => file.key.endsWith('.js'))).toBe(true);
  });

  it.each([
    ['a path out of the package', 'vendor/simplewebauthn/..%2F..%2Fpackage.json'],
    ['the package’s typings', 'vendor/simplewebauthn/index.d.ts'],
    ['a file the package does not have', 'vendor/simplewebauthn/nothing.js'],
    ['another package', 'vendor/jose/index.js'],
  ])('serves nothing for %s', async (_case, path) => {
    const response = await fetch(`${url}${CHAT_PATH}${path}`);
    expect(response.status).toBe(404);
  });

  it.each([
    ['purchase', 'ReserveInventory'],
    ['spei-transfer', 'Hold'],
  ])('serves the %s saga’s definition, as the stack runs it, for the page to draw', async (key, startAt) => {
    const response = await fetch(`${url}/sagas/${key}`);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ StartAt: startAt });
  });

  it('serves no definition for a saga the stack does not run', async () => {
    expect((await fetch(`${url}/sagas/nothing`)).status).toBe(404);
  });
});
