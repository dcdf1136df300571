import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { InMemoryTransport } from '@modelcontextprotocol/sdk/inMemory.js';
import { ElicitRequestSchema, ErrorCode, McpError, type CallToolResult, type ClientCapabilities, type ElicitRequest, type ElicitResult } from '@modelcontextprotocol/sdk/types.js';
import { tools } from '@centli/tools/registry';
import { createMcpServer, mcpTools } from '../../../../../services/mcp/src/app/server';
import { TransientError } from '@centli/pure/errors';
import { balances, holders, FakeClock, FakeApprovalStore, fakeRunnerDeps, FakeServiceCaller, resolvesHermano, transferCompleted, type Responder } from '../fakes';

const TRANSFER = { beneficiary: 'mi hermano', amount: 10000 };

/** A server for Ana and a client talking to it in memory; the client elicits only when given how. */
async function connect(elicit?: (request: ElicitRequest) => ElicitResult, transfer: Responder = transferCompleted, capabilities?: ClientCapabilities) {
  const caller = new FakeServiceCaller({ BALANCE_QUERY: balances, ACCOUNT_HOLDER_QUERY: holders, ALIAS_RESOLUTION_REQUEST: resolvesHermano, TRANSFER_REQUEST: transfer });
  const deps = fakeRunnerDeps(caller, new FakeApprovalStore(), new FakeClock());
  const server = createMcpServer({ userId: 'user-ana', locale: 'es' }, deps);
  const client = new Client({ name: 'agent', version: '1.0.0' }, { capabilities: capabilities ?? (elicit ? { elicitation: {} } : {}) });
  const asked: ElicitRequest[] = [];
  if (elicit) {
    client.setRequestHandler(ElicitRequestSchema, async (request) => {
      asked.push(request);
      return elicit(request);
    });
  }
  const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
  await server.connect(serverSide);
  await client.connect(clientSide);
  return { client, server, caller, asked };
}

describe('mcpTools', () => {
  it('lists every registry tool with its schemas and what it does', () => {
    // Act
    const listed = mcpTools();

    // Assess
    expect(listed.map((t) => t.name)).toEqual(tools.map((t) => t.name));
    const byName = new Map(listed.map((t) => [t.name, t]));
    expect(byName.get('get_balance')?.annotations).toMatchObject({ readOnlyHint: true, destructiveHint: false });
    expect(byName.get('transfer_funds')?.annotations).toMatchObject({ readOnlyHint: false, destructiveHint: true, idempotentHint: false });
    expect(byName.get('lock_card')?.annotations).toMatchObject({ readOnlyHint: false, destructiveHint: false, idempotentHint: true });
    for (const tool of listed) {
      expect(tool.inputSchema.type).toBe('object');
      expect(tool.inputSchema.properties ?? {}).not.toHaveProperty('user_id');
    }
  });
});

