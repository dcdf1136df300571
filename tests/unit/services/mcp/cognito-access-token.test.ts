/**
 * The deployed shape of a token at /mcp: Cognito's access token for the fixed MCP app client, as
 * the authorization front's sign-in gives it (no `aud`; `client_id`; `token_use` access; the
 * resource server's scopes; `resource` and `custom:user_id` from the pre token generation
 * trigger), verified with the stage's settings as serverless.yml sets them.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair, SignJWT, type CryptoKey } from 'jose';
import { authorizationOf } from '../../../../services/mcp/src/domain/authorization';
import { resourceTokenVerifier } from '../../../../services/mcp/src/app/runtime';

const RESOURCE = 'https://abc123.execute-api.us-east-1.amazonaws.com/mcp';
const CHAT_CLIENT = '1example23456789chat';
const MCP_CLIENT = '4example23456789mcp';
const transfer = JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/call', params: { name: 'transfer_funds', arguments: {} } });

describe('a Cognito access token at /mcp', () => {
  let server: Server;
  let issuer: string;
  let key: CryptoKey;

  beforeAll(async () => {
    const pair = await generateKeyPair('RS256');
    key = pair.privateKey;
    const jwk = { ...(await exportJWK(pair.publicKey)), kid: 'cognito-key', alg: 'RS256', use: 'sig' };
    server = createServer((_request, response) => response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ keys: [jwk] })));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}/us-east-1_EXAMPLE`;
  });
  afterAll(async () => {
    await new Promise((resolve) => server.close(resolve));
  });

  /** The stage's settings for /mcp (services/mcp/serverless.yml), with this test's issuer. */
  const stage = (): NodeJS.ProcessEnv => ({ CENTLI_AUTH_ISSUER: issuer, CENTLI_AUTH_AUDIENCE: CHAT_CLIENT, CENTLI_AUTH_USER_CLAIM: 'custom:user_id', CENTLI_AUTH_TOKEN_USE: 'id', CENTLI_MCP_TOKEN_USE: 'access', CENTLI_MCP_OAUTH_CLIENT_ID: MCP_CLIENT });
  const accessToken = (claims: Record<string, unknown>) =>
    new SignJWT({ token_use: 'access', auth_time: Math.floor(Date.now() / 1000), event_id: 'e1', jti: 'j1', username: 'ana', version: 2, ...claims })
      .setProtectedHeader({ alg: 'RS256', kid: 'cognito-key' })
      .setIssuer(issuer)
      .setSubject('a36036a8-9061-424d-a737-56d57dae7bbc')
      .setIssuedAt()
      .setExpirationTime('1h')
      .sign(key);

  it('is accepted: its client_id is the fixed MCP client, the trigger bound it and named the customer, and its scopes allow a transfer', async () => {
    // Prepare
    const token = await accessToken({ client_id: MCP_CLIENT, scope: 'openid centli/read centli/operate', resource: RESOURCE, 'custom:user_id': 'user-ana' });

    // Act
    // The verifiers are kept per resource: each case names its own, so none reuses another's settings.
    const customer = await resourceTokenVerifier(`${RESOURCE}#mcp-client`, stage()).customer(token);

    // Assess
    expect(customer.userId).toBe('user-ana');
    expect(customer.claims.aud).toBeUndefined();
    expect(authorizationOf(customer.claims, transfer, RESOURCE)).toBeUndefined();
  });

  it('is refused at /mcp when it is the chat page’s: verified, but not bound to the endpoint', async () => {
    // Prepare: the chat client's access token has no trigger claims.
    const token = await accessToken({ client_id: CHAT_CLIENT, scope: 'openid email', 'custom:user_id': 'user-ana' });

    // Act
    const customer = await resourceTokenVerifier(`${RESOURCE}#chat-client`, stage()).customer(token);

    // Assess
    expect(authorizationOf(customer.claims, transfer, RESOURCE)).toMatchObject({ status: 401, reason: 'not bound to this resource' });
  });

  it('is refused when another app client of the pool asked for it', async () => {
    const token = await accessToken({ client_id: 'someotherclient', scope: 'centli/read centli/operate', resource: RESOURCE, 'custom:user_id': 'user-ana' });
    await expect(resourceTokenVerifier(`${RESOURCE}#other-client`, stage()).customer(token)).rejects.toMatchObject({ cause: new Error('audience not accepted') });
  });
});
