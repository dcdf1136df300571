/**
 * How a SPEI transfer ends (app/spei-settle.ts, app/spei-give-back.ts): the held money leaves the in-transit account once, one way.
 * Settle (the order is `liquidada`) moves it to the bank's SPEI settlement account and answers
 * TRANSFER_COMPLETED with the order; GiveBack (`devuelta` or `timed_out`) moves it back to the
 * customer and answers TRANSFER_FAILED saying why (SPEI.RETURNED, SPEI.TIMED_OUT). The movement
 * and the order's end are one transaction conditioned on the order's status and on its not having
 * ended, so a retry answers the end that stands and the other end can never happen.
 */
import { retryOnContention } from '@centli/pure/contention';
import { ContentionError } from '@centli/pure/errors';
import type { EndPlan, SpeiOrderStore } from '../adapters/spei-orders';
import type { SpeiAccounts, SpeiOrderRecord } from '../domain/spei-out';
import { SpeiReturnedError, SpeiTimedOutError } from '../errors';

export interface EndDeps {
  store: Pick<SpeiOrderStore, 'getOrder' | 'commitEnd'>;
  accounts: () => Promise<SpeiAccounts>;
  now: () => Date;
  sleep?: (ms: number) => Promise<void>;
}

/** The end cannot be written as things are (an account refused it); the state retries it. */
export class SpeiEndBlockedError extends Error {
  constructor(reason: string) {
    super(reason);
    this.name = 'SpeiEndBlockedError';
  }
}

export async function endTransfer(record: SpeiOrderRecord, plan: (at: string) => Omit<EndPlan, 'at' | 'record'>, deps: EndDeps): Promise<SpeiOrderRecord & { ended_at: string }> {
  if (record.end_transaction_id && record.ended_at) return record as SpeiOrderRecord & { ended_at: string };
  const accounts = await deps.accounts();
  return retryOnContention(
    async () => {
      const at = deps.now().toISOString();
      const result = await deps.store.commitEnd({ ...plan(at), at, record }, accounts);
      switch (result.status) {
        case 'committed':
          return { ...record, end_transaction_id: plan(at).transactionId, ended_at: at };
        case 'ended':
          return result.record as SpeiOrderRecord & { ended_at: string };
        case 'contention':
          throw new ContentionError();
        case 'refused':
          throw new SpeiEndBlockedError(`transfer ${record.transfer_id}: ${result.why}`);
      }
    },
    { what: 'the in-transit account', sleep: deps.sleep },
  );
}

/** The reason and message a transfer that came back carries: what GiveBack answered. */
export function givenBackWhy(record: SpeiOrderRecord): SpeiReturnedError | SpeiTimedOutError | undefined {
  const amount = { amount: record.amount, currency: record.currency };
  if (record.status === 'devuelta') return new SpeiReturnedError(amount, record.receiving_bank, record.return_reason);
  if (record.status === 'timed_out') return new SpeiTimedOutError(amount, record.receiving_bank);
  return undefined;
}
