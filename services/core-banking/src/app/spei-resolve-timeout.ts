/**
 * SPEI saga, ResolveTimeout: no result came in time (or the order could not be sent). The order is
 * marked `timed_out` by the same one conditional update a result uses, only if no result is
 * recorded; if one landed in the race, it stands and the saga follows it (settles or gives back).
 * Never both: whichever update came first is the order's result.
 */
import type { TaskInputOf, TaskOutputOf } from '@centli/schemas';
import type { SpeiOrderStore } from '../adapters/spei-orders';
import { OPEN_STATUSES } from '../domain/spei-out';
import { heldOrder } from './spei-send-order';

export interface ResolveTimeoutDeps {
  store: Pick<SpeiOrderStore, 'getOrder' | 'recordResult'>;
  now: () => Date;
}

export async function resolveSpeiTimeout(input: TaskInputOf<'spei-resolve-timeout'>, deps: ResolveTimeoutDeps): Promise<TaskOutputOf<'spei-resolve-timeout'>> {
  const record = await heldOrder(deps.store, input);
  if (OPEN_STATUSES.includes(record.status)) {
    const marked = await deps.store.recordResult(record.transfer_id, record.clave_rastreo, { status: 'timed_out' }, deps.now().toISOString());
    if (marked) return { transfer_id: record.transfer_id, status: 'timed_out' };
  }
  const now = await heldOrder(deps.store, input);
  if (OPEN_STATUSES.includes(now.status)) throw new Error(`transfer ${now.transfer_id}: the timeout was refused but no result is recorded`);
  return { transfer_id: now.transfer_id, status: now.status as TaskOutputOf<'spei-resolve-timeout'>['status'] };
}
