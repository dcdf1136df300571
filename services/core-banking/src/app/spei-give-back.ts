/**
 * SPEI saga, GiveBack: the order came back (`devuelta`) or went unanswered (`timed_out`); the held
 * money moves from the in-transit account back to the customer, once (app/spei-end.ts), and the
 * answer is TRANSFER_FAILED saying why in the customer's words (SPEI.RETURNED, SPEI.TIMED_OUT).
 */
import { failureEvent } from '@centli/kit/event-handler';
import type { TaskInputOf, TaskOutputOf } from '@centli/schemas';
import { giveBackTransactionId } from '../domain/spei-out';
import { SpeiReturnedError, SpeiTimedOutError } from '../errors';
import { endTransfer, SpeiEndBlockedError, type EndDeps } from './spei-end';
import { heldOrder } from './spei-send-order';

export async function giveBackSpeiTransfer(input: TaskInputOf<'spei-give-back'>, deps: EndDeps): Promise<TaskOutputOf<'spei-give-back'>> {
  const record = await heldOrder(deps.store, input);
  if (record.status !== 'devuelta' && record.status !== 'timed_out') throw new SpeiEndBlockedError(`transfer ${record.transfer_id} is ${record.status}, not devuelta or timed_out`);
  const ended = await endTransfer(
    record,
    () => ({ transactionId: giveBackTransactionId(record.transfer_id), requires: ['devuelta', 'timed_out'], to: { account_id: record.from_account_id, user_id: record.user_id }, description: `Devolución SPEI: ${record.concepto}`.slice(0, 140) }),
    deps,
  );
  const amount = { amount: ended.amount, currency: ended.currency };
  const why = ended.status === 'devuelta' ? new SpeiReturnedError(amount, ended.receiving_bank, ended.return_reason) : new SpeiTimedOutError(amount, ended.receiving_bank);
  return { transfer_id: record.transfer_id, detail: failureEvent('TRANSFER_FAILED', { request_id: record.request_id, correlation_id: input.correlation_id, user_id: record.user_id }, why).detail };
}
