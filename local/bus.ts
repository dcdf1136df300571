/**
 * The local EventBridge: one event bus, mounted on the local stack's HTTP server (local/http.ts),
 * that speaks the PutEvents wire protocol (AWS JSON 1.1), so the unmodified AWS SDK
 * `EventBridgeClient` and the AWS CLI can put events on it, plus a small read API for people and
 * tests:
 *
 * - `POST /` with `X-Amz-Target: AWSEvents.PutEvents`: puts up to ten events, 256 KB in all
 *   (EventBridge's limits, refused as EventBridge refuses them);
 * - `GET /events` (`?correlation_id=`, `?detail_type=`, `?include=deliveries`): the events
 *   accepted, in order, as full EventBridge events (with `include=deliveries`, also what became
 *   of each at its targets, when the bus accepted it, `acceptedAt`, and the function that put
 *   it, `caller`);
 * - `GET /events/wait?correlation_id=…&detail_type=A,B&exclude_source=…&timeout_ms=…`: the same
 *   events, answered the moment one of those detail types (or any event not from
 *   `exclude_source`) under that correlation id is accepted (at once if one
 *   already was; `[]` after the timeout, 30 s by default): an answer pushed to a waiting client,
 *   so a benchmark can time a request by its own clock without polling;
 * - `GET /dead-letters`: deliveries that failed for good, with their error; `POST
 *   /dead-letters/redrive` delivers them again;
 * - `GET /health`.
 *
 * A PutEvents call a function of the stack makes (local/caller.ts names it) is held to the
 * function's role (local/iam.ts), as EventBridge holds it: a role that may put nothing on the bus
 * gets `AccessDeniedException` for the whole call, and an entry whose source or detail-type the
 * role's conditions do not allow is refused alone, `NotAuthorizedForSourceException` or
 * `NotAuthorizedForDetailTypeException`. Calls from outside the stack's functions are not checked.
 *
 * Like EventBridge, the bus answers PutEvents first and delivers afterwards: every target whose
 * pattern matches gets the event asynchronously, is retried with exponential backoff and
 * jitter when it throws, and is dead-lettered when the attempts run out. Each target has its
 * own in-flight limit and queue, so a burst of events does not flood the stores behind it.
 *
 * @module
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { MAX_PUT_EVENTS_BYTES, putEventsEntrySize } from '@centli/kit/publisher';
import { callerOf } from './caller';
import { AwsError, LocalHttpServer, requireAwsStyle, sendJson } from './http';
import type { LocalPermissions } from './iam';
import { assertValidPattern, matchesPattern, type EventPattern } from './event-pattern';
import { createEventBridgeEvent, eventTime, LOCAL_ACCOUNT_ID, type EventBridgeEvent } from './eventbridge-event';

/** A rule and its target in one: events matching `pattern` are passed to `invoke`. */
export interface BusTarget {
  /** Names the target in deliveries and dead letters (the function's deployed name). */
  name: string;
  pattern: EventPattern;
  /** Handles one event; throwing (or rejecting) makes the bus retry. */
  invoke(event: EventBridgeEvent): Promise<unknown>;
  /** In-flight deliveries allowed for this target; the bus's `concurrency` when absent. */
  concurrency?: number;
}

/** How the bus is set up. */
export interface BusOptions {
  /** The bus's name (`centli-event-bus-local`); entries must name it or its ARN. */
  busName: string;
  region?: string;
  /** Host to listen on; `127.0.0.1` by default. */
  host?: string;
  /** Port to listen on; `0` (a free port) by default. */
  port?: number;
  /** In-flight deliveries per target; 32 by default. */
  concurrency?: number;
  /** Attempts per delivery (3) and the first backoff delay (100 ms), doubled per attempt, jittered. */
  retry?: { attempts?: number; baseDelayMs?: number };
  /** Receives a line per retried or dead-lettered delivery. */
  log?: (message: string) => void;
  /**
   * Chaos mode's say over deliveries: how many copies of an event a target gets (EventBridge
   * delivers at least once) and how long each waits first (which reorders them).
   */
  faults?: DeliveryFaults;
  /** The functions' roles: a PutEvents call a function makes is held to its role (see the module description). */
  permissions?: Pick<LocalPermissions, 'putEvents'>;
}

