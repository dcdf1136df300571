/**
 * What a tool call needs before it can act, as a pure, resumable plan: given the tool, its
 * arguments and the answers gathered so far, `planTool` says the next step:
 * - `query`: ask a service something first (who "mi hermano" is, which account is the main one,
 *   which cards the customer has), keyed so the answer can be handed back;
 * - `ask`: the customer must choose ("¿A cuál Juan?") or say more; each choice is the same tool
 *   call with arguments patched;
 * - `refuse`: it cannot be done, and why (dollars to another bank's CLABE, no such product);
 * - `confirm`: what will happen, in the customer's words, and the request that will make it
 *   happen, which only an explicit confirmation may send;
 * - `send`: the request to make now.
 * The MCP server runs a plan synchronously (it invokes the services' functions and loops); the
 * chat runs the same plan across bus events, keeping the answers in its conversation table. So
 * the rules of a tool are written once, here, and both front doors apply them alike.
 *
 * Requests carry no identifiers: the front door adds request_id, correlation_id and the
 * authenticated customer's user_id.
 */
import { bankName } from '@centli/pure/banks';
import { quoted } from '@centli/pure/quoted';
import { needsStepUp } from '@centli/pure/step-up';
import { isFailureType, type RequestType } from '@centli/schemas';
import { parseAmount } from './amount';
import { toolSpec, type ToolName } from './registry';
import { describeCard, describeDestination, refusal, say, texts, type Locale } from './text';

/** A request event without its identifiers. */
export interface ToolRequest {
  detailType: string;
  detail: Record<string, unknown>;
}

/** An answer event as a service published (or returned) it. */
export interface ToolAnswer {
  detailType: string;
  detail: Record<string, unknown>;
}

export interface Choice {
  /** What the customer sees on the button. */
  label: string;
  /** The same tool call's arguments with the choice applied. */
  args: Record<string, unknown>;
}

export interface Refusal {
  /** A stable code (`TOOL.BENEFICIARY_NOT_FOUND`). */
  code: string;
  text: string;
}

export type Step =
  | { kind: 'query'; key: string; request: ToolRequest }
  | { kind: 'ask'; code: string; text: string; choices: Choice[] }
  | { kind: 'refuse'; refusal: Refusal }
  /** `stepUp`: the operation is above the customer's MTU, so only the approval page, with a second factor, can approve it. */
  | { kind: 'confirm'; summary: string; request: ToolRequest; stepUp?: boolean }
  /** `lowersRisk`: the request only lowers what can go wrong (a lower MTU), so it goes out without the customer's yes. */
  | { kind: 'send'; request: ToolRequest; lowersRisk?: true };

export interface PlanContext {
  locale: Locale;
  /** Answers gathered so far, by the key of the query that asked. */
  answers: Readonly<Record<string, ToolAnswer>>;
  /** The door's clock: since when an account paid by its number is a new payee. */
  now: Date;
}

type Args = Record<string, unknown>;

/**
 * The queries plans make before they act, by the key each answer is kept under, and the one a
 * door follows a started purchase with. A front door may put (or invoke) exactly these besides
 * its tools' requests: the IAM grants and the local stack's permissions are generated from
 * `queriesMade`, so a plan that starts asking something new is granted it everywhere at once.
 */
export const QUERIES = {
  accounts: 'BALANCE_QUERY',
  beneficiary: 'ALIAS_RESOLUTION_REQUEST',
  holder: 'ACCOUNT_HOLDER_QUERY',
  cards: 'CARDS_QUERY',
  catalog: 'CATALOG_QUERY',
  benefits: 'BENEFITS_QUERY',
  purchaseStatus: 'PURCHASE_STATUS_QUERY',
  /** The one a door follows a started SPEI transfer with (until it is sent, or comes back). */
  transferStatus: 'TRANSFER_STATUS_QUERY',
  /**
   * Not a question but a request whose answer the plan needs before it goes on: a lost or
   * stolen card is locked before its replacement is asked (`planReplacement`). It is lock_card's
   * own request, so it grants a door nothing new.
   */
  cardLock: 'CARD_LOCK_REQUEST',
} as const satisfies Record<string, RequestType>;

/**
 * The one query that changes something (a lost card's lock): a door that loses its answer cannot
 * say nothing was done, and says `CARD.LOCK_UNCONFIRMED` instead.
 */
export function queryLocks(detailType: string): boolean {
  return detailType === QUERIES.cardLock;
}

