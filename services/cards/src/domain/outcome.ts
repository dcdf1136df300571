/**
 * Every card operation that passes its schema gets exactly one recorded outcome
 * (lib/pure/outcome.ts), so a redelivered request answers what the first delivery answered and
 * changes nothing twice. Outcomes live in the card-requests table under
 * `<operation>#<user_id>#<request_id>` (`outcomeKey` with the operation as its kind): scoped by
 * customer (one customer's request id never finds another's answer) and by operation. They
 * carry no user_id attribute, so the table's user index holds replacement requests only.
 */
import { requestFingerprint } from '@centli/pure/canonical';
import type { OutgoingEvent } from '@centli/pure/events';
import { outcomeRecord, type OutcomeRecord } from '@centli/pure/outcome';
import type { CardOperation } from '../errors';

export type OutcomeStatus =
  /** The card changed, in the same transaction as this record. */
  | 'changed'
  /** Nothing needed changing (locking a locked card; a replacement already open). */
  | 'unchanged'
  /** A CARD.* refusal. */
  | 'refused';

export interface CardOutcome extends OutcomeRecord<OutcomeStatus> {
  /** `<operation>#<user_id>#<request_id>`. */
  request_id: string;
  kind: 'outcome';
  operation: CardOperation;
}

export function cardOutcome(id: string, operation: CardOperation, status: OutcomeStatus, outcome: OutgoingEvent, at: string, request: object): CardOutcome {
  return { request_id: id, kind: 'outcome', operation, ...outcomeRecord(status, outcome, at, requestFingerprint(request as Record<string, unknown>)) };
}
