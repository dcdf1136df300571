/**
 * SPEI saga, ResolveTimeout: no result came in time, the order could not be sent, or the hold
 * itself failed. A missing result does not mean the order did not settle (a result can be lost),
 * so before anything is given back the participant is asked, and the order stopped if it has not
 * settled (SpeiParticipant.cancelOrder; while it cannot answer this task fails transiently and the
 * money stays in transit). `cancelada`: the order is marked `timed_out`; `liquidada` or
 * `devuelta`: that result is recorded. Either by the same one conditional update a result uses,
 * only if no result is recorded; if one landed in the race, it stands and the saga follows it
 * (settles or gives back). Never both: whichever update came first is the order's result.
 * Where nothing was held (no order record), the request is closed the way a refusal is recorded
 * (TRANSFER.FAILED under the hold's outcome key), so a hold that lands late is refused; unless the
 * hold won that race, and then its order is timed out like any other.
 */
import { failureEvent } from '@centli/kit/event-handler';
import { requestFingerprint } from '@centli/pure/canonical';
import type { TaskInputOf, TaskOutputOf, TransferFailed } from '@centli/schemas';
import type { SpeiOrderStore } from '../adapters/spei-orders';
import type { SpeiParticipant } from '../adapters/spei-participant';
import { OPEN_STATUSES, type SpeiOrderRecord, type SpeiResult } from '../domain/spei-out';
import { SpeiHoldFailedError } from '../errors';
import { holdOutcomeKey } from './spei-hold';

export interface ResolveTimeoutDeps {
  store: Pick<SpeiOrderStore, 'getOrder' | 'recordResult' | 'settleRefusal'>;
  participant: Pick<SpeiParticipant, 'cancelOrder'>;
  now: () => Date;
}

type Output = TaskOutputOf<'spei-resolve-timeout'>;

export async function resolveSpeiTimeout(input: TaskInputOf<'spei-resolve-timeout'>, deps: ResolveTimeoutDeps): Promise<Output> {
  const mine = (record: SpeiOrderRecord | undefined) => (record?.user_id === input.user_id ? record : undefined);
  let record = mine(await deps.store.getOrder(input.transfer_id));
  if (!record) {
    const { request } = input;
    const ids = { request_id: request.request_id, correlation_id: input.correlation_id, user_id: input.user_id };
    const closed = await deps.store.settleRefusal(holdOutcomeKey(input.user_id, request.request_id), failureEvent('TRANSFER_FAILED', ids, new SpeiHoldFailedError()), deps.now().toISOString(), requestFingerprint(request as unknown as Record<string, unknown>));
    if (closed.outcome.detailType !== 'TRANSFER_COMPLETED') return { transfer_id: input.transfer_id, status: 'not_held', failure: { ...(closed.outcome.detail as TransferFailed), correlation_id: input.correlation_id } };
    record = mine(await deps.store.getOrder(input.transfer_id));
    if (!record) throw new Error(`transfer ${input.transfer_id} was held but has no order record`);
  }
  if (OPEN_STATUSES.includes(record.status)) {
    // Asked by the id of the order that was sent (the recorded one, the same on every attempt).
    const asked = await deps.participant.cancelOrder(record.order.order_id);
    const result: SpeiResult =
      asked.status === 'liquidada' ? { status: 'liquidada' } : asked.status === 'devuelta' ? { status: 'devuelta', ...(asked.reason ? { reason: asked.reason } : {}) } : { status: 'timed_out' };
    const marked = await deps.store.recordResult(record.transfer_id, record.clave_rastreo, result, deps.now().toISOString());
    if (marked) return { transfer_id: record.transfer_id, status: marked.status as Output['status'] };
    record = mine(await deps.store.getOrder(input.transfer_id));
  }
  if (!record || OPEN_STATUSES.includes(record.status)) throw new Error(`transfer ${input.transfer_id}: the timeout was refused but no result is recorded`);
  return { transfer_id: record.transfer_id, status: record.status as Output['status'] };
}