/**
 * Requests a plan makes besides its tool's own (the registry's `request`): transfer_funds pays a
 * beneficiary at another bank by SPEI. Granted to the doors like the queries.
 */
export const PLANNED_REQUESTS = {
  speiTransfer: 'SPEI_TRANSFER_REQUEST',
} as const satisfies Record<string, RequestType>;

/** Every detail-type the plans and the doors' follow-ups query, and the requests plans make besides their tools' own. */
export const queriesMade: readonly RequestType[] = [...new Set([...Object.values(QUERIES), ...Object.values(PLANNED_REQUESTS)])].sort();

/**
 * The next step of a tool call (see the module description). A tool the registry says needs the
 * customer's yes never goes straight out: its plan ends in a confirmation, always.
 */
export function planTool(name: ToolName, args: Args, context: PlanContext): Step {
  const planner = PLANNERS[name];
  const next: Step = planner ? planner(args, context) : { kind: 'send', request: { detailType: toolSpec(name).request, detail: withoutApproval(args) } };
  if (next.kind === 'send' && toolSpec(name).confirmation && !(name === 'set_mtu' && next.lowersRisk)) throw new Error(`the plan of ${name} would send without the customer's yes`);
  return next;
}

const PLANNERS: Partial<Record<ToolName, (args: Args, context: PlanContext) => Step>> = {
  transfer_funds: planTransfer,
  get_transfer_status: planTransferStatus,
  purchase_product: planPurchase,
  add_beneficiary: planBeneficiary,
  lock_card: planLock,
  unlock_card: planUnlock,
  request_new_card: planReplacement,
  set_mtu: planSetMtu,
};

/** A failure answer (`*_FAILED`, `*_REJECTED`) to a query: the plan cannot go on, and says why in the customer's language. */
function failed(answer: ToolAnswer | undefined, locale: Locale): Refusal | undefined {
  if (!answer || !isFailureType(answer.detailType)) return undefined;
  return { code: String(answer.detail.reason ?? 'TOOL.FAILED'), text: refusal(answer.detail, { locale }) };
}

function withoutApproval(args: Args): Args {
  const { approval_id: _approval, ...rest } = args;
  return rest;
}

interface AccountRow {
  account_id: string;
  name?: string;
  type?: string;
  status: string;
  balance: number;
  currency: string;
  formatted_balance: string;
}

const ACCOUNTS: ToolRequest = { detailType: QUERIES.accounts, detail: {} };

/** The customer's MTU as the accounts' answer (BALANCE_RESPONSE) tells it, in centavos; none when it does not. */
export function mtuFrom(accounts: ToolAnswer | undefined): number | undefined {
  const mtu = accounts?.detail.mtu as { amount?: unknown } | undefined;
  return typeof mtu?.amount === 'number' ? mtu.amount : undefined;
}

/**
 * Whether moving `amount` needs the second factor: above the customer's MTU (which the accounts'
 * answer tells), or in a currency other than the MTU's pesos, which Core Banking cannot compare
 * and so always holds to the factor.
 */
export function stepUpFor(amount: number, currency: string, accounts: ToolAnswer | undefined): boolean {
  return currency !== 'MXN' || needsStepUp(amount, mtuFrom(accounts));
}

const stepUpField = (stepUp: boolean) => (stepUp ? { stepUp: true } : {});

/**
 * The customer's account to pay from: the one named, if it is one of theirs, else their first
 * active checking account in the currency. (Core Banking refuses an account that is not the
 * customer's anyway; saying so before a confirmation is shown spares the customer a summary
 * that names someone else's account as theirs.)
 */
function sourceAccount(accounts: readonly AccountRow[], named: unknown, currency: string, locale: Locale): AccountRow | Refusal {
  if (typeof named === 'string') {
    return accounts.find((a) => a.account_id === named) ?? { code: 'TRANSFER.ACCOUNT_NOT_FOUND', text: say('TRANSFER.ACCOUNT_NOT_FOUND', {}, locale) };
  }
  const usable = accounts.filter((a) => a.status === 'active' && a.currency === currency && a.type !== 'settlement');
  return usable.find((a) => a.type === 'checking') ?? usable[0] ?? { code: 'TOOL.NO_SOURCE_ACCOUNT', text: say('TOOL.NO_SOURCE_ACCOUNT', { currency }, locale) };
}

