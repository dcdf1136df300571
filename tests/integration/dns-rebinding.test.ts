/**
 * The running local stack against a web page its developer happens to open: a page on another
 * origin, or one that rebinds its own name to 127.0.0.1 (DNS rebinding), reads nothing (not the
 * demo tokens in the chat's config.json, not MCP) and makes the stack do nothing (no function
 * invoked, no event put, no dead letter redriven). The stack's own page, on either loopback name,
 * is served as before.
 */
import { request as httpRequest } from 'node:http';
import { closeClients, endpoints } from './support';

/** One request with exactly these headers: a rebound page's `Host` is its own name, which fetch would not let a test set. */
function send(url: string, options: { method?: string; headers?: Record<string, string>; body?: string } = {}): Promise<{ status: number; body: string }> {
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

const INITIALIZE = JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'initialize', params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'page', version: '1' } } });

describe('the local stack and a hostile web page', () => {
  const port = () => new URL(endpoints().http).port;
  afterAll(() => closeClients());

  it('serves the chat’s config.json to its own page on either loopback name, and to no other Host or Origin', async () => {
    // Act
    const own = await send(`${endpoints().http}/chat/config.json`, { headers: { host: `localhost:${port()}` } });
    const rebound = await send(`${endpoints().http}/chat/config.json`, { headers: { host: `attacker.example:${port()}` } });
    const crossOrigin = await send(`${endpoints().http}/chat/config.json`, { headers: { origin: 'http://attacker.example' } });

    // Assess
    expect(own.status).toBe(200);
    expect(JSON.parse(own.body)).toMatchObject({ customers: expect.arrayContaining([expect.objectContaining({ token: expect.any(String) })]) });
    expect({ rebound: rebound.status, crossOrigin: crossOrigin.status }).toEqual({ rebound: 403, crossOrigin: 403 });
    expect(rebound.body + crossOrigin.body).not.toContain('eyJ');
  });

  it('answers MCP only on its own Host and to no other Origin', async () => {
    // Prepare
    const mcp = endpoints().mcp as string;
    const headers = { 'content-type': 'application/json', accept: 'application/json, text/event-stream' };

    // Act
    const rebound = await send(mcp, { method: 'POST', headers: { ...headers, host: `attacker.example:${port()}` }, body: INITIALIZE });
    const crossOrigin = await send(mcp, { method: 'POST', headers: { ...headers, origin: 'https://attacker.example' }, body: INITIALIZE });
    const own = await send(mcp, { method: 'POST', headers, body: INITIALIZE });

    // Assess: its own Host reaches the endpoint (which wants a token); the others never do
    expect({ rebound: rebound.status, crossOrigin: crossOrigin.status, own: own.status }).toEqual({ rebound: 403, crossOrigin: 403, own: 401 });
  });

  it('lets no page drive the Lambda Invoke API or the dead-letter redrive with a simple POST', async () => {
    // Act: a <form> POST or a no-preflight fetch, from the stack's own Host (a rebound page)
    const simple = (path: string) => send(`${endpoints().http}${path}`, { method: 'POST', headers: { 'content-type': 'text/plain' }, body: '{}' });
    const [invoke, redrive] = await Promise.all([simple('/2015-03-31/functions/centli-core-banking-local-transfer/invocations'), simple('/dead-letters/redrive')]);

    // Assess
    expect([invoke.status, redrive.status]).toEqual([403, 403]);
    expect(JSON.parse(invoke.body)).toMatchObject({ __type: 'MissingAuthenticationTokenException' });
  });
});
