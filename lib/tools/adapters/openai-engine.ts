/**
 * An intent engine for people who run their own model: any OpenAI-compatible chat-completions
 * endpoint with tool calling (Ollama, llama.cpp's server, vLLM…), at OPENAI_BASE_URL with
 * OPENAI_MODEL (and OPENAI_API_KEY when the server wants one). The tools are the registry's, as
 * JSON Schema function parameters. As with Bedrock, yes/no/hello/help are read by the parser.
 */
import { isToolName, tools } from '@centli/tools/registry';
import { modelSchema, SYSTEM_PROMPT, sanitizedCall, type IntentEngine, type Understanding } from '../intent/intent';
import { parseIntent } from '../intent/intent-parser';

export function openAiTools(): Array<{ type: 'function'; function: { name: string; description: string; parameters: Record<string, unknown> } }> {
  return tools.map((spec) => ({ type: 'function', function: { name: spec.name, description: spec.description, parameters: modelSchema(spec.inputSchema) } }));
}

interface ChatCompletion {
  choices?: Array<{ message?: { content?: string | null; tool_calls?: Array<{ type?: string; function?: { name?: string; arguments?: string } }> } }>;
}

export class OpenAiEngine implements IntentEngine {
  readonly name = 'openai';
  private readonly toolList = openAiTools();

  constructor(
    private readonly settings: { baseUrl: string; model: string; apiKey?: string; timeoutMs?: number },
    private readonly fetchImpl: typeof fetch = fetch,
  ) {}

  async understand(text: string, context: { now: Date; timeZone: string; locale: 'es' | 'en' }): Promise<Understanding> {
    const quick = parseIntent(text, context);
    if (quick.kind === 'confirm' || quick.kind === 'cancel' || quick.kind === 'greeting' || quick.kind === 'help') return quick;
    const response = await this.fetchImpl(`${this.settings.baseUrl.replace(/\/$/, '')}/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(this.settings.apiKey ? { authorization: `Bearer ${this.settings.apiKey}` } : {}) },
      body: JSON.stringify({
        model: this.settings.model,
        temperature: 0,
        tool_choice: 'auto',
        tools: this.toolList,
        messages: [
          { role: 'system', content: `${SYSTEM_PROMPT}\nNow: ${context.now.toISOString()} (${context.timeZone}).` },
          { role: 'user', content: text },
        ],
      }),
      signal: AbortSignal.timeout(this.settings.timeoutMs ?? 15_000),
    });
    if (!response.ok) throw new Error(`the model endpoint answered ${response.status}`);
    const completion = (await response.json()) as ChatCompletion;
    const message = completion.choices?.[0]?.message;
    const call = message?.tool_calls?.find((c) => c.function?.name)?.function;
    if (call?.name && isToolName(call.name)) {
      let args: unknown;
      try {
        args = JSON.parse(call.arguments || '{}');
      } catch {
        return { kind: 'unknown', locale: quick.locale };
      }
      if (args === null || typeof args !== 'object' || Array.isArray(args)) return { kind: 'unknown', locale: quick.locale };
      return { kind: 'tool', locale: quick.locale, call: sanitizedCall({ name: call.name, args: args as Record<string, unknown> }) };
    }
    const reply = (message?.content ?? '').trim();
    return reply ? { kind: 'reply', locale: quick.locale, text: reply } : { kind: 'unknown', locale: quick.locale };
  }
}
