/**
 * Every card operation that passes its schema gets exactly one recorded outcome, so a
 * redelivered request answers what the first delivery answered and changes nothing twice.
 * Outcomes live in the card-requests table under `<operation>#<user_id>#<request_id>`: scoped
 * by customer (one customer's request id never finds another's answer) and by operation. They
 * carry no user_id attribute, so the table's user index holds replacement requests only.
 */
import { requestFingerprint } from '@centli/pure/canonical';
import type { OutgoingEvent } from '@centli/pure/events';
import type { CardOperation } from '../errors';

export type OutcomeStatus =
  /** The card changed, in the same transaction as this record. */
  | 'changed'
  /** Nothing needed changing (locking a locked card; a replacement already open). */
  | 'unchanged'
  /** A CARD.* refusal. */
  | 'refused';

export interface OutcomeRecord {
  /** `<operation>#<user_id>#<request_id>`. */
  request_id: string;
  kind: 'outcome';
  operation: CardOperation;
  status: OutcomeStatus;
  outcome: OutgoingEvent;
  created_at: string;
  /** The request's fingerprint: the same request_id with another request is refused, never answered. */
  request_hash?: string;
}

export function outcomeKey(operation: CardOperation, userId: string, requestId: string): string {
  return `${operation}#${userId}#${requestId}`;
}

export function outcomeRecord(id: string, operation: CardOperation, status: OutcomeStatus, outcome: OutgoingEvent, at: string, request: object): OutcomeRecord {
  return { request_id: id, kind: 'outcome', operation, status, outcome, created_at: at, request_hash: requestFingerprint(request as Record<string, unknown>) };
}
