/**
 * The Bedrock AgentCore Gateway REQUEST interceptor (passRequestHeaders: true). For a
 * `tools/call` it verifies the customer's bearer token (the Gateway's CUSTOM_JWT authorizer
 * already did; this is where the customer is learnt), drops any `_centli_identity` the client
 * sent, and adds its own, MACed with the KMS identity key (see domain/gateway-identity.ts).
 * Other methods (initialize, tools/list) pass unchanged. A call without a valid token is answered
 * here with a JSON-RPC error and never reaches a target.
 *
 * Input and output follow the Gateway's interceptor contract (interceptorInputVersion 1.0):
 * `{ mcp: { gatewayRequest: { headers, body } } }` in,
 * `{ interceptorOutputVersion: '1.0', mcp: { transformedGatewayRequest | transformedGatewayResponse } }` out.
 */
import type { Context } from 'aws-lambda';
import { authenticate, bearerToken, UnauthenticatedError, type TokenVerifier } from '@centli/kit/auth';
import { correlate, observed } from '@centli/kit/observability';
import { isToolName } from '@centli/tools/registry';
import type { IdentityMac } from '@centli/kit/identity-mac';
import { IDENTITY_ARGUMENT, identityMessage, splitIdentity, toolOf, unsignedIdentity } from '../domain/gateway-identity';
import { identityMac } from '../app/identity-runtime';
import { logger, observability, tokenVerifier } from '../app/runtime';
import { unauthorizedBody } from '../app/server';

export interface InterceptorEvent {
  interceptorInputVersion?: string;
  mcp?: {
    gatewayRequest?: {
      headers?: Record<string, string>;
      body?: { jsonrpc?: string; id?: unknown; method?: string; params?: { name?: string; arguments?: Record<string, unknown> } & Record<string, unknown> };
    };
  };
}

export interface InterceptorDeps {
  verifier: Pick<TokenVerifier, 'customer'>;
  mac: Pick<IdentityMac, 'sign'>;
  now: () => Date;
}

let defaults: InterceptorDeps | undefined;
const defaultDeps = (): InterceptorDeps => (defaults ??= { verifier: tokenVerifier(), mac: identityMac(), now: () => new Date() });

export async function intercept(event: InterceptorEvent, given?: InterceptorDeps, context?: Context) {
  const request = event.mcp?.gatewayRequest ?? {};
  const body = request.body ?? {};
  if (body.method !== 'tools/call') return { interceptorOutputVersion: '1.0', mcp: { transformedGatewayRequest: { body } } };

  // Only a tool call needs the verifier and the key: a tools/list passes without either.
  const deps = given ?? defaultDeps();
  const headers = Object.fromEntries(Object.entries(request.headers ?? {}).map(([key, value]) => [key.toLowerCase(), value]));
  const authorization = headers.authorization;
  // The Gateway may pass the header with or without its scheme.
  const customer = await authenticate(bearerToken(authorization) ?? authorization, { verifier: deps.verifier, logger, ...(context ? { context } : {}) });
  if (customer instanceof UnauthenticatedError) {
    return { interceptorOutputVersion: '1.0', mcp: { transformedGatewayResponse: { statusCode: 401, body: unauthorizedBody(body.id, customer) } } };
  }
  const { userId, locale } = customer;
  const tool = String(body.params?.name ?? '');
  const { args } = splitIdentity(body.params?.arguments ?? {});
  const unsigned = unsignedIdentity(userId, tool, args, deps.now(), locale);
  const identity = { ...unsigned, mac: await deps.mac.sign(identityMessage(unsigned)) };
  logger.info('vouched for a tool call', { tool, user_id: userId });
  return {
    interceptorOutputVersion: '1.0',
    mcp: { transformedGatewayRequest: { body: { ...body, params: { ...body.params, arguments: { ...args, [IDENTITY_ARGUMENT]: identity } } } } },
  };
}

async function interceptRequest(event: InterceptorEvent, context: Context) {
  const body = event.mcp?.gatewayRequest?.body;
  const tool = body?.method === 'tools/call' ? toolOf(String(body.params?.name ?? '')) : undefined;
  correlate(observability, { correlation_id: context.awsRequestId, tool: tool !== undefined && isToolName(tool) ? tool : undefined });
  return intercept(event, undefined, context);
}

export const handler = observed(interceptRequest, observability, { handler: 'agentcore-interceptor' });
