/**
 * SPEI saga, Settle: the order is `liquidada`; the held money moves from the in-transit account to
 * the bank's SPEI settlement account, once (app/spei-end.ts), and the answer is TRANSFER_COMPLETED
 * with the order (its spei block).
 */
import type { TaskInputOf, TaskOutputOf } from '@centli/schemas';
import { completedDetail, settleTransactionId } from '../domain/spei-out';
import { endTransfer, SpeiEndBlockedError, type EndDeps } from './spei-end';
import { heldOrder } from './spei-send-order';

export async function settleSpeiTransfer(input: TaskInputOf<'spei-settle'>, deps: EndDeps): Promise<TaskOutputOf<'spei-settle'>> {
  const record = await heldOrder(deps.store, input);
  if (record.status !== 'liquidada') throw new SpeiEndBlockedError(`transfer ${record.transfer_id} is ${record.status}, not liquidada`);
  const accounts = await deps.accounts();
  const ended = await endTransfer(record, () => ({ transactionId: settleTransactionId(record.transfer_id), requires: ['liquidada'], to: accounts.settlement, description: `SPEI ${record.clave_rastreo}` }), deps);
  return { transfer_id: record.transfer_id, detail: { ...completedDetail(ended, accounts.settlement.account_id, ended.ended_at), correlation_id: input.correlation_id } };
}