describe('createMcpServer', () => {
  it('serves the tool list and runs calls as its own customer', async () => {
    // Prepare
    const { client, server, caller } = await connect();

    try {
      // Act
      const listed = await client.listTools();
      const result = (await client.callTool({ name: 'get_balance', arguments: {} })) as CallToolResult;

      // Assess
      expect(listed.tools).toHaveLength(tools.length);
      expect(result.isError).toBeFalsy();
      expect(caller.requests.map((r) => r.detail.user_id)).toEqual(['user-ana']);
    } finally {
      await client.close();
      await server.close();
    }
  });

  it('answers a client that cannot elicit with the approval page’s link, and nothing that completes the transfer', async () => {
    // Prepare
    const { client, server, caller } = await connect();

    try {
      // Act
      const result = (await client.callTool({ name: 'transfer_funds', arguments: TRANSFER })) as CallToolResult;

      // Assess
      expect(result.structuredContent).toMatchObject({ status: 'approval_required', approval_url: expect.stringMatching(/^https:\/\/centli\.example\/approve\.html\?id=ap_/) });
      expect(Object.keys(result.structuredContent ?? {}).sort()).toEqual(['approval_id', 'approval_url', 'expires_at', 'status', 'summary', 'tool']);
      expect(caller.sent('TRANSFER_REQUEST')).toEqual([]);
    } finally {
      await client.close();
      await server.close();
    }
  });

  it('answers a client that declared URL elicitation with the protocol’s URLElicitationRequired error (-32042) carrying the same link', async () => {
    // Prepare
    const { client, server, caller } = await connect(undefined, transferCompleted, { elicitation: { url: {} } });

    try {
      // Act
      const outcome = client.callTool({ name: 'transfer_funds', arguments: TRANSFER });

      // Assess
      const error = await outcome.then(() => undefined, (e: unknown) => e);
      expect(error).toBeInstanceOf(McpError);
      expect((error as McpError).code).toBe(ErrorCode.UrlElicitationRequired);
      const [elicitation] = ((error as McpError).data as { elicitations: Array<{ mode: string; url: string; elicitationId: string; message: string }> }).elicitations;
      expect(elicitation).toMatchObject({ mode: 'url', url: expect.stringMatching(/^https:\/\/centli\.example\/approve\.html\?id=ap_/), message: expect.stringContaining('$100.00 MXN') });
      expect(elicitation?.url).toContain(elicitation?.elicitationId);
      expect(caller.sent('TRANSFER_REQUEST')).toEqual([]);
    } finally {
      await client.close();
      await server.close();
    }
  });

  it.each<[string, ElicitResult, number]>([
    ['accepts', { action: 'accept', content: { confirm: true } }, 1],
    ['accepts the form but leaves confirm unticked', { action: 'accept', content: { confirm: false } }, 0],
    ['declines', { action: 'decline' }, 0],
    ['cancels', { action: 'cancel' }, 0],
  ])('asks a client that can elicit, and transfers only when the customer %s', async (_case, answer, transfers) => {
    // Prepare
    const { client, server, caller, asked } = await connect(() => answer);

    try {
      // Act
      const result = (await client.callTool({ name: 'transfer_funds', arguments: TRANSFER })) as CallToolResult;

      // Assess
      expect(asked).toHaveLength(1);
      expect(asked[0]?.params).toMatchObject({ message: '¿Transfiero $100.00 MXN a Carlos García (hermano), cuenta ****3954, desde tu Cuenta Nómina ****4821?' });
      expect(caller.sent('TRANSFER_REQUEST')).toHaveLength(transfers);
      expect(result.isError ?? false).toBe(transfers === 0);
    } finally {
      await client.close();
      await server.close();
    }
  });

  it.each<[string, Record<string, unknown>, string]>([
    ['leaves confirm out', {}, "data must have required property 'confirm'"],
    ['answers confirm with a string', { confirm: 'yes' }, 'data/confirm must be boolean'],
  ])('refuses an accepted dialog whose answer breaks the confirmation form (it %s), as the protocol’s invalid-params error, and transfers nothing', async (_case, content, problem) => {
    // Prepare
    const { client, server, caller } = await connect(() => ({ action: 'accept', content: content as ElicitResult['content'] }));

    try {
      // Act
      const call = client.callTool({ name: 'transfer_funds', arguments: TRANSFER });

      // Assess
      await expect(call).rejects.toMatchObject({ code: ErrorCode.InvalidParams, message: expect.stringContaining(`Elicitation response content does not match requested schema: ${problem}`) });
      expect(caller.sent('TRANSFER_REQUEST')).toHaveLength(0);
    } finally {
      await client.close();
      await server.close();
    }
  });

  // Bug (tool-runner.ts: confirm(...) returned un-awaited in runTool's try): a service failure after
  // the customer confirmed reaches the agent as a JSON-RPC error carrying the function's name.
  it('answers a service failure after the confirmation as an honest tool error (the outcome is unknown) that names no internals', async () => {
    // Prepare
    const crash: Responder = () => {
      throw new TransientError('centli-core-banking-dev-transfer failed: Runtime.ExitError');
    };
    const { client, server } = await connect(() => ({ action: 'accept', content: { confirm: true } }), crash);

    try {
      // Act
      const outcome = client.callTool({ name: 'transfer_funds', arguments: TRANSFER });

      // Assess
      await expect(outcome).resolves.toMatchObject({ isError: true, _meta: { code: 'TOOL.OUTCOME_UNKNOWN' } });
    } finally {
      await client.close();
      await server.close();
    }
  });
});
