/** The Lambda entry Amazon Connect's contact flow invokes to check a caller's PIN (app/authenticate-caller.ts). */
import type { Context } from 'aws-lambda';
import { KMSClient } from '@aws-sdk/client-kms';
import { awsClient } from '@centli/kit/aws';
import { requireEnv } from '@centli/kit/config';
import { IdentityMac } from '@centli/kit/identity-mac';
import { correlate, observabilityFor, observed, recordOutcome } from '@centli/kit/observability';
import { CallerStore } from '../adapters/caller-store';
import { authenticateCaller, REFUSAL_CODES, type AuthenticateCallerDeps, type CallerCheck, type ContactFlowEvent } from '../app/authenticate-caller';

const observability = observabilityFor('voice');

let defaults: AuthenticateCallerDeps | undefined;
const defaultDeps = (): AuthenticateCallerDeps =>
  (defaults ??= {
    store: new CallerStore(),
    mac: new IdentityMac(requireEnv('CALLER_IDENTITY_KEY'), awsClient(() => new KMSClient({ maxAttempts: 3 }))),
    now: () => new Date(),
    log: (message, fields) => observability.logger.info(message, fields),
  });

async function authenticate(event: ContactFlowEvent, context: Context): Promise<CallerCheck> {
  correlate(observability, { correlation_id: event?.Details?.ContactData?.ContactId ?? context.awsRequestId });
  const answer = await authenticateCaller(event ?? {}, defaultDeps());
  if (answer.result !== 'verified') recordOutcome(context, 'refused', REFUSAL_CODES[answer.result]);
  return answer;
}

export const handler = observed(authenticate, observability, { handler: 'authenticate-caller' });
