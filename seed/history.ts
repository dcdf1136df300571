/**
 * The seeded customers' history: about three months of movements ending the day before the seed
 * runs (the "start day"), so that "¿qué gasté la semana pasada?" always has an answer. Pure and
 * deterministic: the same accounts, beneficiaries, cards and start day give the same entries, byte
 * for byte (a seeded PRNG keyed by the customer), which is what makes loading it idempotent.
 *
 * Every movement is written the way Core Banking's ledger writes it, with its functions:
 * - payroll arrives by SPEI (`planSpeiCredit`, as receive-spei credits a payment): from the
 *   employer, on the 15th and the last day of the month (the Friday before when it falls on a
 *   weekend), debited from the SPEI clearing account, with its clave de rastreo and its record;
 * - card purchases at Mexican merchants and MSI instalments move to the bank's card clearing account
 *   (`acc-tarjetas-liquidacion-0002`, `acc-tarjetas-dolares-0003` for dollars), the merchant named as
 *   the card network names it;
 * - bill payments and transfers to a CLABE beneficiary are SPEI orders out: a debit to the SPEI
 *   clearing account with the payee's name, bank and clave de rastreo;
 * - transfers to a Centli beneficiary or between the customer's own accounts are two-sided internal
 *   transfers (`ledgerEntries`, `transactionIdFor`).
 *
 * Balances: the seeded balance (seed/data/accounts.json) is the balance *after* the history. Each
 * account's opening balance is computed backwards, so that opening + credits − debits = seeded
 * balance, and no customer account is ever below zero along the way: a purchase the balance cannot
 * pay is declined (not written), and what the simulated spending leaves over the seeded balance is
 * spent on the last day (a cash withdrawal and a small purchase). The bank's clearing accounts have
 * no floor, as in the ledger. Every movement is double entry, so the openings add up to the same
 * total as the seeded balances: the history moves money between accounts and creates none.
 */
import { createHash } from 'node:crypto';
import { addDays, calendarDate, isoDate, startOfDay, weekday, type CalendarDate } from '@centli/pure/calendar';
import { clabeParts } from '@centli/pure/clabe';
import { BANK_TIME_ZONE } from '@centli/pure/locale';
import type { Account } from '../services/core-banking/src/domain/account';
import { planSpeiCredit, type SpeiInRecord } from '../services/core-banking/src/domain/spei-in';
import { ledgerEntries, transactionIdFor, type LedgerEntryItem, type LedgerSide } from '../services/core-banking/src/domain/transfer';
import { mulberry32 } from '../local/random';

/** How many days of history, ending the day before the start day. */
export const HISTORY_DAYS = 91;
/** The bank's SPEI clearing account (core-banking's SPEI_CLEARING_ACCOUNT). */
export const SPEI_CLEARING: LedgerSide = { user_id: 'bank-spei', account_id: 'acc-spei-liquidacion-0001' };
/** Where card purchases settle, by currency: the card network's clearing accounts. */
export const CARD_CLEARING: Readonly<Record<string, LedgerSide>> = {
  MXN: { user_id: 'bank-cards', account_id: 'acc-tarjetas-liquidacion-0002' },
  USD: { user_id: 'bank-cards', account_id: 'acc-tarjetas-dolares-0003' },
};

export interface SeedBeneficiary {
  user_id: string;
  beneficiary_id: string;
  name?: string;
  alias?: string;
  account_id?: string;
  clabe?: string;
}

export interface SeedCard {
  card_id: string;
  account_id: string;
  user_id: string;
  last_four: string;
  type: string;
  status: string;
}

/** One movement: its two ledger entries and, for a payment received by SPEI, its record (as receive-spei keeps it). */
export interface SeedMovement {
  entries: readonly [LedgerEntryItem, LedgerEntryItem];
  record?: SpeiInRecord;
}

