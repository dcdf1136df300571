/** The Lambda entry the Lex V2 bot calls on every turn of a call (app/bot-code-hook.ts). */
// A tool call's arguments are all it validates (lib/tools/registry.ts): every tool's, as standalone code.
import '@centli/schemas/validators/for/tool-arguments';
import { randomUUID } from 'node:crypto';
import { KMSClient } from '@aws-sdk/client-kms';
import { LambdaClient } from '@aws-sdk/client-lambda';
import type { LexV2Event } from 'aws-lambda';
import { awsClient } from '@centli/kit/aws';
import { intFromEnv, requireEnv } from '@centli/kit/config';
import { IdentityMac } from '@centli/kit/identity-mac';
import { correlate, observabilityFor, observed } from '@centli/kit/observability';
import { ConfirmationStore } from '@centli/tools/adapters/confirmation-store';
import { engineFromEnv } from '@centli/tools/adapters/intent-engines';
import { RateLimiter } from '@centli/tools/adapters/rate-limiter';
import { LambdaServiceCaller } from '@centli/tools/adapters/service-caller';
import { CallStore } from '../adapters/call-store';
import { answerBot, type BotCodeHookDeps } from '../app/bot-code-hook';
import { VOICE_SOURCE, type VoiceDoorDeps } from '../app/voice-door';

const observability = observabilityFor('voice');
const log: BotCodeHookDeps['log'] = (level, message, attributes = {}) => observability.logger[level](message, attributes);

let door: VoiceDoorDeps | undefined;
let defaults: BotCodeHookDeps | undefined;
const defaultDeps = (): BotCodeHookDeps =>
  (defaults ??= {
    verify: { mac: new IdentityMac(requireEnv('CALLER_IDENTITY_KEY'), awsClient(() => new KMSClient({ maxAttempts: 3 }))), now: () => new Date() },
    door: () =>
      (door ??= {
        calls: new CallStore(),
        confirmations: new ConfirmationStore(requireEnv('VOICE_CALLS_TABLE')),
        services: correlating(new LambdaServiceCaller({ stage: requireEnv('CENTLI_STAGE'), source: VOICE_SOURCE, client: awsClient(() => new LambdaClient({ maxAttempts: 3 })) })),
        engine: engineFromEnv(),
        rates: new RateLimiter({ tableName: requireEnv('RATE_LIMITS_TABLE'), log: (message, attributes = {}) => observability.logger.warn(message, attributes) }),
        now: () => new Date(),
        newId: () => randomUUID(),
        sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
        purchaseWaitMs: intFromEnv('VOICE_PURCHASE_WAIT_MS', 3000),
        timeZone: process.env.CUSTOMER_TIME_ZONE || 'America/Mexico_City',
        log,
      }),
    log,
  });

/** A caller that makes each request's correlation id the invocation's, so the services' logs and this one's line up. */
function correlating(caller: LambdaServiceCaller): VoiceDoorDeps['services'] {
  return {
    call: (request) => {
      correlate(observability, { correlation_id: request.detail.correlation_id });
      return caller.call(request);
    },
  };
}

export const handler = observed((event: LexV2Event, context) => answerBot(event, context, defaultDeps(), observability), observability, { handler: 'bot-code-hook' });
