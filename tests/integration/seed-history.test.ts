/**
 * The seeded customers' history as the local stack loaded it (seed/history.ts through seed/load.ts):
 * it is in the ledger as generated, it adds up to the seeded balances, seeding again writes nothing,
 * and the doors answer with it ("¿qué gasté la semana pasada?", a long history paged by cursor).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { GetCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { formatMoney } from '@centli/pure/money';
import { BANK_TIME_ZONE } from '@centli/pure/locale';
import { periodBounds } from '@centli/tools/intent/periods';
import type { Account } from '../../services/core-banking/src/domain/account';
import type { LedgerEntryItem } from '../../services/core-banking/src/domain/transfer';
import type { SeedHistory } from '../../seed/history';
import { HISTORY_ANCHOR, loadSeed, seededHistory, seedHistory } from '../../seed/load';
import { ChatClient } from './chat/support';
import { answerTo, closeClients, documents, dumpTable, putRequests, runId, table, type BusEvent } from './support';

const accounts = JSON.parse(readFileSync(join(__dirname, '../../seed/data/accounts.json'), 'utf8')) as Account[];
const run = runId();
let history: SeedHistory;
let startDay: string;
let chat: ChatClient | undefined;

afterAll(() => {
  chat?.close();
  closeClients();
});

beforeAll(async () => {
  const anchor = await documents().send(new GetCommand({ TableName: table('ledger-controls'), Key: { pk: HISTORY_ANCHOR }, ConsistentRead: true }));
  expect(anchor.Item).toMatchObject({ status: 'complete', start_day: expect.stringMatching(/^\d{4}-\d{2}-\d{2}$/) });
  startDay = anchor.Item?.start_day as string;
  history = seededHistory(startDay);
});

/** Every ledger entry of an account, read strongly consistent. */
async function entriesOf(accountId: string): Promise<LedgerEntryItem[]> {
  const rows: LedgerEntryItem[] = [];
  let start: Record<string, unknown> | undefined;
  do {
    const page = await documents().send(new QueryCommand({ TableName: table('transactions'), KeyConditionExpression: 'account_id = :a', ExpressionAttributeValues: { ':a': accountId }, ExclusiveStartKey: start, ConsistentRead: true }));
    rows.push(...((page.Items ?? []) as LedgerEntryItem[]));
    start = page.LastEvaluatedKey;
  } while (start);
  return rows;
}

describe('the seeded history in the local stack', () => {
  it('is in the ledger entry for entry, and each account’s entries take its opening balance to its seeded balance', async () => {
    const generated = history.movements.flatMap((m) => [...m.entries]);
    expect(generated.length).toBeGreaterThan(1000);
    for (const account of accounts) {
      const mine = generated.filter((e) => e.account_id === account.account_id);
      const ids = new Set(mine.map((e) => e.transaction_id));
      const stored = (await entriesOf(account.account_id)).filter((e) => ids.has(e.transaction_id));
      const sort = (list: LedgerEntryItem[]) => [...list].sort((a, b) => (a.sk < b.sk ? -1 : 1));
      expect(sort(stored)).toEqual(sort(mine));
      const net = stored.reduce((sum, e) => sum + (e.direction === 'credit' ? e.amount : -e.amount), 0);
      expect({ account: account.account_id, ended: (history.openings.get(account.account_id) as number) + net }).toEqual({ account: account.account_id, ended: account.balance });
    }
  });

  it('writes nothing and changes no balance when the seed runs again', async () => {
    // Prepare
    const before = { accounts: await dumpTable('accounts'), transactions: await dumpTable('transactions') };

    // Act
    const again = await seedHistory(documents(), 'local', new Date(Date.now() + 9 * 86_400_000));
    await loadSeed({ stage: 'local', documentClient: documents() });

    // Assess: the anchor keeps the first day, so a seed on a later day finds the history complete
    expect(again).toEqual({ items: 0, skipped: history.movements.length });
    expect(await dumpTable('transactions')).toBe(before.transactions);
    expect(await dumpTable('accounts')).toBe(before.accounts);
  });

  it('answers “¿qué gasté la semana pasada?” in the chat with the seeded movements', async () => {
    // Prepare: what Luis did last week, as seeded
    const { from, to } = periodBounds('last_week', new Date(), BANK_TIME_ZONE);
    const week = history.movements
      .flatMap((m) => [...m.entries])
      .filter((e) => e.user_id === 'user-luis' && e.timestamp >= from && e.timestamp <= to)
      .sort((a, b) => (a.sk < b.sk ? 1 : -1));
    expect(week.length).toBeGreaterThan(0);
    chat = await ChatClient.open('user-luis');

    // Act
    const answer = await chat.ask('¿qué gasté la semana pasada?');

    // Assess: the newest of them is on the first page, named as the statement names it
    expect(answer.kind).toBe('answer');
    expect(answer.text.split('\n')[0]).toBe('Tus movimientos:');
    const newest = week[0] as LedgerEntryItem;
    const sign = newest.direction === 'debit' ? '−' : '+';
    expect(answer.text).toContain(`${sign}${formatMoney(newest.amount, newest.currency)} ${newest.direction === 'debit' ? 'a' : 'de'} «${newest.counterparty_name}»`);
    expect(answer.text).toMatch(/\nGastado: \$[\d,]+\.\d\d MXN/);
    expect(answer.text).not.toContain('No encontré movimientos');
  });

  it('pages through a long seeded history by cursor, newest first, each entry once', async () => {
    // Prepare
    const account = 'acc-luis-nomina-1532';
    const seeded = history.movements.flatMap((m) => [...m.entries]).filter((e) => e.account_id === account);
    expect(seeded.length).toBeGreaterThan(60);

    // Act
    const seen: BusEvent['detail'][] = [];
    let cursor: string | undefined;
    let pages = 0;
    do {
      const correlation = `corr-${run}-page${pages}`;
      await putRequests([{ detailType: 'TRANSACTIONS_QUERY', detail: { request_id: `req-${run}-page${pages}`, correlation_id: correlation, user_id: 'user-luis', account_id: account, limit: 25, ...(cursor ? { cursor } : {}) } }]);
      const page = await answerTo(correlation, ['TRANSACTIONS_RESPONSE', 'TRANSACTIONS_FAILED']);
      expect(page['detail-type']).toBe('TRANSACTIONS_RESPONSE');
      seen.push(...(page.detail.transactions as BusEvent['detail'][]));
      cursor = page.detail.next_cursor as string | undefined;
      pages++;
    } while (cursor && pages < 50);

    // Assess
    const ids = seen.map((t) => t.transaction_id as string);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids).toEqual(expect.arrayContaining(seeded.map((e) => e.transaction_id)));
    const times = seen.map((t) => t.timestamp as string);
    expect(times).toEqual([...times].sort().reverse());
    expect(pages).toBeGreaterThanOrEqual(Math.ceil(seeded.length / 25));
  });
});
