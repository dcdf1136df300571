import { correlationIdFor, followUpRequestId, isCorrelationOf, queryRequestId, sendRequestId, stamp } from '@centli/tools/ids';

describe('the request-id scheme', () => {
  const corr = correlationIdFor('mcp', '3f6a1d2e-8c4b-4e9a-b1d7-5a0c9e2f4b61');

  it('names a call by its door', () => {
    expect(corr).toBe('mcp-3f6a1d2e-8c4b-4e9a-b1d7-5a0c9e2f4b61');
    expect(isCorrelationOf('mcp', corr)).toBe(true);
    expect(isCorrelationOf('chat', corr)).toBe(false);
    expect(isCorrelationOf('chat', 42)).toBe(false);
  });

  it('keys each request of a call by what it is for, so no two are the same request', () => {
    // Act
    const ids = [queryRequestId(corr, 'beneficiary'), queryRequestId(corr, 'beneficiary', 1), queryRequestId(corr, 'accounts'), sendRequestId(corr), followUpRequestId(corr, 'status', 1), followUpRequestId(corr, 'status', 2)];

    // Assess
    expect(ids).toEqual([`${corr}-beneficiary`, `${corr}-beneficiary-1`, `${corr}-accounts`, `${corr}-send`, `${corr}-status-1`, `${corr}-status-2`]);
    expect(new Set(ids).size).toBe(ids.length);
    for (const id of ids) expect(id).toMatch(/^[A-Za-z0-9][A-Za-z0-9._:-]{0,127}$/);
  });

  it('stamps the door’s customer over whatever the request says', () => {
    // Act
    const stamped = stamp({ detailType: 'BALANCE_QUERY', detail: { user_id: 'user-luis', account_id: 'acc-1' } }, { requestId: 'r-1', correlationId: corr, userId: 'user-ana' });

    // Assess
    expect(stamped).toEqual({ detailType: 'BALANCE_QUERY', detail: { account_id: 'acc-1', request_id: 'r-1', correlation_id: corr, user_id: 'user-ana' } });
  });
});