function planTransfer(args: Args, { locale, answers, now }: PlanContext): Step {
  const t = texts(locale);
  const named = typeof args.currency === 'string' ? args.currency : undefined;
  const parsed = typeof args.amount === 'number' ? { amount: args.amount, currency: named ?? 'MXN' } : typeof args.amount_text === 'string' ? parseAmount(args.amount_text, { defaultCurrency: named ?? 'MXN' }) : undefined;
  // "100 dólares" with currency MXN: the words and the argument disagree; never pick one silently.
  if (parsed && named && parsed.currency !== named) return { kind: 'refuse', refusal: { code: 'TOOL.AMOUNT_UNCLEAR', text: say('TOOL.AMOUNT_UNCLEAR', { said: String(args.amount_text ?? args.amount) }, locale) } };
  if (!parsed) {
    return typeof args.amount_text === 'string'
      ? { kind: 'refuse', refusal: { code: 'TOOL.AMOUNT_UNCLEAR', text: say('TOOL.AMOUNT_UNCLEAR', { said: args.amount_text }, locale) } }
      : { kind: 'ask', code: 'TOOL.AMOUNT_REQUIRED', text: say('TOOL.AMOUNT_REQUIRED', {}, locale), choices: [] };
  }
  const currency = typeof args.currency === 'string' ? args.currency : parsed.currency;

  // Since when the payee is new (core banking holds a new payee's first hours to the new-payee limit).
  let destination: { account_id: string; label: string; new_payee_since?: string };
  if (typeof args.to_account_id === 'string') {
    // An account given by its number: whose it is, as Core Banking has it (Confirmation of Payee), and new unless it is the customer's own.
    const holder = answers.holder;
    if (!holder) return { kind: 'query', key: 'holder', request: holderQuery(args.to_account_id) };
    const holderFailure = failed(holder, locale);
    if (holderFailure) return { kind: 'refuse', refusal: holderFailure };
    const { own, holder_name } = holder.detail as unknown as HolderAnswer;
    destination = own
      ? { account_id: args.to_account_id, label: t.ownAccountLabel(args.to_account_id) }
      : { account_id: args.to_account_id, label: t.holderLabel(holder_name, args.to_account_id), new_payee_since: now.toISOString() };
  } else if (typeof args.beneficiary === 'string') {
    const resolved = resolveBeneficiary(args.beneficiary, withoutApproval(args), { locale, answers });
    if ('step' in resolved) return resolved.step;
    const { beneficiary } = resolved;
    if (!beneficiary.account_id) {
      if (!beneficiary.clabe) return { kind: 'refuse', refusal: { code: 'TOOL.BENEFICIARY_NOT_FOUND', text: say('TOOL.BENEFICIARY_NOT_FOUND', { said: args.beneficiary }, locale) } };
      return planSpei(args, { amount: parsed.amount, currency }, beneficiary as Beneficiary & { clabe: string }, { locale, answers, now });
    }
    destination = { account_id: beneficiary.account_id, label: describeDestination(beneficiary, locale), ...(beneficiary.added_at ? { new_payee_since: beneficiary.added_at } : {}) };
  } else {
    return { kind: 'ask', code: 'TOOL.DESTINATION_REQUIRED', text: say('TOOL.DESTINATION_REQUIRED', {}, locale), choices: [] };
  }

  const accounts = answers.accounts;
  if (!accounts) return { kind: 'query', key: 'accounts', request: ACCOUNTS };
  const accountsFailure = failed(accounts, locale);
  if (accountsFailure) return { kind: 'refuse', refusal: accountsFailure };
  const source = sourceAccount((accounts.detail.accounts ?? []) as AccountRow[], args.from_account_id, currency, locale);
  if ('code' in source) return { kind: 'refuse', refusal: source };

  const detail: Args = { from_account_id: source.account_id, to_account_id: destination.account_id, amount: parsed.amount, currency };
  if (typeof args.description === 'string') detail.description = args.description;
  if (destination.new_payee_since) detail.new_payee_since = destination.new_payee_since;
  return {
    kind: 'confirm',
    summary: t.confirmTransfer(parsed.amount, currency, destination.label, source, detail.description as string | undefined),
    request: { detailType: 'TRANSFER_REQUEST', detail },
    ...stepUpField(stepUpFor(parsed.amount, currency, accounts)),
  };
}

/**
 * A beneficiary at another bank (a CLABE, no Centli account): paid by SPEI, with the same
 * confirmation, approval, MTU step-up and refusals as a transfer. SPEI moves pesos only, so any
 * other currency is refused before anything is asked.
 */
