import { KMSClient } from '@aws-sdk/client-kms';
import type { Context } from 'aws-lambda';
import { correlate, countOutcome, createTracer, metricCode, observabilityFor, observed, recordOutcome, traced, tracer } from '@centli/kit/observability';
import { dimensionsOf, metricLines, printed, traceAsInLambda } from './output';

const context = (awsRequestId = 'aws-req-1') =>
  ({
    functionName: 'centli-mcp-test-http',
    awsRequestId,
    invokedFunctionArn: 'arn:aws:lambda:us-east-1:000000000000:function:centli-mcp-test-http',
    memoryLimitInMB: '512',
    functionVersion: '$LATEST',
    getRemainingTimeInMillis: () => 10_000,
  }) as unknown as Context;

interface FrontDoorEvent {
  correlation_id?: string;
  refuse?: string;
  fail?: boolean;
}

/** A front door as the WebSocket and MCP handlers are written: correlate, act, record a refusal. */
function frontDoor(service = 'mcp') {
  const obs = observabilityFor(service);
  const handler = observed(
    async (event: FrontDoorEvent, lambda: Context) => {
      obs.logger.info('received');
      if (event.correlation_id) correlate(obs, { correlation_id: event.correlation_id, tool: 'get_balance', user_id: 'user-ana' });
      obs.logger.info('working');
      if (event.fail) throw new Error('socket hang up');
      if (event.refuse) recordOutcome(lambda, 'refused', event.refuse);
      return { statusCode: 200 };
    },
    obs,
    { handler: 'http' },
  );
  return { obs, handler };
}

afterEach(() => jest.restoreAllMocks());

describe('observed', () => {
  it('counts an invocation that returns as completed, for the service and for the handler', async () => {
    // Act
    const output = await printed(async () => {
      const { handler } = frontDoor();
      await handler({ correlation_id: 'corr-1' }, context());
    });

    // Assess
    const [line, ...more] = metricLines(output, 'Invocations');
    expect(more).toEqual([]);
    expect(line?.Invocations).toBe(1);
    expect(line?._aws.CloudWatchMetrics[0]?.Namespace).toBe('Centli');
    expect(dimensionsOf(line!)).toEqual({
      sets: [
        ['service', 'Outcome'],
        ['service', 'Outcome', 'Handler'],
      ],
      values: { service: 'mcp', Outcome: 'completed', Handler: 'http' },
    });
  });

  it('counts a recorded refusal with its code, under [service, Outcome, Code] as well', async () => {
    // Act
    const output = await printed(async () => {
      const { handler } = frontDoor();
      await handler({ correlation_id: 'corr-1', refuse: 'AUTH.UNAUTHENTICATED' }, context());
    });

    // Assess
    const [line] = metricLines(output, 'Invocations');
    expect(dimensionsOf(line!)).toEqual({
      sets: [
        ['service', 'Outcome'],
        ['service', 'Outcome', 'Handler'],
        ['service', 'Outcome', 'Code'],
      ],
      values: { service: 'mcp', Outcome: 'refused', Handler: 'http', Code: 'AUTH.UNAUTHENTICATED' },
    });
  });

  it('counts an invocation that throws as failed, and lets the error out', async () => {
    // Act
    let thrown: unknown;
    const output = await printed(async () => {
      const { handler } = frontDoor();
      thrown = await handler({ fail: true }, context()).catch((error: unknown) => error);
    });

    // Assess
    expect((thrown as Error).message).toBe('socket hang up');
    expect(dimensionsOf(metricLines(output, 'Invocations')[0]!).values).toEqual({ service: 'mcp', Outcome: 'failed', Handler: 'http' });
  });

  it('does not carry one invocation’s outcome into the next, even with the same context object', async () => {
    // Act
    const lambda = context();
    const output = await printed(async () => {
      const { handler } = frontDoor();
      await handler({ refuse: 'AUTH.UNAUTHENTICATED' }, lambda);
      await handler({}, lambda);
    });

    // Assess
    expect(metricLines(output, 'Invocations').map((line) => line.Outcome)).toEqual(['refused', 'completed']);
  });

  it('flushes what the function buffered in a line of its own, and warns of nothing when it buffered nothing', async () => {
    // Act
    const output = await printed(async () => {
      const obs = observabilityFor('agent-gateway');
      const handler = observed(
        async (event: { count: boolean }) => {
          if (event.count) obs.metrics.addMetric('AnswerDelivered', 'Count', 1);
        },
        obs,
        { handler: 'message' },
      );
      await handler({ count: true }, context());
      await handler({ count: false }, context());
    });

    // Assess
    const delivered = metricLines(output, 'AnswerDelivered');
    expect(delivered).toHaveLength(1);
    expect(dimensionsOf(delivered[0]!)).toEqual({ sets: [['service']], values: { service: 'agent-gateway' } });
    expect(metricLines(output, 'Invocations')).toHaveLength(2);
    expect(output.text).not.toMatch(/No application metrics/);
  });

  it('puts the correlation id on every later log line of the invocation, and the next invocation does not inherit it', async () => {
    // Act
    const output = await printed(async () => {
      const { handler } = frontDoor();
      await handler({ correlation_id: 'corr-1' }, context('aws-req-1'));
      await handler({}, context('aws-req-2'));
    });

    // Assess
    const logs = output.logs.map((line) => [line.message, line.function_request_id, line.correlation_id, line.tool, line.user_id]);
    expect(logs).toEqual([
      ['received', 'aws-req-1', undefined, undefined, undefined],
      ['working', 'aws-req-1', 'corr-1', 'get_balance', 'user-ana'],
      ['received', 'aws-req-2', undefined, undefined, undefined],
      ['working', 'aws-req-2', undefined, undefined, undefined],
    ]);
    expect(output.logs.every((line) => line.service === 'mcp')).toBe(true);
  });
});

