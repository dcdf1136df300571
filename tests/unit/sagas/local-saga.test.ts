/**
 * The local saga runner, run on the real definition with every task faked through `wrapTask`
 * (no DynamoDB, no bus: the integration tests run the real handlers). What it must get right
 * is what Step Functions does: the path through the states, retries and catches, errors shaped
 * like Lambda's, execution names that are unique, and the history it keeps.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { detailValidator } from '@centli/schemas';
import { loadSagaDefinition, SagaRunner, taskStates, type SagaEventEntry, type TaskInvoker } from '../../../local/saga';
import { REPOSITORY_ROOT } from '../../../local/serverless-config';

const FILE = join(REPOSITORY_ROOT, 'sagas', 'purchase.asl.yml');
const IMPORTS = { 'centli-event-bus-name-local': 'centli-event-bus-local' };
const definition = loadSagaDefinition(FILE, 'local', IMPORTS);
const functionNames = taskStates(definition)
  .map(([, s]) => (s.Parameters as { FunctionName?: string }).FunctionName)
  .filter((n): n is string => n !== undefined);
const fakeFunctions = functionNames.map((functionName) => ({ functionName, dir: '/nowhere', handler: 'fake.handler', timeout: 10, memorySize: 128 }));

type Json = Parameters<TaskInvoker>[0];
type Behaviour = (payload: Record<string, unknown>, call: number) => unknown;

const request = {
  request_id: 'req-1',
  correlation_id: 'corr-1',
  user_id: 'user-ana',
  product_id: 'prod-1',
  retailer_id: 'ret-1',
  quantity: 1,
  account_id: 'acc-ana',
  total: 1_000_000,
  currency: 'MXN',
};
const input = { purchase_id: 'pur_1', request, second_factor_at: null };
const answerTo = { purchase_id: 'pur_1', request_id: 'req-1', correlation_id: 'corr-1', user_id: 'user-ana' };
const confirmed = {
  ...answerTo,
  product_id: 'prod-1',
  retailer_id: 'ret-1',
  product_name: 'Laptop',
  quantity: 1,
  unit_price: 1_000_000,
  discount: 0,
  total: 1_000_000,
  currency: 'MXN',
  formatted_total: '$10,000.00 MXN',
  cashback: 0,
  account_id: 'acc-ana',
  transaction_id: 'txn_1',
  confirmed_at: '2026-11-22T16:00:00.000Z',
};

/** What each task does when nothing is overridden: the happy path. */
const happy: Record<string, Behaviour> = {
  ReserveInventory: () => ({ purchase_id: 'pur_1', description: 'Compra: Laptop', quantity: 1, amount: 1_000_000, currency: 'MXN', settlement_account_id: 'acc-ret-1' }),
  ChargePayment: () => ({ purchase_id: 'pur_1', transaction_id: 'txn_1', amount: 1_000_000, currency: 'MXN' }),
  ConfirmPurchase: () => ({ purchase_id: 'pur_1', detail: confirmed }),
  RefundPayment: () => ({ purchase_id: 'pur_1', refunded_amount: 0 }),
  ReleaseInventory: () => ({ purchase_id: 'pur_1', released_quantity: 0 }),
};

/** An error as the Lambda integration reports a function error. */
function lambdaError(name: string, message = name): Error {
  return Object.assign(new Error(JSON.stringify({ errorType: name, errorMessage: message, trace: [] })), { name });
}

function setup(overrides: Record<string, Behaviour> = {}) {
  const behaviours = { ...happy, ...overrides };
  const calls: Record<string, Record<string, unknown>[]> = {};
  const published: SagaEventEntry[] = [];
  const runner = new SagaRunner({
    definitionFile: FILE,
    stateMachineName: 'centli-purchase-local',
    stage: 'local',
    functions: fakeFunctions,
    imports: IMPORTS,
    retryIntervalMs: 1,
    putEvents: async (entries) => {
      published.push(...entries);
      return { FailedEntryCount: 0, Entries: entries.map((_, i) => ({ EventId: `evt-${published.length + i}` })) };
    },
    wrapTask: (state, real) => {
      const behaviour = behaviours[state];
      if (!behaviour) return real;
      return async (taskInput: Json) => {
        const payload = (taskInput as { Payload: Record<string, unknown> }).Payload;
        const mine = (calls[state] ??= []);
        mine.push(payload);
        return { Payload: (await behaviour(payload, mine.length)) as Json, StatusCode: 200 };
      };
    },
  });
  const run = async (name = 'pur_1') => {
    runner.startExecution({ stateMachineArn: runner.stateMachineArn, name, input: JSON.stringify({ ...input, purchase_id: name }) });
    return runner.wait(name, 10_000);
  };
  return { runner, run, calls, published };
}

