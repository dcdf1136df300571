/**
 * What the user pool's pre token generation trigger (event version 2) adds to the tokens of the
 * fixed MCP app client: Cognito cannot bind an access token to a resource (RFC 8707) nor put a
 * custom attribute in it, and `/mcp` needs both (./authorization.ts, @centli/kit/auth). So for
 * that client only, the access token gets `resource` = the MCP endpoint and `custom:user_id` =
 * the customer's immutable attribute. Every other client's tokens (the chat page's) are left as
 * Cognito made them. Pure.
 */

/** The part of a V2 pre token generation event this reads (Cognito's recorded shape; see the tests). */
export interface PreTokenGenerationV2Event {
  version: string;
  triggerSource: string;
  callerContext: { clientId: string; awsSdkVersion?: string };
  request: { userAttributes: Record<string, string>; scopes?: string[] };
  response: { claimsAndScopeOverrideDetails?: ClaimsAndScopeOverrideDetails | null };
}

export interface ClaimsAndScopeOverrideDetails {
  idTokenGeneration?: { claimsToAddOrOverride?: Record<string, string>; claimsToSuppress?: string[] };
  accessTokenGeneration?: { claimsToAddOrOverride?: Record<string, string>; claimsToSuppress?: string[]; scopesToAdd?: string[]; scopesToSuppress?: string[] };
}

/** The claim of a Cognito token that names Centli's customer: the user pool's custom attribute. */
export const USER_ID_ATTRIBUTE = 'custom:user_id';

/**
 * The response details for `event`: for the MCP client `clientId`, the access token bound to
 * `resource` and naming the customer; for any other client, none (Cognito's tokens unchanged).
 * A customer without the attribute gets no `custom:user_id`, so `/mcp` refuses the token.
 */
export function tokenClaimsFor(event: PreTokenGenerationV2Event, mcp: { clientId: string; resource: string }): ClaimsAndScopeOverrideDetails | null {
  if (!mcp.clientId || event.callerContext.clientId !== mcp.clientId) return event.response.claimsAndScopeOverrideDetails ?? null;
  const userId = event.request.userAttributes[USER_ID_ATTRIBUTE];
  return {
    accessTokenGeneration: {
      claimsToAddOrOverride: { resource: mcp.resource, ...(userId ? { [USER_ID_ATTRIBUTE]: userId } : {}) },
    },
  };
}
