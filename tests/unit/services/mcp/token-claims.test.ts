import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Context } from 'aws-lambda';
import { tokenClaimsFor, type PreTokenGenerationV2Event } from '../../../../services/mcp/src/domain/token-claims';
import { handler } from '../../../../services/mcp/src/handlers/oauth-token-claims';

const MCP_CLIENT = '4example23456789mcp';
const RESOURCE = 'https://api.centli.example/mcp';

/**
 * The V2_0 event Cognito sends for a managed login sign-in (TokenGeneration_HostedAuth), as the
 * Cognito developer guide's example event shows it ("Pre token generation Lambda trigger",
 * version 2), with Centli's custom attribute and the fixed MCP client's scopes: the service's
 * sample event (services/mcp/events), which `sls invoke local` takes too.
 */
const recorded = JSON.parse(readFileSync(join(__dirname, '..', '..', '..', '..', 'services', 'mcp', 'events', 'oauth-token-claims-hosted-auth.json'), 'utf8')) as PreTokenGenerationV2Event;
const hostedAuth = (clientId: string): PreTokenGenerationV2Event => {
  const event = structuredClone(recorded);
  event.callerContext.clientId = clientId;
  return event;
};

describe('tokenClaimsFor', () => {
  it('binds the MCP client’s access token to the MCP endpoint and names the customer in it', () => {
    expect(tokenClaimsFor(hostedAuth(MCP_CLIENT), { clientId: MCP_CLIENT, resource: RESOURCE })).toEqual({
      accessTokenGeneration: { claimsToAddOrOverride: { resource: RESOURCE, 'custom:user_id': 'user-ana' } },
    });
  });

  it('leaves every other client’s tokens as Cognito made them: the chat page’s sign-in is not bound to /mcp', () => {
    expect(tokenClaimsFor(hostedAuth('1example23456789chat'), { clientId: MCP_CLIENT, resource: RESOURCE })).toBeNull();
  });

  it('names no customer when the user has no user_id, so /mcp refuses the token', () => {
    const event = hostedAuth(MCP_CLIENT);
    delete event.request.userAttributes['custom:user_id'];
    expect(tokenClaimsFor(event, { clientId: MCP_CLIENT, resource: RESOURCE })?.accessTokenGeneration?.claimsToAddOrOverride).toEqual({ resource: RESOURCE });
  });

  it('binds a refreshed token too', () => {
    const event = { ...hostedAuth(MCP_CLIENT), triggerSource: 'TokenGeneration_RefreshTokens' };
    expect(tokenClaimsFor(event, { clientId: MCP_CLIENT, resource: RESOURCE })?.accessTokenGeneration?.claimsToAddOrOverride).toMatchObject({ resource: RESOURCE });
  });
});

describe('the oauth-token-claims handler', () => {
  const saved = { ...process.env };
  afterEach(() => {
    process.env = { ...saved };
  });

  it('answers Cognito with the event it was sent and the response filled in', async () => {
    // Prepare
    process.env.CENTLI_MCP_OAUTH_CLIENT_ID = MCP_CLIENT;
    process.env.CENTLI_MCP_RESOURCE = RESOURCE;
    const event = hostedAuth(MCP_CLIENT);

    // Act
    const answer = await handler(event, { awsRequestId: 'req-1', functionName: 'centli-mcp-test-oauth-token-claims' } as Context);

    // Assess
    expect(answer).toEqual({ ...event, response: { claimsAndScopeOverrideDetails: { accessTokenGeneration: { claimsToAddOrOverride: { resource: RESOURCE, 'custom:user_id': 'user-ana' } } } } });
  });
});