/** How deliveries misbehave in chaos mode (local/chaos.ts). */
export interface DeliveryFaults {
  copies(event: EventBridgeEvent, target: string): number;
  delayMs(event: EventBridgeEvent, target: string): number;
}

/** A PutEvents request entry as it arrives on the wire. */
export interface PutEventsEntry {
  Source?: unknown;
  DetailType?: unknown;
  Detail?: unknown;
  EventBusName?: unknown;
  /** Epoch seconds (as the SDK and CLI send it) or an ISO 8601 string. */
  Time?: unknown;
  Resources?: unknown;
  TraceHeader?: unknown;
}

/** One PutEvents result entry: an event id, or an error code and message. */
export type PutEventsResultEntry = { EventId: string } | { ErrorCode: string; ErrorMessage: string };

/** The PutEvents response body. */
export interface PutEventsResult {
  FailedEntryCount: number;
  Entries: PutEventsResultEntry[];
}

/** Epoch milliseconds to the microsecond, from the monotonic clock (processes on one machine agree on it to well under a millisecond). */
const epochNow = () => performance.timeOrigin + performance.now();

/** The fate of one event at one target. */
export interface Delivery {
  target: string;
  attempts: number;
  outcome: 'pending' | 'succeeded' | 'failed' | 'cancelled';
  /** Milliseconds spent in the target, over every attempt. */
  durationMs: number;
  /** When the first attempt handed the target the event: epoch milliseconds, to the microsecond (`performance.timeOrigin + performance.now()`). */
  startedAt?: number;
  /** The last error, while retrying or once failed. */
  error?: { name: string; message: string };
}

/** An accepted event and what became of it at each matching target. */
export interface RecordedEvent {
  event: EventBridgeEvent;
  /** When the bus accepted it: epoch milliseconds, to the microsecond (a benchmark times each hop of a request from these). */
  acceptedAt: number;
  deliveries: Delivery[];
  /** The function of the stack that put it, when one did (local/caller.ts). */
  caller?: string;
}

/** A client waiting on `/events/wait`. */
interface EventWaiter {
  matches(event: EventBridgeEvent): boolean;
  /** Replies: the correlation id's events, or `[]` when it gave up waiting (`found` false). */
  answer(found?: boolean): void;
}

/** A delivery that failed for good. */
export interface DeadLetter {
  target: string;
  event: EventBridgeEvent;
  attempts: number;
  error: { name: string; message: string };
  /** When it was dead-lettered. */
  time: string;
}

/** Filters for {@link LocalEventBus.events}. */
export interface EventFilter {
  correlationId?: string;
  detailType?: string;
}

interface Job {
  record: RecordedEvent;
  delivery: Delivery;
}

interface Lane {
  target: BusTarget;
  limit: number;
  running: number;
  queue: Job[];
}

const PUT_EVENTS = 'AWSEvents.PutEvents';
const MAX_ENTRIES = 10;

/** The local event bus (see the module description). */
export class LocalEventBus {
  /** The bus's name. */
  readonly busName: string;
  /** The bus's ARN, also accepted as `EventBusName`. */
  readonly busArn: string;
  private readonly region: string;
  private readonly lanes: Lane[] = [];
  private readonly records: RecordedEvent[] = [];
  private readonly deadLetterList: DeadLetter[] = [];
  private readonly retryTimers = new Map<NodeJS.Timeout, Job>();
  private readonly idleWaiters: Array<() => void> = [];
  private readonly eventWaiters = new Set<EventWaiter>();
  private readonly concurrency: number;
  private readonly attempts: number;
  private readonly baseDelayMs: number;
  private readonly log: (message: string) => void;
  /** The HTTP server it is mounted on, and whether it started that server itself. */
  private http: LocalHttpServer | undefined;
  private ownsServer = false;
  /** Accepted events not yet handed to their targets. */
  private undispatched = 0;
  private stopped = false;

  constructor(private readonly options: BusOptions) {
    this.busName = options.busName;
    this.region = options.region ?? 'us-east-1';
    this.busArn = `arn:aws:events:${this.region}:${LOCAL_ACCOUNT_ID}:event-bus/${this.busName}`;
    this.concurrency = positiveInteger(options.concurrency ?? 32, 'concurrency');
    this.attempts = positiveInteger(options.retry?.attempts ?? 3, 'retry.attempts');
    this.baseDelayMs = options.retry?.baseDelayMs ?? 100;
    this.log = options.log ?? (() => {});
  }

