/** MTU_SET_REQUEST → MTU_SET or MTU_SET_FAILED, exactly once per request_id. */
import { failureEvent, type Answer } from '@centli/kit/event-handler';
import { requestFingerprint } from '@centli/pure/canonical';
import { retryOnContention } from '@centli/pure/contention';
import { ContentionError } from '@centli/pure/errors';
import { outcomeKey, replay } from '@centli/pure/outcome';
import type { MtuSetRequest } from '@centli/schemas';
import type { LedgerStore } from '../adapters/ledger-store';
import { mtuOf, planMtuChange } from '../domain/mtu';
import { StaleRefusalError } from '../domain/transfer';
import { MtuError, MtuSecondFactorRequiredError } from '../errors';

export interface SetMtuDeps {
  store: Pick<LedgerStore, 'commitMtu' | 'settleRefusal'>;
  /** The MTU of a customer who set none. */
  defaultMtu: number;
  now: () => Date;
  sleep?: (ms: number) => Promise<void>;
}

/**
 * Sets the customer's MTU: lowered at once, raised only with a fresh second factor, decided in
 * the write against the MTU as it then is. A request_id seen before gets its first answer again.
 */
export async function setMtu(request: MtuSetRequest, deps: SetMtuDeps): Promise<Answer> {
  const outcomeId = outcomeKey('mtu-set', request.user_id, request.request_id);
  const requestHash = requestFingerprint(request as unknown as Record<string, unknown>);
  try {
    return await retryOnContention(
      async () => {
        const plan = planMtuChange(request, deps.defaultMtu, deps.now());
        const result = await deps.store.commitMtu(plan, outcomeId, requestHash);
        switch (result.status) {
          case 'committed':
            return plan.completed;
          case 'served':
            return replay(result.first, requestHash);
          case 'contention':
            throw new ContentionError();
          case 'refused':
            if (!result.refusal.mtu) throw new StaleRefusalError();
            throw new MtuSecondFactorRequiredError({ amount: mtuOf(result.refusal.mtu, deps.defaultMtu), currency: 'MXN' });
        }
      },
      { what: 'the MTU', sleep: deps.sleep },
    );
  } catch (error) {
    if (error instanceof MtuError) {
      const refusal = failureEvent('MTU_SET_FAILED', request, error);
      return replay(await deps.store.settleRefusal(outcomeId, refusal, deps.now().toISOString(), requestHash), requestHash);
    }
    throw error;
  }
}
