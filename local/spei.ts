/**
 * A SPEI participant for the local stack, standing in for the real one the way DynamoDB Local
 * stands in for DynamoDB: the bank-side system that settles payments with Banxico and tells Centli
 * about them. For now it does the receiving half:
 *
 *   POST <spei>/incoming   { clabe, amount (centavos), sender_name, sender_bank, concepto, clave_rastreo }
 *
 * simulates a payment from another bank arriving for a Centli CLABE. The participant notifies
 * Centli as a real one would: an HTTP POST of the payment to Centli's notification endpoint
 * (Core Banking's `POST /spei/incoming-payments`), signed with the shared secret
 * (@centli/pure/signed-body: HMAC-SHA256 over a timestamp and the body), sent again while Centli
 * does not answer (a 5xx or no connection), and it keeps Centli's answer (credited, or returned
 * with a reason), which it also answers the simulation with:
 *
 *   GET <spei>/incoming/<clave_rastreo>   every answer Centli gave for that payment
 *
 * In chaos mode (local/chaos.ts) a notification is sometimes sent twice and sometimes late, as
 * participants do, decided from the seed and the clave de rastreo like the bus's faults.
 * Whatever the participant does, Centli's records decide: a payment is credited once.
 *
 * And the order API the sending saga uses, signed by Centli with the same secret:
 *
 *   POST <spei>/orders              { order_id, clave_rastreo, clabe, amount, beneficiary_name, concepto }
 *   GET  <spei>/orders/<id>         the order, its status and the results sent
 *   POST <spei>/orders/<id>/cancel  { order_id }: the inquiry Centli makes before it gives money back
 *
 * An order is accepted at once (202; the same order again gets the same answer and is settled
 * once) and settles after about a second, by its destination's account digits (CLABE positions 7
 * to 17): ending in 0000 it comes back (`devuelta`, `cuenta_inexistente`), ending in 9999 it is
 * never answered (the saga's timeout asks, cancels it and gives the money back), ending in 8888 it
 * is `liquidada` but its result is never sent (a lost callback: the saga's timeout asks and finds it
 * settled), anything else is `liquidada`. The result is sent, signed, to Centli's order-result
 * endpoint when the stack has one (Core Banking's POST /spei/order-results), in chaos mode
 * sometimes twice, sometimes late and sometimes never; it can always be read back.
 *
 * The cancel is an inquiry that also stops the order, signed like an order: an order still
 * `accepted` becomes `cancelada` and never settles nor sends a result; one already `liquidada` or
 * `devuelta` answers that status (and its reason). Cancelling again answers the same (200
 * `{ order_id, status, reason? }`); an order the participant never received is 404.
 *
 * @module
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { readBody, sendJson, type LocalHttpServer } from './http';
import type { Chaos } from './chaos';
import { isValidClabe } from '@centli/pure/clabe';
import { SIGNATURE_HEADER, signBody, verifySignedBody } from '@centli/pure/signed-body';

/** Where the participant's API is mounted on the stack's server. */
export const SPEI_PATH = '/spei';

export interface SpeiParticipantOptions {
  /** The shared secret it signs with: the one the receiving function's configuration holds. */
  secret: string;
  /** Centli's notification endpoint, once the server is listening. */
  notifyUrl: () => string;
  /** Centli's endpoint for orders' results, when it has one; results are kept either way. */
  orderResultUrl?: (() => string) | undefined;
  /** How long an order takes to settle, in ms (1000). */
  settleAfterMs?: number;
  chaos?: Chaos | undefined;
  log?: (message: string) => void;
  /** How many times a notification is sent before the participant gives up (5). */
  attempts?: number;
  /** Waits between attempts (real time unless a test says otherwise). */
  sleep?: (ms: number) => Promise<void>;
}

/** One answer Centli gave to one notification. */
export interface CentliAnswer {
  status: number;
  body: unknown;
  at: string;
}

/** The participant's record of a payment it notified. */
export interface IncomingRecord {
  payment: Record<string, unknown>;
  /** How many notifications it sent (chaos mode may send two). */
  notifications: number;
  answers: CentliAnswer[];
}

/** An order Centli sent, as the participant keeps it. */
export interface OrderRecord {
  order: Record<string, unknown>;
  /** `accepted` until it settles or is cancelled; an order that is never answered stays so until then. */
  status: 'accepted' | 'liquidada' | 'devuelta' | 'cancelada';
  reason?: 'cuenta_inexistente';
  settled_at?: string;
  /** Centli's answers to the results sent (none while Centli has no endpoint for them). */
  callbacks: CentliAnswer[];
}

/** What the participant holds: payments it notified (by clave de rastreo) and orders (by order id). */
export interface SpeiParticipant {
  incoming: Map<string, IncomingRecord>;
  orders: Map<string, OrderRecord>;
  /** Forgets the orders still to settle. */
  stop(): void;
}

const FIELDS = ['clabe', 'amount', 'sender_name', 'sender_bank', 'concepto', 'clave_rastreo'] as const;
const ORDER_FIELDS = ['order_id', 'clave_rastreo', 'clabe', 'amount', 'beneficiary_name', 'concepto'] as const;
const CHAOS_TARGET = 'target=spei-participant';