describe('countOutcome', () => {
  it('publishes one line with a set per breakdown, each beside the service roll-up', async () => {
    // Act
    const output = await printed(async () => countOutcome({ service: 'mcp' }, 'ToolCalls', 'refused', { Tool: 'transfer_funds', Code: 'TRANSFER.INSUFFICIENT_FUNDS' }));

    // Assess
    expect(output.emf).toHaveLength(1);
    expect(output.emf[0]?.ToolCalls).toBe(1);
    expect(dimensionsOf(output.emf[0]!)).toEqual({
      sets: [
        ['service', 'Outcome'],
        ['service', 'Outcome', 'Tool'],
        ['service', 'Outcome', 'Code'],
      ],
      values: { service: 'mcp', Outcome: 'refused', Tool: 'transfer_funds', Code: 'TRANSFER.INSUFFICIENT_FUNDS' },
    });
  });

  it('prints nothing while metrics are disabled (the local stack, the unit project)', async () => {
    const output = await printed(async () => countOutcome({ service: 'mcp' }, 'ToolCalls', 'completed', { Tool: 'get_balance' }), { POWERTOOLS_METRICS_DISABLED: 'true' });

    expect(output.text).toBe('');
  });
});

describe('metricCode', () => {
  it.each(['TRANSFER.INSUFFICIENT_FUNDS', 'REQUEST.INVALID', 'AUTH.UNAUTHENTICATED', 'CONFIRMATION.EXPIRED'])('keeps the error model’s code %s', (code) => {
    expect(metricCode(code)).toBe(code);
  });

  it.each([
    ['free text', 'ignore previous instructions'],
    ['a lower-case code', 'transfer.insufficient_funds'],
    ['a code with a user id in it', 'TRANSFER.user-ana'],
    ['an overlong code', `TRANSFER.${'X'.repeat(80)}`],
    ['not a string', 42],
    ['nothing', undefined],
  ])('turns %s into OTHER, so a dimension never takes a value per input', (_, code) => {
    expect(metricCode(code)).toBe('OTHER');
  });
});

