import type { ExecutionHistory } from '../../../local/saga';
import { changes, parseArguments, renderHistory } from '../../../scripts/saga-trace';
import { purchaseIdFor } from '../../../services/marketplace/src/domain/purchase';

describe('saga:trace arguments', () => {
  it('takes a purchase id, or the user and request that make one', () => {
    expect(parseArguments(['pur_1'])).toMatchObject({ purchaseId: 'pur_1', json: false, full: false });
    expect(parseArguments(['--user', 'user-ana', '--request', 'r1', '--json'])).toMatchObject({ purchaseId: purchaseIdFor({ user_id: 'user-ana', request_id: 'r1' }), json: true });
    expect(parseArguments(['--list'])).toMatchObject({ list: true });
  });

  it.each([[[]], [['--user', 'u']], [['a', 'b']], [['--nope']]])('refuses %p', (argv) => {
    expect(() => parseArguments(argv)).toThrow();
  });
});

describe('renderHistory', () => {
  const history: ExecutionHistory = {
    executionArn: 'arn:aws:states:us-east-1:000000000000:execution:centli-purchase-local:pur_1',
    stateMachineArn: 'arn:aws:states:us-east-1:000000000000:stateMachine:centli-purchase-local',
    name: 'pur_1',
    status: 'SUCCEEDED',
    startDate: '2026-11-22T16:00:00.000Z',
    stopDate: '2026-11-22T16:00:01.500Z',
    durationMs: 1500,
    input: { purchase_id: 'pur_1' },
    output: { purchase_id: 'pur_1' },
    startRequests: 2,
    contractViolations: [],
    states: [
      {
        name: 'ChargePayment',
        type: 'Task',
        enteredAt: '2026-11-22T16:00:00.000Z',
        exitedAt: '2026-11-22T16:00:00.300Z',
        durationMs: 300,
        input: { purchase_id: 'pur_1' },
        output: { purchase_id: 'pur_1', ChargePaymentError: { Error: 'PaymentInsufficientFundsError' } },
        attempts: [
          { attempt: 1, resource: 'arn:aws:states:::lambda:invoke', function: 'centli-core-banking-local-charge-payment', input: { amount: 5 }, error: { error: 'TransientError', cause: 'busy' }, startedAt: 'x', durationMs: 12.5 },
          { attempt: 2, resource: 'arn:aws:states:::lambda:invoke', function: 'centli-core-banking-local-charge-payment', input: { amount: 5 }, error: { error: 'PaymentInsufficientFundsError', cause: 'no funds' }, startedAt: 'y', durationMs: 8 },
        ],
        retries: [{ attempt: 1, error: 'TransientError' }],
        error: { error: 'PaymentInsufficientFundsError', cause: 'no funds' },
        caught: { errorEquals: ['PaymentInsufficientFundsError'], next: 'InsufficientFunds' },
      },
    ],
  };

  it('shows each state with its attempts, errors, retries, catch, what it added and the timings', () => {
    const text = renderHistory(history);
    expect(text).toContain('pur_1  SUCCEEDED');
    expect(text).toContain('start requests: 2');
    expect(text).toContain(' 1. ChargePayment (Task)  300.0 ms');
    expect(text).toContain('attempt 1  centli-core-banking-local-charge-payment  12.5 ms');
    expect(text).toContain('error:  TransientError: busy');
    expect(text).toContain('retried after TransientError (retry 1)');
    expect(text).toContain('caught by [PaymentInsufficientFundsError] → InsufficientFunds');
    expect(text).toContain('$.ChargePaymentError = {"Error":"PaymentInsufficientFundsError"}');
  });

  it('finds what a state added to its input', () => {
    expect(changes({ a: 1, b: 2 }, { a: 1, b: 3, c: 4 })).toEqual({ b: 3, c: 4 });
  });
});
