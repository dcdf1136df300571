/**
 * Exactly-once, measured under faults. The local stack runs in chaos mode (seed CENTLI_CHAOS):
 * the bus duplicates, delays and reorders deliveries, handlers fail before running and after
 * writing, DynamoDB throttles calls and cancels transactions with throttling reasons, saga tasks
 * fail transiently and WebSockets drop. Through all that, 16 clients send a mix at once:
 * transfers among 50 accounts with a hot one, purchases racing for scarce stock, card
 * operations, beneficiary adds, chat transfers confirmed over WebSockets, and MCP transfers whose
 * customer approves on the approval page's API twice at once while the agent calls again three
 * times at once, retrying whatever failed. Then the DLQ is
 * redriven until the stack is quiet, and the books are checked:
 * every balance equals its opening balance plus its ledger; money is conserved; no balance is
 * negative; stock plus confirmed units equals the opening stock; every request has exactly one
 * outcome; no card is in an impossible state; no customer was answered twice for one turn; every
 * approved MCP transfer moved money exactly once, and no declined one moved any. Then SPEI
 * transfers go out through the participant's duplicated, late and lost results (a fifth of the
 * requests asked twice): money is conserved, nothing is left in transit, every request has one
 * outcome, every held transfer ended once, the way its recorded result says, and Centli agrees with
 * the participant on every order (a lost result is asked for before anything is given back:
 * settled at Centli exactly when liquidada at the participant, timed out only when it cancelled).
 *
 * CHAOS_SCALE=long runs the full size (1,000 transfers, 100 purchases); CI runs the short one.
 */
import { GetCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import fc from 'fast-check';
import { createCards, createCustomer, testCard } from '../integration/cards/support';
import { ChatClient, type ServerMessage } from '../integration/chat/support';
import { openShop, purchaseRequest, stockOf } from '../integration/marketplace/support';
import { approvedRequestId } from '@centli/tools/approval';
import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { call, connectHttp, decide, type ApprovalAnswer } from '../integration/mcp/support';
import { balancesOf, closeClients, createAccounts, documents, endpoints, eventsOf, getJson, ledgerOf, putRequests, runId, table, type BusEvent, type Request, type TestAccount } from '../integration/support';
import { AWS_STYLE_HEADERS } from '../../local/http';
import { makeClabe } from '@centli/pure/clabe';
import { speiTransferId } from '../../services/core-banking/src/domain/spei-out';

const LONG = process.env.CHAOS_SCALE === 'long';
const SIZE = LONG
  ? { transfers: 1000, purchases: 100, stock: 40, cardOps: 120, beneficiaries: 60, chatTurns: 24, approvals: 24 }
  : { transfers: 250, purchases: 30, stock: 12, cardOps: 40, beneficiaries: 20, chatTurns: 6, approvals: 8 };
const CLIENTS = 16;
const SEED = Number(process.env.CENTLI_CHAOS ?? 20261126);
const run = runId();

interface Figures {
  [name: string]: number | string;
}

/** Sends requests from `CLIENTS` concurrent clients, each putting its share on the bus one by one. */
async function fromClients(requests: readonly Request[]): Promise<void> {
  const queue = [...requests];
  await Promise.all(
    Array.from({ length: CLIENTS }, async () => {
      for (let next = queue.shift(); next; next = queue.shift()) await putRequests([next]);
    }),
  );
}

/** Waits until nothing is in flight, redriving dead letters until none are left. */
async function settle(): Promise<number> {
  let redriven = 0;
  let quietSince: number | undefined;
  const deadline = Date.now() + 240_000;
  for (;;) {
    const health = await getJson<{ pending: number; deadLetters: number }>('/health');
    const running = (await getJson<Array<{ status: string }>>('/executions')).filter((e) => e.status === 'RUNNING').length;
    if (health.deadLetters > 0) {
      redriven += ((await (await fetch(`${endpoints().http}/dead-letters/redrive`, { method: 'POST', headers: AWS_STYLE_HEADERS })).json()) as { redriven: number }).redriven;
      quietSince = undefined;
    } else if (health.pending === 0 && running === 0) {
      quietSince ??= Date.now();
      if (Date.now() - quietSince > 2500) return redriven;
    } else quietSince = undefined;
    if (Date.now() > deadline) throw new Error(`the stack did not settle: ${JSON.stringify(health)}, ${running} saga(s) running`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

describe(`under chaos (seed ${SEED}, ${LONG ? 'long' : 'short'} run)`, () => {
  const figures: Figures = {};

  afterAll(() => {
    closeClients();
    process.stdout.write(`\nChaos run figures (seed ${SEED}):\n${Object.entries(figures).map(([name, value]) => `  ${name.padEnd(44)} ${value}`).join('\n')}\n`);
  });

  it('keeps every invariant of the books through duplicated, late, failed and throttled deliveries', async () => {
    // Prepare: 50 accounts (account 0 is the hot one), a shop with scarce stock, customers with cards
    const random = fc.sample(fc.integer({ min: 0, max: 2 ** 31 - 1 }), { seed: SEED, numRuns: 10_000 });
    let r = 0;
    const pick = (n: number) => (random[r++ % random.length] as number) % n;
    const accounts: TestAccount[] = Array.from({ length: 50 }, (_, i) => ({ user_id: `user-chaos-${run}-${i % 25}`, account_id: `acc-chaos-${run}-${i}`, balance: 100_000 }));
    await createAccounts(accounts);
    const shop = await openShop(`chaos-${run}`, { stock: SIZE.stock, price: 20_000 });
    const customers = [...new Set(accounts.map((a) => a.user_id))];
    await Promise.all(customers.map((userId) => createCustomer(userId)));
    const cards = customers.flatMap((userId, i) => [
      testCard(userId, `card-chaos-${run}-${i}-a`, String(1000 + i), { account_id: accounts[i]?.account_id as string }),
      testCard(userId, `card-chaos-${run}-${i}-b`, String(5000 + i), { account_id: accounts[i]?.account_id as string, type: 'credit' }),
    ]);
    await createCards(cards);
    const chatAccounts: TestAccount[] = [
      { user_id: 'user-ana', account_id: 'acc-ana-nomina-4821', balance: 0 },
      { user_id: 'user-carlos', account_id: 'acc-carlos-nomina-3954', balance: 0 },
    ];
    const mcpAccounts: TestAccount[] = [
      { user_id: 'user-mateo', account_id: `acc-chaos-mcp-${run}`, balance: 1_000_000 },
      { user_id: 'user-carlos', account_id: `acc-chaos-mcp-payee-${run}`, balance: 0, type: 'savings', holder_name: 'Carlos García' },
    ];
    await createAccounts(mcpAccounts);
    const everyAccount = [...accounts, shop.settlement, ...chatAccounts, ...mcpAccounts];
    const opening = await balancesOf(everyAccount);
    const openingNet = new Map(await Promise.all(everyAccount.map(async (a) => [a.account_id, await ledgerNet(a.account_id)] as const)));

    // The mix
    const transfers: Request[] = Array.from({ length: SIZE.transfers }, (_, i) => {
      const hot = pick(10) < 3;
      const from = accounts[hot ? 1 + pick(49) : pick(50)] as TestAccount;
      let to = hot ? (accounts[0] as TestAccount) : (accounts[pick(50)] as TestAccount);
      if (to.account_id === from.account_id) to = accounts[(accounts.indexOf(from) + 1) % 50] as TestAccount;
      return { detailType: 'TRANSFER_REQUEST', detail: { request_id: `req-${run}-t${i}`, correlation_id: `corr-${run}-t${i}`, user_id: from.user_id, from_account_id: from.account_id, to_account_id: to.account_id, amount: 100 + pick(40_000), currency: 'MXN' } };
    });
    const purchases: Request[] = Array.from({ length: SIZE.purchases }, (_, i) => {
      const buyer = accounts[1 + pick(49)] as TestAccount;
      return { detailType: 'PURCHASE_REQUEST', detail: purchaseRequest(`${run}-p${i}`, shop, buyer) };
    });
    const cardOps: Request[] = Array.from({ length: SIZE.cardOps }, (_, i) => {
      const card = cards[pick(cards.length)] as (typeof cards)[number];
      const kind = pick(10);
      const ids = { request_id: `req-${run}-c${i}`, correlation_id: `corr-${run}-c${i}`, user_id: card.user_id, card_id: card.card_id };
      if (kind < 4) return { detailType: 'CARD_LOCK_REQUEST', detail: ids };
      if (kind < 8) return { detailType: 'CARD_UNLOCK_REQUEST', detail: ids };
      return { detailType: 'CARD_REPLACEMENT_REQUEST', detail: { ...ids, reason: ['lost', 'stolen', 'damaged', 'expired'][pick(4)] } };
    });
    const beneficiaries: Request[] = Array.from({ length: SIZE.beneficiaries }, (_, i) => {
      const owner = customers[pick(customers.length)] as string;
      return { detailType: 'BENEFICIARY_ADD_REQUEST', detail: { request_id: `req-${run}-b${i}`, correlation_id: `corr-${run}-b${i}`, user_id: owner, name: `Persona ${i}`, alias: `alias ${pick(8)}`, account_id: (accounts[pick(50)] as TestAccount).account_id } };
    });
    const mix = [...transfers, ...purchases, ...cardOps, ...beneficiaries].map((request) => ({ request, key: pick(1_000_000) })).sort((a, b) => a.key - b.key).map(({ request }) => request);

    // Act: the bus traffic from 16 clients, and chat turns over WebSockets beside it
    const chat = chatTransfers(SIZE.chatTurns);
    const approving = approvalsRacing(SIZE.approvals, mcpAccounts[0] as TestAccount, mcpAccounts[1] as TestAccount);
    await fromClients(mix);
    const chatResult = await chat;
    const approvals = await approving;
    const redriven = await settle();

    // Assess: every balance moved by exactly what its ledger says, money is conserved, none is negative
    const balances = await balancesOf(everyAccount);
    for (const account of everyAccount) {
      const moved = (await ledgerNet(account.account_id)) - (openingNet.get(account.account_id) as number);
      expect({ account: account.account_id, balance: balances.get(account.account_id) }).toEqual({ account: account.account_id, balance: (opening.get(account.account_id) as number) + moved });
    }
    const total = (map: Map<string, number>) => [...map.values()].reduce((a, b) => a + b, 0);
    expect(total(balances)).toBe(total(opening));
    for (const [account, balance] of balances) expect({ account, negative: balance < 0 }).toEqual({ account, negative: false });

    // Stock: what is left plus what was confirmed is what there was
    // An outcome event may be published more than once (at least once, like every event); one purchase is one purchase_id.
    const confirmedUnits = new Set((await eventsOf('PURCHASE_CONFIRMED')).filter((e) => e.detail.product_id === shop.product.product_id).map((e) => e.detail.purchase_id)).size;
    const purchaseRecords = await confirmedPurchaseUnits(purchases);
    expect(purchaseRecords).toBe(confirmedUnits);
    expect((await stockOf(shop.product)) + purchaseRecords).toBe(SIZE.stock);

    // Exactly one outcome per request
    const transferOutcomes = await outcomesOf(transfers, ['TRANSFER_COMPLETED', 'TRANSFER_FAILED']);
    const purchaseOutcomes = await outcomesOf(purchases, ['PURCHASE_CONFIRMED', 'PURCHASE_FAILED']);
    const cardOutcomes = await outcomesOf(cardOps, ['CARD_LOCKED', 'CARD_UNLOCKED', 'CARD_REPLACEMENT_REQUESTED', 'CARD_OPERATION_FAILED']);
    const beneficiaryOutcomes = await outcomesOf(beneficiaries, ['BENEFICIARY_ADDED', 'BENEFICIARY_REJECTED']);
    for (const outcomes of [transferOutcomes, purchaseOutcomes, cardOutcomes, beneficiaryOutcomes]) {
      expect(outcomes.unanswered).toEqual([]);
      expect(outcomes.conflicting).toEqual([]);
    }
    // Each completed transfer moved money exactly once: two ledger entries per transaction id.
    const transferIds = new Set(transferOutcomes.answers.filter((a) => a['detail-type'] === 'TRANSFER_COMPLETED').map((a) => a.detail.transaction_id as string));
    const entries = (await ledgerOf(accounts.map((a) => a.account_id))).filter((row) => row.request_id.startsWith(`req-${run}-t`));
    expect(entries.length).toBe(transferIds.size * 2);

    // No card in an impossible state
    for (const card of cards) {
      const item = (await documents().send(new GetCommand({ TableName: table('cards'), Key: { card_id: card.card_id }, ConsistentRead: true }))).Item as Record<string, unknown>;
      const replacements = await replacementsOf(card.card_id, card.user_id);
      expect({ card: card.card_id, legal: ['active', 'locked', 'cancelled'].includes(String(item.status)) }).toEqual({ card: card.card_id, legal: true });
      expect({ card: card.card_id, open: replacements.length <= 1 }).toEqual({ card: card.card_id, open: true });
      const lostOrStolen = replacements.some((rep) => rep.reason === 'lost' || rep.reason === 'stolen');
      if (lostOrStolen) expect({ card: card.card_id, status: item.status }).toEqual({ card: card.card_id, status: 'cancelled' });
    }

    // No customer answered twice for one chat turn
    expect(chatResult.answeredTwice).toEqual([]);

    // Every approved MCP transfer moved money exactly once (one debit, one credit), no declined one moved any,
    // one of each two racing decisions won, and every agent call told one outcome.
    const approvalEntries = await ledgerOf(mcpAccounts.map((a) => a.account_id));
    for (const outcome of approvals.outcomes) {
      const rows = approvalEntries.filter((row) => row.request_id === approvedRequestId(outcome.approvalId));
      expect({ approval: outcome.approvalId, decision: outcome.decision, entries: rows.length }).toEqual({ approval: outcome.approvalId, decision: outcome.decision, entries: outcome.decision === 'approve' ? 2 : 0 });
      expect({ approval: outcome.approvalId, decisionsRecorded: outcome.decisionsRecorded }).toEqual({ approval: outcome.approvalId, decisionsRecorded: 1 });
      expect({ approval: outcome.approvalId, told: [...new Set(outcome.told)] }).toEqual({ approval: outcome.approvalId, told: [outcome.decision === 'approve' ? 'completed' : 'declined'] });
    }
    const approvedAmount = approvals.outcomes.filter((o) => o.decision === 'approve').reduce((sum, o) => sum + o.amount, 0);
    expect(balances.get(mcpAccounts[1]?.account_id as string)).toBe(approvedAmount);

    const chaos = await getJson<{ injected: Record<string, number> }>('/chaos');
    Object.assign(figures, {
      'transfers sent': transfers.length,
      '  completed': transferOutcomes.answers.filter((a) => a['detail-type'] === 'TRANSFER_COMPLETED').length,
      '  refused': transferOutcomes.answers.filter((a) => a['detail-type'] === 'TRANSFER_FAILED').length,
      'purchases sent (racing for stock)': `${purchases.length} (${SIZE.stock} units)`,
      '  confirmed': confirmedUnits,
      'card operations': cardOps.length,
      'beneficiary adds': beneficiaries.length,
      'chat turns (confirmed over WebSocket)': `${chatResult.turns} (${chatResult.completed} completed, ${chatResult.reconnects} reconnects)`,
      '  repeated pushes (same message_id, dropped)': chatResult.repeats,
      ...Object.fromEntries(Object.entries(chatResult.others).map(([what, count]) => [`  not completed: ${what}`, count])),
      'MCP approvals (2 racing decisions, 3 racing calls each)': `${approvals.outcomes.length} (${approvals.outcomes.filter((o) => o.decision === 'approve').length} approved, ${approvals.outcomes.filter((o) => o.decision === 'decline').length} declined)`,
      '  agent calls retried after a fault': approvals.retries,
      'dead letters redriven': redriven,
      'money before = after (centavos)': `${total(opening)} = ${total(balances)}`,
      'stock left + confirmed = opening': `${SIZE.stock - confirmedUnits} + ${confirmedUnits} = ${SIZE.stock}`,
      ...Object.fromEntries(Object.entries(chaos.injected).map(([kind, count]) => [`fault injected: ${kind}`, count])),
    });
    expect(Object.values(chaos.injected).reduce((a, b) => a + b, 0)).toBeGreaterThan(0);
  }, 900_000);

  it('sends SPEI transfers through the participant’s duplicated, late and lost results: money conserved, one outcome and one end per transfer, Centli and the participant agreeing on each', async () => {
    // Prepare: 10 customers' accounts; transfers to CLABEs that settle, come back (…0000) or are never answered (…9999)
    const random = fc.sample(fc.integer({ min: 0, max: 2 ** 31 - 1 }), { seed: SEED + 19, numRuns: 2_000 });
    let r = 0;
    const pick = (n: number) => (random[r++ % random.length] as number) % n;
    const accounts: TestAccount[] = Array.from({ length: 10 }, (_, i) => ({ user_id: `user-chaos-spei-${run}-${i}`, account_id: `acc-chaos-spei-${run}-${i}`, balance: 100_000 }));
    await createAccounts(accounts);
    const bank: TestAccount[] = [
      { user_id: 'bank-spei', account_id: 'acc-spei-transito-0001', balance: 0 },
      { user_id: 'bank-spei', account_id: 'acc-spei-liquidacion-0001', balance: 0 },
    ];
    const every = [...accounts, ...bank];
    const opening = await balancesOf(every);
    const openingNet = new Map(await Promise.all(every.map(async (a) => [a.account_id, await ledgerNet(a.account_id)] as const)));
    const endings = ['1234', '5678', '2468', '1357', '0000', '9999'];
    const requests: Request[] = Array.from({ length: LONG ? 120 : 40 }, (_, i) => {
      const from = accounts[pick(accounts.length)] as TestAccount;
      const ending = endings[pick(endings.length)] as string;
      const clabe = makeClabe({ bank: '012', plaza: '180', account: `${String(1_000_000 + i).slice(-7)}${ending}` });
      return { detailType: 'SPEI_TRANSFER_REQUEST', detail: { request_id: `req-${run}-s${i}`, correlation_id: `corr-${run}-s${i}`, user_id: from.user_id, from_account_id: from.account_id, to_clabe: clabe, beneficiary_name: `Persona ${i}`, amount: 100 + pick(20_000), currency: 'MXN' } };
    });
    // A fifth of them asked twice, as a door retrying would.
    const again = requests.filter(() => pick(5) === 0);

    // Act
    await fromClients([...requests, ...again]);
    await settle();

    // Assess: every balance moved by exactly its ledger, money conserved, nothing left in transit
    const balances = await balancesOf(every);
    for (const account of every) {
      const moved = (await ledgerNet(account.account_id)) - (openingNet.get(account.account_id) as number);
      expect({ account: account.account_id, balance: balances.get(account.account_id) }).toEqual({ account: account.account_id, balance: (opening.get(account.account_id) as number) + moved });
    }
    const total = (map: Map<string, number>) => [...map.values()].reduce((a, b) => a + b, 0);
    expect(total(balances)).toBe(total(opening));
    expect(balances.get('acc-spei-transito-0001')).toBe(opening.get('acc-spei-transito-0001'));
    // One outcome per request, the same whenever told; one end per held transfer, matching its result
    const outcomes = await outcomesOf(requests, ['TRANSFER_COMPLETED', 'TRANSFER_FAILED']);
    expect(outcomes.unanswered).toEqual([]);
    expect(outcomes.conflicting).toEqual([]);
    const ledger = await ledgerOf(accounts.map((a) => a.account_id));
    const counts = { settled: 0, returned: 0, timed_out: 0, refused: 0, asked_and_settled: 0 };
    for (const request of requests) {
      const detail = request.detail as { user_id: string; request_id: string; amount: number };
      const order = (await documents().send(new GetCommand({ TableName: table('spei-orders'), Key: { transfer_id: speiTransferId(detail) }, ConsistentRead: true }))).Item;
      const rows = ledger.filter((row) => row.request_id === detail.request_id);
      const answer = outcomes.answers.find((a) => a.detail.request_id === detail.request_id) as BusEvent;
      if (!order) {
        counts.refused += 1;
        expect({ id: detail.request_id, rows: rows.length, answer: answer['detail-type'] }).toEqual({ id: detail.request_id, rows: 0, answer: 'TRANSFER_FAILED' });
        continue;
      }
      expect({ id: detail.request_id, ended: typeof order.end_transaction_id }).toEqual({ id: detail.request_id, ended: 'string' });
      // The participant's side of the same order: settled at Centli ⇔ liquidada there; timed out ⇒ cancelled there (or never received).
      const there = await fetch(`${endpoints().spei}/orders/${encodeURIComponent(String(order.transfer_id))}`);
      const record = there.status === 404 ? undefined : ((await there.json()) as { status: string; callbacks: unknown[] });
      const theirs = record?.status ?? 'never_received';
      const expected = order.status === 'timed_out' ? (theirs === 'never_received' ? 'never_received' : 'cancelada') : order.status;
      expect({ id: detail.request_id, centli: order.status, participant: theirs }).toEqual({ id: detail.request_id, centli: order.status, participant: expected });
      const debits = rows.filter((row) => row.direction === 'debit').length;
      const credits = rows.filter((row) => row.direction === 'credit').length;
      if (order.status === 'liquidada') {
        counts.settled += 1;
        // Its result never reached Centli: the timeout asked, and settled it.
        if (record?.callbacks.length === 0) counts.asked_and_settled += 1;
        expect({ id: detail.request_id, debits, credits, answer: answer['detail-type'] }).toEqual({ id: detail.request_id, debits: 1, credits: 0, answer: 'TRANSFER_COMPLETED' });
      } else {
        counts[order.status === 'devuelta' ? 'returned' : 'timed_out'] += 1;
        expect({ id: detail.request_id, debits, credits, answer: answer.detail.reason }).toEqual({ id: detail.request_id, debits: 1, credits: 1, answer: order.status === 'devuelta' ? 'SPEI.RETURNED' : 'SPEI.TIMED_OUT' });
      }
    }
    const chaos = await getJson<{ injected: Record<string, number> }>('/chaos');
    Object.assign(figures, {
      'SPEI transfers sent (a fifth asked twice)': `${requests.length} (+${again.length})`,
      '  settled / returned / timed out / refused': `${counts.settled} / ${counts.returned} / ${counts.timed_out} / ${counts.refused}`,
      '  participant results lost': chaos.injected['spei-result-drop'] ?? 0,
      '  settled after asking (result lost)': counts.asked_and_settled,
      'SPEI money before = after (centavos)': `${total(opening)} = ${total(balances)}`,
    });
    expect(counts.settled + counts.returned + counts.timed_out).toBeGreaterThan(0);
  }, 600_000);
});

/** What an account's ledger adds up to: credits less debits, in centavos. */
async function ledgerNet(accountId: string): Promise<number> {
  return (await ledgerOf([accountId])).reduce((sum, row) => sum + (row.direction === 'credit' ? row.amount : -row.amount), 0);
}

/** Units confirmed, from the purchases' records. */
async function confirmedPurchaseUnits(purchases: readonly Request[]): Promise<number> {
  let units = 0;
  const users = [...new Set(purchases.map((p) => p.detail.user_id as string))];
  for (const user of users) {
    const page = await documents().send(new QueryCommand({ TableName: table('purchases'), KeyConditionExpression: 'user_id = :u', ExpressionAttributeValues: { ':u': user }, ConsistentRead: true }));
    units += (page.Items ?? []).filter((item) => item.status === 'confirmed').reduce((sum, item) => sum + (item.quantity as number), 0);
  }
  return units;
}

/** Every request's answers: each must have one, and all of a request's answers must say the same. */
async function outcomesOf(requests: readonly Request[], types: readonly string[]): Promise<{ answers: BusEvent[]; unanswered: string[]; conflicting: string[] }> {
  const byRequest = new Map<string, BusEvent[]>();
  for (const type of types) for (const event of await eventsOf(type)) byRequest.set(event.detail.request_id as string, [...(byRequest.get(event.detail.request_id as string) ?? []), event]);
  const answers: BusEvent[] = [];
  const unanswered: string[] = [];
  const conflicting: string[] = [];
  for (const request of requests) {
    const id = request.detail.request_id as string;
    const found = byRequest.get(id) ?? [];
    if (found.length === 0) unanswered.push(id);
    const distinct = new Set(found.map((e) => `${e['detail-type']} ${String(e.detail.reason ?? e.detail.transaction_id ?? e.detail.purchase_id ?? '')}`));
    if (distinct.size > 1) conflicting.push(`${id}: ${[...distinct].join(' | ')}`);
    if (found[0]) answers.push(found[0]);
  }
  return { answers, unanswered, conflicting };
}

async function replacementsOf(cardId: string, userId: string): Promise<Array<Record<string, unknown>>> {
  const page = await documents().send(new QueryCommand({ TableName: table('card-requests'), IndexName: 'user_id-index', KeyConditionExpression: 'user_id = :u', ExpressionAttributeValues: { ':u': userId } }));
  return (page.Items ?? []).filter((item) => item.card_id === cardId && item.status === 'pending');
}

/**
 * Chat turns over WebSockets, sockets dropped by chaos reconnected: "Transfiere 1 peso a mi
 * hermano", then "sí". Returns the turns whose customer got two final answers.
 */
async function chatTransfers(turns: number): Promise<{ turns: number; completed: number; reconnects: number; repeats: number; others: Record<string, number>; answeredTwice: string[] }> {
  const received: ServerMessage[] = [];
  let reconnects = 0;
  let client = await ChatClient.open('user-ana');
  let completed = 0;
  const others = new Map<string, number>();
  const tally = (what: string) => others.set(what, (others.get(what) ?? 0) + 1);
  for (let i = 0; i < turns; i++) {
    try {
      // Late answers to earlier turns may arrive meanwhile (after a drop): a turn's messages are told by its correlation id.
      const earlier = new Set([...received, ...client.received].map((m) => m.correlation_id));
      const asked = await client.ask('Transfiere 1 peso a mi hermano', {}, 20_000, (m) => !earlier.has(m.correlation_id));
      if (asked.kind !== 'confirmation') {
        tally(`asked: ${asked.kind} ${asked.text.slice(0, 60)}`);
        continue;
      }
      const done = await client.ask('sí', { reply_to: asked.correlation_id, confirmation_id: asked.confirmation_id }, 30_000, (m) => m.correlation_id === asked.correlation_id && m.kind !== 'confirmation');
      if (done.kind === 'answer' && done.text.startsWith('Listo')) completed++;
      else tally(`confirmed: ${done.kind} ${done.text.slice(0, 60)}`);
    } catch (error) {
      // The socket dropped (chaos): reconnect, as the chat page does.
      tally(`failed: ${(error as Error).message.slice(0, 60)}`);
      reconnects++;
      received.push(...client.received);
      client.close();
      client = await ChatClient.open('user-ana');
    }
  }
  await new Promise((resolve) => setTimeout(resolve, 3000));
  received.push(...client.received);
  client.close();
  // A push repeated with its message_id is one answer (the client drops the repeat); two final answers to one turn are two.
  const finals = new Map<string, Set<string>>();
  for (const message of received) {
    if (!message.text.match(/^Listo: transferí|saldo suficiente/)) continue;
    finals.set(message.correlation_id, (finals.get(message.correlation_id) ?? new Set()).add(message.message_id ?? `${finals.size}-${Math.random()}`));
  }
  const repeats = received.length - new Set(received.map((m, i) => m.message_id ?? String(i))).size;
  return { turns, completed, reconnects, repeats, others: Object.fromEntries(others), answeredTwice: [...finals].filter(([, ids]) => ids.size > 1).map(([id]) => id) };
}

interface ApprovalOutcome {
  approvalId: string;
  decision: 'approve' | 'decline';
  amount: number;
  /** How many of the two racing decisions were recorded (200); the other is told it was decided already (409). */
  decisionsRecorded: number;
  /** What each agent call that settled said: `completed`, `declined`. */
  told: string[];
}

/**
 * MCP transfers over HTTP, each approved (or, one in four, declined) on the approval page's API by
 * two decisions at once while the agent calls again with the approval id three times at once, then
 * keeps calling, retrying a call that failed (a fault, an outcome it could not learn), until each
 * of its calls has told how it ended.
 */
async function approvalsRacing(count: number, from: TestAccount, to: TestAccount): Promise<{ outcomes: ApprovalOutcome[]; retries: number }> {
  let client: Client = await connectHttp(from.user_id);
  let retries = 0;
  const outcomes: ApprovalOutcome[] = [];
  /** One agent call, until it tells an outcome; undefined while the customer has not decided. */
  const settled = async (args: Record<string, unknown>): Promise<string | undefined> => {
    for (let attempt = 0; attempt < 20; attempt++) {
      try {
        const result = await call(client, 'transfer_funds', args);
        const status = (result.structuredContent as { status?: string } | undefined)?.status;
        if (status === 'approval_pending') return undefined;
        if (!result.isError) return 'completed';
        if (status === 'declined') return 'declined';
        const code = (result._meta as { code?: string } | undefined)?.code;
        if (code !== 'TOOL.UNAVAILABLE' && code !== 'TOOL.OUTCOME_UNKNOWN') return `refused ${String(code)}`;
      } catch {
        client = await connectHttp(from.user_id).catch(() => client);
      }
      retries++;
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    return 'gave up';
  };
  for (let i = 0; i < count; i++) {
    const decision = i % 4 === 3 ? 'decline' : 'approve';
    const args = { to_account_id: to.account_id, from_account_id: from.account_id, amount: 100 + i };
    let asked: ApprovalAnswer | undefined;
    for (let attempt = 0; !asked && attempt < 20; attempt++) {
      const result = await call(client, 'transfer_funds', args).catch(() => undefined);
      const answer = result?.structuredContent as ApprovalAnswer | undefined;
      if (answer?.status === 'approval_required' || answer?.status === 'approval_pending') asked = answer;
      else retries++;
    }
    if (!asked) throw new Error(`transfer ${i} got no approval to give the customer`);
    const withId = { ...args, approval_id: asked.approval_id };
    const [first, second, ...calls] = await Promise.all([decide(from.user_id, asked.approval_id, decision), decide(from.user_id, asked.approval_id, decision), settled(withId), settled(withId), settled(withId)]);
    const told: string[] = [];
    for (const said of calls) told.push(said ?? ((await settled(withId)) as string));
    outcomes.push({ approvalId: asked.approval_id, decision, amount: args.amount, decisionsRecorded: [first, second].filter((d) => d.status === 200).length, told });
  }
  await client.close().catch(() => undefined);
  return { outcomes, retries };
}