function planSpei(args: Args, money: { amount: number; currency: string }, beneficiary: Beneficiary & { clabe: string }, { locale, answers }: PlanContext): Step {
  const bank = bankName(beneficiary.clabe);
  if (money.currency !== 'MXN') {
    return { kind: 'refuse', refusal: { code: 'TOOL.SPEI_PESOS_ONLY', text: say('TOOL.SPEI_PESOS_ONLY', { beneficiary: nameOf(beneficiary), bank, currency: money.currency }, locale) } };
  }
  const accounts = answers.accounts;
  if (!accounts) return { kind: 'query', key: 'accounts', request: ACCOUNTS };
  const accountsFailure = failed(accounts, locale);
  if (accountsFailure) return { kind: 'refuse', refusal: accountsFailure };
  const source = sourceAccount((accounts.detail.accounts ?? []) as AccountRow[], args.from_account_id, 'MXN', locale);
  if ('code' in source) return { kind: 'refuse', refusal: source };
  const detail: Args = { from_account_id: source.account_id, to_clabe: beneficiary.clabe, beneficiary_name: beneficiary.name.slice(0, 40), amount: money.amount, currency: 'MXN' };
  if (typeof args.description === 'string') detail.description = args.description;
  if (beneficiary.added_at) detail.new_payee_since = beneficiary.added_at;
  return {
    kind: 'confirm',
    summary: texts(locale).confirmSpei(money.amount, beneficiary, bank, source, detail.description as string | undefined),
    request: { detailType: PLANNED_REQUESTS.speiTransfer, detail },
    ...stepUpField(stepUpFor(money.amount, 'MXN', accounts)),
  };
}

/**
 * Where a SPEI transfer stands: by its id or clave de rastreo, as given; by the beneficiary it
 * went to ("¿ya llegó mi transferencia a mi mamá?"), resolved to their CLABE first; or, with
 * nothing named, the customer's latest. A Centli beneficiary is paid at once, so there is no
 * SPEI transfer of theirs to look for, and the customer is told so.
 */
function planTransferStatus(args: Args, { locale, answers }: PlanContext): Step {
  const request = (detail: Args): Step => ({ kind: 'send', request: { detailType: toolSpec('get_transfer_status').request, detail } });
  if (typeof args.transfer_id === 'string') return request({ transfer_id: args.transfer_id });
  if (typeof args.clave_rastreo === 'string') return request({ clave_rastreo: args.clave_rastreo });
  if (typeof args.beneficiary !== 'string') return request({});
  const resolved = resolveBeneficiary(args.beneficiary, {}, { locale, answers });
  if ('step' in resolved) return resolved.step;
  const { clabe } = resolved.beneficiary;
  if (!clabe) return { kind: 'refuse', refusal: { code: 'TOOL.NOT_A_SPEI_PAYEE', text: say('TOOL.NOT_A_SPEI_PAYEE', { beneficiary: nameOf(resolved.beneficiary) }, locale) } };
  return request({ to_clabe: clabe });
}

/**
 * The beneficiary the customer named by alias (`said`), as CRM resolves it: the query that asks
 * first, then the one it names, or the step that stops the plan: which one (ambiguous; each choice
 * is the call's `choiceArgs` with that alias), not found (with CRM's suggestions), or CRM's failure.
 */
function resolveBeneficiary(said: string, choiceArgs: Args, { locale, answers }: Pick<PlanContext, 'locale' | 'answers'>): { beneficiary: Beneficiary } | { step: Step } {
  const resolution = answers.beneficiary;
  if (!resolution) return { step: { kind: 'query', key: 'beneficiary', request: { detailType: QUERIES.beneficiary, detail: { alias: said } } } };
  const failure = failed(resolution, locale);
  if (failure) return { step: { kind: 'refuse', refusal: failure } };
  const detail = resolution.detail as { status: string; beneficiary?: Beneficiary; candidates?: Beneficiary[] };
  if (detail.status === 'ambiguous') {
    return {
      step: {
        kind: 'ask',
        code: 'TOOL.BENEFICIARY_AMBIGUOUS',
        text: say('TOOL.BENEFICIARY_AMBIGUOUS', { said, candidates: (detail.candidates ?? []).map(nameOf) }, locale),
        choices: (detail.candidates ?? []).map((c) => ({ label: `${c.name} (${c.alias})`, args: { ...choiceArgs, beneficiary: c.alias } })),
      },
    };
  }
  if (detail.status !== 'resolved' || !detail.beneficiary) {
    return { step: { kind: 'refuse', refusal: { code: 'TOOL.BENEFICIARY_NOT_FOUND', text: say('TOOL.BENEFICIARY_NOT_FOUND', { said, suggestions: (detail.candidates ?? []).map(nameOf) }, locale) } } };
  }
  return { beneficiary: detail.beneficiary };
}