export interface SeedHistory {
  /** YYYY-MM-DD in Mexico City: the history ends the day before. */
  startDay: string;
  movements: SeedMovement[];
  /** Each account's balance before its first movement, by account id. */
  openings: Map<string, number>;
}

// ---------------------------------------------------------------------------------------------
// Who the customers are, as their statements tell it

interface Merchant {
  name: string;
  /** Amount range, in minor units. */
  min: number;
  max: number;
  /** Relative frequency. */
  weight: number;
}

const MERCHANTS: readonly Merchant[] = [
  { name: 'OXXO', min: 2_500, max: 24_000, weight: 10 },
  { name: 'Soriana', min: 35_000, max: 240_000, weight: 4 },
  { name: 'Walmart', min: 40_000, max: 290_000, weight: 4 },
  { name: 'Liverpool', min: 60_000, max: 420_000, weight: 1 },
  { name: 'Uber', min: 6_500, max: 32_000, weight: 7 },
  { name: 'Rappi', min: 14_000, max: 62_000, weight: 5 },
  { name: 'Cinépolis', min: 17_000, max: 52_000, weight: 2 },
  { name: 'Gasolinera Pemex', min: 50_000, max: 110_000, weight: 3 },
  { name: 'Farmacias Guadalajara', min: 8_000, max: 85_000, weight: 3 },
  { name: 'Starbucks', min: 6_800, max: 17_500, weight: 4 },
  { name: 'Chedraui', min: 30_000, max: 180_000, weight: 2 },
  { name: 'Sanborns', min: 22_000, max: 90_000, weight: 1 },
  { name: 'Mercado Libre', min: 19_900, max: 150_000, weight: 2 },
];

const DOLLAR_MERCHANTS: readonly Merchant[] = [
  { name: 'Amazon.com', min: 1_299, max: 8_900, weight: 3 },
  { name: 'Spotify USA', min: 1_199, max: 1_199, weight: 1 },
  { name: 'Apple.com', min: 299, max: 2_999, weight: 2 },
  { name: 'Airbnb', min: 6_000, max: 14_000, weight: 1 },
];

/** A bill paid every `everyMonths` months on `day`, by SPEI to the biller. */
interface Bill {
  biller: string;
  bank: string;
  concepto: string;
  day: number;
  everyMonths: 1 | 2;
  min: number;
  max: number;
}

const BILLS: Readonly<Record<string, Bill>> = {
  cfe: { biller: 'CFE Suministrador de Servicios Basicos', bank: 'BANORTE', concepto: 'Pago CFE', day: 12, everyMonths: 2, min: 38_000, max: 92_000 },
  telmex: { biller: 'Telefonos de Mexico SAB de CV', bank: 'BBVA MEXICO', concepto: 'Pago Telmex Infinitum', day: 8, everyMonths: 1, min: 58_900, max: 58_900 },
  izzi: { biller: 'Izzi Telecom', bank: 'SANTANDER', concepto: 'Pago Izzi', day: 9, everyMonths: 1, min: 64_900, max: 64_900 },
  agua: { biller: 'Sistema de Aguas de la Ciudad de Mexico', bank: 'BANAMEX', concepto: 'Pago agua bimestral', day: 20, everyMonths: 2, min: 21_000, max: 46_000 },
  telcel: { biller: 'Radiomovil Dipsa SA de CV', bank: 'BANAMEX', concepto: 'Pago Telcel', day: 3, everyMonths: 1, min: 34_900, max: 49_900 },
  telcelRecarga: { biller: 'Radiomovil Dipsa SA de CV', bank: 'BANAMEX', concepto: 'Recarga Telcel', day: 3, everyMonths: 1, min: 10_000, max: 20_000 },
};

/** A regular transfer to a beneficiary (by alias) or to one of the customer's own accounts. */
interface Regular {
  /** The beneficiary's `beneficiary_id`, or an own account id. */
  to: string;
  concepto: string;
  amount: number;
  /** Days of the month it goes on, or every week on a weekday (0 = Sunday). */
  days?: readonly number[];
  weekly?: number;
}