const path = (history: { states: { name: string }[] }) => history.states.map((s) => s.name);
const details = (entries: SagaEventEntry[]) => entries.map((e) => ({ type: e.DetailType, detail: JSON.parse(e.Detail) as Record<string, unknown> }));

describe('SagaRunner on the purchase saga', () => {
  it('reserves, charges, confirms and publishes PURCHASE_CONFIRMED', async () => {
    const { run, calls, published } = setup();

    const history = await run();

    expect(history.status).toBe('SUCCEEDED');
    expect(path(history)).toEqual(['ReserveInventory', 'ChargePayment', 'ConfirmPurchase', 'PublishConfirmed', 'Confirmed']);
    expect(details(published)).toEqual([{ type: 'PURCHASE_CONFIRMED', detail: confirmed }]);
    expect(published[0]).toMatchObject({ EventBusName: 'centli-event-bus-local', Source: 'centli.marketplace' });
    expect(calls.ChargePayment?.[0]).toMatchObject({ account_id: 'acc-ana', settlement_account_id: 'acc-ret-1', amount: 1_000_000, description: 'Compra: Laptop' });
    expect(calls.ConfirmPurchase?.[0]).toEqual({ purchase_id: 'pur_1', correlation_id: 'corr-1', user_id: 'user-ana', transaction_id: 'txn_1' });
    // $$.Execution.StartTime: set by the runner as the execution starts, before its first state is entered.
    const startedAt = Date.parse(String(calls.ReserveInventory?.[0]?.started_at));
    expect(startedAt).toBeGreaterThanOrEqual(Date.parse(history.startDate));
    expect(startedAt).toBeLessThanOrEqual(Date.parse(history.states[0]?.enteredAt ?? ''));
    expect(history.contractViolations).toEqual([]);
  });

  it('keeps each state’s input, output, attempts and timings', async () => {
    const { run } = setup();

    const history = await run();

    const reserve = history.states[0];
    expect(reserve).toMatchObject({ name: 'ReserveInventory', type: 'Task', input, attempts: [{ attempt: 1, function: 'centli-marketplace-local-reserve-inventory' }] });
    expect(reserve?.attempts[0]?.input).toMatchObject({ purchase_id: 'pur_1', request });
    expect(reserve?.attempts[0]?.output).toMatchObject({ amount: 1_000_000 });
    expect(reserve?.output).toMatchObject({ ReserveInventoryResult: { amount: 1_000_000, settlement_account_id: 'acc-ret-1' } });
    for (const visit of history.states) expect(visit.durationMs).toBeGreaterThanOrEqual(0);
    expect(history.durationMs).toBeGreaterThanOrEqual(0);
  });

  it('releases the stock and publishes PURCHASE_FAILED naming the reason when the product is out of stock', async () => {
    const { run, calls, published } = setup({
      ReserveInventory: () => {
        throw lambdaError('OutOfStockError', 'There are not enough units of that product in stock.');
      },
    });

    const history = await run();

    expect(path(history)).toEqual(['ReserveInventory', 'OutOfStock', 'ReleaseInventory', 'PublishFailed', 'Compensated']);
    expect(calls.ReserveInventory).toHaveLength(1);
    expect(calls.RefundPayment).toBeUndefined();
    expect(details(published)).toEqual([
      {
        type: 'PURCHASE_FAILED',
        detail: { ...answerTo, reason: 'PURCHASE.OUT_OF_STOCK', message: 'That product sold out; you were not charged.', field: 'quantity' },
      },
    ]);
    expect(detailValidator('PURCHASE_FAILED')(details(published)[0]?.detail)).toBeUndefined();
    expect(history.states[0]).toMatchObject({ caught: { errorEquals: ['OutOfStockError'], next: 'OutOfStock' } });
    expect(history.states[1]?.input).toMatchObject({ ReserveInventoryError: { Error: 'OutOfStockError' } });
  });

  it('releases (reserving nothing) and publishes PURCHASE.PRICE_CHANGED when the purchase would now cost other than the total approved', async () => {
    const { run, calls, published } = setup({
      ReserveInventory: () => {
        throw lambdaError('PriceChangedError', 'The price changed since you approved it: it is now $10,999.00 MXN. You were not charged; ask again to see the current price.');
      },
    });

    const history = await run();

    expect(path(history)).toEqual(['ReserveInventory', 'PriceChanged', 'ReleaseInventory', 'PublishFailed', 'Compensated']);
    expect(calls.ChargePayment).toBeUndefined();
    expect(calls.RefundPayment).toBeUndefined();
    expect(details(published)).toEqual([
      {
        type: 'PURCHASE_FAILED',
        detail: { ...answerTo, reason: 'PURCHASE.PRICE_CHANGED', message: 'The price changed since you approved it. You were not charged; ask again to see the current price.', field: 'total' },
      },
    ]);
    expect(detailValidator('PURCHASE_FAILED')(details(published)[0]?.detail)).toBeUndefined();
  });

  it('refunds (voiding the payment) and releases when the account lacks the funds', async () => {
    const { run, calls, published } = setup({
      ChargePayment: () => {
        throw lambdaError('PaymentInsufficientFundsError');
      },
    });

    const history = await run();

    expect(path(history)).toEqual(['ReserveInventory', 'ChargePayment', 'InsufficientFunds', 'RefundPayment', 'ReleaseInventory', 'PublishFailed', 'Compensated']);
    expect(calls.RefundPayment).toEqual([{ purchase_id: 'pur_1', correlation_id: 'corr-1', user_id: 'user-ana' }]);
    expect(details(published).map((p) => p.detail.reason)).toEqual(['PAYMENT.INSUFFICIENT_FUNDS']);
    expect(history.states.find((s) => s.name === 'InsufficientFunds')?.output).toMatchObject({ failure: { ...answerTo, reason: 'PAYMENT.INSUFFICIENT_FUNDS' } });
  });

  it.each(['ReserveInventory', 'ChargePayment', 'ConfirmPurchase'])('retries %s after a transient error and goes on', async (state) => {
    const { run, calls, published } = setup({
      [state]: (payload, call) => {
        if (call === 1) throw lambdaError('TransientError', 'DynamoDB throttled');
        return (happy[state] as Behaviour)(payload, call);
      },
    });

    const history = await run();

    expect(history.status).toBe('SUCCEEDED');
    expect(calls[state]).toHaveLength(2);
    const visit = history.states.find((s) => s.name === state);
    expect(visit?.retries).toEqual([{ attempt: 1, error: 'TransientError' }]);
    expect(visit?.attempts.map((a) => a.error?.error ?? 'ok')).toEqual(['TransientError', 'ok']);
    expect(details(published).map((p) => p.type)).toEqual(['PURCHASE_CONFIRMED']);
  });

  it.each([
    ['ReserveInventory', ['ReservationFailed', 'ReleaseInventory'], 'PURCHASE.RESERVATION_ERROR'],
    ['ChargePayment', ['PaymentFailed', 'RefundPayment', 'ReleaseInventory'], 'PURCHASE.PAYMENT_ERROR'],
    ['ConfirmPurchase', ['ConfirmationFailed', 'RefundPayment', 'ReleaseInventory'], 'PURCHASE.CONFIRMATION_ERROR'],
  ])('compensates when %s fails for good, and publishes exactly one PURCHASE_FAILED', async (state, compensation, reason) => {
    const { run, calls, published } = setup({
      [state]: () => {
        throw lambdaError('TransientError', 'still down');
      },
    });

    const history = await run();

    // One attempt and three retries, then the catch-all.
    expect(calls[state]).toHaveLength(4);
    const forward = ['ReserveInventory', 'ChargePayment', 'ConfirmPurchase'];
    expect(path(history)).toEqual([...forward.slice(0, forward.indexOf(state) + 1), ...compensation, 'PublishFailed', 'Compensated']);
    expect(details(published).map((p) => [p.type, p.detail.reason])).toEqual([['PURCHASE_FAILED', reason]]);
  });

  it('retries a compensation until it succeeds', async () => {
    const { run, calls } = setup({
      ConfirmPurchase: () => {
        throw lambdaError('PurchaseNotReservedError');
      },
      RefundPayment: (_, call) => {
        if (call < 5) throw lambdaError('Error', 'DynamoDB is down');
        return { purchase_id: 'pur_1', refunded_amount: 1_000_000 };
      },
    });

    const history = await run();

    expect(history.status).toBe('SUCCEEDED');
    expect(calls.RefundPayment).toHaveLength(5);
    expect(history.states.find((s) => s.name === 'RefundPayment')?.retries).toHaveLength(4);
  });
});

