import { type OutgoingEvent } from '@centli/pure/events';
import { requestFingerprint } from '@centli/pure/canonical';
import { RequestIdReusedError, TransientError } from '@centli/pure/errors';
import type { CommitResult, StoredOutcome } from '../../../../../services/core-banking/src/adapters/ledger-store';
import { transferFunds, type TransferDeps } from '../../../../../services/core-banking/src/app/transfer';
import { transferRequest } from '../fixtures';

const request = transferRequest;

function fakeStore(results: CommitResult<StoredOutcome>[], stored?: StoredOutcome) {
  const settled: OutgoingEvent[] = [];
  const store = {
    findAccountOwner: jest.fn(async (accountId: string) => (accountId === 'acc-carlos-nomina-3954' ? 'user-carlos' : undefined)),
    commitTransfer: jest.fn(async () => results.shift() ?? { status: 'committed' as const }),
    settleRefusal: jest.fn(async (pk: string, outcome: OutgoingEvent, at: string): Promise<StoredOutcome> => {
      settled.push(outcome);
      return stored ?? { pk, status: 'refused', outcome, created_at: at };
    }),
  };
  return { store, settled };
}

const deps = (store: TransferDeps['store']): TransferDeps => ({
  store,
  limits: { maxAmount: 5_000_000, dailyLimit: 10_000_000, timeZone: 'America/Mexico_City', newPayeeLimit: 200_000, newPayeeHours: 24, defaultMtu: 1_275_000 },
  now: () => new Date('2026-11-22T16:00:00Z'),
  sleep: async () => undefined,
});

