/** TRANSFER_REQUEST → TRANSFER_COMPLETED or TRANSFER_FAILED, exactly once per request_id. */
import { failureEvent, type Answer } from '@centli/kit/event-handler';
import { requestFingerprint } from '@centli/pure/canonical';
import { retryOnContention } from '@centli/pure/contention';
import { ContentionError } from '@centli/pure/errors';
import { outcomeKey, replay } from '@centli/pure/outcome';
import type { TransferRequest } from '@centli/schemas';
import type { LedgerStore } from '../adapters/ledger-store';
import { checkTransferRequest, explainRefusal, planTransfer, type TransferLimits } from '../domain/transfer';
import { DestinationNotFoundError, TransferError } from '../errors';

export interface TransferDeps {
  store: Pick<LedgerStore, 'findAccountOwner' | 'commitTransfer' | 'settleRefusal'>;
  limits: TransferLimits;
  now: () => Date;
  /** How to wait between attempts after a conflict; real time unless a test says otherwise. */
  sleep?: (ms: number) => Promise<void>;
}

/**
 * Moves the money, or explains why not. A request_id seen before gets the first answer
 * again, whether it was a completion or a refusal, and nothing moves twice.
 */
export async function transferFunds(request: TransferRequest, deps: TransferDeps): Promise<Answer> {
  const outcomeId = outcomeKey('transfer', request.user_id, request.request_id);
  const requestHash = requestFingerprint(request as unknown as Record<string, unknown>);
  try {
    checkTransferRequest(request, deps.limits);
    const owner = await deps.store.findAccountOwner(request.to_account_id);
    if (!owner) throw new DestinationNotFoundError();
    return await retryOnContention(
      async () => {
        const plan = planTransfer(request, owner, deps.limits, deps.now(), requestHash);
        const result = await deps.store.commitTransfer(plan, outcomeId);
        switch (result.status) {
          case 'committed':
            return plan.completed;
          case 'served':
            return replay(result.first, requestHash);
          case 'contention':
            throw new ContentionError();
          case 'refused':
            throw explainRefusal(request, result.refusal, deps.limits);
        }
      },
      { what: 'the accounts', sleep: deps.sleep },
    );
  } catch (error) {
    if (error instanceof TransferError) {
      const refusal = failureEvent('TRANSFER_FAILED', request, error);
      return replay(await deps.store.settleRefusal(outcomeId, refusal, deps.now().toISOString(), requestHash), requestHash);
    }
    throw error;
  }
}
