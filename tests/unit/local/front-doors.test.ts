/**
 * The local stack's AWS front doors on one loopback server, each driven by the real AWS SDK
 * client (or a real WebSocket / fetch client) and fixture handlers: the Lambda Invoke API, KMS
 * HMAC keys, the HTTP API, the WebSocket API with its @connections API, and the token issuer.
 */
import { join } from 'node:path';
import { InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { GenerateMacCommand, KMSClient, VerifyMacCommand } from '@aws-sdk/client-kms';
import { SignJWT, generateKeyPair } from 'jose';
import WebSocket from 'ws';
import { TokenVerifier } from '@centli/kit/auth';
import { AWS_STYLE_HEADERS, LocalHttpServer } from '../../../local/http';
import { mountHttpApi } from '../../../local/http-api';
import { createLocalIssuer, type LocalIssuer } from '../../../local/identity';
import { mountKms } from '../../../local/kms';
import { invokeFunction, type LambdaFunction } from '../../../local/lambda';
import { mountLambdaApi } from '../../../local/lambda-api';
import { mountWebSocketApi, type LocalWebSocketApi } from '../../../local/websocket';

const dir = join(__dirname, 'fixtures', 'echo-service');
const fn = (name: string, handler: string): LambdaFunction => ({ functionName: `centli-echo-local-${name}`, dir, handler: `src/handlers/front-doors.${handler}`, timeout: 3, memorySize: 128 });
const credentials = { accessKeyId: 'local', secretAccessKey: 'local' };
const globals = globalThis as { __centliConnects?: Array<{ queryStringParameters?: Record<string, string>; requestContext: Record<string, unknown> }>; __centliDisconnects?: Array<{ requestContext: Record<string, unknown> }> };

describe('the local front doors', () => {
  const server = new LocalHttpServer();
  let url: string;
  let issuer: LocalIssuer;
  let sockets: LocalWebSocketApi;
  const saved = { ...process.env };

  beforeAll(async () => {
    const functions = [fn('context', 'clientContext'), fn('plain', 'plain')];
    mountLambdaApi(server, { functions, region: 'us-east-1' });
    mountKms(
      server,
      [
        {
          IdentityKey: { Type: 'AWS::KMS::Key', Properties: { KeySpec: 'HMAC_256', KeyUsage: 'GENERATE_VERIFY_MAC' } },
          IdentityKeyAlias: { Type: 'AWS::KMS::Alias', Properties: { AliasName: 'alias/centli-test-identity', TargetKeyId: { Ref: 'IdentityKey' } } },
        },
      ],
      'us-east-1',
    );
    mountHttpApi(server, {
      functions: [
        { ...fn('http', 'http'), httpApi: [{ method: 'POST', path: '/items/{id}' }] },
        { ...fn('plain-http', 'plain'), httpApi: [{ method: 'GET', path: '/plain' }] },
      ],
      region: 'us-east-1',
      invoke: invokeFunction,
    });
    sockets = mountWebSocketApi(server, {
      functions: [
        { ...fn('connect', 'connect'), websocket: ['$connect'] },
        { ...fn('disconnect', 'disconnect'), websocket: ['$disconnect'] },
        { ...fn('message', 'message'), websocket: ['message'] },
      ],
      routeSelection: '$request.body.action',
      stage: 'local',
      region: 'us-east-1',
      invoke: invokeFunction,
    });
    issuer = await createLocalIssuer(server);
    url = await server.start();
    Object.assign(process.env, { AWS_ENDPOINT_URL_APIGATEWAYMANAGEMENTAPI: url, AWS_ACCESS_KEY_ID: 'local', AWS_SECRET_ACCESS_KEY: 'local', AWS_REGION: 'us-east-1' });
  });

  afterAll(async () => {
    process.env = saved;
    await sockets.close();
    await server.stop();
  });

  describe('Lambda Invoke API', () => {
    const lambda = () => new LambdaClient({ endpoint: url, region: 'us-east-1', credentials });

    it('answers a RequestResponse invocation with what the handler returned, with the client context', async () => {
      // Act
      const result = await lambda().send(
        new InvokeCommand({
          FunctionName: 'arn:aws:lambda:us-east-1:000000000000:function:centli-echo-local-context',
          Payload: JSON.stringify({ hello: 'world' }),
          ClientContext: Buffer.from(JSON.stringify({ custom: { bedrockAgentCoreToolName: 'cards___lock_card' } })).toString('base64'),
        }),
      );

      // Assess
      expect(result.StatusCode).toBe(200);
      expect(result.FunctionError).toBeUndefined();
      expect(JSON.parse(Buffer.from(result.Payload ?? []).toString())).toEqual({ event: { hello: 'world' }, custom: { bedrockAgentCoreToolName: 'cards___lock_card' } });
    });

    it('refuses a function it does not run, as Lambda does', async () => {
      await expect(lambda().send(new InvokeCommand({ FunctionName: 'centli-nobody-local-x', Payload: '{}' }))).rejects.toMatchObject({ name: 'ResourceNotFoundException' });
    });

    it('answers 202 to an Event invocation', async () => {
      const result = await lambda().send(new InvokeCommand({ FunctionName: 'centli-echo-local-plain', InvocationType: 'Event', Payload: '{}' }));
      expect(result.StatusCode).toBe(202);
    });
  });

  describe('KMS HMAC keys', () => {
    const kms = () => new KMSClient({ endpoint: url, region: 'us-east-1', credentials });
    const message = Buffer.from('user-ana|lock_card|1767225600');

    it('signs by alias and verifies the MAC it made', async () => {
      const { Mac } = await kms().send(new GenerateMacCommand({ KeyId: 'alias/centli-test-identity', Message: message, MacAlgorithm: 'HMAC_SHA_256' }));
      const verified = await kms().send(new VerifyMacCommand({ KeyId: 'alias/centli-test-identity', Message: message, Mac, MacAlgorithm: 'HMAC_SHA_256' }));
      expect(Mac?.length).toBe(32);
      expect(verified.MacValid).toBe(true);
    });

    it('refuses a MAC over another message, and an unknown key', async () => {
      const { Mac } = await kms().send(new GenerateMacCommand({ KeyId: 'alias/centli-test-identity', Message: message, MacAlgorithm: 'HMAC_SHA_256' }));
      await expect(kms().send(new VerifyMacCommand({ KeyId: 'alias/centli-test-identity', Message: Buffer.from('user-luis|lock_card|1767225600'), Mac, MacAlgorithm: 'HMAC_SHA_256' }))).rejects.toMatchObject({ name: 'KMSInvalidMacException' });
      await expect(kms().send(new GenerateMacCommand({ KeyId: 'alias/nothing', Message: message, MacAlgorithm: 'HMAC_SHA_256' }))).rejects.toMatchObject({ name: 'NotFoundException' });
    });
  });

  describe('HTTP API', () => {
    it('sends a payload-format 2.0 event and maps the structured result back', async () => {
      // Act
      const response = await fetch(`${url}/items/abc%20d?x=1&x=2`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: 'Bearer t' }, body: '{"a":1}' });
      const { event } = (await response.json()) as { event: Record<string, unknown> & { requestContext: { http: { method: string } } } };

      // Assess
      expect(response.status).toBe(201);
      expect(response.headers.get('x-echo')).toBe('yes');
      expect(event).toMatchObject({
        version: '2.0',
        routeKey: 'POST /items/{id}',
        rawPath: '/items/abc%20d',
        rawQueryString: 'x=1&x=2',
        queryStringParameters: { x: '1,2' },
        pathParameters: { id: 'abc d' },
        body: '{"a":1}',
        isBase64Encoded: false,
      });
      expect((event.headers as Record<string, string>).authorization).toBe('Bearer t');
      expect(event.requestContext.http.method).toBe('POST');
    });

    it('answers a plain result as 200 JSON, and leaves other methods and paths alone', async () => {
      expect(await (await fetch(`${url}/plain`)).json()).toEqual({ answer: 42 });
      expect((await fetch(`${url}/plain`, { method: 'DELETE' })).status).toBe(404);
    });
  });

  describe('WebSocket API', () => {
    const open = (query: string) =>
      new Promise<WebSocket>((resolve, reject) => {
        const socket = new WebSocket(`${url.replace('http', 'ws')}/ws${query}`);
        socket.once('open', () => resolve(socket));
        socket.once('unexpected-response', (_request, response) => reject(new Error(`handshake refused with ${response.statusCode}`)));
        socket.once('error', reject);
      });
    const next = (socket: WebSocket) => new Promise<Record<string, unknown>>((resolve) => socket.once('message', (data) => resolve(JSON.parse(data.toString()) as Record<string, unknown>)));

    it('refuses the handshake when $connect answers 401', async () => {
      await expect(open('?token=bad')).rejects.toThrow('handshake refused with 401');
      expect(globals.__centliConnects?.at(-1)).toMatchObject({ queryStringParameters: { token: 'bad' }, requestContext: { routeKey: '$connect', eventType: 'CONNECT', stage: 'local' } });
    });

    it('routes a message by its action and lets the handler answer through @connections', async () => {
      // Prepare
      const socket = await open('?token=good');
      const answer = next(socket);

      // Act
      socket.send(JSON.stringify({ action: 'message', text: 'hola' }));

      // Assess
      expect(await answer).toEqual({ echo: 'hola', route: 'message' });
      socket.close();
    });

    it('answers an unknown route and a failing handler the way API Gateway does', async () => {
      const socket = await open('?token=good');
      const forbidden = next(socket);
      socket.send(JSON.stringify({ action: 'nope' }));
      expect(await forbidden).toMatchObject({ message: 'Forbidden' });
      const failed = next(socket);
      socket.send(JSON.stringify({ action: 'message', text: 'explode' }));
      expect(await failed).toMatchObject({ message: 'Internal server error' });
      socket.close();
    });

    it('runs $disconnect on close, after which @connections answers Gone', async () => {
      // Prepare
      const socket = await open('?token=good');
      const connectionId = sockets.connections().at(-1) as string;

      // Act
      socket.close();
      await new Promise((resolve) => setTimeout(resolve, 200));

      // Assess
      expect(globals.__centliDisconnects?.at(-1)).toMatchObject({ requestContext: { routeKey: '$disconnect', eventType: 'DISCONNECT', connectionId } });
      const gone = await fetch(`${url}/@connections/${encodeURIComponent(connectionId)}`, { method: 'POST', headers: AWS_STYLE_HEADERS, body: 'x' });
      expect(gone.status).toBe(410);
      // A page's simple POST (no signature, a form's content type) is refused before the connection is looked up.
      const simple = await fetch(`${url}/@connections/${encodeURIComponent(connectionId)}`, { method: 'POST', headers: { 'content-type': 'text/plain' }, body: 'x' });
      expect(simple.status).toBe(403);
    });
  });

  describe('token issuer', () => {
    it('accepts the token uses a door is configured to expect', async () => {
      // Prepare
      const verifier = new TokenVerifier({ issuer: issuer.issuer, jwksUrl: `${url}/.well-known/jwks.json`, audiences: [], userClaim: 'sub', tokenUses: ['access'] });

      const access = await issuer.tokenFor('user-ana', { claims: { token_use: 'access' } });
      const id = await issuer.tokenFor('user-ana');

      // Act and assess
      await expect(verifier.customer(access)).resolves.toMatchObject({ userId: 'user-ana' });
      await expect(verifier.customer(id)).rejects.toMatchObject({ code: 'AUTH.UNAUTHENTICATED' });
    });

    it('signs tokens that the front doors’ verifier accepts for the named customer', async () => {
      // Prepare
      const verifier = new TokenVerifier({ issuer: issuer.issuer, jwksUrl: `${url}/.well-known/jwks.json`, audiences: ['centli'], userClaim: 'sub' });

      // Act
      const customer = await verifier.customer(await issuer.tokenFor('user-ana'));

      // Assess
      expect(customer.userId).toBe('user-ana');
    });

    it.each([
      ['an expired token', async () => issuer.tokenFor('user-ana', { expiresIn: '-1m' }), 'Your session has expired; please sign in again.'],
      ['a token signed by another key', async () => new SignJWT({}).setProtectedHeader({ alg: 'ES256', kid: 'x' }).setIssuer(issuer.issuer).setSubject('user-ana').setExpirationTime('1h').sign((await generateKeyPair('ES256')).privateKey), 'Your session is not valid; please sign in again.'],
      ['no token', async () => '', 'Your session is not valid; please sign in again.'],
      ['a token for a user id that is not one', async () => issuer.tokenFor('user ana; drop'), 'Your session is not valid; please sign in again.'],
      ['a token that never expires', async () => issuer.tokenFor('user-ana', { expiresIn: false }), 'Your session is not valid; please sign in again.'],
      ['an access token where an ID token is expected', async () => issuer.tokenFor('user-ana', { claims: { token_use: 'access' } }), 'Your session is not valid; please sign in again.'],
      ['a token that says no use', async () => issuer.tokenFor('user-ana', { claims: { token_use: undefined } }), 'Your session is not valid; please sign in again.'],
    ])('refuses %s', async (_name, token, message) => {
      const verifier = new TokenVerifier({ issuer: issuer.issuer, jwksUrl: `${url}/.well-known/jwks.json`, audiences: [], userClaim: 'sub' });
      await expect(verifier.customer(await token())).rejects.toMatchObject({ code: 'AUTH.UNAUTHENTICATED', message });
    });
  });
});