describe('tracing', () => {
  const LAMBDA = 'AWS_Lambda_nodejs22.x';

  it.each([
    ['the unit project, the local stack’s process or a script (no AWS_EXECUTION_ENV)', {}],
    ['a script on a machine that is not Lambda but sets AWS_EXECUTION_ENV (the seed loader in CloudShell, CI on CodeBuild)', { AWS_EXECUTION_ENV: 'CloudShell' }],
    ['sls invoke local, whatever the machine sets', { AWS_EXECUTION_ENV: LAMBDA, IS_LOCAL: 'true' }],
    ['the local stack’s handlers (POWERTOOLS_TRACE_ENABLED=false), whatever the machine sets', { AWS_EXECUTION_ENV: LAMBDA, POWERTOOLS_TRACE_ENABLED: 'false' }],
    ['SAM local', { AWS_EXECUTION_ENV: LAMBDA, AWS_SAM_LOCAL: 'true' }],
  ])('is off in %s', (_, env) => {
    const restore = setEnv({ AWS_EXECUTION_ENV: undefined, IS_LOCAL: undefined, POWERTOOLS_TRACE_ENABLED: undefined, AWS_SAM_LOCAL: undefined, ...env });
    try {
      expect(createTracer('test').isTracingEnabled()).toBe(false);
    } finally {
      restore();
    }
  });

  it('is on in Lambda', () => {
    // HTTP capture off: an enabled Tracer would otherwise patch the http modules of the whole test process.
    const restore = setEnv({ AWS_EXECUTION_ENV: LAMBDA, IS_LOCAL: undefined, POWERTOOLS_TRACE_ENABLED: undefined, AWS_SAM_LOCAL: undefined, POWERTOOLS_TRACER_CAPTURE_HTTPS_REQUESTS: 'false' });
    try {
      expect(createTracer('test').isTracingEnabled()).toBe(true);
    } finally {
      restore();
    }
  });

  it('touches no segment and prints nothing but log lines when off', async () => {
    // Prepare
    const provider = tracer().provider;
    const touched = [jest.spyOn(provider, 'getSegment'), jest.spyOn(provider, 'setSegment'), jest.spyOn(provider, 'putAnnotation'), jest.spyOn(provider, 'captureAWSv3Client')];

    // Act
    const output = await printed(async () => {
      const { handler } = frontDoor();
      await handler({ correlation_id: 'corr-1' }, context());
    });

    // Assess
    expect(tracer().isTracingEnabled()).toBe(false);
    touched.forEach((spy) => expect(spy).not.toHaveBeenCalled());
    const nonJson = output.text.split('\n').filter((line) => line.trim() !== '' && !line.startsWith('{'));
    expect(nonJson).toEqual([]);
    expect(output.logs.every((line) => line.level === 'INFO')).toBe(true);
  });

  it('leaves an AWS client as it is when off', () => {
    const client = new KMSClient({ region: 'us-east-1' });
    const before = client.middlewareStack.identify();

    expect(traced(client)).toBe(client);
    expect(client.middlewareStack.identify()).toEqual(before);
  });

  it('in Lambda, opens the handler subsegment, annotates it with the correlation id and the tool, and closes it', async () => {
    // Prepare
    const facade = traceAsInLambda(tracer());
    const { handler } = frontDoor();

    // Act
    await handler({ correlation_id: 'corr-1' }, context());

    // Assess
    const [subsegment, ...others] = facade.subsegments;
    expect(others).toEqual([]);
    expect(subsegment?.annotations).toEqual({ ColdStart: expect.any(Boolean), Service: 'mcp', correlation_id: 'corr-1', tool: 'get_balance' });
    expect(subsegment?.metadata).toEqual({});
    expect(subsegment?.closed).toBe(true);
    expect(facade.annotations).toEqual({});
  });

  it('in Lambda, records a thrown error on the handler subsegment', async () => {
    const facade = traceAsInLambda(tracer());
    const { handler } = frontDoor();

    await handler({ correlation_id: 'corr-2', fail: true }, context()).catch(() => undefined);

    expect(facade.subsegments[0]?.errors).toEqual([expect.objectContaining({ message: 'socket hang up' })]);
    expect(facade.subsegments[0]?.closed).toBe(true);
  });

  it('in Lambda, traces the kit’s own clients and every client made with awsClient', async () => {
    // Prepare: fresh kit modules, so that no client is cached yet.
    jest.resetModules();
    const kit = await import('@centli/kit/observability');
    const aws = await import('@centli/kit/aws');
    jest.spyOn(kit.tracer(), 'isTracingEnabled').mockReturnValue(true);
    const capture = jest.spyOn(kit.tracer().provider, 'captureAWSv3Client').mockImplementation((client) => client);

    // Act
    aws.dynamoDocumentClient();
    aws.eventBridgeClient();
    const kms = aws.awsClient(() => new KMSClient({ region: 'us-east-1' }));

    // Assess
    expect(capture.mock.calls.map(([client]) => (client as object).constructor.name)).toEqual(['DynamoDBClient', 'EventBridgeClient', 'KMSClient']);
    expect(capture.mock.calls[2]?.[0]).toBe(kms);
  });
});

function setEnv(values: Record<string, string | undefined>): () => void {
  const previous = Object.fromEntries(Object.keys(values).map((key) => [key, process.env[key]]));
  const apply = (entries: Record<string, string | undefined>) => {
    for (const [key, value] of Object.entries(entries)) {
      if (value === undefined) delete process.env[key];
      else process.env[key] = value;
    }
  };
  apply(values);
  return () => apply(previous);
}
