/**
 * MCP clients for the integration tests: the SDK's own `Client`, over Streamable HTTP (the local
 * stack's /mcp, the same Lambda handler AWS runs) and over stdio (`npm run mcp`'s entry, as a
 * desktop client starts it), each bound to a seeded customer's demo token.
 */
import { join } from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { endpoints } from '../support';

const root = join(__dirname, '..', '..', '..');

export type Transport = 'http' | 'stdio';

export async function connectHttp(userId: string, token = endpoints().tokens[userId]): Promise<Client> {
  const client = new Client({ name: 'centli-integration-test', version: '1.0.0' });
  await client.connect(new StreamableHTTPClientTransport(new URL(endpoints().mcp), { requestInit: { headers: { Authorization: `Bearer ${token}` } } }));
  return client;
}

/** `npm run mcp` as a desktop client runs it: the token in its environment, the stack found through its state file. */
export async function connectStdio(userId: string, options: { elicitation?: (message: string) => 'accept' | 'decline' } = {}): Promise<Client> {
  const client = new Client({ name: 'centli-integration-test', version: '1.0.0' }, options.elicitation ? { capabilities: { elicitation: { form: {} } } } : {});
  if (options.elicitation) {
    const answer = options.elicitation;
    const { ElicitRequestSchema } = await import('@modelcontextprotocol/sdk/types.js');
    client.setRequestHandler(ElicitRequestSchema, async (request) => {
      const action = answer(String(request.params.message));
      return action === 'accept' ? { action, content: { confirm: true } } : { action };
    });
  }
  const env: Record<string, string> = {};
  for (const [key, value] of Object.entries(process.env)) if (value !== undefined) env[key] = value;
  await client.connect(
    new StdioClientTransport({
      command: process.execPath,
      args: ['--import', 'tsx', join(root, 'services', 'mcp', 'src', 'app', 'stdio.ts')],
      cwd: root,
      env: { ...env, CENTLI_TOKEN: endpoints().tokens[userId] as string, CENTLI_STATE_FILE: process.env.CENTLI_TEST_STATE_FILE as string },
      stderr: 'pipe',
    }),
  );
  return client;
}

export async function connect(transport: Transport, userId: string): Promise<Client> {
  return transport === 'http' ? connectHttp(userId) : connectStdio(userId);
}

export async function call(client: Client, name: string, args: Record<string, unknown> = {}): Promise<CallToolResult> {
  return (await client.callTool({ name, arguments: args })) as CallToolResult;
}

export function textOf(result: CallToolResult): string {
  return result.content.map((part) => (part.type === 'text' ? part.text : '')).join('\n');
}

export function structured<T = Record<string, unknown>>(result: CallToolResult): T {
  if (!result.structuredContent) throw new Error(`no structured content: ${textOf(result)}`);
  return result.structuredContent as T;
}
