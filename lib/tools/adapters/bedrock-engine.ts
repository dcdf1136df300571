/**
 * The deployed default intent engine: Amazon Bedrock Converse with tool use, its tool specs
 * generated from the tool registry's schemas (the model sees exactly the tools and arguments the
 * MCP server serves). Short whole-message answers (yes, no, hello, help) are read by the parser
 * first: cheaper, instant, and a confirmation is never a model's reading.
 */
import { BedrockRuntimeClient, ConverseCommand, type Tool } from '@aws-sdk/client-bedrock-runtime';
import { applyLocalEndpoints } from '@centli/kit/config';
import { isToolName, tools } from '@centli/tools/registry';
import { modelSchema, SYSTEM_PROMPT, sanitizedCall, type IntentEngine, type Understanding } from '../intent/intent';
import { parseIntent } from '../intent/intent-parser';

/** The registry as Converse tool specs. */
export function bedrockTools(): Tool[] {
  return tools.map((spec) => ({ toolSpec: { name: spec.name, description: spec.description, inputSchema: { json: modelSchema(spec.inputSchema) as never } } }));
}

export class BedrockEngine implements IntentEngine {
  readonly name = 'bedrock';
  private readonly toolSpecs = bedrockTools();

  constructor(
    private readonly modelId: string,
    private readonly client: Pick<BedrockRuntimeClient, 'send'> = (applyLocalEndpoints(), new BedrockRuntimeClient({ maxAttempts: 3 })),
  ) {}

  async understand(text: string, context: { now: Date; timeZone: string; locale: 'es' | 'en' }): Promise<Understanding> {
    const quick = parseIntent(text, context);
    if (quick.kind === 'confirm' || quick.kind === 'cancel' || quick.kind === 'greeting' || quick.kind === 'help') return quick;
    const response = await this.client.send(
      new ConverseCommand({
        modelId: this.modelId,
        system: [{ text: `${SYSTEM_PROMPT}\nNow: ${context.now.toISOString()} (${context.timeZone}).` }],
        messages: [{ role: 'user', content: [{ text }] }],
        toolConfig: { tools: this.toolSpecs, toolChoice: { auto: {} } },
        inferenceConfig: { maxTokens: 512, temperature: 0 },
      }),
    );
    const content = response.output?.message?.content ?? [];
    const use = content.find((block) => block.toolUse)?.toolUse;
    if (use?.name && isToolName(use.name)) return { kind: 'tool', locale: quick.locale, call: sanitizedCall({ name: use.name, args: (use.input ?? {}) as Record<string, unknown> }) };
    const reply = content.map((block) => block.text ?? '').join('').trim();
    return reply ? { kind: 'reply', locale: quick.locale, text: reply } : { kind: 'unknown', locale: quick.locale };
  }
}
