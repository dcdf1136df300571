/**
 * The MCP server end to end, with the SDK's own Client over Streamable HTTP and over stdio,
 * against the local stack: every tool call goes through the MCP function to the services' own
 * functions (Lambda Invoke API), DynamoDB Local and the bus. The customers are seeded ones (their
 * demo tokens come from the stack); what a test changes it creates for itself (accounts,
 * beneficiaries, cards with this run's ids).
 */
import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { GetCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { toolSpecs } from '@centli/schemas';
import { createCards, testCard } from '../cards/support';
import type { ExecutionHistory } from '../../../local/saga';
import { balancesOf, closeClients, createAccounts, documents, dumpTable, endpoints, getJson, ledgerOf, runId, table, type TestAccount } from '../support';
import { ErrorCode, McpError } from '@modelcontextprotocol/sdk/types.js';
import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { approvedCall, call, connect, connectHttp, connectStdio, decide, structured, textOf, type ApprovalAnswer, type Transport } from './support';

const run = runId();

describe('the MCP server', () => {
  const clients: Client[] = [];
  const open = async (transport: Transport, userId: string) => {
    const client = await connect(transport, userId);
    clients.push(client);
    return client;
  };

  afterAll(async () => {
    await Promise.all(clients.map((client) => client.close()));
    closeClients();
  });

  describe.each<Transport>(['http', 'stdio'])('over %s', (transport) => {
    it('lists every tool of the registry, each with its input and output schema', async () => {
      // Act
      const { tools } = await (await open(transport, 'user-ana')).listTools();

      // Assess
      expect(tools.map((t) => t.name)).toEqual(toolSpecs.map((t) => t.name));
      expect(tools.map((t) => t.name)).toEqual([
        'get_balance', 'get_limits', 'list_transactions', 'list_beneficiaries', 'resolve_beneficiary', 'add_beneficiary', 'search_catalog', 'get_benefits',
        'list_cards', 'lock_card', 'unlock_card', 'set_mtu', 'request_new_card', 'transfer_funds', 'purchase_product', 'get_purchase_status', 'get_transfer_status',
      ]);
      for (const tool of tools) {
        expect(tool.inputSchema.type).toBe('object');
        expect(tool.outputSchema?.type).toBe('object');
        expect(JSON.stringify(tool.inputSchema)).not.toContain('user_id');
      }
    });

    it('answers the balance of the token’s customer, in Spanish, with structured content', async () => {
      const result = await call(await open(transport, 'user-ana'), 'get_balance');
      expect(result.isError).toBeFalsy();
      expect(textOf(result)).toContain('Cuenta Nómina');
      expect(structured<{ user_id: string; accounts: Array<{ account_id: string }> }>(result)).toMatchObject({ user_id: 'user-ana' });
      expect(structured<{ accounts: Array<{ account_id: string }> }>(result).accounts.map((a) => a.account_id)).toEqual(expect.arrayContaining(['acc-ana-nomina-4821', 'acc-ana-ahorro-7305']));
    });

    it('tells the customer’s transfer limits and what is left of today’s', async () => {
      const result = await call(await open(transport, 'user-mateo'), 'get_limits');
      expect(result.isError).toBeFalsy();
      expect(textOf(result)).toMatch(/^Tus límites de transferencia:\n(?:• .*\n)*• Cuenta Nómina \*\*\*\*5178: hoy puedes transferir \$[\d,]+\.\d\d MXN más de tu límite diario de \$100,000\.00 MXN \(hasta \$50,000\.00 MXN por transferencia\)\./);
      const limits = structured<{ user_id: string; accounts: Array<{ account_id: string; daily_limit: number; per_transfer_limit: number }> }>(result);
      expect(limits).toMatchObject({ user_id: 'user-mateo', time_zone: 'America/Mexico_City' });
      // Other suites give Mateo test accounts of their own; the seeded one is what this checks.
      expect(limits.accounts.map((a) => [a.account_id, a.daily_limit, a.per_transfer_limit])).toContainEqual(['acc-mateo-nomina-5178', 10_000_000, 5_000_000]);
    });

    it('locks, unlocks and replaces a card, telling the customer only its last four digits', async () => {
      // Prepare
      const lastFour = String(1000 + Math.floor(Math.random() * 8999));
      const cardId = `card-mcp-${transport}-${run}`;
      await createCards([testCard('user-mateo', cardId, lastFour, { account_id: 'acc-mateo-nomina-5178' })]);
      const client = await open(transport, 'user-mateo');

      // Act
      const locked = await call(client, 'lock_card', { card_id: cardId });
      const again = await call(client, 'lock_card', { card_id: cardId });
      const { asked: unlock, result: unlocked } = await approvedCall(client, 'user-mateo', 'unlock_card', { last_four: lastFour });
      const { asked, result: replaced } = await approvedCall(client, 'user-mateo', 'request_new_card', { card_id: cardId, reason: 'damaged' });

      // Assess
      expect(textOf(locked)).toBe(`Listo, bloqueé tu tarjeta con terminación ${lastFour}. Puedes desbloquearla cuando quieras.`);
      expect(structured(again)).toMatchObject({ changed: false, card: { status: 'locked' } });
      // Unlocking lets a card be used again: the customer approves exactly which card first.
      expect(unlock).toMatchObject({ status: 'approval_required', tool: 'unlock_card', summary: `¿Desbloqueo tu tarjeta débito Visa con terminación ${lastFour} (bloqueada, vence 08/2029)? Volverá a aceptar compras y retiros.` });
      expect(structured(unlocked)).toMatchObject({ changed: true, card: { card_id: cardId, status: 'active' } });
      expect(asked).toMatchObject({ status: 'approval_required', tool: 'request_new_card' });
      expect(structured(replaced)).toMatchObject({ existing: false, replacement: { card_id: cardId, reason: 'damaged', status: 'pending' } });
      // Only the last four digits reach the customer: never the masked number's first six.
      const texts = [...[locked, again, unlocked, replaced].map(textOf), asked.summary].join('\n');
      expect(texts).not.toContain('453212');
      expect(texts).not.toMatch(/\d{13,}/);
    });

    it('refuses a bad argument with a tool error that says which and why, and calls no service', async () => {
      const result = await call(await open(transport, 'user-ana'), 'lock_card', { last_four: '12a4' });
      expect(result.isError).toBe(true);
      expect(textOf(result)).toBe('Datos no válidos: last_four must match pattern "^[0-9]{4}$". No se hizo nada.');
    });
  });

  describe('identity', () => {
    it('refuses a request without a valid bearer token before any tool runs', async () => {
      const response = await fetch(endpoints().mcp, {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream', authorization: 'Bearer not-a-token' },
        body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/list' }),
      });
      expect(response.status).toBe(401);
      expect(response.headers.get('www-authenticate')).toContain('invalid_token');
    });

    it('serves only what a stateless endpoint can: GET is 405, a batch and an oversized body are refused, an unknown protocol version is 400', async () => {
      // Prepare
      const headers = { 'content-type': 'application/json', accept: 'application/json, text/event-stream', authorization: `Bearer ${endpoints().tokens['user-ana'] as string}` };
      const ping = (id: number) => ({ jsonrpc: '2.0', id, method: 'ping' });

      // Act
      const stream = await fetch(endpoints().mcp, { method: 'GET', headers: { ...headers, accept: 'text/event-stream' } });
      const batch = await fetch(endpoints().mcp, { method: 'POST', headers, body: JSON.stringify([ping(1), ping(2)]) });
      const huge = await fetch(endpoints().mcp, { method: 'POST', headers, body: JSON.stringify({ ...ping(3), params: { _meta: { pad: 'x'.repeat(70_000) } } }) });
      const future = await fetch(endpoints().mcp, { method: 'POST', headers: { ...headers, 'mcp-protocol-version': '2099-01-01' }, body: JSON.stringify(ping(4)) });
      const served = await fetch(endpoints().mcp, { method: 'POST', headers: { ...headers, 'mcp-protocol-version': '2025-11-25' }, body: JSON.stringify(ping(5)) });

      // Assess
      expect([stream.status, stream.headers.get('allow')]).toEqual([405, 'POST']);
      expect([batch.status, ((await batch.json()) as { error: { code: number } }).error.code]).toEqual([400, -32600]);
      expect(huge.status).toBe(413);
      expect(future.status).toBe(400);
      expect(((await future.json()) as { error: { message: string } }).error.message).toContain('Unsupported protocol version');
      expect([served.status, await served.json()]).toEqual([200, { jsonrpc: '2.0', id: 5, result: {} }]);
    });

    it('refuses another customer’s card and account, and changes no table', async () => {
      // Prepare
      const client = await open('http', 'user-luis');
      const before = { cards: await dumpTable('cards'), accounts: await dumpTable('accounts') };

      // Act
      const card = await call(client, 'lock_card', { card_id: 'card-ana-nomina' });
      const moved = await call(client, 'transfer_funds', { from_account_id: 'acc-ana-nomina-4821', to_account_id: 'acc-luis-nomina-1532', amount: 100000 });
      const balance = await call(client, 'get_balance', { account_id: 'acc-ana-nomina-4821' });

      // Assess
      expect(card).toMatchObject({ isError: true });
      expect(textOf(card)).toBe('No encontré esa tarjeta entre las tuyas.');
      expect(moved).toMatchObject({ isError: true });
      expect(textOf(moved)).toBe('Esa cuenta de origen no es tuya. No se movió dinero.');
      expect(balance).toMatchObject({ isError: true });
      expect(await dumpTable('cards')).toBe(before.cards);
      expect(await dumpTable('accounts')).toBe(before.accounts);
    });
  });

  describe('transfer_funds', () => {
    const source: TestAccount = { user_id: 'user-mateo', account_id: `acc-mcp-src-${run}`, balance: 5_000_000 };
    const destination: TestAccount = { user_id: 'user-carlos', account_id: `acc-mcp-dst-${run}`, balance: 0, type: 'savings', holder_name: 'Primo de Prueba' };
    const alias = `primo mcp ${run}`;
    let client: Client;

    beforeAll(async () => {
      await createAccounts([source, destination]);
      client = await open('http', 'user-mateo');
      const { result: added } = await approvedCall(client, 'user-mateo', 'add_beneficiary', { name: 'Primo de Prueba', alias, account_id: destination.account_id });
      expect(added.isError).toBeFalsy();
    });

    const approvalOf = (result: Awaited<ReturnType<typeof call>>) => structured<ApprovalAnswer>(result);

    it('moves nothing until the customer approves on the page, then once, and every later call answers what happened without moving again', async () => {
      // Prepare
      const args = { beneficiary: alias, amount_text: 'cien pesos', from_account_id: source.account_id };

      // Act: ask, and ask again before the customer decides
      const asked = approvalOf(await call(client, 'transfer_funds', args));
      const early = await call(client, 'transfer_funds', { ...args, approval_id: asked.approval_id });
      const afterAsking = await balancesOf([source, destination]);

      // Act: the customer approves on the page; the agent calls again, and again
      const decision = await decide('user-mateo', asked.approval_id);
      const done = await call(client, 'transfer_funds', { ...args, approval_id: asked.approval_id });
      const replayed = await call(client, 'transfer_funds', { ...args, approval_id: asked.approval_id });

      // Assess
      expect(asked).toMatchObject({ status: 'approval_required', tool: 'transfer_funds', approval_url: `${endpoints().approvals}?id=${asked.approval_id}` });
      expect(asked.summary).toBe(`¿Transfiero $100.00 MXN a Primo de Prueba (${alias}), cuenta ****${run.slice(-4)}, desde tu Cuenta de prueba ****${run.slice(-4)}?`);
      expect(Object.keys(asked).sort()).toEqual(['approval_id', 'approval_url', 'expires_at', 'status', 'summary', 'tool']);
      expect(approvalOf(early)).toMatchObject({ status: 'approval_pending', approval_id: asked.approval_id });
      expect(afterAsking.get(source.account_id)).toBe(5_000_000);
      expect(decision).toMatchObject({ status: 200, body: { status: 'approved', summary: asked.summary } });
      expect(structured(done)).toMatchObject({ amount: 10000, from_account_id: source.account_id, to_account_id: destination.account_id, user_id: 'user-mateo' });
      expect(replayed.isError).toBeFalsy();
      expect(structured(replayed)).toMatchObject({ transaction_id: structured(done).transaction_id });
      const balances = await balancesOf([source, destination]);
      expect(balances.get(source.account_id)).toBe(4_990_000);
      expect(balances.get(destination.account_id)).toBe(10000);
      expect(await ledgerOf([source.account_id])).toHaveLength(1);
    });

    it('refuses an approval for other arguments or of another customer, and lets no other customer decide it, moving nothing', async () => {
      // Prepare
      const args = { beneficiary: alias, amount: 2500, from_account_id: source.account_id };
      const asked = approvalOf(await call(client, 'transfer_funds', args));
      const before = await balancesOf([source, destination]);
      const sofia = await open('http', 'user-sofia');

      // Act
      const foreignDecision = await decide('user-sofia', asked.approval_id);
      await decide('user-mateo', asked.approval_id);
      const altered = await call(client, 'transfer_funds', { ...args, amount: 250000, approval_id: asked.approval_id });
      const foreign = await call(sofia, 'transfer_funds', { ...args, approval_id: asked.approval_id });

      // Assess
      expect(foreignDecision).toEqual({ status: 404, body: { error: 'not_found' } });
      expect(altered).toMatchObject({ isError: true, _meta: { code: 'APPROVAL.ALTERED' } });
      expect(textOf(altered)).toBe('Esa aprobación era para otra cosa: los datos no son los que se aprobaron. No se hizo nada; pídelo de nuevo.');
      expect(foreign).toMatchObject({ isError: true, _meta: { code: 'APPROVAL.INVALID' } });
      expect(await balancesOf([source, destination])).toEqual(before);
    });

    it('moves nothing when the customer declines, and says so', async () => {
      // Prepare
      const args = { beneficiary: alias, amount: 3000, from_account_id: source.account_id };
      const asked = approvalOf(await call(client, 'transfer_funds', args));
      const before = await balancesOf([source, destination]);

      // Act
      const decision = await decide('user-mateo', asked.approval_id, 'decline');
      const change = await decide('user-mateo', asked.approval_id, 'approve');
      const result = await call(client, 'transfer_funds', { ...args, approval_id: asked.approval_id });

      // Assess
      expect(decision).toMatchObject({ status: 200, body: { status: 'declined' } });
      expect(change).toMatchObject({ status: 409, body: { error: 'decided', view: { status: 'declined' } } });
      expect(result).toMatchObject({ isError: true, _meta: { code: 'APPROVAL.DECLINED' }, structuredContent: { status: 'declined' } });
      expect(await balancesOf([source, destination])).toEqual(before);
    });

    it('refuses an approval that expired, on the page and in the tool, moving nothing', async () => {
      // Prepare: the approval's five minutes pass
      const args = { beneficiary: alias, amount: 3500, from_account_id: source.account_id };
      const asked = approvalOf(await call(client, 'transfer_funds', args));
      await documents().send(new UpdateCommand({ TableName: table('approvals'), Key: { pk: `approval#${asked.approval_id}` }, UpdateExpression: 'SET expires_at = :past', ExpressionAttributeValues: { ':past': Math.floor(Date.now() / 1000) - 1 } }));
      const before = await balancesOf([source, destination]);

      // Act
      const decision = await decide('user-mateo', asked.approval_id);
      const result = await call(client, 'transfer_funds', { ...args, approval_id: asked.approval_id });

      // Assess
      expect(decision).toMatchObject({ status: 410, body: { error: 'expired', view: { status: 'expired' } } });
      expect(result).toMatchObject({ isError: true, _meta: { code: 'APPROVAL.EXPIRED' }, structuredContent: { status: 'expired' } });
      expect(await balancesOf([source, destination])).toEqual(before);
    });

    it('moves money once when the customer’s approvals race and the agent’s calls race', async () => {
      // Prepare
      const args = { beneficiary: alias, amount: 4000, from_account_id: source.account_id };
      const asked = approvalOf(await call(client, 'transfer_funds', args));
      const before = await balancesOf([source, destination]);
      const ledger = (await ledgerOf([source.account_id])).length;

      // Act: two tabs press Aprobar at once; three calls race once approved
      const decisions = await Promise.all([decide('user-mateo', asked.approval_id), decide('user-mateo', asked.approval_id)]);
      const results = await Promise.all([1, 2, 3].map(() => call(client, 'transfer_funds', { ...args, approval_id: asked.approval_id })));

      // Assess
      expect(decisions.map((d) => d.status).sort()).toEqual([200, 409]);
      for (const result of results) expect(structured(result)).toMatchObject({ amount: 4000, to_account_id: destination.account_id });
      const after = await balancesOf([source, destination]);
      expect(after.get(source.account_id)).toBe((before.get(source.account_id) as number) - 4000);
      expect(after.get(destination.account_id)).toBe((before.get(destination.account_id) as number) + 4000);
      expect(await ledgerOf([source.account_id])).toHaveLength(ledger + 1);
    });

    it('answers a client that declared URL elicitation with -32042 and the page’s link, and runs the same call again once approved', async () => {
      // Prepare
      const { Client } = await import('@modelcontextprotocol/sdk/client/index.js');
      const { StreamableHTTPClientTransport } = await import('@modelcontextprotocol/sdk/client/streamableHttp.js');
      const agent = new Client({ name: 'centli-integration-test', version: '1.0.0' }, { capabilities: { elicitation: { url: {} } } });
      await agent.connect(new StreamableHTTPClientTransport(new URL(endpoints().mcp), { requestInit: { headers: { Authorization: `Bearer ${endpoints().tokens['user-mateo']}` } } }));
      clients.push(agent);
      const args = { beneficiary: alias, amount: 4500, from_account_id: source.account_id };
      const before = await balancesOf([source, destination]);

      // Act
      const error = await agent.callTool({ name: 'transfer_funds', arguments: args }).then(() => undefined, (e: unknown) => e);
      const [elicitation] = ((error as McpError).data as { elicitations: Array<{ mode: string; url: string; elicitationId: string }> }).elicitations;
      const unapproved = await call(agent, 'transfer_funds', args);
      await decide('user-mateo', String(elicitation?.elicitationId));
      const approved = await call(agent, 'transfer_funds', args);
      const after = await balancesOf([source, destination]);
      const fresh = await agent.callTool({ name: 'transfer_funds', arguments: args }).then(() => undefined, (e: unknown) => e);

      // Assess
      expect(error).toBeInstanceOf(McpError);
      expect((error as McpError).code).toBe(ErrorCode.UrlElicitationRequired);
      expect(elicitation).toMatchObject({ mode: 'url', url: `${endpoints().approvals}?id=${elicitation?.elicitationId}` });
      expect(approvalOf(unapproved)).toMatchObject({ status: 'approval_pending', approval_id: elicitation?.elicitationId });
      expect(structured(approved)).toMatchObject({ amount: 4500, to_account_id: destination.account_id });
      expect(after.get(source.account_id)).toBe((before.get(source.account_id) as number) - 4500);
      // Once used, the same arguments are a new request: a new approval.
      expect((fresh as McpError).code).toBe(ErrorCode.UrlElicitationRequired);
      expect(((fresh as McpError).data as { elicitations: Array<{ elicitationId: string }> }).elicitations[0]?.elicitationId).not.toBe(elicitation?.elicitationId);
    });

    it('asks through MCP elicitation when the client supports it, and moves nothing when the customer declines', async () => {
      // Prepare
      const before = await balancesOf([source, destination]);
      const declining = await connectStdio('user-mateo', { elicitation: () => 'decline' });
      const accepting = await connectStdio('user-mateo', { elicitation: () => 'accept' });
      clients.push(declining, accepting);

      // Act
      const declined = await call(declining, 'transfer_funds', { beneficiary: alias, amount: 1000, from_account_id: source.account_id });
      const accepted = await call(accepting, 'transfer_funds', { beneficiary: alias, amount: 1000, from_account_id: source.account_id });

      // Assess
      expect(declined).toMatchObject({ isError: true });
      expect(structured(accepted)).toMatchObject({ amount: 1000, to_account_id: destination.account_id });
      const after = await balancesOf([source, destination]);
      expect(after.get(source.account_id)).toBe((before.get(source.account_id) as number) - 1000);
    });
  });

  describe('add_beneficiary (Confirmation of Payee)', () => {
    const payer: TestAccount = { user_id: 'user-mateo', account_id: `acc-mcp-cop-src-${run}`, balance: 1_000_000 };
    const carlos: TestAccount = { user_id: 'user-carlos', account_id: `acc-mcp-cop-dst-${run}`, balance: 0, type: 'savings', holder_name: 'Carlos García' };
    const alias = `pedro ${run}`;

    beforeAll(() => createAccounts([payer, carlos]));

    it('saves an account under its holder’s registered name, saying the name given differs, only once the customer approves; and holds the new payee to MXN 2,000 on its first day', async () => {
      // Prepare
      const client = await open('http', 'user-mateo');
      const args = { name: 'Pedro Ho', alias, account_id: carlos.account_id };

      // Act: the agent saves "Pedro Ho" for Carlos García's account
      const asked = structured<ApprovalAnswer>(await call(client, 'add_beneficiary', args));
      const beforeApproval = await call(client, 'resolve_beneficiary', { alias });
      await decide('user-mateo', asked.approval_id);
      const saved = await call(client, 'add_beneficiary', { ...args, approval_id: asked.approval_id });
      const resolved = await call(client, 'resolve_beneficiary', { alias });
      // Act: a first transfer fits the new-payee limit, a second one over it is refused after its approval
      const { asked: small, result: first } = await approvedCall(client, 'user-mateo', 'transfer_funds', { beneficiary: alias, amount: 150_000, from_account_id: payer.account_id });
      const { result: second } = await approvedCall(client, 'user-mateo', 'transfer_funds', { beneficiary: alias, amount: 100_000, from_account_id: payer.account_id });

      // Assess
      expect(asked).toMatchObject({ status: 'approval_required', tool: 'add_beneficiary' });
      expect(asked.summary).toBe(`¿Guardo a Carlos García (cuenta ****${run.slice(-4)}) como tu beneficiario «${alias}»? Su titular registrado es Carlos García, no «Pedro Ho»: lo guardo con el nombre registrado.`);
      expect(textOf(beforeApproval)).toMatch(/No encontré/);
      expect(structured(saved)).toMatchObject({ beneficiary: { name: 'Carlos García', alias, account_id: carlos.account_id } });
      expect(textOf(resolved)).toBe(`${alias}: Carlos García (${alias}), cuenta ****${run.slice(-4)}.`);
      expect(small.summary).toContain('a Carlos García');
      expect(first.isError).toBeFalsy();
      expect(second).toMatchObject({ isError: true, _meta: { code: 'TRANSFER.NEW_PAYEE_LIMIT' } });
      expect(textOf(second)).toMatch(/^Por seguridad, a un destinatario nuevo puedes enviarle hasta \$2,000\.00 MXN en sus primeras 24 horas; podrás enviarle más a partir del .+\. No se movió dinero\.$/);
      expect(await balancesOf([payer, carlos])).toEqual(new Map([[payer.account_id, 850_000], [carlos.account_id, 150_000]]));
    });
  });

  describe('request_new_card', () => {
    const cardOf = async (cardId: string) => (await documents().send(new GetCommand({ TableName: table('cards'), Key: { card_id: cardId }, ConsistentRead: true }))).Item;

    it('creates one replacement for a lost card even when the approved call is delivered twice', async () => {
      // Prepare
      const cardId = `card-mcp-lost-${run}`;
      await createCards([testCard('user-mateo', cardId, String(2000 + Math.floor(Math.random() * 7999)), { account_id: 'acc-mateo-nomina-5178' })]);
      const client = await connectHttp('user-mateo');
      clients.push(client);
      const args = { card_id: cardId, reason: 'lost' };
      const asked = structured<ApprovalAnswer>(await call(client, 'request_new_card', args));
      const beforeApproval = await cardOf(cardId);
      await decide('user-mateo', asked.approval_id);

      // Act
      const [first, second] = await Promise.all([call(client, 'request_new_card', { ...args, approval_id: asked.approval_id }), call(client, 'request_new_card', { ...args, approval_id: asked.approval_id })]);
      const again = await call(client, 'request_new_card', args);

      // Assess
      // The first call locked the card before it opened the approval: no one can use it while the customer decides.
      expect(beforeApproval?.status).toBe('locked');
      expect(asked.summary).toMatch(/^Bloqueé tu tarjeta con terminación \d{4} para que nadie la use\. ¿La cancelo y te envío una nueva a tu dirección registrada\?/);
      for (const result of [first, second]) expect(structured(result)).toMatchObject({ replacement: { card_id: cardId, reason: 'lost' } });
      const requests = await documents().send(
        new QueryCommand({ TableName: table('card-requests'), IndexName: 'user_id-index', KeyConditionExpression: 'user_id = :u', ExpressionAttributeValues: { ':u': 'user-mateo' } }),
      );
      expect((requests.Items ?? []).filter((item) => item.card_id === cardId)).toHaveLength(1);
      // The card is cancelled now: there is nothing left to replace.
      expect(again).toMatchObject({ isError: true });
      expect((await cardOf(cardId))?.status).toBe('cancelled');
    });
  });

  describe('every other tool’s happy path', () => {
    let client: Client;
    beforeAll(async () => {
      client = await open('http', 'user-ana');
    });

    it.each<[string, Record<string, unknown>, RegExp]>([
      ['list_transactions', {}, /movimientos|No encontré movimientos/],
      ['list_beneficiaries', {}, /Carlos García \(hermano\)/],
      ['resolve_beneficiary', { alias: 'mi hermano' }, /Carlos García \(hermano\), cuenta \*\*\*\*3954/],
      ['search_catalog', { text: 'laptop' }, /Laptop Lenovo IdeaPad 5/],
      ['get_benefits', { product_id: 'prod-laptop-lenovo-ideapad-5' }, /«ElectroMundo»: \$14,999\.00 MXN/],
      ['list_cards', {}, /terminación 5678/],
    ])('%s', async (name, args, text) => {
      const result = await call(client, name, args);
      expect(result.isError).toBeFalsy();
      expect(textOf(result)).toMatch(text);
      expect(structured(result)).toMatchObject({ user_id: 'user-ana' });
    });

    it('purchase_product buys once the customer approves, and get_purchase_status reports it', async () => {
      // Prepare
      const source: TestAccount = { user_id: 'user-sofia', account_id: `acc-mcp-buy-${run}`, balance: 10_000_000 };
      await createAccounts([source]);
      const sofia = await open('http', 'user-sofia');
      const args = { product_id: 'prod-cafetera-nespresso-vertuo', installments: 3, account_id: source.account_id };

      // Act
      const { asked, result } = await approvedCall(sofia, 'user-sofia', 'purchase_product', args);
      const bought = structured<{ status: string; purchase_id: string; total: number }>(result);
      const status = structured<{ status: string }>(await call(sofia, 'get_purchase_status', { purchase_id: bought.purchase_id }));
      const someoneElse = await call(client, 'get_purchase_status', { purchase_id: bought.purchase_id });

      // Assess
      expect(asked.summary).toBe(`¿Compro «Cafetera Nespresso Vertuo Pop» en «Hogar Total» por $3,499.00 MXN a 3 meses sin intereses de $1,166.34 MXN, con cargo a tu Cuenta de prueba ****${run.slice(-4)}?`);
      expect(bought).toMatchObject({ status: 'confirmed', total: 349900 });
      // The request the approval stored, and the saga reserved against, carries the quote the summary showed.
      expect((await getJson<ExecutionHistory>(`/executions/${bought.purchase_id}`)).input).toMatchObject({ request: { total: 349900, currency: 'MXN', installments: 3, monthly_amount: 116634 } });
      expect(status.status).toBe('confirmed');
      expect(someoneElse).toMatchObject({ isError: true });
      expect((await balancesOf([source])).get(source.account_id)).toBe(10_000_000 - 349900);
    });
  });
});
