import { executionArnOf, startSaga, type SagaStarter } from '@centli/kit/state-machine';

const machine = 'arn:aws:states:us-east-1:1:stateMachine:centli-purchase-test';
// What startSaga reads of a request: its ids, and the whole of it for its fingerprint.
const request = { request_id: 'req-1', correlation_id: 'corr-1', user_id: 'user-ana', product_id: 'prod-1', total: 999_900 };
const input = { purchase_id: 'pur_1', request };
const now = () => new Date('2026-11-26T18:00:00Z');
const answer = { detailType: 'PURCHASE_STARTED' as const, fields: { purchase_id: 'pur_1' }, now };
const started = { detailType: 'PURCHASE_STARTED', detail: { request_id: 'req-1', correlation_id: 'corr-1', user_id: 'user-ana', purchase_id: 'pur_1', started_at: '2026-11-26T18:00:00.000Z' } };

/** A saga whose execution `pur_1` already stands with `first` as its input, or none. */
function saga(first?: unknown): SagaStarter & { start: jest.Mock; inputOf: jest.Mock } {
  return {
    start: jest.fn(async () => ({ status: first === undefined ? ('started' as const) : ('already-started' as const) })),
    inputOf: jest.fn(async () => first),
  };
}

describe('startSaga', () => {
  it('starts the execution named by the request’s id and answers that it started, with the request’s ids', async () => {
    // Prepare
    const s = saga();

    // Act
    const answered = await startSaga(request, s, { machine, name: 'pur_1', input }, answer);

    // Assess
    expect(answered).toEqual(started);
    expect(s.start).toHaveBeenCalledWith(machine, 'pur_1', input);
    expect(s.inputOf).not.toHaveBeenCalled();
  });

  it('answers the same when the execution already stands for this very request, delivered again', async () => {
    // Prepare
    const s = saga({ ...input, request: { ...request, correlation_id: 'corr-first-delivery' } });

    // Act
    const answered = await startSaga(request, s, { machine, name: 'pur_1', input }, answer);

    // Assess
    expect(answered).toEqual(started);
    expect(s.inputOf).toHaveBeenCalledWith(executionArnOf(machine, 'pur_1'));
  });

  it('refuses a request_id reused for another request, whose execution stands', async () => {
    // Prepare
    const s = saga({ ...input, request: { ...request, total: 1 } });

    // Act
    const act = startSaga(request, s, { machine, name: 'pur_1', input }, answer);

    // Assess
    await expect(act).rejects.toMatchObject({ code: 'REQUEST.ID_REUSED', field: 'request_id' });
  });
});
