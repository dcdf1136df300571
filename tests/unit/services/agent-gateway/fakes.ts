/**
 * In-memory stand-ins for every adapter the chat gateway takes through `GatewayDeps`, each
 * keeping the rule of the real one: a turn store whose commit is conditioned on the version read
 * (ContentionError on a stale one) and that keeps what DynamoDB would (undefined fields dropped);
 * a session store that lists a customer's open sessions newest first; a confirmation store that
 * consumes only what lib/tools/confirmation.ts's rule allows and explains the rest with
 * `explainRejection`; sockets that record what they were sent; a publisher that refuses a detail
 * breaking its schema, as the real one does; and the services, answering queries from seed/data.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ContentionError } from '@centli/pure/errors';
import { formatMoney } from '@centli/pure/money';
import type { Publisher } from '@centli/kit/publisher';
import type { OutgoingEvent } from '@centli/pure/events';
import type { Session } from '../../../../services/agent-gateway/src/adapters/session-store';
import type { Delivery, StoredTurn } from '../../../../services/agent-gateway/src/adapters/turn-store';
import type { Effect, ServerMessage, Turn } from '@centli/tools/conversation';
import { parseIntent } from '@centli/tools/intent/intent-parser';
import type { CardRow as ToolCardRow } from '@centli/tools/plan';
import { GATEWAY_SOURCE, handleAnswer, handleMessage, type GatewayDeps } from '../../../../services/agent-gateway/src/app/gateway';
import { FakeApprovalStore, FakeClock, FakeConfirmationStore, NOW, stored, violationOf } from '../../support/fakes';

export { FakeClock, FakeConfirmationStore, NOW, violationOf };

type Detail = Record<string, unknown>;

export const TIME_ZONE = 'America/Mexico_City';

// ---------------------------------------------------------------------------------------------
// Stores

export class FakeSessionStore {
  readonly items = new Map<string, Session & { closed_at?: string }>();

  open(session: Session): void {
    this.items.set(session.connection_id, stored(session));
  }

  async get(connectionId: string): Promise<Session | undefined> {
    const item = this.items.get(connectionId);
    return item && stored(item);
  }

  async close(connectionId: string, now: Date): Promise<void> {
    const item = this.items.get(connectionId);
    if (!item) return;
    item.status = 'closed';
    item.closed_at = now.toISOString();
  }

  async setLocale(connectionId: string, locale: Session['locale']): Promise<void> {
    const item = this.items.get(connectionId);
    if (!item) throw Object.assign(new Error('The conditional request failed'), { name: 'ConditionalCheckFailedException' });
    item.locale = locale;
  }

  readonly revoked = new Map<string, number>();

  /** Open sessions whose token ran out by `now` (the sparse expiry index). */
  async expiredOpen(now: Date): Promise<Session[]> {
    return [...this.items.values()].filter((s) => s.status === 'open' && s.expires_at * 1000 <= now.getTime()).map(stored);
  }

  async revoke(userId: string, now: Date): Promise<void> {
    this.revoked.set(userId, Math.floor(now.getTime() / 1000));
  }

  /** The customer's open sessions, newest first (the user_id index, read backwards). */
  async openSessionsOf(userId: string): Promise<Session[]> {
    return [...this.items.values()]
      .filter((s) => s.user_id === userId && s.status === 'open')
      .sort((a, b) => (a.connected_at < b.connected_at ? 1 : a.connected_at > b.connected_at ? -1 : 0))
      .map(stored);
  }
}

/**
 * Turns and open-turn pointers. `commit` succeeds only against the version that was read (or
 * for a turn that does not exist yet), as the store's conditional put does. `beforeCommit` lets
 * a test slip another writer in between a read and a write.
 */
export class FakeTurnStore {
  readonly items = new Map<string, StoredTurn>();
  readonly open = new Map<string, string>();
  readonly commits: Array<{ eventId: string; version: number }> = [];
  beforeCommit: ((turn: Turn) => Promise<void>) | undefined;
  crashBeforeClear: ((turn: StoredTurn) => boolean) | undefined;

  async get(correlationId: string): Promise<StoredTurn | undefined> {
    const item = this.items.get(correlationId);
    return item && stored(item);
  }