  /** The server's URL once the bus is mounted on a started server (`http://127.0.0.1:4010`). */
  get url(): string {
    if (!this.http) throw new Error('the event bus is not started');
    return this.http.url;
  }

  /**
   * Adds a target. Its pattern is validated now, as EventBridge validates a rule's.
   *
   * @throws Error when the pattern is not a valid event pattern or the name is taken.
   */
  register(target: BusTarget): void {
    try {
      assertValidPattern(target.pattern);
    } catch (error) {
      throw new Error(`target ${target.name}: ${(error as Error).message}`, { cause: error });
    }
    if (this.lanes.some((lane) => lane.target.name === target.name)) throw new Error(`a target named ${target.name} is already registered`);
    this.lanes.push({ target, limit: positiveInteger(target.concurrency ?? this.concurrency, `${target.name} concurrency`), running: 0, queue: [] });
  }

  /**
   * Serves the bus on a server: PutEvents, and the read API (`/events`, `/dead-letters`,
   * `/health`).
   */
  mount(server: LocalHttpServer): void {
    if (this.http) throw new Error('the event bus is already mounted');
    this.http = server;
    server.operation(PUT_EVENTS, async (input, request) => {
      if (this.stopped) throw new AwsError('ServiceUnavailable', 'the local event bus is stopping', 503);
      return this.putEvents((input as { Entries?: unknown }).Entries as PutEventsEntry[], callerOf(request));
    });
    server.route((request, response, url) => this.handleRead(request, response, url));
    server.route((request, response, url) => {
      if (request.method !== 'POST' || url.pathname !== '/dead-letters/redrive') return false;
      requireAwsStyle(request);
      sendJson(response, 200, { redriven: this.redrive() });
      return true;
    });
  }

  /** Starts a server of its own with only the bus on it; resolves with its URL. */
  async start(): Promise<string> {
    if (!this.http) {
      this.mount(new LocalHttpServer({ host: this.options.host ?? '127.0.0.1', port: this.options.port ?? 0 }));
      this.ownsServer = true;
    }
    return (this.http as LocalHttpServer).start();
  }

  /**
   * Stops accepting events, cancels queued and backing-off deliveries, waits (up to
   * `graceMs`) for running ones and closes the server.
   */
  async stop(graceMs = 5000): Promise<void> {
    this.stopped = true;
    for (const [timer, job] of this.retryTimers) {
      clearTimeout(timer);
      job.delivery.outcome = 'cancelled';
    }
    this.retryTimers.clear();
    for (const lane of this.lanes) {
      for (const job of lane.queue.splice(0)) job.delivery.outcome = 'cancelled';
    }
    this.undispatched = 0;
    for (const waiter of this.eventWaiters) waiter.answer();
    await Promise.race([this.idle(), new Promise((resolve) => setTimeout(resolve, graceMs).unref())]);
    if (this.ownsServer) await this.http?.stop();
    this.notifyIfIdle();
  }

