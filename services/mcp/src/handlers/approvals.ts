/**
 * The approval page's API (app/approvals.ts, app/passkeys.ts) behind the HTTP API:
 *
 *   GET  /approvals/{id}                    the approval as its customer sees it
 *   POST /approvals/{id}                    the customer's decision (a passkey assertion with an approval above the MTU)
 *   POST /approvals/{id}/passkey/options    the step-up's WebAuthn challenge for that approval
 *   POST /passkeys/registration/options     a new passkey's creation options (a fresh sign-in only)
 *   POST /passkeys/registration             the new passkey, checked and kept
 *
 * The page's bearer token names the customer: API Gateway's JWT authorizer checks it in AWS, and
 * this function verifies it again with the same issuer and keys, so the same code decides locally
 * and in AWS. The page is on the platform's site (CENTLI_APPROVAL_ORIGIN), which is also the
 * origin its passkeys are bound to: this function answers its preflight (`OPTIONS`, which carries
 * no token) and lets that one origin read the answers.
 */
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Context } from 'aws-lambda';
import { authenticate, bearerToken, UnauthenticatedError, type Customer } from '@centli/kit/auth';
import { correlate, observed, recordOutcome } from '@centli/kit/observability';
import type { RefusalCode } from '@centli/pure/refusals';
import { corsHeaders, decideApproval, viewApproval, type ApprovalsAnswer, type ApprovalsDeps } from '../app/approvals';
import { type PasskeyAnswer } from '../app/passkeys';
import { passkeyCeremonies } from '../app/passkey-runtime';
import { approvalStore, logger, observability, tokenVerifier } from '../app/shared-runtime';
import { FRESH_SIGN_IN_SECONDS } from '../domain/passkeys';

type Answer = ApprovalsAnswer | PasskeyAnswer;

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
  const method = event.requestContext.http.method;
  const path = event.routeKey.replace(/^\S+\s+/, '');
  const now = new Date();
  let answer: Answer;
  if (path === '/passkeys/registration/options') answer = await passkeyCeremonies().registrationOptions(signedIn(customer), now);
  else if (path === '/passkeys/registration') answer = await passkeyCeremonies().register(signedIn(customer), bodyOf(event), now);
  else if (path === '/approvals/{id}/passkey/options') answer = await passkeyCeremonies().stepUpOptions(customer.userId, approvalId, now);
  else {
    const ceremonies = passkeyCeremonies();
    const deps: ApprovalsDeps = { approvals: approvalStore(), now: () => now, verifyPasskey: (userId, id, assertion, at) => ceremonies.verifyStepUp(userId, id, assertion, at) };
    if (method === 'POST') {
      answer = await decideApproval(customer.userId, approvalId, bodyOf(event), deps);
      if (answer.status === 200) logger.info('the customer decided an approval', { approval_id: approvalId, status: answer.body.status });
    } else {
      answer = await viewApproval(customer.userId, approvalId, deps);
    }
  }
  if (answer.status === 200) {
    if (path.startsWith('/passkeys/registration') && 'registered' in answer.body) logger.info('the customer added a passkey', { credential_id: answer.body.credential_id });
    return json(answer);
  }
  recordOutcome(context, 'refused', refusalCode(answer));
  return json(answer, challengeOf(answer));
}

/** The customer as the ceremonies need them: who, when they signed in, and how their authenticator shows the account. */
function signedIn(customer: Customer): { userId: string; authTime: unknown; label?: string } {
  const label = [customer.claims.email, customer.claims.name].find((claim): claim is string => typeof claim === 'string' && claim.length > 0 && claim.length <= 64);
  return { userId: customer.userId, authTime: customer.claims.auth_time, ...(label ? { label } : {}) };
}

function bodyOf(event: APIGatewayProxyEventV2): unknown {
  try {
    return JSON.parse(event.body === undefined ? '' : event.isBase64Encoded ? Buffer.from(event.body, 'base64').toString('utf8') : event.body) as unknown;
  } catch {
    return undefined;
  }
}

/**
 * RFC 9470's challenge: the client learns that its token is valid but the authentication is not
 * enough. For a step-up, what is missing is a passkey assertion for this approval (the page asks
 * /approvals/{id}/passkey/options for the challenge); for a new passkey, a sign-in at most
 * FRESH_SIGN_IN_SECONDS old.
 */
function challengeOf(answer: Answer): Record<string, string> {
  if (answer.status !== 401) return {};
  if (answer.body.error === 'fresh_sign_in_required') return { 'www-authenticate': `Bearer realm="centli", error="insufficient_user_authentication", error_description="adding a passkey needs a fresh sign-in", max_age=${FRESH_SIGN_IN_SECONDS}` };
  return { 'www-authenticate': 'Bearer realm="centli", error="insufficient_user_authentication", error_description="approving this operation needs a passkey assertion of this approval\'s challenge"' };
}

/** The error model's code of each refusal, for the Invocations metric. */
function refusalCode(answer: Answer): RefusalCode {
  switch (answer.status) {
    case 401:
      return answer.body.error === 'fresh_sign_in_required' ? 'PASSKEY.FRESH_SIGN_IN_REQUIRED' : 'APPROVAL.STEP_UP_REQUIRED';
    case 404:
      return 'APPROVAL.INVALID';
    case 409:
      return answer.body.error === 'decided' ? 'APPROVAL.DECIDED' : answer.body.error === 'no_passkey' ? 'PASSKEY.NONE' : 'REQUEST.INVALID';
    case 410:
      return 'APPROVAL.EXPIRED';
    default:
      return 'REQUEST.INVALID';
  }
}

const PREFLIGHT = { 'access-control-allow-methods': 'GET, POST', 'access-control-allow-headers': 'authorization, content-type', 'access-control-max-age': '600' };

function json(answer: { status: number; body: unknown }, headers: Record<string, string> = {}): APIGatewayProxyStructuredResultV2 {
  return { statusCode: answer.status, headers: { 'content-type': 'application/json', 'cache-control': 'no-store', ...headers }, body: JSON.stringify(answer.body) };
}

export const handler = observed(approvals, observability, { handler: 'approvals' });