interface Beneficiary {
  beneficiary_id: string;
  name: string;
  alias: string;
  account_id?: string;
  clabe?: string;
  added_at?: string;
}

/** Core Banking's answer to whose an account is. */
interface HolderAnswer {
  own: boolean;
  holder_name?: string;
}

const holderQuery = (accountId: string): ToolRequest => ({ detailType: QUERIES.holder, detail: { account_id: accountId } });

/** Two spellings of one name: the same but for case, accents and spacing. */
const sameName = (a: string, b: string): boolean => {
  const plain = (name: string) => name.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase().replace(/\s+/g, ' ').trim();
  return plain(a) === plain(b);
};

/**
 * Saving a payee (Confirmation of Payee): a Centli account is shown, and saved, under its holder's
 * registered name, whatever name was given, and the summary says so when they differ; another
 * bank's account (a CLABE) cannot be checked, and the summary says that too.
 */
function planBeneficiary(args: Args, { locale, answers }: PlanContext): Step {
  const t = texts(locale);
  const given = String(args.name);
  const alias = String(args.alias);
  const detail: Args = { name: given, alias };
  if (typeof args.clabe === 'string') {
    if (typeof args.account_id === 'string') return { kind: 'refuse', refusal: { code: 'BENEFICIARY.INVALID_DESTINATION', text: say('BENEFICIARY.INVALID_DESTINATION', { given: 'both' }, locale) } };
    return { kind: 'confirm', summary: t.confirmClabePayee(given, alias, args.clabe), request: { detailType: 'BENEFICIARY_ADD_REQUEST', detail: { ...detail, clabe: args.clabe } } };
  }
  if (typeof args.account_id !== 'string') return { kind: 'refuse', refusal: { code: 'BENEFICIARY.INVALID_DESTINATION', text: say('BENEFICIARY.INVALID_DESTINATION', { given: 'none' }, locale) } };
  const holder = answers.holder;
  if (!holder) return { kind: 'query', key: 'holder', request: holderQuery(args.account_id) };
  const failure = failed(holder, locale);
  if (failure) return { kind: 'refuse', refusal: failure };
  const registered = (holder.detail as unknown as HolderAnswer).holder_name;
  return {
    kind: 'confirm',
    summary: t.confirmPayee(registered, given, alias, args.account_id, registered !== undefined && !sameName(registered, given)),
    request: { detailType: 'BENEFICIARY_ADD_REQUEST', detail: { ...detail, name: registered ?? given, account_id: args.account_id } },
  };
}

/** "Carlos García (hermano)": how a beneficiary is named in a question. */
const nameOf = (b: Pick<Beneficiary, 'name' | 'alias'>) => `${b.name} (${b.alias})`;

interface CatalogRow {
  product_id: string;
  retailer_id: string;
  retailer_name?: string;
  name: string;
  price: number;
  currency: string;
  formatted_price: string;
  in_stock: boolean;
}

interface Offer {
  retailer_id: string;
  retailer_name: string;
  product_name: string;
  total: number;
  currency: string;
  formatted_total: string;
  in_stock: boolean;
  installments: Array<{ months: number; monthly_amount: number; formatted_monthly_amount: string }>;
}

/**
 * How many pages of the catalog a purchase looks through for the product the customer named
 * before it gives up: the search reads a bounded part of the catalog per request, and the MCP
 * server runs at most eight steps per call (four pages, the benefits, the accounts, the
 * confirmation).
 */
export const CATALOG_PAGES = 4;

/** The key of the n-th catalog page (0-based) among a plan's answers: `catalog`, `catalog-2`, … */
const catalogKey = (n: number) => (n === 0 ? 'catalog' : `catalog-${n + 1}`);

/** The catalog pages a plan has read so far, in order. */
function catalogPages(answers: PlanContext['answers']): ToolAnswer[] {
  const pages: ToolAnswer[] = [];
  for (let n = 0; n < CATALOG_PAGES; n++) {
    const page = answers[catalogKey(n)];
    if (!page) break;
    pages.push(page);
  }
  return pages;
}