/** Instalments of a purchase with meses sin intereses on a credit card: one a month on `day`. */
interface MsiPlan {
  merchant: string;
  what: string;
  total: number;
  months: number;
  /** The instalment that falls in the first month of the history (1 = the plan started then). */
  firstInstalment: number;
  day: number;
}

interface Profile {
  /** The account payroll and spending use; its row in seed/data/accounts.json names the customer. */
  account: string;
  employer: { name: string; bank: string; concepto: string; amount: number };
  /** Card purchases a day, on average (weekends half as many more). */
  purchasesPerDay: number;
  bills: readonly (keyof typeof BILLS)[];
  regular: readonly Regular[];
  msi?: MsiPlan;
  /** A dollar account with card purchases of its own. */
  dollars?: { account: string; purchasesPerWeek: number; start: number };
  /** The balance the simulation starts from (before it is fixed so the history ends at the seeded one). */
  start: number;
}

const PROFILES: readonly Profile[] = [
  {
    account: 'acc-ana-nomina-4821',
    employer: { name: 'Servicios Corporativos Aztlan SA de CV', bank: 'BBVA MEXICO', concepto: 'Nomina quincenal', amount: 3_850_000 },
    purchasesPerDay: 1.6,
    bills: ['cfe', 'telmex', 'agua', 'telcel'],
    regular: [
      { to: 'ben_ana_casero', concepto: 'Renta', amount: 1_450_000, days: [1] },
      { to: 'ben_ana_mama', concepto: 'Para tus gastos mama', amount: 300_000, days: [2] },
      { to: 'ben_ana_ninera', concepto: 'Pago semana', amount: 180_000, weekly: 5 },
      { to: 'ben_ana_hermano', concepto: 'Mi parte del regalo', amount: 150_000, days: [22] },
      { to: 'acc-ana-ahorro-7305', concepto: 'Ahorro del mes', amount: 500_000, days: [16] },
    ],
    msi: { merchant: 'Liverpool', what: 'Pantalla 55 pulgadas', total: 1_498_800, months: 12, firstInstalment: 4, day: 5 },
    start: 2_000_000,
  },
  {
    account: 'acc-luis-nomina-1532',
    employer: { name: 'Comercializadora del Bajio SA de CV', bank: 'BANORTE', concepto: 'Nomina', amount: 720_000 },
    purchasesPerDay: 1.4,
    bills: ['telcelRecarga'],
    regular: [],
    start: 150_000,
  },
  {
    account: 'acc-sofia-nomina-6047',
    employer: { name: 'Consultoria Digital Mixteca SC', bank: 'SANTANDER', concepto: 'Pago de nomina', amount: 2_100_000 },
    purchasesPerDay: 1.3,
    bills: ['cfe', 'izzi', 'telcel'],
    regular: [
      { to: 'ben_sofia_hermano', concepto: 'Para la colegiatura', amount: 100_000, days: [16, 28] },
      { to: 'ben_sofia_ana', concepto: 'Cena de cumple', amount: 65_000, days: [11] },
    ],
    msi: { merchant: 'Liverpool', what: 'Lavadora', total: 1_289_400, months: 6, firstInstalment: 2, day: 7 },
    dollars: { account: 'acc-sofia-dolares-8816', purchasesPerWeek: 1.5, start: 120_000 },
    start: 500_000,
  },
  {
    account: 'acc-carlos-nomina-3954',
    employer: { name: 'Constructora Piramide SA de CV', bank: 'BANAMEX', concepto: 'Nomina', amount: 1_680_000 },
    purchasesPerDay: 1.2,
    bills: ['cfe', 'izzi', 'telcel'],
    regular: [{ to: 'ben_carlos_hermana', concepto: 'Te regreso lo de la comida', amount: 80_000, days: [25] }],
    start: 800_000,
  },
  {
    account: 'acc-mateo-nomina-5178',
    employer: { name: 'Operadora de Cafeterias del Centro SA de CV', bank: 'BANCOPPEL', concepto: 'Nomina quincena', amount: 950_000 },
    purchasesPerDay: 1.1,
    bills: ['telcel'],
    regular: [],
    msi: { merchant: 'Coppel', what: 'Celular', total: 449_100, months: 9, firstInstalment: 1, day: 10 },
    start: 200_000,
  },
];