describe('SagaRunner as the Step Functions API', () => {
  it('starts one execution per name: the same request again gets the same execution while it runs, and ExecutionAlreadyExists after', async () => {
    let release: () => void = () => {};
    const gate = new Promise<void>((resolve) => (release = resolve));
    const { runner } = setup({
      ReserveInventory: async () => {
        await gate;
        return (happy.ReserveInventory as Behaviour)({}, 1);
      },
    });
    const start = { stateMachineArn: runner.stateMachineArn, name: 'pur_1', input: JSON.stringify(input) };

    const first = runner.startExecution(start);
    const again = runner.startExecution(start);
    expect(again).toEqual(first);
    expect(() => runner.startExecution({ ...start, input: JSON.stringify({ ...input, other: 1 }) })).toThrow(expect.objectContaining({ name: 'ExecutionAlreadyExists' }));
    release();
    await runner.wait('pur_1');
    expect(() => runner.startExecution(start)).toThrow(expect.objectContaining({ name: 'ExecutionAlreadyExists' }));
    expect(runner.history('pur_1')?.startRequests).toBe(4);
    expect(runner.list().map((e) => e.name)).toEqual(['pur_1']);
  });

  it('refuses another state machine, a bad name and input that is not JSON', () => {
    const { runner } = setup();
    expect(() => runner.startExecution({ stateMachineArn: 'arn:aws:states:us-east-1:000000000000:stateMachine:other', name: 'x' })).toThrow(
      expect.objectContaining({ name: 'StateMachineDoesNotExist' }),
    );
    expect(() => runner.startExecution({ stateMachineArn: runner.stateMachineArn, name: 'has space' })).toThrow(expect.objectContaining({ name: 'InvalidName' }));
    expect(() => runner.startExecution({ stateMachineArn: runner.stateMachineArn, name: 'ok', input: '{' })).toThrow(expect.objectContaining({ name: 'InvalidExecutionInput' }));
  });

  it('describes an execution as DescribeExecution does', async () => {
    const { runner, run } = setup();
    await run();
    const arn = runner.history('pur_1')?.executionArn;
    expect(arn).toBe('arn:aws:states:us-east-1:000000000000:execution:centli-purchase-local:pur_1');
    expect(runner.describeExecution({ executionArn: arn })).toMatchObject({ name: 'pur_1', status: 'SUCCEEDED', input: JSON.stringify(input) });
    expect(() => runner.describeExecution({ executionArn: 'nope' })).toThrow(expect.objectContaining({ name: 'ExecutionDoesNotExist' }));
  });
});