function planPurchase(args: Args, { locale, answers }: PlanContext): Step {
  const t = texts(locale);
  let productId = typeof args.product_id === 'string' ? args.product_id : undefined;
  if (!productId) {
    if (typeof args.product !== 'string') return { kind: 'ask', code: 'TOOL.PRODUCT_REQUIRED', text: say('TOOL.PRODUCT_REQUIRED', {}, locale), choices: [] };
    const pages = catalogPages(answers);
    const catalog = pages.at(-1);
    if (!catalog) return { kind: 'query', key: 'catalog', request: { detailType: QUERIES.catalog, detail: { text: args.product, limit: 10 } } };
    const failure = failed(catalog, locale);
    if (failure) return { kind: 'refuse', refusal: failure };
    const rows = (catalog.detail.products ?? []) as CatalogRow[];
    // One request reads a bounded part of the catalog: a page can come back empty before the search is done.
    const cursor = catalog.detail.next_cursor;
    if (rows.length === 0 && typeof cursor === 'string') {
      if (pages.length < CATALOG_PAGES) {
        return { kind: 'query', key: catalogKey(pages.length), request: { detailType: QUERIES.catalog, detail: { text: args.product, limit: 10, cursor } } };
      }
      return { kind: 'refuse', refusal: { code: 'TOOL.PRODUCT_NOT_FOUND', text: say('TOOL.PRODUCT_NOT_FOUND', { words: args.product, partly: true }, locale) } };
    }
    // One choice per product, at its lowest price (the catalog lists each retailer's offer).
    const products = [...rows.reduce((cheapest, row) => (cheapest.has(row.product_id) && (cheapest.get(row.product_id) as CatalogRow).price <= row.price ? cheapest : cheapest.set(row.product_id, row)), new Map<string, CatalogRow>()).values()];
    if (products.length === 0) return { kind: 'refuse', refusal: { code: 'TOOL.PRODUCT_NOT_FOUND', text: say('TOOL.PRODUCT_NOT_FOUND', { words: args.product }, locale) } };
    if (products.length > 1) {
      const { product: _words, ...rest } = withoutApproval(args);
      return {
        kind: 'ask',
        code: 'TOOL.PRODUCT_AMBIGUOUS',
        text: say('TOOL.PRODUCT_AMBIGUOUS', { words: args.product }, locale),
        choices: products.slice(0, 5).map((p) => ({ label: `${quoted(p.name)} · ${t.from} ${p.formatted_price}`, args: { ...rest, product_id: p.product_id } })),
      };
    }
    productId = (products[0] as CatalogRow).product_id;
  }
  const quantity = typeof args.quantity === 'number' ? args.quantity : 1;
  const benefits = answers.benefits;
  if (!benefits) {
    return { kind: 'query', key: 'benefits', request: { detailType: QUERIES.benefits, detail: { product_id: productId, quantity, ...(typeof args.retailer_id === 'string' ? { retailer_id: args.retailer_id } : {}) } } };
  }
  const benefitsFailure = failed(benefits, locale);
  if (benefitsFailure) return { kind: 'refuse', refusal: benefitsFailure };
  const offers = ((benefits.detail.offers ?? []) as Offer[]).filter((o) => typeof args.retailer_id !== 'string' || o.retailer_id === args.retailer_id);
  const months = typeof args.installments === 'number' ? args.installments : undefined;
  const inStock = offers.filter((o) => o.in_stock).sort((a, b) => a.total - b.total);
  // The cheapest offer, or the cheapest that offers the interest-free months asked for.
  const offer = inStock.find((o) => months === undefined || o.installments.some((p) => p.months === months)) ?? inStock[0];
  if (!offer) return { kind: 'refuse', refusal: { code: 'PURCHASE.OUT_OF_STOCK', text: say('PURCHASE.OUT_OF_STOCK', { product: offers[0]?.product_name ?? productId }, locale) } };
  const plan = months === undefined ? undefined : offer.installments.find((p) => p.months === months);
  if (months !== undefined && !plan) {
    const { product: _words, installments: _months, ...base }: Args = { ...withoutApproval(args), product_id: productId, retailer_id: offer.retailer_id };
    return {
      kind: 'ask',
      code: 'PURCHASE.INSTALLMENTS_NOT_AVAILABLE',
      text: say(
        'PURCHASE.INSTALLMENTS_NOT_AVAILABLE',
        { retailer: offer.retailer_name, product: offer.product_name, total: { amount: offer.total, currency: offer.currency }, months, offered: offer.installments.map((p) => String(p.months)) },
        locale,
      ),
      choices: [...offer.installments.map((p) => ({ label: t.monthsLabel(p.months, p.formatted_monthly_amount), args: { ...base, installments: p.months } })), { label: t.payAtOnce, args: base }],
    };
  }
  const accounts = answers.accounts;
  if (!accounts) return { kind: 'query', key: 'accounts', request: ACCOUNTS };
  const accountsFailure = failed(accounts, locale);
  if (accountsFailure) return { kind: 'refuse', refusal: accountsFailure };
  const source = sourceAccount((accounts.detail.accounts ?? []) as AccountRow[], args.account_id, offer.currency, locale);
  if ('code' in source) return { kind: 'refuse', refusal: source };
  // The quote the summary shows goes in the request: the reservation refuses to charge anything else.
  const detail: Args = { product_id: productId, retailer_id: offer.retailer_id, quantity, account_id: source.account_id, total: offer.total, currency: offer.currency };
  if (plan) Object.assign(detail, { installments: plan.months, monthly_amount: plan.monthly_amount });
  return { kind: 'confirm', summary: t.confirmPurchase(offer, quantity, plan, source), request: { detailType: 'PURCHASE_REQUEST', detail }, ...stepUpField(stepUpFor(offer.total, offer.currency, accounts)) };
}

