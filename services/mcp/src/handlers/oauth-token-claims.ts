/**
 * The user pool's pre token generation trigger (event version 2, `LambdaVersion: V2_0`): binds the
 * fixed MCP app client's access tokens to the MCP endpoint and names the customer in them
 * (../domain/token-claims.ts). The client and the endpoint come from the environment
 * (CENTLI_MCP_OAUTH_CLIENT_ID, CENTLI_MCP_RESOURCE); it reads and writes nothing else.
 */
import type { Context } from 'aws-lambda';
import { correlate, observabilityFor, observed } from '@centli/kit/observability';
import { requireEnv } from '@centli/kit/config';
import { tokenClaimsFor, type PreTokenGenerationV2Event } from '../domain/token-claims';

// Cognito waits five seconds for a trigger: nothing of the MCP runtime is loaded here.
const observability = observabilityFor('mcp');

async function tokenClaims(event: PreTokenGenerationV2Event, context: Context): Promise<PreTokenGenerationV2Event> {
  correlate(observability, { correlation_id: context.awsRequestId });
  const details = tokenClaimsFor(event, { clientId: requireEnv('CENTLI_MCP_OAUTH_CLIENT_ID'), resource: requireEnv('CENTLI_MCP_RESOURCE') });
  // Cognito reads the event back: the same object, with the response filled in.
  return { ...event, response: { ...event.response, claimsAndScopeOverrideDetails: details } };
}

export const handler = observed(tokenClaims, observability, { handler: 'oauth-token-claims' });
