/**
 * The approval page's API (app/approvals.ts) behind the HTTP API, `GET` and `POST
 * /approvals/{id}`. The page's bearer token names the customer: API Gateway's JWT authorizer
 * checks it in AWS, and this function verifies it again with the same issuer and keys, so the same
 * code decides locally and in AWS.
 */
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Context } from 'aws-lambda';
import { authenticate, bearerToken, UnauthenticatedError } from '@centli/kit/auth';
import { correlate, observed, recordOutcome } from '@centli/kit/observability';
import type { RefusalCode } from '@centli/pure/refusals';
import { decideApproval, viewApproval, type ApprovalsAnswer } from '../app/approvals';
import { approvalStore, logger, observability, tokenVerifier } from '../app/runtime';

async function approvals(event: APIGatewayProxyEventV2, context: Context): Promise<APIGatewayProxyStructuredResultV2> {
  correlate(observability, { correlation_id: event.requestContext.requestId ?? context.awsRequestId });
  const customer = await authenticate(bearerToken(event.headers.authorization ?? event.headers.Authorization), { verifier: tokenVerifier(), logger, context });
  if (customer instanceof UnauthenticatedError) return json({ status: 401, body: { error: 'unauthorized' } }, { 'www-authenticate': 'Bearer realm="centli", error="invalid_token"' });
  correlate(observability, { user_id: customer.userId });
  const approvalId = event.pathParameters?.id ?? '';
  const deps = { approvals: approvalStore(), now: () => new Date() };
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
  return json(answer);
}

/** The error model's code of each refusal, for the Invocations metric. */
const REFUSED: Record<400 | 404 | 409 | 410, RefusalCode> = { 400: 'REQUEST.INVALID', 404: 'APPROVAL.INVALID', 409: 'APPROVAL.DECIDED', 410: 'APPROVAL.EXPIRED' };

function json(answer: { status: number; body: unknown }, headers: Record<string, string> = {}): APIGatewayProxyStructuredResultV2 {
  return { statusCode: answer.status, headers: { 'content-type': 'application/json', 'cache-control': 'no-store', ...headers }, body: JSON.stringify(answer.body) };
}

export const handler = observed(approvals, observability, { handler: 'approvals' });