/** Bank names by CLABE bank code, for the beneficiaries' CLABEs (Banxico's catalogue). */
const BANKS: Readonly<Record<string, string>> = {
  '002': 'BANAMEX',
  '012': 'BBVA MEXICO',
  '014': 'SANTANDER',
  '021': 'HSBC',
  '032': 'IXE',
  '036': 'INBURSA',
  '044': 'SCOTIABANK',
  '072': 'BANORTE',
  '127': 'AZTECA',
  '137': 'BANCOPPEL',
};

// ---------------------------------------------------------------------------------------------
// Generating

/** mulberry32 (local/random.ts), seeded by the customer's key. */
const keyedRandom = (key: string) => mulberry32(createHash('sha256').update(`centli-seed-history\u0000${key}`).digest().readUInt32BE(0));

interface Draw {
  (): number;
  int(min: number, max: number): number;
  pick<T extends { weight: number }>(items: readonly T[]): T;
}

function draw(key: string): Draw {
  const next = keyedRandom(key);
  const d = (() => next()) as Draw;
  d.int = (min, max) => min + Math.floor(next() * (max - min + 1));
  d.pick = (items) => {
    let r = next() * items.reduce((sum, item) => sum + item.weight, 0);
    for (const item of items) {
      r -= item.weight;
      if (r < 0) return item;
    }
    return items[items.length - 1] as (typeof items)[number];
  };
  return d;
}

/** A movement planned before balances are known. */
interface Planned {
  at: string;
  kind: 'payroll' | 'card' | 'msi' | 'bill' | 'spei-out' | 'internal' | 'cash';
  from: LedgerSide;
  to: LedgerSide;
  amount: number;
  currency: string;
  /** A debit the customer's balance must cover; declined (not written) when it does not. */
  discretionary: boolean;
  build: (at: string, amount: number) => SeedMovement;
}

const compact = (date: CalendarDate) => isoDate(date).replace(/-/g, '');
const lastDayOfMonth = (date: CalendarDate) => new Date(Date.UTC(date.year, date.month, 0)).getUTCDate();

/** The instant of a wall-clock time on a day in Mexico City. */
function wallTime(date: CalendarDate, hour: number, minute: number, second: number): string {
  return new Date(startOfDay(date, BANK_TIME_ZONE) + ((hour * 60 + minute) * 60 + second) * 1000).toISOString();
}

/** Payday: the 15th and the month's last day, or the Friday before when it is a weekend. */
function isPayday(date: CalendarDate): boolean {
  const paydays = [15, lastDayOfMonth(date)].map((day) => {
    const payday = { ...date, day };
    const wd = weekday(payday);
    return wd === 6 ? addDays(payday, -1) : wd === 0 ? addDays(payday, -2) : payday;
  });
  return paydays.some((payday) => isoDate(payday) === isoDate(date));
}

/**
 * The history of every seeded customer, ending the day before `startDay` (YYYY-MM-DD, Mexico City),
 * and each account's opening balance. `accounts` are the seeded rows (their balances are the ones
 * the history ends at).
 */