  async commit(turn: Turn, previous: StoredTurn | undefined, eventId: string, effects: Effect[], now: Date): Promise<StoredTurn> {
    const interloper = this.beforeCommit;
    this.beforeCommit = undefined;
    if (interloper) await interloper(turn);
    const current = this.items.get(turn.correlation_id);
    if (previous ? current?.version !== previous.version : current !== undefined) throw new ContentionError(`turn ${turn.correlation_id} moved`);
    const next: StoredTurn = stored({
      ...turn,
      pk: `turn#${turn.correlation_id}`,
      version: (previous?.version ?? 0) + 1,
      handled: [...(previous?.handled ?? []), eventId].slice(-50),
      outbox: effects,
      updated_at: now.toISOString(),
      expires_at: Math.floor(now.getTime() / 1000) + 24 * 3600,
    });
    this.items.set(turn.correlation_id, next);
    this.commits.push({ eventId, version: next.version });
    return stored(next);
  }

  /**
   * Clears the outbox of the version flushed, and records where its confirmation was delivered
   * (the first delivery only), as the store's one conditional update does. `crashBeforeClear`
   * makes the next clear of a turn it accepts throw (a crash after the pushes, before the outbox
   * is cleared).
   */
  async clearOutbox(turn: StoredTurn, delivered?: Delivery): Promise<void> {
    if (this.crashBeforeClear?.(turn)) {
      this.crashBeforeClear = undefined;
      throw new Error('UpdateItem failed: the function crashed');
    }
    const current = this.items.get(turn.correlation_id);
    if (!current || current.version !== turn.version) return;
    current.outbox = [];
    if (delivered) {
      current.confirmation_delivered_to ??= delivered.connectionId;
      current.confirmation_delivered_at ??= delivered.at.toISOString();
    }
  }

  async openTurnOf(userId: string): Promise<string | undefined> {
    return this.open.get(userId);
  }

  async setOpenTurn(userId: string, correlationId: string): Promise<void> {
    this.open.set(userId, correlationId);
  }
}

/**
 * Pending confirmations with the store's rule: `consume` marks used only a pending, unexpired
 * confirmation bound to exactly this customer, tool, arguments and (when given) request, and
 * otherwise throws what `explainRejection` says of the item as it was.
 */
// ---------------------------------------------------------------------------------------------
// Sockets and the bus

export interface Post {
  connectionId: string;
  callbackUrl: string;
  message: ServerMessage;
}

/** Sockets: `gone` ones answer so; `failures` makes the next posts throw (a crash mid-flush). */
export class FakeConnections {
  readonly posts: Post[] = [];
  readonly gone = new Set<string>();
  failures = 0;

  async post(connectionId: string, callbackUrl: string, message: unknown): Promise<'sent' | 'gone'> {
    if (this.failures > 0) {
      this.failures--;
      throw new Error('socket write failed: the function crashed');
    }
    if (this.gone.has(connectionId)) return 'gone';
    this.posts.push({ connectionId, callbackUrl, message: stored(message as ServerMessage) });
    return 'sent';
  }

  to(connectionId: string): ServerMessage[] {
    return this.posts.filter((p) => p.connectionId === connectionId).map((p) => p.message);
  }

  /** Closes the socket, as DeleteConnection does: later posts find it gone. */
  async disconnect(connectionId: string): Promise<void> {
    this.gone.add(connectionId);
  }
}

export interface Published {
  source: string;
  detailType: string;
  detail: Detail;
}

/** Core Banking's answer to Ana's 100-peso transfer to her brother, for the request the gateway published. */
export function transferCompletedFor(request: Published): Detail {
  return {
    request_id: request.detail.request_id,
    correlation_id: request.detail.correlation_id,
    user_id: 'user-ana',
    transaction_id: 'tx-2c9d41f7e0',
    from_account_id: 'acc-ana-nomina-4821',
    to_account_id: 'acc-carlos-nomina-3954',
    amount: 10000,
    currency: 'MXN',
    formatted_amount: '$100.00 MXN',
    completed_at: '2026-11-26T16:00:03.000Z',
  };
}

/** The bus: refuses a detail that breaks its schema (as the kit's publisher does) and records the rest. */
export class FakePublisher implements Publisher {
  readonly events: Published[] = [];
  failures = 0;

  async publish(source: string, events: readonly OutgoingEvent[]): Promise<void> {
    if (this.failures > 0) {
      this.failures--;
      throw new Error('PutEvents failed: the function crashed');
    }
    for (const event of events) {
      const violation = violationOf(event.detailType, event.detail);
      if (violation) throw new Error(`refusing to publish an invalid ${event.detailType}: ${violation.message}`);
    }
    for (const event of events) this.events.push({ source, detailType: event.detailType, detail: stored(event.detail as unknown as Detail) });
  }

  of(detailType: string): Published[] {
    return this.events.filter((e) => e.detailType === detailType);
  }
}

// ---------------------------------------------------------------------------------------------
// The services, from seed/data

