/**
 * The intent engine INTENT_ENGINE names, for every door where a customer talks (the chat, the
 * phone): `parser` (offline default), `bedrock` (deployed default) or `openai`. One setting for
 * the whole stage, so the chat and a call understand the same words the same way.
 */
import { BedrockRuntimeClient } from '@aws-sdk/client-bedrock-runtime';
import { awsClient } from '@centli/kit/aws';
import type { IntentEngine } from '../intent/intent';
import { parseIntent } from '../intent/intent-parser';
import { BedrockEngine } from './bedrock-engine';
import { OpenAiEngine } from './openai-engine';

export function engineFromEnv(env: NodeJS.ProcessEnv = process.env): IntentEngine {
  switch (env.INTENT_ENGINE ?? 'parser') {
    case 'parser':
      return { name: 'parser', understand: async (text, context) => parseIntent(text, context) };
    case 'bedrock':
      return new BedrockEngine(env.BEDROCK_MODEL_ID || 'amazon.nova-lite-v1:0', awsClient(() => new BedrockRuntimeClient({ maxAttempts: 3 })));
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