describe('transferFunds', () => {
  it('answers TRANSFER_COMPLETED when the transaction commits', async () => {
    const { store } = fakeStore([{ status: 'committed' }]);

    const answer = (await transferFunds(request, deps(store))) as OutgoingEvent;

    expect(answer.detailType).toBe('TRANSFER_COMPLETED');
    expect(answer.detail).toMatchObject({ request_id: 'req-1', amount: 10_000, formatted_amount: '$100.00 MXN', from_account_id: 'acc-ana-nomina-4821' });
    expect(store.commitTransfer).toHaveBeenCalledWith(expect.objectContaining({ destinationOwner: 'user-carlos' }), 'transfer#user-ana#req-1');
  });

  it('answers a repeated request with the first outcome and moves nothing', async () => {
    const first: StoredOutcome = {
      pk: 'transfer#user-ana#req-1',
      status: 'completed',
      outcome: { detailType: 'TRANSFER_COMPLETED', detail: { transaction_id: 'txn_first' } } as unknown as OutgoingEvent,
      created_at: '2026-11-22T15:00:00Z',
    };
    const { store } = fakeStore([{ status: 'served', first }], first);

    expect(await transferFunds(request, deps(store))).toBe(first.outcome);
    expect(store.settleRefusal).not.toHaveBeenCalled();
  });

  it('answers the same request from another correlation id with the first outcome', async () => {
    // Prepare
    const first: StoredOutcome = { pk: 'transfer#user-ana#req-1', status: 'completed', outcome: { detailType: 'TRANSFER_COMPLETED', detail: {} } as unknown as OutgoingEvent, created_at: 'x', request_hash: requestFingerprint(request as unknown as Record<string, unknown>) };
    const { store } = fakeStore([{ status: 'served', first }]);

    // Act, Assess
    expect(await transferFunds({ ...request, correlation_id: 'corr-retry' }, deps(store))).toBe(first.outcome);
  });

  it('refuses a request_id reused for another transfer as REQUEST.ID_REUSED, moving and recording nothing', async () => {
    // Prepare
    const first: StoredOutcome = { pk: 'transfer#user-ana#req-1', status: 'completed', outcome: { detailType: 'TRANSFER_COMPLETED', detail: {} } as unknown as OutgoingEvent, created_at: 'x', request_hash: requestFingerprint(request as unknown as Record<string, unknown>) };
    const { store } = fakeStore([{ status: 'served', first }]);

    // Act, Assess
    await expect(transferFunds({ ...request, amount: 20_000 }, deps(store))).rejects.toThrow(RequestIdReusedError);
    expect(store.settleRefusal).not.toHaveBeenCalled();
  });

  it('answers a refusal with the outcome that stood when it was settled, and refuses it for another request', async () => {
    // Prepare: the first delivery completed while this one found the money gone.
    const first: StoredOutcome = { pk: 'transfer#user-ana#req-1', status: 'completed', outcome: { detailType: 'TRANSFER_COMPLETED', detail: {} } as unknown as OutgoingEvent, created_at: 'x', request_hash: requestFingerprint(request as unknown as Record<string, unknown>) };
    const refused = { status: 'refused' as const, refusal: { source: { found: true, item: { user_id: 'user-ana', account_id: 'acc-ana-nomina-4821', balance: 5, currency: 'MXN', status: 'active' as const } } } };

    // Act, Assess
    expect(await transferFunds(request, deps(fakeStore([refused], first).store))).toBe(first.outcome);
    await expect(transferFunds({ ...request, amount: 20_000 }, deps(fakeStore([refused], first).store))).rejects.toThrow(RequestIdReusedError);
  });

  it('records a refusal as the request’s outcome and answers with whatever outcome stands', async () => {
    const { store, settled } = fakeStore([{ status: 'refused', refusal: { source: { found: true, item: { user_id: 'user-ana', account_id: 'acc-ana-nomina-4821', balance: 5, currency: 'MXN', status: 'active' } } } }]);

    const answer = (await transferFunds(request, deps(store))) as OutgoingEvent;

    expect(settled).toEqual([answer]);
    expect(answer).toEqual({
      detailType: 'TRANSFER_FAILED',
      detail: {
        request_id: 'req-1',
        correlation_id: 'corr-1',
        user_id: 'user-ana',
        reason: 'TRANSFER.INSUFFICIENT_FUNDS',
        message: 'You do not have enough funds: your account has $0.05 MXN available. No money moved.',
        field: 'amount',
        params: { available: { amount: 5, currency: 'MXN' } },
      },
    });
  });

  it('refuses an unknown destination without attempting the transaction', async () => {
    const { store } = fakeStore([]);

    const answer = (await transferFunds({ ...request, to_account_id: 'acc-nobody' }, deps(store))) as OutgoingEvent;

    expect(answer.detail).toMatchObject({ reason: 'TRANSFER.DESTINATION_NOT_FOUND', field: 'to_account_id' });
    expect(store.commitTransfer).not.toHaveBeenCalled();
  });

  it('refuses a transfer to the same account before reading anything', async () => {
    const { store } = fakeStore([]);

    const answer = (await transferFunds({ ...request, to_account_id: request.from_account_id }, deps(store))) as OutgoingEvent;

    expect(answer.detail).toMatchObject({ reason: 'TRANSFER.SAME_ACCOUNT' });
    expect(store.findAccountOwner).not.toHaveBeenCalled();
  });

  it('retries a transaction conflict and commits', async () => {
    const { store } = fakeStore([{ status: 'contention' }, { status: 'contention' }, { status: 'committed' }]);

    const answer = (await transferFunds(request, deps(store))) as OutgoingEvent;

    expect(answer.detailType).toBe('TRANSFER_COMPLETED');
    expect(store.commitTransfer).toHaveBeenCalledTimes(3);
  });

  it('gives up on a conflict that never clears with a transient error, so the delivery is retried later', async () => {
    const { store } = fakeStore(Array.from({ length: 20 }, () => ({ status: 'contention' as const })));

    await expect(transferFunds(request, deps(store))).rejects.toBeInstanceOf(TransientError);
    expect(store.settleRefusal).not.toHaveBeenCalled();
  });
});