  /**
   * Puts events on the bus, as PutEvents does: each entry is accepted (and later delivered)
   * or refused with an error code, independently of the others.
   *
   * @param caller - The function of the stack that puts them, held to its role; none for a put
   *   from outside the stack's functions.
   * @throws AwsError an `AccessDeniedException` when the caller may put nothing on this bus, or a
   *   `ValidationException` when there are no entries or more than ten.
   */
  putEvents(entries: readonly PutEventsEntry[], caller?: string): PutEventsResult {
    const permissions = this.options.permissions;
    const authorize = permissions && caller !== undefined ? (checked: ReadonlyArray<{ source: string; detailType: string }>) => permissions.putEvents(caller, this.busArn, checked) : undefined;
    // IAM decides before the request is validated: a role without the action learns nothing more.
    authorize?.([]);
    if (!Array.isArray(entries) || entries.length === 0 || entries.length > MAX_ENTRIES) {
      throw new AwsError(
        'ValidationException',
        `1 validation error detected: Value at 'entries' failed to satisfy constraint: Member must have length between 1 and ${MAX_ENTRIES}`,
      );
    }
    // EventBridge counts every entry's Source, DetailType, Detail, Resources and Time together.
    const total = entries.reduce((sum, entry) => sum + (entry !== null && typeof entry === 'object' ? putEventsEntrySize(entry) : 0), 0);
    if (total > MAX_PUT_EVENTS_BYTES) throw new AwsError('ValidationException', `Total size of the entries in the request is over the limit: ${total} bytes, at most ${MAX_PUT_EVENTS_BYTES}.`);
    const accepted: RecordedEvent[] = [];
    const results = entries.map((entry): PutEventsResultEntry => {
      const outcome = this.accept(entry);
      if ('ErrorCode' in outcome) return outcome;
      const refusal = authorize?.([{ source: outcome.event.source, detailType: outcome.event['detail-type'] }])[0];
      if (refusal) {
        this.log(`${caller}: PutEvents of ${outcome.event['detail-type']} as ${outcome.event.source} refused by its role: ${refusal.ErrorCode}`);
        return refusal;
      }
      if (caller !== undefined) outcome.caller = caller;
      accepted.push(outcome);
      return { EventId: outcome.event.id };
    });
    this.records.push(...accepted);
    for (const waiter of this.eventWaiters) if (accepted.some(({ event }) => waiter.matches(event))) waiter.answer();
    this.undispatched += accepted.length;
    setImmediate(() => this.dispatch(accepted));
    return { FailedEntryCount: results.filter((result) => 'ErrorCode' in result).length, Entries: results };
  }

  /** The accepted events, in order, with their deliveries. */
  events(filter: EventFilter = {}): RecordedEvent[] {
    return this.records.filter(
      ({ event }) =>
        (filter.correlationId === undefined || event.detail.correlation_id === filter.correlationId) &&
        (filter.detailType === undefined || event['detail-type'] === filter.detailType),
    );
  }

  /** Deliveries that failed for good, in the order they gave up. */
  deadLetters(): DeadLetter[] {
    return [...this.deadLetterList];
  }

