/** The seeded history (seed/history.ts): it agrees with the seeded balances, never overdraws, and reads like a Mexican bank statement. */
import fc from 'fast-check';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { detailValidator } from '@centli/schemas';
import { addDays, calendarDate, isoDate, startOfDay } from '@centli/pure/calendar';
import { BANK_TIME_ZONE } from '@centli/pure/locale';
import { periodBounds } from '@centli/tools/intent/periods';
import { listTransactions } from '../../../services/core-banking/src/app/transactions';
import type { Account } from '../../../services/core-banking/src/domain/account';
import { speiTransactionId } from '../../../services/core-banking/src/domain/spei-in';
import type { LedgerEntryItem } from '../../../services/core-banking/src/domain/transfer';
import { CARD_CLEARING, HISTORY_DAYS, SPEI_CLEARING, startDayOf, type SeedHistory } from '../../../seed/history';
import { seededHistory, seedTables } from '../../../seed/load';

const accounts = (seedTables().find(({ table }) => table === 'accounts')?.items ?? []) as unknown as Account[];
const customers = (seedTables().find(({ table }) => table === 'customers')?.items ?? []) as unknown as Array<{ user_id: string }>;
const START = '2026-12-07';
const history = seededHistory(START);
const entries = (h: SeedHistory): LedgerEntryItem[] => h.movements.flatMap((m) => [...m.entries]).sort((a, b) => (a.sk < b.sk ? -1 : a.sk > b.sk ? 1 : 0));
const net = (list: readonly LedgerEntryItem[]) => list.reduce((sum, e) => sum + (e.direction === 'credit' ? e.amount : -e.amount), 0);
const dayOf = (text: string) => {
  const [year, month, day] = text.split('-').map(Number) as [number, number, number];
  return { year, month, day };
};

/** Start days from 2025 to 2028, month ends, leap days and year ends included. */
const startDays = fc.date({ min: new Date('2025-01-01T12:00:00Z'), max: new Date('2028-12-31T12:00:00Z'), noInvalidDate: true }).map((d) => startDayOf(d));

