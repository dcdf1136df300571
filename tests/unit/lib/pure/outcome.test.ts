import { requestFingerprint } from '@centli/pure/canonical';
import { RequestIdReusedError } from '@centli/pure/errors';
import type { OutgoingEvent } from '@centli/pure/events';
import { outcomeKey, outcomeRecord, replay, sameRequest } from '@centli/pure/outcome';

const completed = { detailType: 'TRANSFER_COMPLETED', detail: { request_id: 'req-1', transaction_id: 'txn_first' } } as unknown as OutgoingEvent;
const request = { request_id: 'req-1', correlation_id: 'corr-1', user_id: 'user-ana', amount: 10_000 };

describe('outcomeKey', () => {
  it('scopes a request id by kind and customer', () => {
    // Act
    const key = outcomeKey('transfer', 'user-ana', 'req-1');

    // Assess
    expect(key).toBe('transfer#user-ana#req-1');
    expect(outcomeKey('transfer', 'user-luis', 'req-1')).not.toBe(key);
    expect(outcomeKey('payment', 'user-ana', 'req-1')).not.toBe(key);
  });
});

describe('outcomeRecord', () => {
  it('keeps the outcome, its status, when it was and the request’s fingerprint', () => {
    // Act
    const record = outcomeRecord('completed', completed, '2026-11-22T16:00:00.000Z', requestFingerprint(request));

    // Assess
    expect(record).toEqual({ status: 'completed', outcome: completed, created_at: '2026-11-22T16:00:00.000Z', request_hash: requestFingerprint(request) });
  });
});

describe('replay', () => {
  const first = outcomeRecord('completed', completed, '2026-11-22T16:00:00.000Z', requestFingerprint(request));

  it('answers a redelivery of the same request with the first outcome', () => {
    // Act
    const answer = replay(first, requestFingerprint(request));

    // Assess
    expect(answer).toBe(completed);
  });

  it('answers the same request with the first outcome whatever its correlation id, as the fingerprint ignores it', () => {
    // Act
    const answer = replay(first, requestFingerprint({ ...request, correlation_id: 'corr-retry' }));

    // Assess
    expect(answer).toBe(completed);
  });

  it('refuses a request_id reused for another request as REQUEST.ID_REUSED', () => {
    // Act
    const act = () => replay(first, requestFingerprint({ ...request, amount: 20_000 }));

    // Assess
    expect(act).toThrow(RequestIdReusedError);
    expect(act).toThrow(expect.objectContaining({ code: 'REQUEST.ID_REUSED', field: 'request_id' }) as Error);
  });

  it('takes a record written before fingerprints were kept as the same request', () => {
    // Prepare
    const { request_hash: _, ...old } = first;

    // Act
    const answer = replay(old, requestFingerprint({ ...request, amount: 20_000 }));

    // Assess
    expect(answer).toBe(completed);
  });
});

describe('sameRequest', () => {
  it('gives back the first record itself, whatever else it keeps', () => {
    // Prepare
    const payment = { pk: 'payment#user-ana#pur_1', status: 'charged', request_hash: 'h1' };

    // Act, Assess
    expect(sameRequest(payment, 'h1')).toBe(payment);
    expect(() => sameRequest(payment, 'h2')).toThrow(RequestIdReusedError);
  });
});
