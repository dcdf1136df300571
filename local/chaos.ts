/**
 * Chaos mode for the local stack (`npm start -- --chaos <seed>`): the faults AWS produces, on
 * demand and reproducible from a seed, so that exactly-once is measured under them rather than
 * assumed.
 * - the bus delivers some events twice, and delays others (which reorders them);
 * - a handler invocation fails before it runs (a crash, a throttled invoke) or after it has run
 *   and written (what a timeout after commit looks like to the caller), and the bus retries it;
 * - DynamoDB calls are throttled (ProvisionedThroughputExceededException, ThrottlingException)
 *   and transactions are cancelled with ThrottlingError reasons, by a proxy in front of
 *   DynamoDB Local;
 * - saga tasks fail transiently, before or after the task's real invocation;
 * - a WebSocket is dropped right after a message was pushed to it;
 * - the SPEI participant never sends an order's result (the saga's timeout gives the money back).
 * Each decision about a request is drawn from the seed, the fault's kind, the request's
 * correlation id, where it applies (the target, function, state or operation) and how many times
 * that was asked before: so a request meets the same faults on every run with the seed, however
 * the other requests' deliveries interleave with it. (Decisions without a correlation id, such as
 * a socket's drop, come from one seeded sequence instead.) Every fault is logged with the
 * correlation id it hit (the invocation's, carried through AsyncLocalStorage to the DynamoDB
 * calls it makes).
 *
 * @module
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import http from 'node:http';
import { mulberry32 } from './random';

export type FaultKind = 'duplicate' | 'delay' | 'fail-before' | 'fail-after' | 'dynamodb-throttle' | 'transaction-throttle' | 'saga-task-before' | 'saga-task-after' | 'socket-drop' | 'spei-result-drop';

export type ChaosRates = Record<FaultKind, number>;

/** The rates `--chaos` uses unless `--chaos-rates kind=rate,…` says otherwise. */
export const DEFAULT_RATES: ChaosRates = {
  duplicate: 0.15,
  delay: 0.2,
  'fail-before': 0.05,
  'fail-after': 0.05,
  'dynamodb-throttle': 0.03,
  'transaction-throttle': 0.05,
  'saga-task-before': 0.05,
  'saga-task-after': 0.05,
  'socket-drop': 0.02,
  'spei-result-drop': 0.1,
};

export interface ChaosOptions {
  seed: number;
  rates?: Partial<ChaosRates>;
  /** The longest delay of a delayed delivery, in ms (1500 by default). */
  maxDelayMs?: number;
  log?: (message: string) => void;
}

/** A fault the stack injected, in the shape an AWS failure would have. */
export class ChaosFault extends Error {
  constructor(
    readonly kind: FaultKind,
    message: string,
    name = 'ChaosFault',
  ) {
    super(message);
    this.name = name;
  }
}

/** The invocation a piece of work belongs to: what a fault is logged with. */
export const invocationContext = new AsyncLocalStorage<{ correlationId: string }>();

export const CORRELATION_HEADER = 'x-centli-chaos-correlation-id';

/** The decisions of one chaos run (see the module description). */
export class Chaos {
  readonly rates: ChaosRates;
  readonly maxDelayMs: number;
  private readonly next: () => number;
  private readonly counts = new Map<FaultKind, number>();
  /** How many times each (kind, correlation id, place) was decided: the draw's position in its own sequence. */
  private readonly asked = new Map<string, number>();
  private readonly log: (message: string) => void;

  constructor(readonly options: ChaosOptions) {
    this.rates = { ...DEFAULT_RATES, ...options.rates };
    this.maxDelayMs = options.maxDelayMs ?? 1500;
    this.next = mulberry32(options.seed >>> 0 || 1);
    this.log = options.log ?? (() => {});
  }

  /** The next number of the seed's own sequence (mulberry32), for draws no request keys. */
  random(): number {
    return this.next();
  }

  /** A draw in [0, 1) for this (kind, correlation id, place): see the module description. */
  private draw(kind: string, correlationId: string | undefined, detail: string): number {
    if (correlationId === undefined || correlationId === 'unknown') return this.random();
    const key = `${kind}|${correlationId}|${detail}`;
    const n = (this.asked.get(key) ?? 0) + 1;
    this.asked.set(key, n);
    return unit(fnv1a(`${this.options.seed}|${key}|${n}`));
  }

  /** Whether to inject `kind` now; an injected fault is counted and logged with its correlation id. */
  strikes(kind: FaultKind, correlationId: string | undefined, detail = ''): boolean {
    const rate = this.rates[kind];
    if (!(rate > 0) || this.draw(kind, correlationId, detail) >= rate) return false;
    this.counts.set(kind, (this.counts.get(kind) ?? 0) + 1);
    this.log(`chaos ${kind} correlation_id=${correlationId ?? 'unknown'}${detail ? ` ${detail}` : ''}`);
    return true;
  }

  /** A delay for a delivery, in ms (0 when none). */
  delayFor(correlationId: string | undefined, target: string): number {
    return this.strikes('delay', correlationId, `target=${target}`) ? Math.floor(this.draw('delay-ms', correlationId, `target=${target}`) * this.maxDelayMs) : 0;
  }

  /** The faults injected so far, by kind. */
  injected(): Record<FaultKind, number> {
    return Object.fromEntries(Object.keys(this.rates).map((kind) => [kind, this.counts.get(kind as FaultKind) ?? 0])) as Record<FaultKind, number>;
  }
}

/** FNV-1a, 32 bits: a seed for `unit` from a string. */
function fnv1a(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}

/** One mulberry32 step from `seed`: a number in [0, 1). */
const unit = (seed: number): number => mulberry32(seed)();

/** `--chaos-rates duplicate=0.2,fail-after=0.1`. */
export function parseRates(text: string): Partial<ChaosRates> {
  const rates: Partial<ChaosRates> = {};
  for (const pair of text.split(',').map((p) => p.trim()).filter(Boolean)) {
    const [kind, value] = pair.split('=');
    if (!kind || !(kind in DEFAULT_RATES)) throw new Error(`unknown fault ${kind}; the faults are ${Object.keys(DEFAULT_RATES).join(', ')}`);
    const rate = Number(value);
    if (!Number.isFinite(rate) || rate < 0 || rate > 1) throw new Error(`the rate of ${kind} must be a number from 0 to 1, got ${value}`);
    rates[kind as FaultKind] = rate;
  }
  return rates;
}

/**
 * Tags every HTTP request made inside an invocation with its correlation id, so the DynamoDB
 * proxy can say which request a throttle hit. Returns the undo.
 */
export function tagOutgoingRequests(): () => void {
  const original = http.request;
  const patched = function request(this: unknown, ...args: Parameters<typeof http.request>) {
    const outgoing = (original as (...a: unknown[]) => http.ClientRequest).apply(this, args);
    const context = invocationContext.getStore();
    if (context && !outgoing.headersSent) outgoing.setHeader(CORRELATION_HEADER, context.correlationId);
    return outgoing;
  } as typeof http.request;
  http.request = patched;
  return () => {
    if (http.request === patched) http.request = original;
  };
}