  /** Resolves when no event is waiting for dispatch and no delivery is queued, running or backing off. */
  idle(): Promise<void> {
    if (this.pending() === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  private pending(): number {
    return this.lanes.reduce((sum, lane) => sum + lane.running + lane.queue.length, this.undispatched + this.retryTimers.size);
  }

  private notifyIfIdle(): void {
    if (this.pending() !== 0) return;
    for (const resolve of this.idleWaiters.splice(0)) resolve();
  }

  private accept(entry: PutEventsEntry): RecordedEvent | { ErrorCode: string; ErrorMessage: string } {
    if (entry === null || typeof entry !== 'object') return invalid('Entry', 'Entry must be an object.');
    const { Source, DetailType, Detail, EventBusName, Time, Resources } = entry;
    if (typeof Source !== 'string' || Source === '') return invalid('Source', 'Source is a required argument.');
    if (typeof DetailType !== 'string' || DetailType === '') return invalid('DetailType', 'DetailType is a required argument.');
    if (typeof Detail !== 'string' || Detail === '') return invalid('Detail', 'Detail is a required argument.');
    if (EventBusName !== this.busName && EventBusName !== this.busArn) {
      const name = typeof EventBusName === 'string' && EventBusName !== '' ? EventBusName : 'default';
      return {
        ErrorCode: 'ResourceNotFoundException',
        ErrorMessage: `Event bus ${name} does not exist. This local stack has one bus: ${this.busName} (${this.busArn}).`,
      };
    }
    let detail: unknown;
    try {
      detail = JSON.parse(Detail);
    } catch {
      detail = undefined;
    }
    if (detail === null || typeof detail !== 'object' || Array.isArray(detail)) return { ErrorCode: 'MalformedDetail', ErrorMessage: 'Detail is malformed.' };
    const time = parseTime(Time);
    if (time === 'invalid') return invalid('Time', 'Time must be epoch seconds or an ISO 8601 timestamp.');
    if (Resources !== undefined && (!Array.isArray(Resources) || !Resources.every((resource) => typeof resource === 'string'))) {
      return invalid('Resources', 'Resources must be a list of ARNs.');
    }
    const event = createEventBridgeEvent({
      source: Source,
      detailType: DetailType,
      detail: detail as Record<string, unknown>,
      time,
      resources: Resources as string[] | undefined,
      region: this.region,
    });
    return { event, deliveries: [], acceptedAt: epochNow() };
  }

  private dispatch(records: readonly RecordedEvent[]): void {
    if (this.stopped) return;
    const faults = this.options.faults;
    for (const record of records) {
      for (const lane of this.lanes) {
        if (!matchesPattern(lane.target.pattern, record.event as unknown as Record<string, unknown>)) continue;
        const copies = faults ? Math.max(1, faults.copies(record.event, lane.target.name)) : 1;
        for (let copy = 0; copy < copies; copy++) {
          const delivery: Delivery = { target: lane.target.name, attempts: 0, outcome: 'pending', durationMs: 0 };
          record.deliveries.push(delivery);
          const delay = faults ? faults.delayMs(record.event, lane.target.name) : 0;
          if (delay > 0) this.later(lane, { record, delivery }, delay);
          else lane.queue.push({ record, delivery });
        }
      }
    }
    this.undispatched = Math.max(0, this.undispatched - records.length);
    for (const lane of this.lanes) this.pump(lane);
    this.notifyIfIdle();
  }

  private pump(lane: Lane): void {
    while (!this.stopped && lane.running < lane.limit && lane.queue.length > 0) {
      const job = lane.queue.shift() as Job;
      lane.running++;
      void this.attempt(lane, job).finally(() => {
        lane.running--;
        this.pump(lane);
        this.notifyIfIdle();
      });
    }
  }

  private async attempt(lane: Lane, job: Job): Promise<void> {
    const { delivery, record } = job;
    delivery.attempts++;
    const started = performance.now();
    delivery.startedAt ??= performance.timeOrigin + started;
    try {
      await lane.target.invoke(record.event);
      delivery.durationMs += performance.now() - started;
      delivery.outcome = 'succeeded';
      delete delivery.error;
    } catch (caught) {
      delivery.durationMs += performance.now() - started;
      const error = describeError(caught);
      delivery.error = error;
      if (this.stopped) {
        delivery.outcome = 'cancelled';
      } else if (delivery.attempts < this.attempts) {
        const delay = backoffDelay(this.baseDelayMs, delivery.attempts);
        this.log(`${lane.target.name}: ${record.event['detail-type']} ${record.event.id} attempt ${delivery.attempts} failed (${error.message}); retrying in ${delay} ms`);
        this.later(lane, job, delay);
      } else {
        delivery.outcome = 'failed';
        this.deadLetterList.push({ target: lane.target.name, event: record.event, attempts: delivery.attempts, error, time: eventTime(new Date()) });
        this.log(`${lane.target.name}: ${record.event['detail-type']} ${record.event.id} dead-lettered after ${delivery.attempts} attempts: ${error.message}`);
      }
    }
  }

  /** Queues a delivery after `delay` ms (a retry's backoff, or a late delivery in chaos mode); the bus is not idle meanwhile. */
  private later(lane: Lane, job: Job, delay: number): void {
    const timer = setTimeout(() => {
      this.retryTimers.delete(timer);
      lane.queue.push(job);
      this.pump(lane);
      this.notifyIfIdle();
    }, delay);
    this.retryTimers.set(timer, job);
  }

  /**
   * Delivers every dead letter again, to the target that gave up on it, as a fresh delivery
   * (what redriving a DLQ does); returns how many.
   */
  redrive(): number {
    const letters = this.deadLetterList.splice(0);
    for (const letter of letters) {
      const lane = this.lanes.find((candidate) => candidate.target.name === letter.target);
      const record = this.records.find((candidate) => candidate.event.id === letter.event.id);
      if (!lane || !record) continue;
      const delivery: Delivery = { target: lane.target.name, attempts: 0, outcome: 'pending', durationMs: 0 };
      record.deliveries.push(delivery);
      lane.queue.push({ record, delivery });
    }
    for (const lane of this.lanes) this.pump(lane);
    this.log(`redrove ${letters.length} dead letter(s)`);
    return letters.length;
  }

  /** `/events/wait`: answers with the correlation id's events once one of the detail types is among them. */
  private waitForEvents(response: ServerResponse, url: URL): void {
    const correlationId = url.searchParams.get('correlation_id') ?? '';
    const types = new Set((url.searchParams.get('detail_type') ?? '').split(',').filter(Boolean));
    const timeoutMs = Math.min(Number(url.searchParams.get('timeout_ms') ?? 30_000) || 30_000, 120_000);
    const excluded = url.searchParams.get('exclude_source') ?? undefined;
    const matches = (event: EventBridgeEvent) =>
      event.detail.correlation_id === correlationId && (types.size === 0 || types.has(event['detail-type'])) && event.source !== excluded;
    const reply = (found = true) => sendJson(response, 200, found ? this.events({ correlationId }).map(({ event }) => event) : []);
    if (this.stopped || this.records.some(({ event }) => matches(event))) {
      reply();
      return;
    }
    const waiter: EventWaiter = {
      matches,
      answer: (found = true) => {
        clearTimeout(timer);
        this.eventWaiters.delete(waiter);
        reply(found);
      },
    };
    const timer = setTimeout(() => waiter.answer(false), timeoutMs);
    this.eventWaiters.add(waiter);
    response.once('close', () => {
      clearTimeout(timer);
      this.eventWaiters.delete(waiter);
    });
  }

  private handleRead(request: IncomingMessage, response: ServerResponse, url: URL): boolean {
    if (request.method !== 'GET' && request.method !== 'HEAD') return false;
    switch (url.pathname) {
      case '/events': {
        const correlationId = url.searchParams.get('correlation_id') ?? undefined;
        const detailType = url.searchParams.get('detail_type') ?? undefined;
        const withDeliveries = url.searchParams.get('include') === 'deliveries';
        const events = this.events({ correlationId, detailType });
        sendJson(response, 200, events.map(({ event, deliveries, caller, acceptedAt }) => (withDeliveries ? { ...event, deliveries, acceptedAt, ...(caller === undefined ? {} : { caller }) } : event)));
        return true;
      }
      case '/events/wait': {
        this.waitForEvents(response, url);
        return true;
      }
      case '/dead-letters':
        sendJson(response, 200, this.deadLetters());
        return true;
      case '/health':
        sendJson(response, 200, {
          status: 'ok',
          bus: this.busName,
          events: this.records.length,
          pending: this.pending(),
          deadLetters: this.deadLetterList.length,
          targets: this.lanes.map((lane) => ({ name: lane.target.name, running: lane.running, queued: lane.queue.length })),
        });
        return true;
      default:
        return false;
    }
  }
}

/**
 * Creates a bus, registers its targets and starts it.
 *
 * @returns The started bus; its URL is `bus.url`.
 */
export async function startEventBus(options: BusOptions, targets: readonly BusTarget[] = []): Promise<LocalEventBus> {
  const bus = new LocalEventBus(options);
  for (const target of targets) bus.register(target);
  await bus.start();
  return bus;
}

/** Exponential backoff with equal jitter: between half and all of `base × 2^(attempt-1)`. */
function backoffDelay(baseMs: number, attempt: number): number {
  const ceiling = baseMs * 2 ** (attempt - 1);
  return Math.round(ceiling / 2 + Math.random() * (ceiling / 2));
}

function invalid(parameter: string, reason: string): { ErrorCode: string; ErrorMessage: string } {
  return { ErrorCode: 'InvalidArgument', ErrorMessage: `Parameter ${parameter} is not valid. Reason: ${reason}` };
}

function parseTime(value: unknown): Date | undefined | 'invalid' {
  if (value === undefined || value === null) return undefined;
  const date = typeof value === 'number' ? new Date(value * 1000) : typeof value === 'string' ? new Date(/^\d+(\.\d+)?$/.test(value) ? Number(value) * 1000 : value) : undefined;
  return date && !Number.isNaN(date.getTime()) ? date : 'invalid';
}

function describeError(error: unknown): { name: string; message: string } {
  if (error instanceof Error) return { name: error.name, message: error.message };
  return { name: 'Error', message: String(error) };
}

function positiveInteger(value: number, what: string): number {
  if (!Number.isSafeInteger(value) || value < 1) throw new Error(`${what} must be a positive integer, got ${value}`);
  return value;
}




