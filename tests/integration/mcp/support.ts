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
import { ApprovalStore } from '@centli/tools/adapters/approval-store';
import { documents, endpoints, table } from '../support';

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

/** What a tool that needs the customer's approval answers first. */
export interface ApprovalAnswer {
  status: 'approval_required' | 'approval_pending' | 'declined' | 'expired';
  tool: string;
  approval_id: string;
  approval_url: string;
  expires_at: string;
  summary: string;
}

/**
 * The customer's decision, as the approval page sends it: `POST /approvals/{id}` on the HTTP API
 * (the same function AWS runs), with the customer's own bearer token.
 */
export async function decide(userId: string, approvalId: string, decision: 'approve' | 'decline' = 'approve', token = endpoints().tokens[userId]): Promise<{ status: number; body: Record<string, unknown> }> {
  const response = await fetch(`${endpoints().http}/approvals/${encodeURIComponent(approvalId)}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify({ decision }),
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

/**
 * The page's decision on an approval above the MTU after a passkey sign-in `secondsAgo` ago, as
 * the approvals API records it (ApprovalStore.decide with the factor): the passkey ceremony itself
 * is the browser test's (tests/e2e/approval-page.test.ts).
 */
export async function approveWithPasskey(userId: string, approvalId: string, secondsAgo = 30): Promise<void> {
  const now = new Date();
  const decided = await new ApprovalStore(table('approvals'), documents()).decide(approvalId, userId, 'approved', 'page', now, new Date(now.getTime() - secondsAgo * 1000).toISOString());
  if (typeof decided === 'string' || decided.step_up !== true) throw new Error(`approval ${approvalId} is not a pending step-up approval of ${userId}: ${JSON.stringify(decided)}`);
}

/** Asks, has the customer approve on the page's API, and calls again with the approval id: what an agent does once the customer approved. */
export async function approvedCall(client: Client, userId: string, name: string, args: Record<string, unknown>): Promise<{ asked: ApprovalAnswer; result: CallToolResult }> {
  const asked = structured<ApprovalAnswer>(await call(client, name, args));
  if (asked.status !== 'approval_required') throw new Error(`${name} asked for no approval: ${JSON.stringify(asked)}`);
  const decided = await decide(userId, asked.approval_id);
  if (decided.status !== 200) throw new Error(`the approval was not recorded: ${decided.status} ${JSON.stringify(decided.body)}`);
  return { asked, result: await call(client, name, { ...args, approval_id: asked.approval_id }) };
}

export function structured<T = Record<string, unknown>>(result: CallToolResult): T {
  if (!result.structuredContent) throw new Error(`no structured content: ${textOf(result)}`);
  return result.structuredContent as T;
}