describe('loadSagaDefinition', () => {
  const dir = mkdtempSync(join(tmpdir(), 'centli-saga-'));
  const write = (name: string, text: string) => {
    const file = join(dir, name);
    writeFileSync(file, text);
    return file;
  };

  it('resolves the stage and the imported bus name as serverless.yml and CloudFormation would', () => {
    const reserve = definition.States.ReserveInventory as { Parameters: { FunctionName: string } };
    expect(reserve.Parameters.FunctionName).toBe('centli-marketplace-local-reserve-inventory');
    expect(JSON.stringify(definition)).not.toMatch(/Fn::|\$\{/);
  });

  it('refuses intrinsics only CloudFormation can evaluate, and exports it does not know', () => {
    const getAtt = write('getatt.yml', 'StartAt: A\nStates:\n  A:\n    Type: Pass\n    Result: !GetAtt Thing.Arn\n    End: true\n');
    expect(() => loadSagaDefinition(getAtt, 'local', {})).toThrow(/Fn::GetAtt cannot be evaluated locally/);
    const unknown = write('import.yml', 'StartAt: A\nStates:\n  A:\n    Type: Pass\n    Result: !ImportValue nobody-exports-this\n    End: true\n');
    expect(() => loadSagaDefinition(unknown, 'local', {})).toThrow(/no value for the export nobody-exports-this/);
  });

  it('refuses to run a Task it cannot map to something local', () => {
    const file = write('sqs.yml', 'StartAt: A\nStates:\n  A:\n    Type: Task\n    Resource: arn:aws:states:::sqs:sendMessage\n    Parameters: { QueueUrl: q, MessageBody: m }\n    End: true\n');
    expect(
      () => new SagaRunner({ definitionFile: file, stateMachineName: 'x', stage: 'local', functions: [], imports: {}, putEvents: async () => ({}) }),
    ).toThrow(/cannot run resource arn:aws:states:::sqs:sendMessage/);
  });
});