const seed = <T>(file: string): T[] => JSON.parse(readFileSync(join(__dirname, '../../../../seed/data', file), 'utf8')) as T[];

interface AccountRow {
  user_id: string;
  account_id: string;
  name: string;
  type: string;
  currency: string;
  balance: number;
  status: string;
}
interface BeneficiaryRow {
  user_id: string;
  beneficiary_id: string;
  name?: string;
  alias?: string;
  alias_lower?: string;
  account_id?: string;
  clabe?: string;
}
/** A card as the cards table keeps it: what the tools read, and its owner and masked number. */
type CardRow = ToolCardRow & { user_id: string; masked_number: string };
interface ProductRow {
  product_id: string;
  retailer_id: string;
  name: string;
  brand: string;
  category: string;
  price: number;
  stock: number;
  currency: string;
  search_text: string;
}
interface RetailerRow {
  retailer_id: string;
  name: string;
}

export const SEED = {
  accounts: seed<AccountRow>('accounts.json'),
  beneficiaries: seed<BeneficiaryRow>('beneficiaries.json').filter((b) => b.name !== undefined),
  cards: seed<CardRow>('cards.json'),
  products: seed<ProductRow>('products.json'),
  retailers: seed<RetailerRow>('retailers.json'),
};

const fold = (text: string): string => text.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase().trim();

/** A customer's accounts as Core Banking's BALANCE_RESPONSE lists them. */
export function accountsOf(userId: string, overrides: Partial<Record<string, number>> = {}): Detail[] {
  return SEED.accounts
    .filter((a) => a.user_id === userId)
    .map((a) => {
      const balance = overrides[a.account_id] ?? a.balance;
      return { account_id: a.account_id, name: a.name, type: a.type, status: a.status, balance, currency: a.currency, formatted_balance: formatMoney(balance, a.currency) };
    });
}

function totalsOf(accounts: Detail[]): Detail[] {
  const sums = new Map<string, number>();
  for (const a of accounts) if (a.status === 'active') sums.set(String(a.currency), (sums.get(String(a.currency)) ?? 0) + Number(a.balance));
  return [...sums].map(([currency, balance]) => ({ currency, balance, formatted_balance: formatMoney(balance, currency) }));
}

const beneficiaryOf = (b: BeneficiaryRow): Detail => ({
  beneficiary_id: b.beneficiary_id,
  name: b.name,
  alias: b.alias,
  ...(b.account_id ? { account_id: b.account_id } : {}),
  ...(b.clabe ? { clabe: b.clabe } : {}),
});

/** The request types the services answer at once (everything but the requests that act; a lock only lowers risk, and a lost card's plan waits for it). */
export const QUERY_TYPES = new Set(['BALANCE_QUERY', 'ALIAS_RESOLUTION_REQUEST', 'ACCOUNT_HOLDER_QUERY', 'CARDS_QUERY', 'CATALOG_QUERY', 'BENEFITS_QUERY', 'TRANSACTIONS_QUERY', 'BENEFICIARIES_QUERY', 'CARD_LOCK_REQUEST']);

/**
 * What a service answers to one query, for the customer the query names, from the seed. Every
 * answer echoes the query's ids and is checked against its schema.
 */
