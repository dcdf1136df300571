/**
 * SPEI saga, Hold: the customer's money into the bank's SPEI in-transit account, under exactly
 * the rules of a transfer (domain/transfer.ts: funds, per-transfer and daily limits, the MTU, the
 * new-payee limit), one transaction with the request's outcome and the transfer's order record,
 * once per request. A refusal is recorded like a transfer's and answered as data (the saga
 * publishes it as TRANSFER_FAILED), so every retry and redelivery gets the first answer.
 */
import { failureEvent } from '@centli/kit/event-handler';
import { requestFingerprint } from '@centli/pure/canonical';
import { retryOnContention } from '@centli/pure/contention';
import { CentliError, ContentionError } from '@centli/pure/errors';
import type { OutgoingEvent } from '@centli/pure/events';
import { outcomeKey, replay } from '@centli/pure/outcome';
import type { TaskInputOf, TaskOutputOf, TransferFailed } from '@centli/schemas';
import type { SpeiOrderStore } from '../adapters/spei-orders';
import { holdTransferRequest, planHold, type SpeiAccounts } from '../domain/spei-out';
import { checkTransferRequest, explainRefusal, type TransferLimits } from '../domain/transfer';

export interface HoldDeps {
  store: Pick<SpeiOrderStore, 'commitHold' | 'settleRefusal'>;
  accounts: () => Promise<SpeiAccounts>;
  limits: TransferLimits;
  now: () => Date;
  sleep?: (ms: number) => Promise<void>;
}

/** The hold's outcome key: `spei-hold#<user_id>#<request_id>`. */
export const holdOutcomeKey = (userId: string, requestId: string) => outcomeKey('spei-hold', userId, requestId);

export async function holdSpeiTransfer(input: TaskInputOf<'spei-hold'>, deps: HoldDeps): Promise<TaskOutputOf<'spei-hold'>> {
  const { request } = input;
  const outcomeId = holdOutcomeKey(request.user_id, request.request_id);
  const requestHash = requestFingerprint(request as unknown as Record<string, unknown>);
  try {
    const accounts = await deps.accounts();
    const transfer = holdTransferRequest(request, accounts.inTransit.account_id);
    checkTransferRequest(transfer, deps.limits);
    return await retryOnContention(
      async () => {
        const plan = planHold(input, accounts, deps.limits, deps.now(), requestHash);
        const result = await deps.store.commitHold(plan, outcomeId);
        switch (result.status) {
          case 'committed':
            return { transfer_id: input.transfer_id, held: true, transaction_id: plan.transfer.transactionId };
          case 'served':
            return answerOf(input.transfer_id, replay(result.first, requestHash), request.correlation_id);
          case 'contention':
            throw new ContentionError();
          case 'refused':
            // The in-transit account is the bank's: its refusal is a fault of the bank's setup, never the customer's to hear.
            if (result.refusal.destination) throw new Error(`the SPEI in-transit account ${accounts.inTransit.account_id} refused the hold`);
            throw explainRefusal(transfer, result.refusal, deps.limits);
        }
      },
      { what: 'the accounts', sleep: deps.sleep },
    );
  } catch (error) {
    if (error instanceof CentliError) {
      const refusal = failureEvent('TRANSFER_FAILED', request, error);
      const stored = await deps.store.settleRefusal(outcomeId, refusal, deps.now().toISOString(), requestHash);
      return answerOf(input.transfer_id, replay(stored, requestHash), request.correlation_id);
    }
    throw error;
  }
}

/** The hold's recorded outcome as the task's answer: held with its debit, or the refusal (for this delivery's correlation id). */
function answerOf(transferId: string, outcome: OutgoingEvent, correlationId: string): TaskOutputOf<'spei-hold'> {
  if (outcome.detailType === 'TRANSFER_COMPLETED') return { transfer_id: transferId, held: true, transaction_id: (outcome.detail as { transaction_id: string }).transaction_id };
  return { transfer_id: transferId, held: false, failure: { ...(outcome.detail as TransferFailed), correlation_id: correlationId } };
}
