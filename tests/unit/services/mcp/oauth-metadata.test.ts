import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { handler } from '../../../../services/mcp/src/handlers/oauth-metadata';

const event = JSON.parse(readFileSync(join(__dirname, '..', '..', '..', '..', 'services', 'mcp', 'events', 'oauth-protected-resource.json'), 'utf8')) as APIGatewayProxyEventV2;

describe('the oauth-metadata handler', () => {
  const saved = { ...process.env };
  afterEach(() => {
    process.env = { ...saved };
  });

  it('answers the protected resource metadata of the configured endpoint, public and cacheable', async () => {
    // Prepare
    process.env.CENTLI_MCP_RESOURCE = 'https://api.centli.example/mcp';
    process.env.CENTLI_AUTHORIZATION_SERVER = 'https://auth.centli.example';

    // Act
    const answer = await handler(event);

    // Assess
    expect(answer).toMatchObject({ statusCode: 200, headers: { 'content-type': 'application/json', 'access-control-allow-origin': '*', 'cache-control': 'public, max-age=3600' } });
    expect(JSON.parse(answer.body as string)).toEqual({
      resource: 'https://api.centli.example/mcp',
      authorization_servers: ['https://auth.centli.example'],
      scopes_supported: ['centli/read', 'centli/operate'],
      bearer_methods_supported: ['header'],
      resource_name: 'Centli',
    });
  });

  it('names /mcp on the host the request came to when no endpoint is configured', async () => {
    // Prepare
    delete process.env.CENTLI_MCP_RESOURCE;
    process.env.CENTLI_AUTHORIZATION_SERVER = 'https://auth.centli.example';

    // Act
    const answer = await handler({ ...event, requestContext: { ...event.requestContext, domainName: 'abc.execute-api.us-east-1.amazonaws.com' } });

    // Assess
    expect(JSON.parse(answer.body as string)).toMatchObject({ resource: 'https://abc.execute-api.us-east-1.amazonaws.com/mcp' });
  });
});