export interface CardRow {
  card_id: string;
  account_id: string;
  last_four: string;
  brand: string;
  type: string;
  status: string;
  expiry: string;
  name?: string;
  replacement_id?: string;
}

const CARDS: ToolRequest = { detailType: QUERIES.cards, detail: {} };

/** Which card a call means: the one named, the only candidate, or a question. */
function chooseCard(args: Args, context: PlanContext, candidates: (cards: CardRow[]) => CardRow[], operation: 'lock' | 'unlock' | 'replace'): { card: CardRow } | { step: Step } {
  const cards = context.answers.cards;
  if (!cards) return { step: { kind: 'query', key: 'cards', request: CARDS } };
  const failure = failed(cards, context.locale);
  if (failure) return { step: { kind: 'refuse', refusal: failure } };
  const all = (cards.detail.cards ?? []) as CardRow[];
  if (typeof args.card_id === 'string' || typeof args.last_four === 'string') {
    const named = all.filter((c) => c.card_id === args.card_id || c.last_four === args.last_four);
    const card = named.length === 1 ? named[0] : undefined;
    return card ? { card } : { step: { kind: 'refuse', refusal: { code: 'CARD.NOT_FOUND', text: say('CARD.NOT_FOUND', typeof args.last_four === 'string' ? { last_four: args.last_four } : {}, context.locale) } } };
  }
  const options = candidates(all);
  if (options.length === 1) return { card: options[0] as CardRow };
  if (options.length === 0) return { step: { kind: 'refuse', refusal: { code: 'TOOL.NO_CARD', text: say('TOOL.NO_CARD', { operation }, context.locale) } } };
  return {
    step: {
      kind: 'ask',
      code: 'TOOL.CARD_AMBIGUOUS',
      text: say('TOOL.CARD_AMBIGUOUS', {}, context.locale),
      choices: options.map((c) => ({ label: describeCard(c, context.locale), args: { ...withoutApproval(args), card_id: c.card_id } })),
    },
  };
}

/** Locking protects the customer and is undone at will: it goes out at once. */
function planLock(args: Args, context: PlanContext): Step {
  const request = toolSpec('lock_card').request;
  // A card named outright goes straight to the service, which resolves and authorises it.
  if (typeof args.card_id === 'string' || typeof args.last_four === 'string') return { kind: 'send', request: { detailType: request, detail: withoutApproval(args) } };
  const chosen = chooseCard(args, context, (cards) => cards.filter((c) => c.status === 'active'), 'lock');
  if ('step' in chosen) return chosen.step;
  return { kind: 'send', request: { detailType: request, detail: { card_id: chosen.card.card_id } } };
}

/** Unlocking lets a card be used again (by whoever holds it, if it was lost): the customer says yes to exactly which card. */
function planUnlock(args: Args, context: PlanContext): Step {
  const chosen = chooseCard(args, context, (cards) => cards.filter((c) => c.status === 'locked'), 'unlock');
  if ('step' in chosen) return chosen.step;
  const { card } = chosen;
  if (card.status === 'active') return { kind: 'refuse', refusal: { code: 'CARD.ALREADY_ACTIVE', text: say('CARD.ALREADY_ACTIVE', { last_four: card.last_four }, context.locale) } };
  if (card.status !== 'locked') return { kind: 'refuse', refusal: { code: 'CARD.CLOSED', text: say('CARD.CLOSED', { last_four: card.last_four }, context.locale) } };
  return { kind: 'confirm', summary: texts(context.locale).confirmUnlock(card), request: { detailType: toolSpec('unlock_card').request, detail: { card_id: card.card_id } } };
}

