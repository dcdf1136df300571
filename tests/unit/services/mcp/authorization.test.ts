import { tools } from '@centli/tools/registry';
import { authorizationOf, mcpResourceOf, protectedResourceMetadata, resourceMetadataUrl, scopesFor, scopesNeeded } from '../../../../services/mcp/src/domain/authorization';

const MCP = 'https://api.centli.example/mcp';
const METADATA = 'https://api.centli.example/.well-known/oauth-protected-resource/mcp';
const call = (name: string) => JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/call', params: { name, arguments: {} } });
const token = (scope: string, aud: unknown = MCP) => ({ sub: 'user-ana', aud, scope });

describe('scopesFor', () => {
  it('asks centli/read of every read-only tool and centli/operate too of every other, as the registry marks them', () => {
    // Act
    const byTool = Object.fromEntries(tools.map((spec) => [spec.name, scopesFor(spec).join(' ')]));

    // Assess
    for (const spec of tools) expect([spec.name, byTool[spec.name]]).toEqual([spec.name, spec.read_only ? 'centli/read' : 'centli/read centli/operate']);
    expect(byTool).toMatchObject({ get_balance: 'centli/read', list_transactions: 'centli/read', transfer_funds: 'centli/read centli/operate', add_beneficiary: 'centli/read centli/operate', lock_card: 'centli/read centli/operate' });
  });
});

describe('scopesNeeded', () => {
  it.each([
    ['a read-only tool’s call', call('get_balance'), ['centli/read']],
    ['a transfer', call('transfer_funds'), ['centli/read', 'centli/operate']],
    ['a call of a tool that does not exist', call('wire_money'), ['centli/read']],
    ['a call without a name', JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/call', params: null }), ['centli/read']],
    ['the tool list', JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/list' }), ['centli/read']],
    ['initialize', JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'initialize', params: { name: 'transfer_funds' } }), ['centli/read']],
    ['a body that is not JSON', '{"method": "tools/call"', ['centli/read']],
    ['no body', undefined, ['centli/read']],
  ])('needs for %s %p', (_what, body, scopes) => {
    expect(scopesNeeded(body)).toEqual(scopes);
    expect(scopesNeeded(body === undefined ? undefined : Buffer.from(body))).toEqual(scopes);
  });
});

describe('authorizationOf', () => {
  it('serves a token bound to the endpoint with the scopes the message needs', () => {
    expect(authorizationOf(token('centli/read'), call('get_balance'), MCP)).toBeUndefined();
    expect(authorizationOf(token('centli/read centli/operate'), call('transfer_funds'), MCP)).toBeUndefined();
  });

  it('challenges a request without a valid token with 401, the scopes it needs and where the metadata is', () => {
    expect(authorizationOf(undefined, call('transfer_funds'), MCP)).toEqual({
      status: 401,
      reason: 'no valid token',
      scopes: ['centli/read', 'centli/operate'],
      challenge: `Bearer realm="centli", error="invalid_token", scope="centli/read centli/operate", resource_metadata="${METADATA}"`,
    });
  });

  it.each([
    ['the chat’s ID token', 'centli'],
    ['a token for another resource', 'https://api.centli.example/other'],
    ['no audience', null],
  ])('refuses %s with 401 invalid_token, whatever its scopes', (_what, aud) => {
    expect(authorizationOf(token('centli/read centli/operate', aud), call('get_balance'), MCP)).toMatchObject({ status: 401, reason: 'not bound to this resource', challenge: expect.stringContaining('error="invalid_token"') });
  });

  it('refuses an operation to a token for reading only with 403 insufficient_scope naming every scope it needs', () => {
    expect(authorizationOf(token('centli/read'), call('transfer_funds'), MCP)).toEqual({
      status: 403,
      reason: 'insufficient scope',
      scopes: ['centli/read', 'centli/operate'],
      challenge: `Bearer realm="centli", error="insufficient_scope", scope="centli/read centli/operate", resource_metadata="${METADATA}"`,
    });
  });

  it.each([
    ['no scope at all', ''],
    ['only the OpenID scopes', 'openid email'],
    ['operating without reading', 'centli/operate'],
  ])('refuses even the tool list to a token with %s', (_what, scope) => {
    expect(authorizationOf(token(scope), JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/list' }), MCP)).toMatchObject({ status: 403, scopes: ['centli/read'] });
  });
});

describe('the protected resource metadata', () => {
  it('is at the well-known path before the resource’s own path (RFC 9728 section 3.1)', () => {
    expect(resourceMetadataUrl(MCP)).toBe(METADATA);
    expect(resourceMetadataUrl('http://127.0.0.1:4010/mcp')).toBe('http://127.0.0.1:4010/.well-known/oauth-protected-resource/mcp');
    expect(resourceMetadataUrl('https://api.centli.example')).toBe('https://api.centli.example/.well-known/oauth-protected-resource');
  });

  it('names the resource, its authorization server, the scopes and the header as the one way to send a token', () => {
    expect(protectedResourceMetadata(MCP, ['https://auth.centli.example'])).toEqual({
      resource: MCP,
      authorization_servers: ['https://auth.centli.example'],
      scopes_supported: ['centli/read', 'centli/operate'],
      bearer_methods_supported: ['header'],
      resource_name: 'Centli',
    });
  });

  it('names the endpoint configured, or /mcp on the host the request came to', () => {
    expect(mcpResourceOf(MCP, 'abc.execute-api.us-east-1.amazonaws.com')).toBe(MCP);
    expect(mcpResourceOf(undefined, 'abc.execute-api.us-east-1.amazonaws.com')).toBe('https://abc.execute-api.us-east-1.amazonaws.com/mcp');
    expect(mcpResourceOf('', 'abc.example')).toBe('https://abc.example/mcp');
  });
});
