import type { Context } from 'aws-lambda';
import { tracer } from '@centli/kit/observability';
import { isTransient, taskHandler, TaskInputInvalidError } from '@centli/kit/task-handler';
import { CentliError, TransientError } from '@centli/pure/errors';
import { type TaskInputOf, type TaskOutputOf } from '@centli/schemas';
import { dimensionsOf, metricLines, printed, traceAsInLambda } from './output';

const context = {
  functionName: 'centli-core-banking-test-refund-payment',
  awsRequestId: 'aws-req-1',
  invokedFunctionArn: 'arn:aws:lambda:us-east-1:000000000000:function:centli-core-banking-test-refund-payment',
  memoryLimitInMB: '512',
  functionVersion: '$LATEST',
  getRemainingTimeInMillis: () => 10_000,
} as unknown as Context;

const input: TaskInputOf<'refund-payment'> = { purchase_id: 'pur_1', correlation_id: 'corr-1', user_id: 'user-ana' };
const output: TaskOutputOf<'refund-payment'> = { purchase_id: 'pur_1', refunded_amount: 1500 };

class DeclaredError extends CentliError {
  constructor() {
    super('PURCHASE.OUT_OF_STOCK');
  }
}
class UndeclaredError extends CentliError {
  constructor() {
    super('PURCHASE.PRODUCT_NOT_FOUND');
  }
}

const build = (fn: (i: TaskInputOf<'refund-payment'>) => Promise<TaskOutputOf<'refund-payment'>>) =>
  taskHandler(fn, { service: 'test', task: 'refund-payment', errors: [DeclaredError] });

describe('taskHandler', () => {
  it('calls the function with a valid input and returns what it answers', async () => {
    const fn = jest.fn(async () => output);

    await expect(build(fn)(input, context)).resolves.toEqual(output);
    expect(fn).toHaveBeenCalledWith(input);
  });

  it.each([
    ['a missing field', { purchase_id: 'pur_1', correlation_id: 'corr-1' }, 'user_id'],
    ['an unknown field', { ...input, amount: 5 }, 'amount'],
    ['a wrong type', { ...input, user_id: 7 }, 'user_id'],
  ])('refuses %s with TaskInputInvalidError naming the field, without calling the function', async (_, bad, field) => {
    const fn = jest.fn(async () => output);

    const error = await build(fn)(bad, context).catch((e: unknown) => e);

    expect(error).toBeInstanceOf(TaskInputInvalidError);
    expect(error).toMatchObject({ name: 'TaskInputInvalidError', field });
    expect(fn).not.toHaveBeenCalled();
  });

  it('lets a declared business error out under its own name, for the state’s Catch', async () => {
    const error = await build(async () => {
      throw new DeclaredError();
    })(input, context).catch((e: unknown) => e);

    expect(error).toBeInstanceOf(DeclaredError);
    expect((error as Error).name).toBe('DeclaredError');
  });

  it('lets an undeclared error out unchanged, for the catch-all', async () => {
    const error = await build(async () => {
      throw new UndeclaredError();
    })(input, context).catch((e: unknown) => e);

    expect((error as Error).name).toBe('UndeclaredError');
  });

  it.each([
    ['a retryable SDK error', Object.assign(new Error('throttled'), { name: 'ProvisionedThroughputExceededException', $retryable: { throttling: true } })],
    ['a 5xx from a service', Object.assign(new Error('internal'), { name: 'InternalServerError', $metadata: { httpStatusCode: 500 } })],
    ['a dropped connection', Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' })],
  ])('turns %s into TransientError, which the state retries', async (_, cause) => {
    const error = await build(async () => {
      throw cause;
    })(input, context).catch((e: unknown) => e);

    expect(error).toBeInstanceOf(TransientError);
    expect((error as Error).name).toBe('TransientError');
    expect((error as Error).cause).toBe(cause);
  });

  it('refuses to return an output its schema refuses', async () => {
    const error = await build(async () => ({ purchase_id: 'pur_1', refunded_amount: -1 }))(input, context).catch((e: unknown) => e);

    expect((error as Error).message).toMatch(/refund-payment produced an output its schema refuses: refunded_amount must be >= 0/);
  });

  it.each([
    ['a success', async () => output, 'TaskSucceeded'],
    [
      'a declared refusal',
      async () => {
        throw new DeclaredError();
      },
      'DeclaredError',
    ],
  ])('counts %s as an EMF metric of the task', async (_, fn, metric) => {
    const disabled = process.env.POWERTOOLS_METRICS_DISABLED;
    process.env.POWERTOOLS_METRICS_DISABLED = 'false';
    const chunks: string[] = [];
    const spy = jest.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
      chunks.push(chunk.toString());
      return true;
    });
    try {
      await build(fn)(input, context).catch(() => undefined);
    } finally {
      spy.mockRestore();
      process.env.POWERTOOLS_METRICS_DISABLED = disabled;
    }
    const emf = chunks
      .join('')
      .split('\n')
      .filter((l) => l.startsWith('{'))
      .map((l) => JSON.parse(l) as Record<string, unknown>)
      .find((l) => '_aws' in l);
    expect(emf).toMatchObject({ [metric]: 1, service: 'test', task: 'refund-payment', _aws: { CloudWatchMetrics: [{ Namespace: 'Centli' }] } });
  });

  it('tells the definition’s tests which task it is and which errors it declares', () => {
    const handler = build(async () => output);
    expect(handler.task).toBe('refund-payment');
    expect(handler.errorNames).toEqual(['DeclaredError']);
  });
});

