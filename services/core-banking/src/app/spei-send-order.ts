/**
 * SPEI saga, SendOrder: sends the held transfer's order to the SPEI participant and marks it
 * sent; answers the SPEI_TRANSFER_SENT detail, which the saga publishes at once (the customer is
 * told the money left, with the clave de rastreo). The order sent is the one the hold recorded,
 * so a retried send sends the same order (same id, same clave), which the participant keeps once.
 * An order whose result is already recorded (it raced the send's answer) is not sent again.
 */
import { formatMoney } from '@centli/pure/money';
import type { SpeiTransferSent, TaskInputOf, TaskOutputOf } from '@centli/schemas';
import type { SpeiOrderStore } from '../adapters/spei-orders';
import type { SpeiParticipant } from '../adapters/spei-participant';
import { OPEN_STATUSES, type SpeiOrderRecord } from '../domain/spei-out';

export interface SendOrderDeps {
  store: Pick<SpeiOrderStore, 'getOrder' | 'markSent'>;
  participant: SpeiParticipant;
  now: () => Date;
}

/** The order's record of this customer, or an error: the saga never sends what was not held. */
export async function heldOrder(store: Pick<SpeiOrderStore, 'getOrder'>, input: { transfer_id: string; user_id: string }): Promise<SpeiOrderRecord> {
  const record = await store.getOrder(input.transfer_id);
  if (!record || record.user_id !== input.user_id) throw new Error(`transfer ${input.transfer_id} has no held order`);
  return record;
}

export async function sendSpeiOrder(input: TaskInputOf<'spei-send-order'>, deps: SendOrderDeps): Promise<TaskOutputOf<'spei-send-order'>> {
  const record = await heldOrder(deps.store, input);
  if (OPEN_STATUSES.includes(record.status)) await deps.participant.sendOrder(record.order);
  const at = deps.now().toISOString();
  const sent = (await deps.store.markSent(record.transfer_id, at)) ?? record;
  return { transfer_id: record.transfer_id, detail: sentDetail(sent, input.correlation_id, at) };
}

export function sentDetail(record: SpeiOrderRecord, correlationId: string, at: string): SpeiTransferSent {
  return {
    request_id: record.request_id,
    correlation_id: correlationId,
    user_id: record.user_id,
    transfer_id: record.transfer_id,
    clave_rastreo: record.clave_rastreo,
    from_account_id: record.from_account_id,
    to_clabe: record.to_clabe,
    beneficiary_name: record.beneficiary_name,
    receiving_bank: record.receiving_bank,
    amount: record.amount,
    currency: record.currency,
    formatted_amount: formatMoney(record.amount, record.currency),
    sent_at: record.sent_at ?? at,
  };
}