describe('the seeded history', () => {
  it('ends every account at its seeded balance, from its opening balance, whatever the start day', () => {
    fc.assert(
      fc.property(startDays, (startDay) => {
        const h = seededHistory(startDay);
        const all = entries(h);
        for (const account of accounts) {
          const own = all.filter((e) => e.account_id === account.account_id);
          expect({ account: account.account_id, ended: (h.openings.get(account.account_id) as number) + net(own) }).toEqual({ account: account.account_id, ended: account.balance });
        }
      }),
      { numRuns: 12 },
    );
  });

  it('never takes a customer’s account below zero, and its openings add up to the seeded total: it moves money, it creates none', () => {
    fc.assert(
      fc.property(startDays, (startDay) => {
        const h = seededHistory(startDay);
        const running = new Map(h.openings);
        for (const e of entries(h)) {
          const after = (running.get(e.account_id) as number) + (e.direction === 'credit' ? e.amount : -e.amount);
          running.set(e.account_id, after);
          if (e.user_id.startsWith('user-')) expect({ at: e.sk, account: e.account_id, negative: after < 0 }).toEqual({ at: e.sk, account: e.account_id, negative: false });
        }
        for (const account of accounts.filter((a) => a.user_id.startsWith('user-'))) expect(h.openings.get(account.account_id)).toBeGreaterThanOrEqual(0);
        const total = (values: Iterable<number>) => [...values].reduce((a, b) => a + b, 0);
        expect(total(h.openings.values())).toBe(total(accounts.map((a) => a.balance)));
      }),
      { numRuns: 12 },
    );
  });

  it('is the same, byte for byte, for the same start day, and moves with the start day', () => {
    expect(JSON.stringify(seededHistory(START).movements)).toBe(JSON.stringify(history.movements));
    expect([...seededHistory(START).openings]).toEqual([...history.openings]);
    const later = seededHistory(isoDate(addDays(dayOf(START), 7)));
    expect(entries(later).at(-1)?.timestamp).not.toBe(entries(history).at(-1)?.timestamp);
  });

  it('writes each movement as the ledger does: two entries of one transaction, a debit and a credit of one amount, in both accounts’ currency', () => {
    const currencyOf = new Map(accounts.map((a) => [a.account_id, a.currency]));
    const ownerOf = new Map(accounts.map((a) => [a.account_id, a.user_id]));
    const ids = new Set<string>();
    for (const { entries: [debit, credit] } of history.movements) {
      expect(debit).toMatchObject({ direction: 'debit', counterparty_account_id: credit.account_id, sk: `${debit.timestamp}#${debit.transaction_id}` });
      expect(credit).toMatchObject({ direction: 'credit', counterparty_account_id: debit.account_id, transaction_id: debit.transaction_id, amount: debit.amount, currency: debit.currency, timestamp: debit.timestamp, sk: debit.sk });
      expect(Number.isSafeInteger(debit.amount) && debit.amount > 0).toBe(true);
      expect([currencyOf.get(debit.account_id), currencyOf.get(credit.account_id)]).toEqual([debit.currency, debit.currency]);
      expect([ownerOf.get(debit.account_id), ownerOf.get(credit.account_id)]).toEqual([debit.user_id, credit.user_id]);
      expect(debit.transaction_id).toMatch(/^txn_[A-Za-z0-9_-]{20,}$/);
      expect(ids.has(debit.transaction_id)).toBe(false);
      ids.add(debit.transaction_id);
    }
    // No frozen or closed account moves.
    const inactive = new Set(accounts.filter((a) => a.status !== 'active').map((a) => a.account_id));
    expect(entries(history).filter((e) => inactive.has(e.account_id))).toEqual([]);
  });

  it('pays each customer by SPEI on the 15th and the month’s last day (or the Friday before), from the clearing account, as receive-spei credits a payment', () => {
    const payroll = history.movements.filter((m) => m.record);
    expect(payroll.length).toBeGreaterThanOrEqual(5 * 5);
    for (const { entries: [debit, credit], record } of payroll) {
      expect(debit).toMatchObject({ account_id: SPEI_CLEARING.account_id, user_id: SPEI_CLEARING.user_id });
      expect(credit.user_id).toMatch(/^user-/);
      expect(credit.clave_rastreo).toMatch(/^[A-Za-z0-9]{1,30}$/);
      expect(credit).toMatchObject({ transaction_id: speiTransactionId(credit.clave_rastreo as string), request_id: `spei-in-${credit.clave_rastreo}`, counterparty_name: expect.stringMatching(/S[AC]/), counterparty_bank: expect.any(String) });
      expect(record).toMatchObject({ pk: `spei-in#${credit.clave_rastreo}`, status: 'credited', answer: { status: 'credited', transaction_id: credit.transaction_id } });
      const local = calendarDate(new Date(credit.timestamp), BANK_TIME_ZONE);
      const last = new Date(Date.UTC(local.year, local.month, 0)).getUTCDate();
      const weekday = new Date(Date.UTC(local.year, local.month - 1, local.day)).getUTCDay();
      const onTheDay = local.day === 15 || local.day === last;
      const fridayBefore = weekday === 5 && ([15, last].some((d) => d - local.day === 1 || d - local.day === 2));
      expect({ day: isoDate(local), payday: onTheDay || fridayBefore }).toEqual({ day: isoDate(local), payday: true });
    }
  });

  it('has card purchases at Mexican merchants, bills, MSI instalments, transfers by SPEI and between Centli accounts', () => {
    const all = entries(history);
    const debits = all.filter((e) => e.user_id.startsWith('user-') && e.direction === 'debit');
    const merchants = new Set(debits.filter((e) => e.counterparty_account_id === CARD_CLEARING.MXN?.account_id).map((e) => e.counterparty_name));
    for (const merchant of ['OXXO', 'Soriana', 'Walmart', 'Uber', 'Rappi', 'Cinépolis', 'Gasolinera Pemex', 'Farmacias Guadalajara']) expect(merchants).toContain(merchant);
    expect(debits.some((e) => /^Pago CFE ref \d+$/.test(e.description ?? '') && e.counterparty_bank)).toBe(true);
    expect(debits.some((e) => /mensualidad \d+ de \d+ MSI tarjeta \d{4}$/.test(e.description ?? ''))).toBe(true);
    // Ana pays her landlord (a CLABE) by SPEI, and her brother (a Centli account) with a two-sided transfer.
    expect(debits.some((e) => e.user_id === 'user-ana' && e.counterparty_name === 'Roberto Sánchez Treviño' && e.counterparty_bank === 'SANTANDER' && e.clave_rastreo && e.counterparty_account_id === SPEI_CLEARING.account_id)).toBe(true);
    const toCarlos = all.filter((e) => e.account_id === 'acc-carlos-nomina-3954' && e.direction === 'credit' && e.counterparty_account_id === 'acc-ana-nomina-4821');
    expect(toCarlos.length).toBeGreaterThan(0);
    // Sofía's dollar account spends dollars, settled in the dollar clearing account.
    expect(all.some((e) => e.account_id === 'acc-sofia-dolares-8816' && e.currency === 'USD' && e.counterparty_account_id === CARD_CLEARING.USD?.account_id)).toBe(true);
    // Every SPEI order out keeps to SPEI's concepto rule.
    const concepto = new RegExp((JSON.parse(readFileSync(join(__dirname, '../../../schemas/common.schema.json'), 'utf8')) as { $defs: { concepto: { pattern: string } } }).$defs.concepto.pattern, 'u');
    for (const e of debits.filter((d) => d.counterparty_account_id === SPEI_CLEARING.account_id)) expect({ concepto: e.description, valid: concepto.test(e.description ?? '') }).toEqual({ concepto: e.description, valid: true });
  });

  it('happens in the three months before the start day, in Mexico City’s business hours', () => {
    const start = startOfDay(dayOf(START), BANK_TIME_ZONE);
    const first = startOfDay(addDays(dayOf(START), -HISTORY_DAYS), BANK_TIME_ZONE);
    for (const e of entries(history)) {
      const at = Date.parse(e.timestamp);
      expect(at >= first && at < start).toBe(true);
      const hour = Number(new Intl.DateTimeFormat('en-US', { timeZone: BANK_TIME_ZONE, hour: 'numeric', hourCycle: 'h23' }).format(new Date(at)));
      expect({ at: e.timestamp, hour, business: hour >= 8 && hour <= 20 }).toEqual({ at: e.timestamp, hour, business: true });
    }
  });

  it('gives every seeded customer movements “la semana pasada”, whatever day of the week the stack starts', () => {
    for (let offset = 0; offset < 7; offset++) {
      const startDay = isoDate(addDays(dayOf(START), offset));
      const now = new Date(startOfDay(dayOf(startDay), BANK_TIME_ZONE) + 15 * 3_600_000);
      const { from, to } = periodBounds('last_week', now, BANK_TIME_ZONE);
      const week = entries(seededHistory(startDay)).filter((e) => e.timestamp >= from && e.timestamp <= to);
      for (const { user_id } of customers) expect({ startDay, user_id, movements: week.some((e) => e.user_id === user_id) }).toEqual({ startDay, user_id, movements: true });
    }
  });

  it('answers a history query with entries its schema accepts', async () => {
    const luis = entries(history).filter((e) => e.account_id === 'acc-luis-nomina-1532').reverse();
    const store = { getAccount: async () => accounts.find((a) => a.account_id === 'acc-luis-nomina-1532'), queryHistory: async () => ({ entries: luis.slice(0, 50) }) };
    const [answer] = [await listTransactions({ request_id: 'r', correlation_id: 'c', user_id: 'user-luis', account_id: 'acc-luis-nomina-1532', limit: 50 }, { store })].flat();
    expect(detailValidator('TRANSACTIONS_RESPONSE')(answer?.detail)).toBeUndefined();
    expect((answer?.detail as { transactions: unknown[] }).transactions).toHaveLength(50);
  });
});