export function serviceAnswer(detailType: string, detail: Detail): { detailType: string; detail: Detail } {
  const ids = { request_id: detail.request_id, correlation_id: detail.correlation_id, user_id: detail.user_id };
  const userId = String(detail.user_id);
  const answer = (type: string, body: Detail) => {
    const full = { ...ids, ...body };
    const violation = violationOf(type, full);
    if (violation) throw new Error(`the fake's ${type} does not match its schema: ${violation.message}`);
    return { detailType: type, detail: full };
  };
  const notYours = (type: string, code: string) => answer(type, { reason: code, message: 'That account is not one of your accounts.', field: 'account_id' });
  switch (detailType) {
    case 'ACCOUNT_HOLDER_QUERY': {
      const account = SEED.accounts.find((a) => a.account_id === detail.account_id) as (AccountRow & { holder_name?: string }) | undefined;
      if (!account) return answer('ACCOUNT_HOLDER_FAILED', { reason: 'PAYEE.ACCOUNT_NOT_FOUND', message: 'There is no Centli account with that number.', field: 'account_id' });
      return answer('ACCOUNT_HOLDER_RESPONSE', { account_id: account.account_id, own: account.user_id === userId, ...(account.holder_name ? { holder_name: account.holder_name } : {}) });
    }
    case 'BALANCE_QUERY': {
      const accounts = accountsOf(userId).filter((a) => detail.account_id === undefined || a.account_id === detail.account_id);
      if (detail.account_id !== undefined && accounts.length === 0) return notYours('BALANCE_FAILED', 'BALANCE.ACCOUNT_NOT_FOUND');
      return answer('BALANCE_RESPONSE', { accounts, totals: totalsOf(accounts), mtu: DEFAULT_MTU });
    }
    case 'TRANSACTIONS_QUERY': {
      if (detail.account_id !== undefined && !accountsOf(userId).some((a) => a.account_id === detail.account_id)) return notYours('TRANSACTIONS_FAILED', 'TRANSACTIONS.ACCOUNT_NOT_FOUND');
      return answer('TRANSACTIONS_RESPONSE', { transactions: [] });
    }
    case 'ALIAS_RESOLUTION_REQUEST': {
      const said = fold(String(detail.alias)).replace(/^(?:a |to )?(?:mi |my |el |la |al )?/, '');
      const mine = SEED.beneficiaries.filter((b) => b.user_id === userId);
      const matches = mine.filter((b) => fold(b.alias ?? '').replace(/^(?:el |la |mi )/, '') === said || fold(b.name ?? '').split(' ').includes(said));
      if (matches.length === 1) return answer('ALIAS_RESOLUTION_RESPONSE', { alias: detail.alias, status: 'resolved', beneficiary: beneficiaryOf(matches[0] as BeneficiaryRow) });
      if (matches.length > 1) return answer('ALIAS_RESOLUTION_RESPONSE', { alias: detail.alias, status: 'ambiguous', candidates: matches.slice(0, 5).map(beneficiaryOf) });
      return answer('ALIAS_RESOLUTION_RESPONSE', { alias: detail.alias, status: 'not_found', candidates: [] });
    }
    case 'BENEFICIARIES_QUERY':
      return answer('BENEFICIARIES_RESPONSE', { beneficiaries: SEED.beneficiaries.filter((b) => b.user_id === userId).map(beneficiaryOf) });
    case 'CARDS_QUERY': {
      const cards = SEED.cards
        .filter((c) => c.user_id === userId && (detail.include_closed === true || c.status === 'active' || c.status === 'locked'))
        .map(({ user_id: _user, ...card }) => {
          const { updated_at: _at, replaced_by: _by, ...rest } = card as CardRow & { updated_at?: string; replaced_by?: string };
          return rest;
        });
      return answer('CARDS_RESPONSE', { cards });
    }
    case 'CARD_LOCK_REQUEST': {
      const card = SEED.cards.find((c) => c.user_id === userId && c.card_id === detail.card_id);
      if (!card) return answer('CARD_OPERATION_FAILED', { reason: 'CARD.NOT_FOUND', message: 'That card is not one of your cards.', field: 'card_id' });
      const { user_id: _user, updated_at: _at, replaced_by: _by, ...rest } = card as CardRow & { updated_at?: string; replaced_by?: string };
      return answer('CARD_LOCKED', { card: { ...rest, status: 'locked' }, changed: card.status !== 'locked', at: new Date(0).toISOString() });
    }
    case 'CATALOG_QUERY': {
      const words = fold(String(detail.text ?? '')).split(/\s+/).filter(Boolean);
      const products = SEED.products
        .filter((p) => words.every((w) => p.search_text.includes(w)) && (detail.category === undefined || p.category === detail.category))
        .slice(0, Number(detail.limit ?? 10))
        .map((p) => ({
          product_id: p.product_id,
          retailer_id: p.retailer_id,
          retailer_name: SEED.retailers.find((r) => r.retailer_id === p.retailer_id)?.name ?? p.retailer_id,
          name: p.name,
          brand: p.brand,
          category: p.category,
          price: p.price,
          currency: p.currency,
          formatted_price: formatMoney(p.price, p.currency),
          stock: p.stock,
          in_stock: p.stock > 0,
          msi_months: [],
        }));
      return answer('CATALOG_RESPONSE', { products });
    }
    case 'BENEFITS_QUERY': {
      const quantity = Number(detail.quantity ?? 1);
      const offers = SEED.products
        .filter((p) => p.product_id === detail.product_id && (detail.retailer_id === undefined || p.retailer_id === detail.retailer_id))
        .map((p) => ({
          retailer_id: p.retailer_id,
          retailer_name: SEED.retailers.find((r) => r.retailer_id === p.retailer_id)?.name ?? p.retailer_id,
          product_name: p.name,
          unit_price: p.price,
          subtotal: p.price * quantity,
          discount: 0,
          total: p.price * quantity,
          currency: p.currency,
          formatted_total: formatMoney(p.price * quantity, p.currency),
          cashback: 0,
          in_stock: p.stock >= quantity,
          installments: [],
          promotions: [],
        }));
      return answer('BENEFITS_RESPONSE', { product_id: detail.product_id, quantity, offers });
    }
    default:
      throw new Error(`the fake services do not answer ${detailType}`);
  }
}

