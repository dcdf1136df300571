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
 * @module
 */
import { readBody, sendJson, type LocalHttpServer } from './http';
import type { Chaos } from './chaos';
import { SIGNATURE_HEADER, signBody } from '@centli/pure/signed-body';

/** Where the participant's API is mounted on the stack's server. */
export const SPEI_PATH = '/spei';

export interface SpeiParticipantOptions {
  /** The shared secret it signs with: the one the receiving function's configuration holds. */
  secret: string;
  /** Centli's notification endpoint, once the server is listening. */
  notifyUrl: () => string;
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

const FIELDS = ['clabe', 'amount', 'sender_name', 'sender_bank', 'concepto', 'clave_rastreo'] as const;
const CHAOS_TARGET = 'target=spei-participant';

/** Mounts the participant (see the module description); returns what it has recorded, by clave de rastreo. */
export function mountSpeiParticipant(server: LocalHttpServer, options: SpeiParticipantOptions): Map<string, IncomingRecord> {
  const records = new Map<string, IncomingRecord>();
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

  server.route(async (request, response, url) => {
    if (!url.pathname.startsWith(`${SPEI_PATH}/`)) return false;
    const rest = url.pathname.slice(SPEI_PATH.length + 1);
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
  return records;
}

function parse(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}
