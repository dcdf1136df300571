/**
 * The local stack on a developer's laptop, against a hostile web page: the server answers only
 * requests addressed to the loopback origin it serves (a page that rebinds its own name to
 * 127.0.0.1 still sends its own Host, and a cross-origin page its Origin), and its AWS-style
 * operations take only what a browser cannot send without a preflight the stack never grants.
 */
import { request as httpRequest } from 'node:http';
import { connect as http2Connect } from 'node:http2';
import WebSocket from 'ws';
import { isAwsStyleRequest, LocalHttpServer, requireAwsStyle } from '../../../local/http';

/** A cleartext HTTP/2 request (prior knowledge, as the Lex runtime client makes it) with this `:authority` and these headers. */
function send2(url: string, authority: string, headers: Record<string, string> = {}): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const session = http2Connect(url);
    session.on('error', reject);
    const stream = session.request({ ':method': 'GET', ':path': '/hello', ':authority': authority, ...headers });
    let body = '';
    let status = 0;
    stream.on('response', (head) => (status = Number(head[':status'])));
    stream.on('data', (chunk: Buffer) => (body += chunk.toString()));
    stream.on('end', () => {
      session.close();
      resolve({ status, body });
    });
    stream.on('error', reject);
    stream.end();
  });
}

/** A request with exactly these headers (fetch would not let the test set Host). */
function send(url: string, options: { method?: string; headers?: Record<string, string>; body?: string }): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(url, { method: options.method ?? 'GET', headers: options.headers }, (res) => {
      let body = '';
      res.on('data', (chunk: Buffer) => (body += chunk.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
    req.end(options.body);
  });
}

describe('the local HTTP server on a laptop', () => {
  const server = new LocalHttpServer();
  let url: string;
  let port: string;

  beforeAll(async () => {
    server.route((_request, response, where) => {
      if (where.pathname !== '/hello') return false;
      response.writeHead(200, { 'content-type': 'text/plain' }).end('hello');
      return true;
    });
    server.route((request, response, where) => {
      if (where.pathname !== '/admin') return false;
      requireAwsStyle(request);
      response.writeHead(200, { 'content-type': 'text/plain' }).end('done');
      return true;
    });
    server.upgrade((request, socket, head, where) => {
      if (where.pathname !== '/socket') return false;
      socket.end('HTTP/1.1 101 Switching Protocols\r\n\r\n');
      return true;
    });
    url = await server.start();
    port = new URL(url).port;
  });

  afterAll(() => server.stop());

  it.each([`127.0.0.1:PORT`, `localhost:PORT`, `LOCALHOST:PORT`])('answers a request addressed to %s', async (host) => {
    // Act
    const answer = await send(`${url}/hello`, { headers: { host: host.replace('PORT', port) } });

    // Assess
    expect(answer).toEqual({ status: 200, body: 'hello' });
  });

  it.each(['evil.example:PORT', 'evil.example', '127.0.0.1', 'localhost:1', '127.0.0.1.nip.io:PORT'])('refuses a request whose Host is %s (DNS rebinding)', async (host) => {
    // Act
    const answer = await send(`${url}/hello`, { headers: { host: host.replace('PORT', port) } });

    // Assess
    expect(answer.status).toBe(403);
    expect(JSON.parse(answer.body)).toEqual({ __type: 'ForbiddenException', message: expect.stringContaining('DNS rebinding') });
  });

  it('answers a page of its own origin, and refuses another origin', async () => {
    // Act
    const own = await send(`${url}/hello`, { headers: { origin: `http://localhost:${port}` } });
    const other = await send(`${url}/hello`, { headers: { origin: 'http://localhost:3000' } });
    const opaque = await send(`${url}/hello`, { headers: { origin: 'null' } });

    // Assess
    expect([own.status, other.status, opaque.status]).toEqual([200, 403, 403]);
  });

  it('refuses a WebSocket upgrade from another Host or Origin', async () => {
    // Act
    const opened = (headers: Record<string, string>) =>
      new Promise<number>((resolve) => {
        const socket = new WebSocket(`${url.replace('http', 'ws')}/socket`, { headers });
        socket.on('unexpected-response', (_request, response) => resolve(response.statusCode ?? 0));
        socket.on('error', () => resolve(-1));
        socket.on('upgrade', () => resolve(101));
      });

    // Assess
    expect(await opened({ host: 'evil.example' })).toBe(403);
    expect(await opened({ origin: 'https://evil.example' })).toBe(403);
  });

  it('takes an AWS-style operation only with an AWS signature and a content type no simple request has', async () => {
    // Prepare
    const signed = { authorization: 'AWS4-HMAC-SHA256 Credential=local/20261206/us-east-1/lambda/aws4_request, SignedHeaders=host, Signature=00' };

    // Act
    const simple = await send(`${url}/admin`, { method: 'POST', headers: { 'content-type': 'text/plain' }, body: '{}' });
    const form = await send(`${url}/admin`, { method: 'POST', headers: { ...signed, 'content-type': 'application/x-www-form-urlencoded' }, body: 'a=1' });
    const unsigned = await send(`${url}/admin`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
    const sdk = await send(`${url}/admin`, { method: 'POST', headers: { ...signed, 'content-type': 'application/octet-stream' }, body: '{}' });
    const json = await send(`${url}/admin`, { method: 'POST', headers: { ...signed, 'content-type': 'application/json' }, body: '{}' });

    // Assess
    expect([simple.status, form.status, unsigned.status, sdk.status, json.status]).toEqual([403, 403, 403, 200, 200]);
    expect(JSON.parse(simple.body).__type).toBe('MissingAuthenticationTokenException');
  });

  it('answers HTTP/2 on the same port, under the same Host and Origin checks (:authority stands for Host)', async () => {
    // Act
    const ours = await send2(url, `127.0.0.1:${port}`);
    const rebound = await send2(url, `evil.example:${port}`);
    const crossOrigin = await send2(url, `127.0.0.1:${port}`, { origin: 'https://evil.example' });

    // Assess
    expect(ours).toEqual({ status: 200, body: 'hello' });
    expect([rebound.status, crossOrigin.status]).toEqual([403, 403]);
  });

  it.each([
    [{ authorization: 'AWS4-HMAC-SHA256 Credential=x', 'content-type': 'application/json' }, true],
    [{ authorization: 'AWS4-HMAC-SHA256 Credential=x' }, true],
    [{ authorization: 'Bearer abc', 'content-type': 'application/json' }, false],
    [{ authorization: 'AWS4-HMAC-SHA256 Credential=x', 'content-type': 'multipart/form-data; boundary=x' }, false],
    [{ authorization: 'AWS4-HMAC-SHA256 Credential=x', 'content-type': 'Text/Plain;charset=UTF-8' }, false],
  ])('tells an AWS-style request from one a page could send (%j)', (headers, expected) => {
    // Act and assess
    expect(isAwsStyleRequest({ headers } as never)).toBe(expected);
  });
});
