/**
 * Exactly once, the rules. A request that changes something (money, stock, a card, a payee)
 * keeps one outcome record, put in the same DynamoDB transaction as the change it records and
 * only where none is: the first writer wins. A later delivery of the request finds the record
 * and gets its outcome again if it is the same request (its fingerprint, `requestFingerprint`),
 * and is refused as REQUEST.ID_REUSED if it is another. A refusal that changes nothing is
 * recorded on its own, unless the request has an outcome already. Pure: the DynamoDB side is
 * lib/kit/outcome-store.ts, reading a cancelled transaction ./cancellation.ts.
 */
import { RequestIdReusedError } from './errors';
import type { OutgoingEvent } from './events';

/**
 * The key of a request's outcome, `<kind>#<user_id>#<request_id>`: scoped by customer, so one
 * customer's request id never finds another's answer, and by kind (`transfer`, `payment`, `lock`).
 */
export function outcomeKey(kind: string, userId: string, requestId: string): string {
  return `${kind}#${userId}#${requestId}`;
}

/** What an outcome record keeps beside its table's key. */
export interface OutcomeRecord<S extends string = string> {
  status: S;
  /** What every delivery of the request answers. */
  outcome: OutgoingEvent;
  created_at: string;
  /** The request's fingerprint; absent on records written before fingerprints were kept. */
  request_hash?: string;
}

/** The outcome record of a request (its table's key goes beside it). */
export function outcomeRecord<S extends string>(status: S, outcome: OutgoingEvent, at: string, requestHash: string): OutcomeRecord<S> {
  return { status, outcome, created_at: at, request_hash: requestHash };
}

/**
 * The first record of a request, if this delivery is the same request; throws
 * RequestIdReusedError when the key was reused for another one. Records written before
 * fingerprints were kept carry none and are taken as the same request.
 */
export function sameRequest<T extends { request_hash?: string | undefined }>(first: T, requestHash: string): T {
  if (first.request_hash !== undefined && first.request_hash !== requestHash) throw new RequestIdReusedError();
  return first;
}

/** What a delivery answers, given its request's first outcome: that outcome again, or REQUEST.ID_REUSED. */
export function replay(first: Pick<OutcomeRecord, 'outcome' | 'request_hash'>, requestHash: string): OutgoingEvent {
  return sameRequest(first, requestHash).outcome;
}