// ---------------------------------------------------------------------------------------------
// A whole gateway over the fakes

export const CALLBACK_URL = 'https://ws.centli.test/dev';

export function session(connectionId: string, userId: string, connectedAt: string, fields: Partial<Session> = {}): Session {
  return { connection_id: connectionId, user_id: userId, status: 'open', locale: 'es', callback_url: CALLBACK_URL, connected_at: connectedAt, expires_at: Math.floor(Date.parse(connectedAt) / 1000) + 7200, ...fields };
}

/** The money-moving (or card-cancelling) requests: never without the customer's own "sí". */
/** The MTU Core Banking tells a customer who never set one: 1,500 UDIs at MXN 8.5. */
export const DEFAULT_MTU = { amount: 1_275_000, currency: 'MXN', formatted_amount: '$12,750.00 MXN', is_default: true, udis: 1500, max_amount: 10_000_000, formatted_max_amount: '$100,000.00 MXN' };

/** Where the chat sends a customer to approve an operation above their MTU. */
export const APPROVAL_PAGE = 'https://centli.test/approve.html';

export const ACTING_TYPES = new Set(['TRANSFER_REQUEST', 'PURCHASE_REQUEST', 'CARD_REPLACEMENT_REQUEST']);

export function gatewayWorld() {
  const clock = new FakeClock();
  const sessions = new FakeSessionStore();
  const turns = new FakeTurnStore();
  const confirmations = new FakeConfirmationStore();
  const connections = new FakeConnections();
  const publisher = new FakePublisher();
  const approvals = new FakeApprovalStore();
  const logged: Array<{ level: string; message: string; attributes?: Record<string, unknown> }> = [];
  let ids = 0;
  let frames = 0;
  let events = 0;
  const deps: GatewayDeps = {
    sessions,
    turns,
    confirmations,
    approvals,
    approvalPage: APPROVAL_PAGE,
    connections,
    publisher,
    engine: { name: 'parser', understand: async (text, context) => parseIntent(text, context) },
    now: clock.now,
    newId: () => `00000000-0000-4000-8000-${String(++ids).padStart(12, '0')}`,
    timeZone: TIME_ZONE,
    log: (level, message, attributes) => logged.push({ level, message, ...(attributes ? { attributes } : {}) }),
  };
  /** How many of the published events the services have read (each query is answered once per publication). */
  let read = 0;

  const world = {
    clock,
    sessions,
    turns,
    confirmations,
    approvals,
    connections,
    publisher,
    logged,
    deps,
    /**
     * A frame from a socket; `messageId` to redeliver one, `replyTo` and `confirmationId` for a
     * button's, `body` to send something else than `{text}`.
     */
    async say(connectionId: string, text: string, options: { messageId?: string; replyTo?: string; confirmationId?: string; body?: string } = {}): Promise<string> {
      const messageId = options.messageId ?? `frame-${++frames}`;
      const button = { ...(options.replyTo ? { reply_to: options.replyTo } : {}), ...(options.confirmationId ? { confirmation_id: options.confirmationId } : {}) };
      await handleMessage({ connectionId, callbackUrl: CALLBACK_URL, messageId, body: options.body ?? JSON.stringify({ action: 'message', text, ...button }) }, deps);
      return messageId;
    },
    /** A service's answer on the bus, as the respond function receives it. */
    async answer(detailType: string, detail: Detail, id = `evt-${++events}`): Promise<string> {
      await handleAnswer({ id, detailType, detail }, deps);
      return id;
    },
    /** Has the services answer every query published so far, and those their answers lead to. */
    async answerQueries(): Promise<number> {
      let count = 0;
      while (read < publisher.events.length) {
        const event = publisher.events[read++] as Published;
        if (!QUERY_TYPES.has(event.detailType)) continue;
        const reply = serviceAnswer(event.detailType, event.detail);
        await world.answer(reply.detailType, reply.detail);
        count++;
      }
      return count;
    },
    /** Every event published, checked as the bus would see it. */
    published(): Published[] {
      return publisher.events;
    },
    acting(): Published[] {
      return publisher.events.filter((e) => ACTING_TYPES.has(e.detailType));
    },
  };
  return world;
}

export type GatewayWorld = ReturnType<typeof gatewayWorld>;

export { GATEWAY_SOURCE };
