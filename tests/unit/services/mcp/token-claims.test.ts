import type { Context } from 'aws-lambda';
import { tokenClaimsFor, type PreTokenGenerationV2Event } from '../../../../services/mcp/src/domain/token-claims';
import { handler } from '../../../../services/mcp/src/handlers/oauth-token-claims';

const MCP_CLIENT = '4example23456789mcp';
const RESOURCE = 'https://api.centli.example/mcp';

/**
 * The V2_0 event Cognito sends for a managed login sign-in (TokenGeneration_HostedAuth), as the
 * Cognito developer guide's example event shows it ("Pre token generation Lambda trigger",
 * version 2), with Centli's custom attribute and the fixed MCP client's scopes.
 */
const hostedAuth = (clientId: string): PreTokenGenerationV2Event =>
  ({
    version: '2',
    triggerSource: 'TokenGeneration_HostedAuth',
    region: 'us-east-1',
    userPoolId: 'us-east-1_EXAMPLE',
    userName: 'a36036a8-9061-424d-a737-56d57dae7bbc',
    callerContext: { awsSdkVersion: 'aws-sdk-unknown-unknown', clientId },
    request: {
      userAttributes: {
        sub: 'a36036a8-9061-424d-a737-56d57dae7bbc',
        'cognito:user_status': 'CONFIRMED',
        email_verified: 'true',
        email: 'ana@example.com',
        'custom:user_id': 'user-ana',
      },
      groupConfiguration: { groupsToOverride: [], iamRolesToOverride: [], preferredRole: null },
      scopes: ['openid', 'centli/read', 'centli/operate'],
    },
    response: { claimsAndScopeOverrideDetails: null },
  }) as PreTokenGenerationV2Event;

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
