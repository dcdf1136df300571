import { requestFingerprint } from '@centli/pure/canonical';
import type { OutgoingEvent } from '@centli/pure/events';
import { detailValidator, type MtuSetRequest } from '@centli/schemas';
import type { CommitResult, StoredOutcome } from '../../../../../services/core-banking/src/adapters/ledger-store';
import { setMtu, type SetMtuDeps } from '../../../../../services/core-banking/src/app/set-mtu';
import type { MtuChangePlan } from '../../../../../services/core-banking/src/domain/mtu';

const now = new Date('2026-12-06T18:00:00.000Z');
const request: MtuSetRequest = { request_id: 'req-1', correlation_id: 'corr-1', user_id: 'user-ana', amount: 2_000_000 };

function deps(results: CommitResult<StoredOutcome>[]) {
  const commits: MtuChangePlan[] = [];
  const settled: StoredOutcome[] = [];
  const d: SetMtuDeps = {
    store: {
      commitMtu: async (plan) => {
        commits.push(plan);
        return results.shift() ?? { status: 'committed' };
      },
      settleRefusal: async (pk, outcome, at, requestHash) => {
        const record: StoredOutcome = { pk, status: 'refused', outcome, created_at: at, request_hash: requestHash };
        settled.push(record);
        return record;
      },
    },
    defaultMtu: 1_275_000,
    now: () => now,
    sleep: async () => undefined,
  };
  return { d, commits, settled };
}

describe('setMtu', () => {
  it('answers MTU_SET with the new MTU once the write committed', async () => {
    // Prepare
    const { d, commits } = deps([{ status: 'committed' }]);

    // Act
    const answer = (await setMtu(request, d)) as OutgoingEvent;

    // Assess
    expect(answer.detailType).toBe('MTU_SET');
    expect(detailValidator('MTU_SET')(answer.detail)).toBeUndefined();
    expect(answer.detail).toMatchObject({ mtu: { amount: 2_000_000, is_default: false }, set_at: now.toISOString() });
    expect(commits.map((plan) => plan.guard?.condition)).toEqual(['mtu >= :amount']);
  });

  it('answers a raise the current MTU refused with MTU.SECOND_FACTOR_REQUIRED, naming the MTU that holds, and records it', async () => {
    // Prepare
    const { d, settled } = deps([{ status: 'refused', refusal: { mtu: {} } }]);

    // Act
    const answer = (await setMtu(request, d)) as OutgoingEvent;

    // Assess
    expect(answer).toMatchObject({ detailType: 'MTU_SET_FAILED', detail: { reason: 'MTU.SECOND_FACTOR_REQUIRED', field: 'amount', params: { mtu: { amount: 1_275_000, currency: 'MXN' } } } });
    expect(settled.map((record) => record.pk)).toEqual(['mtu-set#user-ana#req-1']);
  });

  it('tries again after contention, and answers the first outcome of a request served already', async () => {
    // Prepare
    const first = deps([{ status: 'committed' }]);
    const served = (await setMtu(request, first.d)) as OutgoingEvent;
    const requestHash = requestFingerprint(request as unknown as Record<string, unknown>);
    const { d, commits } = deps([{ status: 'contention' }, { status: 'served', first: { pk: 'mtu-set#user-ana#req-1', status: 'completed', outcome: served, created_at: now.toISOString(), request_hash: requestHash } }]);

    // Act
    const again = (await setMtu(request, d)) as OutgoingEvent;

    // Assess
    expect(commits).toHaveLength(2);
    expect(again).toEqual(served);
  });
});