export function generateHistory(startDay: string, accounts: readonly Account[], beneficiaries: readonly SeedBeneficiary[], cards: readonly SeedCard[]): SeedHistory {
  const [year, month, day] = startDay.split('-').map(Number) as [number, number, number];
  const start: CalendarDate = { year, month, day };
  const byId = new Map(accounts.map((a) => [a.account_id, a]));
  const planned: Planned[] = [];

  for (const profile of PROFILES) {
    const account = byId.get(profile.account);
    if (!account || account.status !== 'active') continue;
    const own: LedgerSide = { user_id: account.user_id, account_id: profile.account };
    const d = draw(own.user_id);
    const usable = cards.filter((c) => c.user_id === own.user_id && c.account_id === profile.account && c.status === 'active');
    const debit = usable.find((c) => c.type === 'debit') ?? usable[0];
    const credit = usable.find((c) => c.type === 'credit');
    let sequence = 0;
    const requestId = (date: CalendarDate) => `seed-${profile.account.slice(-4)}-${compact(date)}-${String(++sequence).padStart(3, '0')}`;

    for (let offset = HISTORY_DAYS; offset >= 1; offset--) {
      const date = addDays(start, -offset);
      const wd = weekday(date);
      const monthsBack = (start.year - date.year) * 12 + (start.month - date.month);
      const time = (fromHour: number, toHour: number) => wallTime(date, d.int(fromHour, toHour - 1), d.int(0, 59), d.int(0, 59));

      if (isPayday(date)) {
        const clave = `${profile.employer.bank.replace(/[^A-Z]/g, '').slice(0, 6)}${compact(date)}${String(d.int(10_000_000, 99_999_999))}`;
        const payment = { clabe: account.clabe ?? '', amount: profile.employer.amount, sender_name: profile.employer.name, sender_bank: profile.employer.bank, concepto: `${profile.employer.concepto} ${compact(date)}`, clave_rastreo: clave };
        planned.push({
          at: time(9, 11),
          kind: 'payroll',
          from: SPEI_CLEARING,
          to: own,
          amount: payment.amount,
          currency: 'MXN',
          discretionary: false,
          build: (at) => {
            const plan = planSpeiCredit(payment, own, SPEI_CLEARING, new Date(at));
            return { entries: plan.entries, record: plan.record };
          },
        });
      }

      for (const name of profile.bills) {
        const bill = BILLS[name] as Bill;
        if (date.day !== bill.day || monthsBack % bill.everyMonths !== 0) continue;
        const reference = d.int(100_000, 999_999);
        planned.push(speiOut(own, requestId(date), time(9, 19), d.int(bill.min / 100, bill.max / 100) * 100, { name: bill.biller, bank: bill.bank, concepto: `${bill.concepto} ref ${reference}` }, date, d, 'bill'));
      }

      for (const regular of profile.regular) {
        const due = regular.weekly === undefined ? (regular.days ?? []).includes(date.day) : regular.weekly === wd;
        if (!due) continue;
        const at = time(9, 19);
        const target = byId.get(regular.to);
        if (target) {
          planned.push(internal(own, { user_id: target.user_id, account_id: target.account_id }, requestId(date), at, regular.amount, account.currency, regular.concepto));
          continue;
        }
        const beneficiary = beneficiaries.find((b) => b.user_id === own.user_id && b.beneficiary_id === regular.to);
        if (beneficiary?.account_id) {
          const destination = byId.get(beneficiary.account_id);
          if (destination) planned.push(internal(own, { user_id: destination.user_id, account_id: destination.account_id }, requestId(date), at, regular.amount, account.currency, regular.concepto));
        } else if (beneficiary?.clabe && beneficiary.name) {
          const bank = BANKS[clabeParts(beneficiary.clabe).bank] ?? 'SPEI';
          planned.push(speiOut(own, requestId(date), at, regular.amount, { name: beneficiary.name, bank, concepto: regular.concepto }, date, d, 'spei-out'));
        }
      }

      if (profile.msi && credit && date.day === profile.msi.day) {
        const plan = profile.msi;
        const instalment = plan.firstInstalment + monthsSinceFirst(start, date);
        if (instalment >= 1 && instalment <= plan.months) {
          const base = Math.floor(plan.total / plan.months);
          const amount = instalment === plan.months ? plan.total - base * (plan.months - 1) : base;
          planned.push(
            cardMovement(own, requestId(date), time(9, 12), amount, 'MXN', plan.merchant, `${plan.what} mensualidad ${instalment} de ${plan.months} MSI tarjeta ${credit.last_four}`, 'msi', true),
          );
        }
      }

      if (debit ?? credit) {
        const card = (debit ?? credit) as SeedCard;
        const count = purchasesOn(d, profile.purchasesPerDay * (wd === 0 || wd === 6 ? 1.5 : 1));
        for (let i = 0; i < count; i++) {
          const merchant = d.pick(MERCHANTS);
          const amount = d.int(merchant.min, merchant.max);
          // A purchase now and then goes on the credit card, when there is one.
          const used = credit && d() < 0.25 ? credit : card;
          planned.push(cardMovement(own, requestId(date), time(8, 20), amount, 'MXN', merchant.name, `Compra tarjeta ${used.last_four}`, 'card', true));
        }
      }

      if (profile.dollars) {
        const dollarAccount = byId.get(profile.dollars.account);
        const dollarCard = cards.find((c) => c.account_id === profile.dollars?.account && c.status === 'active');
        if (dollarAccount?.status === 'active' && dollarCard) {
          const dollarSide: LedgerSide = { user_id: own.user_id, account_id: dollarAccount.account_id };
          for (let i = purchasesOn(d, profile.dollars.purchasesPerWeek / 7); i > 0; i--) {
            const merchant = d.pick(DOLLAR_MERCHANTS);
            planned.push(cardMovement(dollarSide, requestId(date), time(8, 20), d.int(merchant.min, merchant.max), dollarAccount.currency, merchant.name, `Compra tarjeta ${dollarCard.last_four}`, 'card', true));
          }
        }
      }
    }
  }

  return settle(startDay, start, planned, byId);
}

