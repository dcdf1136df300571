/**
 * MCP clients for the integration tests: the SDK's own `Client`, over Streamable HTTP (the local
 * stack's /mcp, the same Lambda handler AWS runs) and over stdio (`npm run mcp`'s entry, as a
 * desktop client starts it), each bound to a seeded customer's demo token.
 */
import { createHash, randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { endpoints } from '../support';
import { SoftwareAuthenticator, type CreationOptions, type RequestOptions } from './authenticator';

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
 * Signs `userId` in now through the local issuer's PKCE code flow, as the approval page does
 * (choosing the customer on the issuer's page), and returns the ID token: its `auth_time` is this
 * moment, fresh enough to add a passkey. The stack's demo tokens say no sign-in time at all.
 */
export async function freshIdToken(userId: string): Promise<string> {
  const verifier = randomBytes(32).toString('base64url');
  const redirectUri = endpoints().chat;
  const fields = { response_type: 'code', client_id: 'centli', redirect_uri: redirectUri, scope: 'openid email', state: 'fresh', code_challenge: createHash('sha256').update(verifier).digest('base64url'), code_challenge_method: 'S256', prompt: 'login', max_age: '0' };
  const signedIn = await fetch(new URL('/oauth2/authorize', endpoints().issuer), {
    method: 'POST',
    redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded', origin: new URL(endpoints().http).origin },
    body: new URLSearchParams({ ...fields, user_id: userId }),
  });
  const code = new URL(signedIn.headers.get('location') ?? 'about:blank').searchParams.get('code');
  if (signedIn.status !== 303 || !code) throw new Error(`the sign-in did not redirect back with a code: ${signedIn.status} ${await signedIn.text()}`);
  const answer = await fetch(new URL('/oauth2/token', endpoints().issuer), {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ grant_type: 'authorization_code', client_id: 'centli', code, redirect_uri: redirectUri, code_verifier: verifier }),
  });
  const tokens = (await answer.json()) as { id_token?: string };
  if (!tokens.id_token) throw new Error(`the token endpoint gave no ID token: ${answer.status} ${JSON.stringify(tokens)}`);
  return tokens.id_token;
}

/** The approval page's origin, which the stack's passkeys are bound to (`http://localhost:<port>`). */
export const pageOrigin = (): string => new URL(endpoints().approvals).origin;

/** A call of the approvals API (`/approvals/…`, `/passkeys/…`) as the page makes it, with `token` as its bearer. */
export async function approvalsApi(path: string, token: string | undefined, body?: unknown): Promise<{ status: number; headers: Headers; body: Record<string, unknown> }> {
  const response = await fetch(`${endpoints().http}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify(body ?? {}),
  });
  return { status: response.status, headers: response.headers, body: (await response.json().catch(() => ({}))) as Record<string, unknown> };
}

/** Adds a new software passkey to `userId`'s account through the API, after a fresh sign-in. */
export async function registerPasskey(userId: string, authenticator = new SoftwareAuthenticator(pageOrigin())): Promise<SoftwareAuthenticator> {
  const token = await freshIdToken(userId);
  const options = await approvalsApi('/passkeys/registration/options', token);
  if (options.status !== 200) throw new Error(`no registration options: ${options.status} ${JSON.stringify(options.body)}`);
  const registered = await approvalsApi('/passkeys/registration', token, { response: authenticator.register(options.body as unknown as CreationOptions) });
  if (registered.status !== 200) throw new Error(`the passkey was not registered: ${registered.status} ${JSON.stringify(registered.body)}`);
  return authenticator;
}

const passkeys = new Map<string, SoftwareAuthenticator>();

/**
 * The page's step-up and decision on an approval above the MTU, through the approvals API as the
 * page makes them: the customer's passkey (one software authenticator per customer, registered on
 * first use) signs the challenge `/approvals/{id}/passkey/options` hands out, and `POST
 * /approvals/{id}` approves with the assertion.
 */
export async function approveWithPasskey(userId: string, approvalId: string): Promise<void> {
  let authenticator = passkeys.get(userId);
  if (!authenticator) passkeys.set(userId, (authenticator = await registerPasskey(userId)));
  const token = endpoints().tokens[userId];
  const options = await approvalsApi(`/approvals/${approvalId}/passkey/options`, token);
  if (options.status !== 200) throw new Error(`no step-up options for ${approvalId}: ${options.status} ${JSON.stringify(options.body)}`);
  const decided = await approvalsApi(`/approvals/${approvalId}`, token, { decision: 'approve', passkey: authenticator.assert(options.body as unknown as RequestOptions) });
  if (decided.status !== 200 || decided.body.status !== 'approved') throw new Error(`approval ${approvalId} of ${userId} was not approved: ${decided.status} ${JSON.stringify(decided.body)}`);
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
