/**
 * The chat gateway's wiring in a running function: its stores, the publisher (source
 * centli.agent-gateway), the socket client, the intent engine chosen by INTENT_ENGINE, and the
 * logger. Created once per container, on first use.
 */
import { randomUUID } from 'node:crypto';
import { Logger } from '@aws-lambda-powertools/logger';
import { TokenVerifier } from '@centli/kit/auth';
import { requireEnv } from '@centli/kit/config';
import { eventBridgePublisher } from '@centli/kit/publisher';
import { ConfirmationStore } from '@centli/tools/adapters/confirmation-store';
import { BedrockEngine } from './adapters/bedrock-engine';
import { Connections } from './adapters/connections';
import { OpenAiEngine } from './adapters/openai-engine';
import { SessionStore } from './adapters/session-store';
import { TurnStore } from './adapters/turn-store';
import type { IntentEngine } from './domain/intent';
import { parseIntent } from './domain/intent-parser';
import type { GatewayDeps } from './gateway';

export const logger = new Logger({ serviceName: 'agent-gateway' });

/** The engine INTENT_ENGINE names: `parser` (offline default), `bedrock` (deployed default) or `openai`. */
export function engineFromEnv(env: NodeJS.ProcessEnv = process.env): IntentEngine {
  switch (env.INTENT_ENGINE ?? 'parser') {
    case 'parser':
      return { name: 'parser', understand: async (text, context) => parseIntent(text, context) };
    case 'bedrock':
      return new BedrockEngine(env.BEDROCK_MODEL_ID || 'amazon.nova-lite-v1:0');
    case 'openai': {
      const need = (name: string): string => {
        const value = env[name];
        if (!value) throw new Error(`environment variable ${name} is not set`);
        return value;
      };
      return new OpenAiEngine({ baseUrl: need('OPENAI_BASE_URL'), model: need('OPENAI_MODEL'), ...(env.OPENAI_API_KEY ? { apiKey: env.OPENAI_API_KEY } : {}) });
    }
    default:
      throw new Error(`INTENT_ENGINE must be parser, bedrock or openai, not ${env.INTENT_ENGINE}`);
  }
}

let deps: GatewayDeps | undefined;
let verifier: TokenVerifier | undefined;

export function gatewayDeps(): GatewayDeps {
  return (deps ??= {
    sessions: new SessionStore(),
    turns: new TurnStore(),
    confirmations: new ConfirmationStore(requireEnv('CONVERSATIONS_TABLE')),
    connections: new Connections(),
    publisher: eventBridgePublisher(),
    engine: engineFromEnv(),
    now: () => new Date(),
    newId: () => randomUUID(),
    timeZone: process.env.CUSTOMER_TIME_ZONE || 'America/Mexico_City',
    log: (level, message, attributes = {}) => logger[level](message, attributes),
  });
}

export function tokenVerifier(): TokenVerifier {
  return (verifier ??= new TokenVerifier());
}