/** Whole months from the history's first month to `date`'s. */
function monthsSinceFirst(start: CalendarDate, date: CalendarDate): number {
  const first = addDays(start, -HISTORY_DAYS);
  return (date.year - first.year) * 12 + (date.month - first.month);
}

/** How many purchases on a day: a Poisson draw with the given mean. */
function purchasesOn(d: Draw, mean: number): number {
  const limit = Math.exp(-mean);
  let count = 0;
  for (let p = d(); p > limit; p *= d()) count++;
  return count;
}

function cardMovement(own: LedgerSide, requestId: string, at: string, amount: number, currency: string, merchant: string, description: string, kind: 'card' | 'msi' | 'cash', discretionary: boolean): Planned {
  const clearing = CARD_CLEARING[currency] as LedgerSide;
  return {
    at,
    kind,
    from: own,
    to: clearing,
    amount,
    currency,
    discretionary,
    build: (when, paid) => {
      const [debit, credit] = ledgerEntries(transactionIdFor({ user_id: own.user_id, request_id: requestId }), { request_id: requestId, amount: paid, currency, description }, when, own, clearing);
      // The merchant as the card network names it on the statement.
      return { entries: [{ ...debit, counterparty_name: merchant }, { ...credit, counterparty_name: merchant }] };
    },
  };
}

function internal(from: LedgerSide, to: LedgerSide, requestId: string, at: string, amount: number, currency: string, description: string): Planned {
  return {
    at,
    kind: 'internal',
    from,
    to,
    amount,
    currency,
    discretionary: true,
    build: (when, paid) => ({ entries: ledgerEntries(transactionIdFor({ user_id: from.user_id, request_id: requestId }), { request_id: requestId, amount: paid, currency, description }, when, from, to) }),
  };
}

