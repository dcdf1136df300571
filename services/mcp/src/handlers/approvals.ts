/**
 * The approval page's API (app/approvals.ts) behind the HTTP API, `GET` and `POST
 * /approvals/{id}`. The page's bearer token names the customer: API Gateway's JWT authorizer
 * checks it in AWS, and this function verifies it again with the same issuer and keys, so the same
 * code decides locally and in AWS. The page is on the platform's site (CENTLI_APPROVAL_ORIGIN):
 * this function answers its preflight (`OPTIONS`, which carries no token) and lets that one origin
 * read the answers; locally the stack serves the page on the API's own origin.
 */
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Context } from 'aws-lambda';
import { authenticate, bearerToken, UnauthenticatedError } from '@centli/kit/auth';
import { correlate, observed, recordOutcome } from '@centli/kit/observability';
import type { RefusalCode } from '@centli/pure/refusals';
import { STEP_UP_ACR, STEP_UP_MAX_AGE_SECONDS } from '@centli/pure/step-up';
import { corsHeaders, decideApproval, viewApproval, type ApprovalsAnswer, type ApprovalsDeps } from '../app/approvals';
import { approvalStore, logger, observability, tokenVerifier } from '../app/runtime';

async function approvals(event: APIGatewayProxyEventV2, context: Context): Promise<APIGatewayProxyStructuredResultV2> {
  correlate(observability, { correlation_id: event.requestContext.requestId ?? context.awsRequestId });
  const cors = corsHeaders(event.headers.origin ?? event.headers.Origin, process.env.CENTLI_APPROVAL_ORIGIN);
  if (event.requestContext.http.method === 'OPTIONS') {
    return { statusCode: 204, headers: { ...cors, ...(cors['access-control-allow-origin'] ? PREFLIGHT : {}) } };
  }
  const answer = await served(event, context);
  return { ...answer, headers: { ...answer.headers, ...cors } };
}

async function served(event: APIGatewayProxyEventV2, context: Context): Promise<APIGatewayProxyStructuredResultV2> {
  const customer = await authenticate(bearerToken(event.headers.authorization ?? event.headers.Authorization), { verifier: tokenVerifier(), logger, context });
  if (customer instanceof UnauthenticatedError) return json({ status: 401, body: { error: 'unauthorized' } }, { 'www-authenticate': 'Bearer realm="centli", error="invalid_token"' });
  correlate(observability, { user_id: customer.userId });
  const approvalId = event.pathParameters?.id ?? '';
  const verifier = tokenVerifier();
  const deps: ApprovalsDeps = { approvals: approvalStore(), now: () => new Date(), stepUp: (token, expected, now) => verifier.stepUp(token, expected, now) };
  let answer: ApprovalsAnswer;
  if (event.requestContext.http.method === 'POST') {
    let body: unknown;
    try {
      body = JSON.parse(event.body === undefined ? '' : event.isBase64Encoded ? Buffer.from(event.body, 'base64').toString('utf8') : event.body);
    } catch {
      body = undefined;
    }
    answer = await decideApproval(customer.userId, approvalId, body, deps);
    if (answer.status === 200) logger.info('the customer decided an approval', { approval_id: approvalId, status: answer.body.status });
  } else {
    answer = await viewApproval(customer.userId, approvalId, deps);
  }
  if (answer.status !== 200) recordOutcome(context, 'refused', REFUSED[answer.status]);
  // RFC 9470: the client learns which authentication it must bring, and how recent.
  return json(answer, answer.status === 401 ? { 'www-authenticate': `Bearer realm="centli", error="insufficient_user_authentication", acr_values="${STEP_UP_ACR}", max_age=${STEP_UP_MAX_AGE_SECONDS}` } : {});
}

/** The error model's code of each refusal, for the Invocations metric. */
const REFUSED: Record<400 | 401 | 404 | 409 | 410, RefusalCode> = { 400: 'REQUEST.INVALID', 401: 'APPROVAL.STEP_UP_REQUIRED', 404: 'APPROVAL.INVALID', 409: 'APPROVAL.DECIDED', 410: 'APPROVAL.EXPIRED' };

const PREFLIGHT = { 'access-control-allow-methods': 'GET, POST', 'access-control-allow-headers': 'authorization, content-type', 'access-control-max-age': '600' };

function json(answer: { status: number; body: unknown }, headers: Record<string, string> = {}): APIGatewayProxyStructuredResultV2 {
  return { statusCode: answer.status, headers: { 'content-type': 'application/json', 'cache-control': 'no-store', ...headers }, body: JSON.stringify(answer.body) };
}

export const handler = observed(approvals, observability, { handler: 'approvals' });
