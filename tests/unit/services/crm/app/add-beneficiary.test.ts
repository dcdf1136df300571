import type { Context } from 'aws-lambda';
import { eventHandler } from '@centli/kit/event-handler';
import { type Publisher } from '@centli/kit/publisher';
import { type OutgoingEvent } from '@centli/pure/events';
import { TransientError } from '@centli/pure/errors';
import type { BeneficiaryAddRequest } from '@centli/schemas';
import type { CommitResult } from '../../../../../services/crm/src/adapters/beneficiary-store';
import type { BeneficiaryPlan, RequestOutcome } from '../../../../../services/crm/src/domain/beneficiary';
import { addBeneficiary, type AddBeneficiaryDeps } from '../../../../../services/crm/src/app/add-beneficiary';
import { addBeneficiaryOptions } from '../../../../../services/crm/src/handlers/add-beneficiary';

const request: BeneficiaryAddRequest = {
  request_id: 'req-1',
  correlation_id: 'corr-1',
  user_id: 'user-ana',
  name: 'Rosa Hernández',
  alias: 'mi tía Rosa',
  clabe: '032180000118359719',
};
const { clabe: _, ...withoutClabe } = request;
const toAccount: BeneficiaryAddRequest = { ...withoutClabe, account_id: 'acc-carlos-nomina-3954' };

function fakes(results: CommitResult[] = [], stored?: RequestOutcome) {
  const commits: BeneficiaryPlan[] = [];
  const deps: AddBeneficiaryDeps = {
    store: {
      commitBeneficiary: jest.fn(async (plan: BeneficiaryPlan) => {
        commits.push(plan);
        return results.shift() ?? { status: 'committed' as const };
      }),
      settleRefusal: jest.fn(async (record: RequestOutcome) => stored ?? record),
    },
    accounts: { holderOf: jest.fn(async (accountId: string) => (accountId === 'acc-carlos-nomina-3954' ? { holder_name: 'Carlos García' } : accountId === 'acc-legacy-0001' ? {} : undefined)) },
    now: () => new Date('2026-11-22T16:00:00Z'),
    sleep: async () => undefined,
  };
  return { deps, commits };
}

describe('addBeneficiary', () => {
  it('answers BENEFICIARY_ADDED when the beneficiary, its alias and the outcome commit together', async () => {
    const { deps, commits } = fakes([{ status: 'committed' }]);

    const answer = (await addBeneficiary(request, deps)) as OutgoingEvent<'BENEFICIARY_ADDED'>;

    expect(answer.detailType).toBe('BENEFICIARY_ADDED');
    expect(answer.detail.beneficiary).toMatchObject({ name: 'Rosa Hernández', alias: 'mi tía Rosa', clabe: '032180000118359719' });
    expect(commits[0]?.reservation.beneficiary_id).toBe('alias#tia rosa');
    expect(commits[0]?.record.beneficiary_id).toBe('request#req-1');
    expect(deps.accounts.holderOf).not.toHaveBeenCalled();
  });

  it('checks that an internal account exists before saving it, and saves it under its holder’s registered name whatever name was given', async () => {
    const { deps, commits } = fakes();

    const answer = (await addBeneficiary({ ...toAccount, name: 'Pedro Ho' }, deps)) as OutgoingEvent<'BENEFICIARY_ADDED'>;

    expect(answer.detail.beneficiary).toMatchObject({ account_id: 'acc-carlos-nomina-3954', name: 'Carlos García', added_at: '2026-11-22T16:00:00.000Z' });
    expect(commits[0]?.item).toMatchObject({ name: 'Carlos García', created_at: '2026-11-22T16:00:00.000Z' });
    expect(deps.accounts.holderOf).toHaveBeenCalledWith('acc-carlos-nomina-3954');
  });

  it('keeps the given name for an account whose holder Core Banking has not recorded', async () => {
    const { deps } = fakes();

    const answer = (await addBeneficiary({ ...toAccount, account_id: 'acc-legacy-0001' }, deps)) as OutgoingEvent<'BENEFICIARY_ADDED'>;

    expect(answer.detail.beneficiary).toMatchObject({ account_id: 'acc-legacy-0001', name: 'Rosa Hernández' });
  });

  it('answers a redelivered request with its first outcome and adds nothing', async () => {
    const first = { detailType: 'BENEFICIARY_ADDED', detail: { beneficiary: { beneficiary_id: 'ben_first' } } } as unknown as OutgoingEvent;
    const { deps } = fakes([{ status: 'served', first: { user_id: 'user-ana', beneficiary_id: 'request#req-1', status: 'added', outcome: first, created_at: '2026-11-22T15:00:00Z' } }]);

    expect(await addBeneficiary(request, deps)).toBe(first);
    expect(deps.store.settleRefusal).not.toHaveBeenCalled();
  });

  it('refuses an alias the customer already uses', async () => {
    const { deps } = fakes([{ status: 'duplicate_alias' }]);

    await expect(addBeneficiary({ ...request, alias: 'Mi  Tía  Rosa' }, deps)).rejects.toMatchObject({
      code: 'BENEFICIARY.DUPLICATE_ALIAS',
      field: 'alias',
      message: 'You already have a beneficiary called "Mi Tía Rosa"; choose another alias.',
    });
  });

  it('refuses an account that does not exist without attempting the write, and records the refusal', async () => {
    const { deps } = fakes();

    const answer = await addBeneficiary({ ...toAccount, account_id: 'acc-nobody' }, deps);

    expect(answer).toMatchObject({ detailType: 'BENEFICIARY_REJECTED', detail: { reason: 'BENEFICIARY.ACCOUNT_NOT_FOUND', field: 'account_id' } });
    expect(deps.store.commitBeneficiary).not.toHaveBeenCalled();
    expect(deps.store.settleRefusal).toHaveBeenCalledWith(expect.objectContaining({ beneficiary_id: 'request#req-1', status: 'refused', request_hash: expect.any(String) }));
  });

  it('refuses a request_id reused for another request, answering neither the first outcome nor a new one', async () => {
    const first = { detailType: 'BENEFICIARY_ADDED', detail: { beneficiary: { beneficiary_id: 'ben_first' } } } as unknown as OutgoingEvent;
    const { deps } = fakes([{ status: 'served', first: { user_id: 'user-ana', beneficiary_id: 'request#req-1', status: 'added', outcome: first, created_at: '2026-11-22T16:00:00.000Z', request_hash: 'another-request' } }]);

    await expect(addBeneficiary(request, deps)).rejects.toMatchObject({ code: 'REQUEST.ID_REUSED', field: 'request_id' });
  });

  it('refuses an invalid CLABE before reading or writing anything', async () => {
    const { deps } = fakes();

    await expect(addBeneficiary({ ...request, clabe: '032180000118359718' }, deps)).rejects.toMatchObject({ code: 'BENEFICIARY.INVALID_CLABE' });
    expect(deps.store.commitBeneficiary).not.toHaveBeenCalled();
    expect(deps.accounts.holderOf).not.toHaveBeenCalled();
  });

  it('retries a transaction conflict and commits', async () => {
    const { deps } = fakes([{ status: 'contention' }, { status: 'contention' }, { status: 'committed' }]);

    expect(((await addBeneficiary(request, deps)) as OutgoingEvent).detailType).toBe('BENEFICIARY_ADDED');
    expect(deps.store.commitBeneficiary).toHaveBeenCalledTimes(3);
  });

  it('gives up on a conflict that never clears with a transient error, so the delivery is retried later', async () => {
    const { deps } = fakes(Array.from({ length: 20 }, () => ({ status: 'contention' as const })));

    await expect(addBeneficiary(request, deps)).rejects.toBeInstanceOf(TransientError);
  });
});

