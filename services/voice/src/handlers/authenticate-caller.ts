/** The Lambda entry Amazon Connect's contact flow invokes to check a caller's PIN (app/authenticate-caller.ts). */
import { KMSClient } from '@aws-sdk/client-kms';
import { awsClient } from '@centli/kit/aws';
import { requireEnv } from '@centli/kit/config';
import { IdentityMac } from '@centli/kit/identity-mac';
import { observabilityFor, observed } from '@centli/kit/observability';
import { CallerStore } from '../adapters/caller-store';
import { answerContactFlow, type AuthenticateCallerDeps, type ContactFlowEvent } from '../app/authenticate-caller';

const observability = observabilityFor('voice');

let defaults: AuthenticateCallerDeps | undefined;
const defaultDeps = (): AuthenticateCallerDeps =>
  (defaults ??= {
    store: new CallerStore(),
    mac: new IdentityMac(requireEnv('CALLER_IDENTITY_KEY'), awsClient(() => new KMSClient({ maxAttempts: 3 }))),
    now: () => new Date(),
    log: (message, fields) => observability.logger.info(message, fields),
  });

export const handler = observed((event: ContactFlowEvent, context) => answerContactFlow(event, context, defaultDeps(), observability), observability, { handler: 'authenticate-caller' });