/** The reasons a card may be in someone else's hands: it is locked before anything is asked. */
const LOCK_FIRST: ReadonlySet<string> = new Set(['lost', 'stolen']);

/**
 * Replacing a card cancels it, so the customer says yes to it. A lost or stolen card is locked
 * first, without asking (locking only lowers risk and is undone at will, like `planLock`): a
 * `query` step, so each door sends it and waits for its answer as it does a question's, under
 * the turn's own request id (`<correlation id>-lock`), and a retried turn locks once. A card
 * already locked is not locked again; a lock that fails is told, and nothing more is asked.
 */
function planReplacement(args: Args, context: PlanContext): Step {
  const t = texts(context.locale);
  const chosen = chooseCard(args, context, (cards) => cards.filter((c) => c.status === 'active' || c.status === 'locked'), 'replace');
  if ('step' in chosen) return chosen.step;
  const { card } = chosen;
  const reason = String(args.reason);
  let locked: 'now' | 'already' | undefined;
  if (LOCK_FIRST.has(reason)) {
    if (card.status === 'active') {
      const lock = context.answers.lock;
      if (!lock) return { kind: 'query', key: 'lock', request: { detailType: QUERIES.cardLock, detail: { card_id: card.card_id } } };
      const failure = failed(lock, context.locale);
      if (failure) return { kind: 'refuse', refusal: failure };
      locked = 'now';
    } else {
      locked = 'already';
    }
  }
  const detail: Args = { card_id: card.card_id, reason };
  if (typeof args.delivery_address === 'string') detail.delivery_address = args.delivery_address;
  return {
    kind: 'confirm',
    summary: t.confirmReplacement(card, reason, typeof args.delivery_address === 'string' ? args.delivery_address : undefined, locked),
    request: { detailType: 'CARD_REPLACEMENT_REQUEST', detail },
  };
}

/**
 * Setting the MTU: lowering it (or keeping it) goes out at once, since it only asks for a second
 * factor more often; raising it is confirmed on the approval page with the second factor. Which
 * one it is, the accounts' answer says (it tells the MTU); Core Banking decides it again in the
 * write, against the MTU as it then is.
 */
function planSetMtu(args: Args, { locale, answers }: PlanContext): Step {
  const parsed = typeof args.amount === 'number' ? { amount: args.amount, currency: 'MXN' } : typeof args.amount_text === 'string' ? parseAmount(args.amount_text, { defaultCurrency: 'MXN' }) : undefined;
  if (!parsed || parsed.currency !== 'MXN') {
    return typeof args.amount_text === 'string'
      ? { kind: 'refuse', refusal: { code: 'TOOL.AMOUNT_UNCLEAR', text: say('TOOL.AMOUNT_UNCLEAR', { said: args.amount_text }, locale) } }
      : { kind: 'ask', code: 'TOOL.AMOUNT_REQUIRED', text: say('TOOL.AMOUNT_REQUIRED', {}, locale), choices: [] };
  }
  if (parsed.amount > MAX_MTU) return { kind: 'refuse', refusal: { code: 'REQUEST.INVALID', text: say('REQUEST.INVALID', { field: 'amount', problem: `amount must be <= ${MAX_MTU}` }, locale) } };
  const accounts = answers.accounts;
  if (!accounts) return { kind: 'query', key: 'accounts', request: ACCOUNTS };
  const accountsFailure = failed(accounts, locale);
  if (accountsFailure) return { kind: 'refuse', refusal: accountsFailure };
  const request: ToolRequest = { detailType: toolSpec('set_mtu').request, detail: { amount: parsed.amount } };
  const current = mtuFrom(accounts);
  if (current !== undefined && parsed.amount <= current) return { kind: 'send', request, lowersRisk: true };
  return { kind: 'confirm', summary: texts(locale).confirmRaiseMtu(parsed.amount, current), request, stepUp: true };
}

/** The most a customer may set their MTU to, in centavos (MXN 100,000.00): MTU_SET_REQUEST's bound. */
const MAX_MTU = 10_000_000;
