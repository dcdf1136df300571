/**
 * The MCP server end to end, with the SDK's own Client over Streamable HTTP and over stdio,
 * against the local stack: every tool call goes through the MCP function to the services' own
 * functions (Lambda Invoke API), DynamoDB Local and the bus. The customers are seeded ones (their
 * demo tokens come from the stack); what a test changes it creates for itself (accounts,
 * beneficiaries, cards with this run's ids).
 */
import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import { toolSpecs } from '@centli/schemas';
import { createCards, testCard } from '../cards/support';
import { balancesOf, closeClients, createAccounts, documents, dumpTable, endpoints, ledgerOf, runId, table, type TestAccount } from '../support';
import { call, connect, connectHttp, connectStdio, structured, textOf, type Transport } from './support';

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
        'list_cards', 'lock_card', 'unlock_card', 'request_new_card', 'transfer_funds', 'purchase_product', 'get_purchase_status',
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
      expect(textOf(result)).toMatch(/^Tus límites de transferencia:\n• Cuenta Nómina \*\*\*\*5178: hoy puedes transferir \$[\d,]+\.\d\d MXN más de tu límite diario de \$100,000\.00 MXN \(hasta \$50,000\.00 MXN por transferencia\)\./);
      const limits = structured<{ user_id: string; accounts: Array<{ account_id: string; daily_limit: number; per_transfer_limit: number }> }>(result);
      expect(limits).toMatchObject({ user_id: 'user-mateo', time_zone: 'America/Mexico_City' });
      expect(limits.accounts.map((a) => [a.account_id, a.daily_limit, a.per_transfer_limit])).toEqual([['acc-mateo-nomina-5178', 10_000_000, 5_000_000]]);
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
      const unlocked = await call(client, 'unlock_card', { last_four: lastFour });
      const asked = await call(client, 'request_new_card', { card_id: cardId, reason: 'damaged' });
      const replaced = await call(client, 'request_new_card', { card_id: cardId, reason: 'damaged', confirmation_token: structured<{ confirmation_token: string }>(asked).confirmation_token });

      // Assess
      expect(textOf(locked)).toBe(`Listo, bloqueé tu tarjeta con terminación ${lastFour}. Puedes desbloquearla cuando quieras.`);
      expect(structured(again)).toMatchObject({ changed: false, card: { status: 'locked' } });
      expect(structured(unlocked)).toMatchObject({ changed: true, card: { card_id: cardId, status: 'active' } });
      expect(structured(asked)).toMatchObject({ status: 'confirmation_required', tool: 'request_new_card' });
      expect(structured(replaced)).toMatchObject({ existing: false, replacement: { card_id: cardId, reason: 'damaged', status: 'pending' } });
      // Only the last four digits reach the customer: never the masked number's first six.
      const texts = [locked, again, unlocked, asked, replaced].map(textOf).join('\n');
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
    const destination: TestAccount = { user_id: 'user-carlos', account_id: `acc-mcp-dst-${run}`, balance: 0 };
    const alias = `primo mcp ${run}`;
    let client: Client;

    beforeAll(async () => {
      await createAccounts([source, destination]);
      client = await open('http', 'user-mateo');
      const added = await call(client, 'add_beneficiary', { name: 'Primo de Prueba', alias, account_id: destination.account_id });
      expect(added.isError).toBeFalsy();
    });

    it('moves nothing without a confirmation token, once with it, and nothing again with the same token', async () => {
      // Act: ask
      const asked = await call(client, 'transfer_funds', { beneficiary: alias, amount_text: 'cien pesos', from_account_id: source.account_id });
      const pending = structured<{ status: string; summary: string; confirmation_token: string; request: Record<string, unknown> }>(asked);
      const afterAsking = await balancesOf([source, destination]);

      // Act: confirm, twice
      const done = await call(client, 'transfer_funds', { beneficiary: alias, amount_text: 'cien pesos', from_account_id: source.account_id, confirmation_token: pending.confirmation_token });
      const replayed = await call(client, 'transfer_funds', { beneficiary: alias, amount_text: 'cien pesos', from_account_id: source.account_id, confirmation_token: pending.confirmation_token });

      // Assess
      expect(pending.status).toBe('confirmation_required');
      expect(pending.summary).toBe(`¿Transfiero $100.00 MXN a Primo de Prueba (${alias}), cuenta ****${run.slice(-4)}, desde tu Cuenta de prueba ****${run.slice(-4)}?`);
      expect(pending.request).toEqual({ from_account_id: source.account_id, to_account_id: destination.account_id, amount: 10000, currency: 'MXN' });
      expect(afterAsking.get(source.account_id)).toBe(5_000_000);
      expect(structured(done)).toMatchObject({ amount: 10000, from_account_id: source.account_id, to_account_id: destination.account_id, user_id: 'user-mateo' });
      expect(replayed).toMatchObject({ isError: true });
      expect(textOf(replayed)).toBe('Esa confirmación ya se usó; no se volvió a hacer nada.');
      const balances = await balancesOf([source, destination]);
      expect(balances.get(source.account_id)).toBe(4_990_000);
      expect(balances.get(destination.account_id)).toBe(10000);
      expect(await ledgerOf([source.account_id])).toHaveLength(1);
    });

    it('refuses a token for other arguments, and another customer’s token, moving nothing', async () => {
      // Prepare
      const asked = structured<{ confirmation_token: string }>(await call(client, 'transfer_funds', { beneficiary: alias, amount: 2500, from_account_id: source.account_id }));
      const before = await balancesOf([source, destination]);
      const sofia = await open('http', 'user-sofia');

      // Act
      const altered = await call(client, 'transfer_funds', { beneficiary: alias, amount: 250000, from_account_id: source.account_id, confirmation_token: asked.confirmation_token });
      const foreign = await call(sofia, 'transfer_funds', { beneficiary: alias, amount: 2500, from_account_id: source.account_id, confirmation_token: asked.confirmation_token });

      // Assess
      expect(textOf(altered)).toBe('Esa confirmación era para otra cosa: los datos cambiaron desde que se mostraron. No se hizo nada; pídelo de nuevo.');
      expect(foreign.isError).toBe(true);
      expect(await balancesOf([source, destination])).toEqual(before);
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

  describe('request_new_card', () => {
    it('creates one replacement for a lost card even when the confirmed call is delivered twice', async () => {
      // Prepare
      const cardId = `card-mcp-lost-${run}`;
      await createCards([testCard('user-mateo', cardId, String(2000 + Math.floor(Math.random() * 7999)), { account_id: 'acc-mateo-nomina-5178' })]);
      const client = await connectHttp('user-mateo');
      clients.push(client);
      const args = { card_id: cardId, reason: 'lost' };
      const token = structured<{ confirmation_token: string; summary: string }>(await call(client, 'request_new_card', args));

      // Act
      const [first, second] = await Promise.all([call(client, 'request_new_card', { ...args, confirmation_token: token.confirmation_token }), call(client, 'request_new_card', { ...args, confirmation_token: token.confirmation_token })]);
      const again = await call(client, 'request_new_card', args);

      // Assess
      expect(token.summary).toMatch(/^¿Cancelo tu tarjeta con terminación \d{4} \(perdida\) y te envío una nueva a tu dirección registrada\?/);
      const outcomes = [first, second].map((r) => (r.isError ? 'refused' : 'done')).sort();
      expect(outcomes).toEqual(['done', 'refused']);
      const requests = await documents().send(
        new QueryCommand({ TableName: table('card-requests'), IndexName: 'user_id-index', KeyConditionExpression: 'user_id = :u', ExpressionAttributeValues: { ':u': 'user-mateo' } }),
      );
      expect((requests.Items ?? []).filter((item) => item.card_id === cardId)).toHaveLength(1);
      // The card is cancelled now: there is nothing left to replace.
      expect(again).toMatchObject({ isError: true });
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

    it('purchase_product buys after confirmation, and get_purchase_status reports it', async () => {
      // Prepare
      const source: TestAccount = { user_id: 'user-sofia', account_id: `acc-mcp-buy-${run}`, balance: 10_000_000 };
      await createAccounts([source]);
      const sofia = await open('http', 'user-sofia');
      const args = { product_id: 'prod-cafetera-nespresso-vertuo', installments: 3, account_id: source.account_id };

      // Act
      const asked = structured<{ confirmation_token: string; summary: string }>(await call(sofia, 'purchase_product', args));
      const bought = structured<{ status: string; purchase_id: string; total: number }>(await call(sofia, 'purchase_product', { ...args, confirmation_token: asked.confirmation_token }));
      const status = structured<{ status: string }>(await call(sofia, 'get_purchase_status', { purchase_id: bought.purchase_id }));
      const someoneElse = await call(client, 'get_purchase_status', { purchase_id: bought.purchase_id });

      // Assess
      expect(asked.summary).toBe(`¿Compro «Cafetera Nespresso Vertuo Pop» en «Hogar Total» por $3,499.00 MXN a 3 meses sin intereses de $1,166.34 MXN, con cargo a tu Cuenta de prueba ****${run.slice(-4)}?`);
      expect(bought).toMatchObject({ status: 'confirmed', total: 349900 });
      expect(status.status).toBe('confirmed');
      expect(someoneElse).toMatchObject({ isError: true });
      expect((await balancesOf([source])).get(source.account_id)).toBe(10_000_000 - 349900);
    });
  });
});