function speiOut(own: LedgerSide, requestId: string, at: string, amount: number, payee: { name: string; bank: string; concepto: string }, date: CalendarDate, d: Draw, kind: 'bill' | 'spei-out'): Planned {
  const clave = `CNTL${compact(date)}${String(d.int(10_000_000, 99_999_999))}`;
  return {
    at,
    kind,
    from: own,
    to: SPEI_CLEARING,
    amount,
    currency: 'MXN',
    discretionary: true,
    build: (when, paid) => {
      const [debit, credit] = ledgerEntries(transactionIdFor({ user_id: own.user_id, request_id: requestId }), { request_id: requestId, amount: paid, currency: 'MXN', description: payee.concepto }, when, own, SPEI_CLEARING);
      const party = { counterparty_name: payee.name, counterparty_bank: payee.bank, clave_rastreo: clave };
      return { entries: [{ ...debit, ...party }, { ...credit, ...party }] };
    },
  };
}

/** The bank's own accounts (clearing, settlement) have no floor; a customer's never goes below zero. */
const floored = (account: Account | undefined) => account !== undefined && account.user_id.startsWith('user-');

/**
 * Runs the planned movements in time order from provisional balances (declining a debit the
 * balance cannot cover), then fixes each account's opening so the history ends at its seeded
 * balance: raised when the simulation ends below it; lowered (never below the lowest point it
 * reached) when above, and what is still over is spent on the last day.
 */
function settle(startDay: string, start: CalendarDate, planned: Planned[], byId: Map<string, Account>): SeedHistory {
  planned.sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : 0));
  const provisional = new Map<string, number>();
  for (const profile of PROFILES) {
    provisional.set(profile.account, profile.start);
    if (profile.dollars) provisional.set(profile.dollars.account, profile.dollars.start);
  }
  const balance = new Map<string, number>(provisional);
  const lowest = new Map<string, number>(provisional);
  const kept: Planned[] = [];
  const move = (p: Planned) => {
    balance.set(p.from.account_id, (balance.get(p.from.account_id) ?? 0) - p.amount);
    balance.set(p.to.account_id, (balance.get(p.to.account_id) ?? 0) + p.amount);
    for (const id of [p.from.account_id, p.to.account_id]) lowest.set(id, Math.min(lowest.get(id) ?? 0, balance.get(id) ?? 0));
    kept.push(p);
  };
  for (const p of planned) {
    if (p.discretionary && floored(byId.get(p.from.account_id)) && (balance.get(p.from.account_id) ?? 0) < p.amount) continue;
    move(p);
  }

  // The last day: what is over the seeded balance goes as cash and a small purchase, after everything else.
  const lastDay = addDays(start, -1);
  const openings = new Map<string, number>();
  for (const [accountId, account] of byId) {
    const ended = balance.get(accountId) ?? 0;
    const opening = provisional.get(accountId) ?? 0;
    if (!floored(account) || ended <= account.balance) {
      openings.set(accountId, opening + account.balance - ended);
      continue;
    }
    const over = ended - account.balance;
    const cut = Math.min(over, lowest.get(accountId) ?? 0);
    openings.set(accountId, opening - cut);
    const rest = over - cut;
    const own: LedgerSide = { user_id: account.user_id, account_id: accountId };
    const cash = account.currency === 'MXN' ? Math.floor(rest / 10_000) * 10_000 : 0;
    const tail = `seed-${accountId.slice(-4)}-${compact(lastDay)}`;
    if (cash > 0) move(cardMovement(own, `${tail}-cash`, wallTime(lastDay, 20, 5, 0), cash, account.currency, 'Cajero automatico RED', 'Retiro de efectivo', 'cash', false));
    if (rest - cash > 0) {
      const merchant = account.currency === 'MXN' ? 'OXXO' : 'Amazon.com';
      move(cardMovement(own, `${tail}-last`, wallTime(lastDay, 20, 40, 0), rest - cash, account.currency, merchant, 'Compra', 'card', false));
    }
  }

  const movements = kept.map((p) => p.build(p.at, p.amount));
  return { startDay, movements, openings };
}

/** The start day of a history seeded at `now`: today in Mexico City. */
export function startDayOf(now: Date): string {
  return isoDate(calendarDate(now, BANK_TIME_ZONE));
}