/**
 * How the participant settles an order to this CLABE: by its account digits (positions 7 to 17), the
 * documented test CLABEs. `lost` settles (`liquidada`) but its result is never sent.
 */
export function orderOutcome(clabe: string): 'liquidada' | 'devuelta' | 'silent' | 'lost' {
  const account = clabe.slice(6, 17);
  if (account.endsWith('0000')) return 'devuelta';
  if (account.endsWith('9999')) return 'silent';
  if (account.endsWith('8888')) return 'lost';
  return 'liquidada';
}

/** Mounts the participant (see the module description). */
export function mountSpeiParticipant(server: LocalHttpServer, options: SpeiParticipantOptions): SpeiParticipant {
  const records = new Map<string, IncomingRecord>();
  const orders = new Map<string, OrderRecord>();
  const timers = new Map<string, NodeJS.Timeout>();
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  const attempts = options.attempts ?? 5;

  /** Sends one notification, again while Centli does not answer; Centli's answer, or none. */
  const notify = async (record: IncomingRecord, body: string): Promise<CentliAnswer | undefined> => {
    record.notifications++;
    for (let attempt = 1; attempt <= attempts; attempt++) {
      try {
        // Signed at each attempt, as a participant signs each request it sends: a retry is fresh.
        const response = await fetch(options.notifyUrl(), { method: 'POST', headers: { 'content-type': 'application/json', [SIGNATURE_HEADER]: signBody(options.secret, body, new Date()) }, body });
        const text = await response.text();
        if (response.status < 500) {
          const answer: CentliAnswer = { status: response.status, body: parse(text), at: new Date().toISOString() };
          record.answers.push(answer);
          return answer;
        }
        options.log?.(`SPEI participant: Centli answered ${response.status} to ${String(record.payment.clave_rastreo)}; sending again`);
      } catch (error) {
        options.log?.(`SPEI participant: could not reach Centli for ${String(record.payment.clave_rastreo)} (${(error as Error).message}); sending again`);
      }
      await sleep(Math.min(2000, 100 * 2 ** (attempt - 1)));
    }
    return undefined;
  };

  /** Sends an order's result to Centli (when it has an endpoint for them), signed, again while it fails. */
  const sendResult = async (record: OrderRecord): Promise<void> => {
    const target = options.orderResultUrl?.();
    if (!target) return;
    const body = JSON.stringify({ order_id: record.order.order_id, clave_rastreo: record.order.clave_rastreo, status: record.status, ...(record.reason ? { reason: record.reason } : {}), settled_at: record.settled_at });
    for (let attempt = 1; attempt <= attempts; attempt++) {
      try {
        const response = await fetch(target, { method: 'POST', headers: { 'content-type': 'application/json', [SIGNATURE_HEADER]: signBody(options.secret, body, new Date()) }, body });
        const text = await response.text();
        if (response.status < 500) {
          record.callbacks.push({ status: response.status, body: parse(text), at: new Date().toISOString() });
          return;
        }
      } catch (error) {
        options.log?.(`SPEI participant: could not send order ${String(record.order.order_id)}'s result (${(error as Error).message}); sending again`);
      }
      await sleep(Math.min(2000, 100 * 2 ** (attempt - 1)));
    }
  };

  /** Settles an order after its time, by its CLABE; a silent one is never answered. */
  const settle = (record: OrderRecord) => {
    const outcome = orderOutcome(String(record.order.clabe));
    if (outcome === 'silent') return;
    const id = String(record.order.order_id);
    const chaos = options.chaos;
    const timer = setTimeout(() => {
      timers.delete(id);
      // A cancelled order never settles.
      if (record.status !== 'accepted') return;
      record.status = outcome === 'lost' ? 'liquidada' : outcome;
      if (outcome === 'devuelta') record.reason = 'cuenta_inexistente';
      record.settled_at = new Date().toISOString();
      if (outcome === 'lost') return;
      // In chaos mode a result is sometimes never sent (the saga's timeout asks, and finds it settled), sometimes sent twice.
      if (chaos?.strikes('spei-result-drop', id, CHAOS_TARGET)) return;
      const copies = chaos?.strikes('duplicate', id, CHAOS_TARGET) ? 2 : 1;
      for (let copy = 0; copy < copies; copy++) sendResult(record).catch((error: Error) => options.log?.(`SPEI participant: ${error.message}`));
    }, (options.settleAfterMs ?? 1000) + (chaos?.delayFor(id, CHAOS_TARGET) ?? 0));
    timer.unref();
    timers.set(id, timer);
  };

  /** Refuses what Centli did not sign (401); the body as JSON, or undefined once answered. */
  const signedJson = async (request: IncomingMessage, response: ServerResponse): Promise<Record<string, unknown> | undefined> => {
    const raw = await readBody(request, 64 * 1024);
    const problem = verifySignedBody(options.secret, raw, request.headers[SIGNATURE_HEADER] as string | undefined, new Date());
    if (problem) {
      sendJson(response, 401, { error: 'signature', problem });
      return undefined;
    }
    try {
      const input = JSON.parse(raw.toString('utf8')) as unknown;
      if (input !== null && typeof input === 'object') return input as Record<string, unknown>;
    } catch {
      // answered below
    }
    sendJson(response, 400, { message: 'the body must be a JSON object' });
    return undefined;
  };

  server.route(async (request, response, url) => {
    if (!url.pathname.startsWith(`${SPEI_PATH}/`)) return false;
    const rest = url.pathname.slice(SPEI_PATH.length + 1);
    const cancel = /^orders\/([^/]+)\/cancel$/.exec(rest);
    if (request.method === 'POST' && cancel) {
      // Only Centli may cancel its orders: signed like the order.
      const input = await signedJson(request, response);
      if (!input) return true;
      const id = decodeURIComponent(cancel[1] as string);
      if (input.order_id !== id) {
        sendJson(response, 400, { message: 'the body names the order_id of the path' });
        return true;
      }
      const record = orders.get(id);
      if (!record) {
        sendJson(response, 404, { message: 'no such order', order_id: id });
        return true;
      }
      if (record.status === 'accepted') {
        record.status = 'cancelada';
        const timer = timers.get(id);
        if (timer) clearTimeout(timer);
        timers.delete(id);
      }
      sendJson(response, 200, { order_id: id, status: record.status, ...(record.reason ? { reason: record.reason } : {}) });
      return true;
    }
    if (request.method === 'GET' && rest.startsWith('orders/')) {
      const record = orders.get(decodeURIComponent(rest.slice('orders/'.length)));
      if (record) sendJson(response, 200, record);
      else sendJson(response, 404, { message: 'no such order' });
      return true;
    }
    if (request.method === 'POST' && rest === 'orders') {
      // Only Centli may send orders: they are signed with the shared secret, as its notifications are.
      const input = await signedJson(request, response);
      if (!input) return true;
      if (ORDER_FIELDS.some((field) => !(field in input)) || typeof input.clabe !== 'string' || !isValidClabe(input.clabe) || typeof input.order_id !== 'string') {
        sendJson(response, 400, { message: `an order names ${ORDER_FIELDS.join(', ')}, with a valid CLABE` });
        return true;
      }
      const order = Object.fromEntries(ORDER_FIELDS.map((field) => [field, input[field]]));
      const known = orders.get(input.order_id);
      if (known && JSON.stringify(known.order) !== JSON.stringify(order)) {
        sendJson(response, 409, { error: 'order_id_reused', order_id: input.order_id });
        return true;
      }
      if (!known) {
        const record: OrderRecord = { order, status: 'accepted', callbacks: [] };
        orders.set(input.order_id, record);
        settle(record);
      }
      sendJson(response, 202, { order_id: input.order_id, clave_rastreo: order.clave_rastreo, status: 'accepted' });
      return true;
    }
    if (request.method === 'GET' && rest.startsWith('incoming/')) {
      const record = records.get(decodeURIComponent(rest.slice('incoming/'.length)));
      if (record) sendJson(response, 200, record);
      else sendJson(response, 404, { message: 'no such payment' });
      return true;
    }
    if (request.method !== 'POST' || rest !== 'incoming') return false;
    let input: Record<string, unknown>;
    try {
      input = JSON.parse((await readBody(request, 64 * 1024)).toString('utf8')) as Record<string, unknown>;
    } catch {
      sendJson(response, 400, { message: 'the body must be JSON' });
      return true;
    }
    if (input === null || typeof input !== 'object' || typeof input.clave_rastreo !== 'string' || input.clave_rastreo === '') {
      sendJson(response, 400, { message: `a payment names ${FIELDS.join(', ')}` });
      return true;
    }
    // What the participant sends is the payment's fields, nothing else, in one fixed order: the same bytes on every notification.
    const payment = Object.fromEntries(FIELDS.filter((field) => field in input).map((field) => [field, input[field]]));
    const clave = input.clave_rastreo;
    const record = records.get(clave) ?? { payment, notifications: 0, answers: [] };
    records.set(clave, record);
    const body = JSON.stringify(payment);
    const chaos = options.chaos;
    const delay = chaos?.delayFor(clave, CHAOS_TARGET) ?? 0;
    if (delay > 0) await sleep(delay);
    const copies = chaos?.strikes('duplicate', clave, CHAOS_TARGET) ? 2 : 1;
    const answers = await Promise.all(Array.from({ length: copies }, () => notify(record, body)));
    const answer = answers.find((a) => a !== undefined);
    if (!answer) sendJson(response, 504, { message: 'Centli did not answer', clave_rastreo: clave });
    else sendJson(response, 200, { clave_rastreo: clave, notifications: record.notifications, centli: answer });
    return true;
  });
  return {
    incoming: records,
    orders,
    stop: () => {
      for (const timer of timers.values()) clearTimeout(timer);
      timers.clear();
    },
  };
}

function parse(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}
