/**
 * The MCP endpoint's protected resource metadata (RFC 9728), public on the same HTTP API as
 * `/mcp`: at `/.well-known/oauth-protected-resource/mcp` (the well-known path before the
 * resource's own, which a 401's `resource_metadata` names) and at
 * `/.well-known/oauth-protected-resource` (where a client that got no challenge looks next). It
 * names the resource (CENTLI_MCP_RESOURCE), the authorization server a client signs the customer
 * in with (CENTLI_AUTHORIZATION_SERVER) and the scopes (../domain/authorization.ts).
 */
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { applyLocalEndpoints, requireEnv } from '@centli/kit/config';
import { mcpResourceOf, protectedResourceMetadata } from '../domain/authorization';

export async function handler(event: APIGatewayProxyEventV2): Promise<APIGatewayProxyStructuredResultV2> {
  applyLocalEndpoints();
  const resource = mcpResourceOf(process.env.CENTLI_MCP_RESOURCE, event.requestContext.domainName);
  return {
    statusCode: 200,
    headers: {
      'content-type': 'application/json',
      'cache-control': 'public, max-age=3600',
      // Public metadata: a browser-based client (the MCP Inspector) reads it from its own origin.
      'access-control-allow-origin': '*',
    },
    body: JSON.stringify(protectedResourceMetadata(resource, [requireEnv('CENTLI_AUTHORIZATION_SERVER')])),
  };
}
