/**
 * SPEI saga, AwaitResult (`.waitForTaskToken`): keeps the task's token on the order record, where
 * the participant's result finds it (app/spei-order-result.ts sends it SendTaskSuccess). A result
 * recorded before the token was kept (it raced the send) is answered here at once, with this
 * attempt's token. Either way the one conditional update on the record decides, so the task is
 * answered whichever comes first.
 */
import type { TaskInputOf, TaskOutputOf } from '@centli/schemas';
import type { SpeiOrderStore } from '../adapters/spei-orders';
import type { SpeiSaga } from '../adapters/spei-saga';
import { OPEN_STATUSES } from '../domain/spei-out';
import { heldOrder } from './spei-send-order';

export interface AwaitResultDeps {
  store: Pick<SpeiOrderStore, 'getOrder' | 'keepToken'>;
  saga: Pick<SpeiSaga, 'succeed'>;
  now: () => Date;
}

export async function awaitSpeiResult(input: TaskInputOf<'spei-await-result'>, deps: AwaitResultDeps): Promise<TaskOutputOf<'spei-await-result'>> {
  const record = await heldOrder(deps.store, input);
  if (OPEN_STATUSES.includes(record.status) && (await deps.store.keepToken(record.transfer_id, input.task_token, deps.now().toISOString()))) return { transfer_id: record.transfer_id, waiting: true };
  const now = await heldOrder(deps.store, input);
  if (OPEN_STATUSES.includes(now.status)) throw new Error(`transfer ${now.transfer_id}: the token was refused but no result is recorded`);
  await deps.saga.succeed(input.task_token, { status: now.status });
  return { transfer_id: now.transfer_id, waiting: false };
}