describe('the add-beneficiary handler', () => {
  const context = { functionName: 'centli-crm-test-add-beneficiary', awsRequestId: 'aws-1', getRemainingTimeInMillis: () => 10_000 } as unknown as Context;
  const busEvent = (detail: unknown) => ({
    version: '0',
    id: 'evt-1',
    'detail-type': 'BENEFICIARY_ADD_REQUEST',
    source: 'centli.agent-gateway',
    account: '000000000000',
    time: '2026-11-22T16:00:00Z',
    region: 'us-east-1',
    resources: [],
    detail,
  });

  function wired(deps: AddBeneficiaryDeps) {
    const sent: OutgoingEvent[] = [];
    const publisher: Publisher = { publish: async (_source, events) => void sent.push(...events) };
    const handler = eventHandler((detail: BeneficiaryAddRequest) => addBeneficiary(detail, deps), { ...addBeneficiaryOptions, publisher });
    return { handler, sent };
  }

  it.each([
    ['an invalid CLABE', { ...request, clabe: '03218000011835971X' }, 'BENEFICIARY.INVALID_CLABE', 'clabe'],
    ['a request that breaks its schema', { ...request, clabe: 42 }, 'REQUEST.INVALID', 'clabe'],
    ['an unknown field', { ...request, iban: 'x' }, 'REQUEST.INVALID', 'iban'],
  ])('answers %s with BENEFICIARY_REJECTED naming the reason and the field', async (_, detail, reason, field) => {
    const { deps } = fakes();
    const { handler, sent } = wired(deps);

    await handler(busEvent(detail), context);

    expect(sent).toEqual([{ detailType: 'BENEFICIARY_REJECTED', detail: expect.objectContaining({ request_id: 'req-1', correlation_id: 'corr-1', user_id: 'user-ana', reason, field }) }]);
    expect(deps.store.commitBeneficiary).not.toHaveBeenCalled();
  });

  it('answers a duplicate alias with BENEFICIARY_REJECTED', async () => {
    const { deps } = fakes([{ status: 'duplicate_alias' }]);
    const { handler, sent } = wired(deps);

    await handler(busEvent(request), context);

    expect(sent).toEqual([{ detailType: 'BENEFICIARY_REJECTED', detail: expect.objectContaining({ reason: 'BENEFICIARY.DUPLICATE_ALIAS', field: 'alias' }) }]);
  });
});
