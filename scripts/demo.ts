/**
 * `npm run demo`: a new user's first session against the running local stack (`npm start`), as
 * real clients make it, printed as it happens:
 * 1. a desktop-style MCP client (the SDK's `Client` over stdio, running `npm run mcp` with the
 *    customer's demo token in CENTLI_TOKEN): lists the tools, lists the cards, locks one, locks
 *    it again (a friendly no-op), unlocks it, asks the balance, asks to transfer 100 pesos to
 *    "mi hermano" (an approval: the link to Centli's approval page), calls again before the
 *    customer decides (still pending: nothing moves), approves as the customer does on that page
 *    (the page's own API call, with the customer's token: the agent has no way to), calls again
 *    (the transfer runs), calls once more (told what happened: nothing moves twice) and asks the
 *    balance again;
 * 2. the chat over the WebSocket, as the page talks to it: the balance, the same transfer by
 *    words, "sí", "sí" again (nothing pending), the balance.
 * Money moves twice (100 pesos by MCP, 100 by the chat), from the customer's own account to her
 * brother's, only after the customer said yes: on the approval page, and in the chat.
 *
 *   npm run demo                 as user-ana (her "hermano" is a Centli account)
 *   npm run demo -- user-mateo   as another seeded customer
 */
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import WebSocket from 'ws';
import { findLocalStackFile, readLocalStackFile } from '@centli/kit/config';

const say = (line: string) => process.stdout.write(`${line}\n`);
const textOf = (result: CallToolResult) => result.content.map((part) => (part.type === 'text' ? part.text : '')).join('\n');
/** The customer's decision, as the approval page sends it (`POST /approvals/{id}` with the customer's own token). */
async function approveAsTheCustomer(api: string, approvalId: string, token: string): Promise<void> {
  const response = await fetch(`${api}/approvals/${encodeURIComponent(approvalId)}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify({ decision: 'approve' }),
  });
  const body = (await response.json()) as { status?: string; summary?: string; error?: string };
  say(`(the customer, on the approval page: «${body.summary ?? ''}» → Aprobar → ${response.status} ${body.status ?? body.error})`);
}

async function mcpSession(token: string, api: string): Promise<void> {
  const env: Record<string, string> = {};
  for (const [key, value] of Object.entries(process.env)) if (value !== undefined) env[key] = value;
  const client = new Client({ name: 'centli-demo', version: '1.0.0' });
  await client.connect(new StdioClientTransport({ command: 'npm', args: ['run', '--silent', 'mcp'], env: { ...env, CENTLI_TOKEN: token }, stderr: 'ignore' }));
  const call = async (name: string, args: Record<string, unknown>, label = `${name} ${JSON.stringify(args)}`): Promise<CallToolResult> => {
    const result = (await client.callTool({ name, arguments: args })) as CallToolResult;
    say(`> ${label}${result.isError ? ' → isError' : ''}\n${textOf(result)}`);
    return result;
  };
  try {
    const { tools } = await client.listTools();
    say(`> tools/list → ${tools.length} tools: ${tools.map((tool) => tool.name).join(', ')}`);
    const cards = await call('list_cards', {});
    const active = ((cards.structuredContent?.cards ?? []) as Array<{ status: string; last_four: string }>).find((card) => card.status === 'active');
    if (active) {
      await call('lock_card', { last_four: active.last_four });
      await call('lock_card', { last_four: active.last_four }, `lock_card ${JSON.stringify({ last_four: active.last_four })} (again)`);
      // Unlocking lets the card be used again: the customer approves it, as they approve moving money.
      const unlock = await call('unlock_card', { last_four: active.last_four });
      const unlockId = unlock.structuredContent?.approval_id;
      if (typeof unlockId === 'string') {
        await approveAsTheCustomer(api, unlockId, token);
        await call('unlock_card', { last_four: active.last_four, approval_id: unlockId });
      }
    }
    await call('get_balance', {});
    const transfer = { beneficiary: 'mi hermano', amount_text: '100 pesos' };
    const asked = await call('transfer_funds', transfer);
    const approvalId = asked.structuredContent?.approval_id;
    if (typeof approvalId !== 'string') return;
    const again = { ...transfer, approval_id: approvalId };
    await call('transfer_funds', again, `transfer_funds ${JSON.stringify(again)} (before the customer decides)`);
    await approveAsTheCustomer(api, approvalId, token);
    await call('transfer_funds', again);
    await call('transfer_funds', again, `transfer_funds ${JSON.stringify(again)} (once more)`);
    await call('get_balance', {});
  } finally {
    await client.close();
  }
}

async function chatSession(websocket: string, token: string): Promise<void> {
  const socket = new WebSocket(`${websocket}?token=${encodeURIComponent(token)}`);
  await new Promise<void>((resolve, reject) => {
    socket.once('open', () => resolve());
    socket.once('error', reject);
  });
  const inbox: Array<{ kind?: string; text?: string }> = [];
  let wake: (() => void) | undefined;
  socket.on('message', (data) => {
    inbox.push(JSON.parse(String(data)) as { kind?: string; text?: string });
    wake?.();
  });
  socket.on('close', () => wake?.());
  const ask = async (text: string): Promise<void> => {
    say(`cliente: ${text}`);
    socket.send(JSON.stringify({ action: 'message', text }));
    const deadline = Date.now() + 30_000;
    for (;;) {
      const message = inbox.shift();
      if (message?.kind) {
        say(`centli [${message.kind}]: ${message.text ?? ''}`);
        return;
      }
      if (message) continue;
      if (socket.readyState !== WebSocket.OPEN || Date.now() > deadline) throw new Error('the chat did not answer');
      await new Promise<void>((resolve) => {
        wake = resolve;
        setTimeout(resolve, 1_000);
      });
    }
  };
  try {
    for (const text of ['¿Cuál es mi saldo?', 'Transfiere 100 pesos a mi hermano', 'sí', 'sí', '¿Cuál es mi saldo?', '¿Cuál es mi límite diario?', 'busca audífonos']) await ask(text);
  } finally {
    socket.close();
  }
}

async function main(argv: readonly string[]): Promise<number> {
  const customer = argv[0] ?? 'user-ana';
  const stack = readLocalStackFile();
  if (!stack?.tokens || !stack.websocket || !stack.http) {
    process.stderr.write('no running local stack: start one with npm start, then run npm run demo in another terminal\n');
    return 1;
  }
  const token = stack.tokens[customer];
  if (!token) {
    process.stderr.write(`no demo token for ${customer}; the seeded customers are ${Object.keys(stack.tokens).join(', ')}\n`);
    return 2;
  }
  say(`--- MCP over stdio (npm run mcp), as ${customer}; the stack from ${findLocalStackFile()} ---`);
  await mcpSession(token, stack.http);
  say(`\n--- the chat over the WebSocket, as ${customer} ---`);
  await chatSession(stack.websocket, token);
  return 0;
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 1;
  },
);