describe('taskHandler observability', () => {
  afterEach(() => jest.restoreAllMocks());

  it.each([
    ['a success', async () => output, { Outcome: 'completed' }],
    [
      'a declared refusal, which leaves thrown for the state’s Catch',
      async () => {
        throw new DeclaredError();
      },
      { Outcome: 'refused', Code: 'PURCHASE.OUT_OF_STOCK' },
    ],
    [
      'a transient error, which the state retries',
      async () => {
        throw new TransientError('throttled');
      },
      { Outcome: 'failed' },
    ],
    [
      'an undeclared error',
      async () => {
        throw new UndeclaredError();
      },
      { Outcome: 'failed' },
    ],
  ])('counts the invocation once by outcome after %s, with the task as its handler', async (_, fn, expected) => {
    // Act
    const printedOutput = await printed(async () => {
      await build(fn)(input, context).catch(() => undefined);
    });

    // Assess
    const lines = metricLines(printedOutput, 'Invocations');
    expect(lines).toHaveLength(1);
    expect(dimensionsOf(lines[0]!).values).toEqual({ service: 'test', Handler: 'refund-payment', ...expected });
  });

  it('puts the correlation and purchase ids on the task’s log lines, and none on the next invocation’s', async () => {
    // Act: the second input has neither (and is refused for it).
    const printedOutput = await printed(async () => {
      const handler = build(async () => output);
      await handler(input, context);
      await handler({ user_id: 'user-ana' }, context).catch(() => undefined);
    });

    // Assess
    expect(printedOutput.logs.map((line) => [line.message, line.correlation_id, line.purchase_id, line.task])).toEqual([
      ['task done', 'corr-1', 'pur_1', 'refund-payment'],
      ['task input refused by its schema', 'unknown', undefined, 'refund-payment'],
    ]);
  });

  it('annotates the invocation’s trace with its correlation id and task', async () => {
    const facade = traceAsInLambda(tracer());

    await build(async () => output)(input, context);

    expect(facade.subsegments[0]?.annotations).toEqual(expect.objectContaining({ correlation_id: 'corr-1', task: 'refund-payment' }));
    expect(facade.subsegments[0]?.closed).toBe(true);
  });
});

describe('isTransient', () => {
  it.each([
    [new TransientError('x'), true],
    [Object.assign(new Error('x'), { name: 'ConditionalCheckFailedException', $metadata: { httpStatusCode: 400 } }), false],
    [Object.assign(new Error('x'), { name: 'TimeoutError' }), true],
    [new Error('a bug'), false],
    ['not an error', false],
  ])('classifies %p as %p', (error, expected) => {
    expect(isTransient(error)).toBe(expected);
  });
});
