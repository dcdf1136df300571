import type { Context } from 'aws-lambda';
import { eventListener, type ListenedEvent } from '@centli/kit/event-listener';
import { observabilityFor, tracer } from '@centli/kit/observability';
import { dimensionsOf, metricLines, printed, traceAsInLambda } from './output';

const context = {
  functionName: 'centli-agent-gateway-test-respond',
  awsRequestId: 'aws-req-1',
  invokedFunctionArn: 'arn:aws:lambda:us-east-1:000000000000:function:centli-agent-gateway-test-respond',
  memoryLimitInMB: '512',
  functionVersion: '$LATEST',
  getRemainingTimeInMillis: () => 10_000,
} as unknown as Context;

const busEvent = (detail: unknown, detailType = 'BALANCE_RESPONSE', id = 'evt-1') => ({
  version: '0',
  id,
  'detail-type': detailType,
  source: 'centli.core-banking',
  account: '000000000000',
  time: '2026-11-26T16:00:00Z',
  region: 'us-east-1',
  resources: [],
  detail,
});

const balance = (correlationId: string) => ({ request_id: `${correlationId}-balance`, correlation_id: correlationId, user_id: 'user-ana', accounts: [], totals: [] });

afterEach(() => jest.restoreAllMocks());

describe('eventListener', () => {
  it('hands a valid event to the function', async () => {
    const seen: ListenedEvent[] = [];
    const handler = eventListener(async (event) => void seen.push(event), { service: 'agent-gateway', handler: 'respond' });

    await handler(busEvent(balance('chat-1')), context);

    expect(seen).toEqual([{ id: 'evt-1', source: 'centli.core-banking', detailType: 'BALANCE_RESPONSE', detail: balance('chat-1') }]);
  });

  it.each([
    ['a handled event', async () => undefined, busEvent(balance('chat-1')), 'completed'],
    ['an event whose detail breaks its schema', async () => undefined, busEvent({ correlation_id: 'chat-1' }), 'dropped'],
    ['an event of no known detail-type', async () => undefined, busEvent(balance('chat-1'), 'NOT_A_TYPE'), 'dropped'],
    [
      'an event the function fails on',
      async () => {
        throw new Error('socket hang up');
      },
      busEvent(balance('chat-1')),
      'failed',
    ],
  ])('counts the invocation once by outcome after %s', async (_, fn, event, outcome) => {
    const output = await printed(async () => {
      await eventListener(fn, { service: 'agent-gateway', handler: 'respond' })(event, context).catch(() => undefined);
    });

    const lines = metricLines(output, 'Invocations');
    expect(lines).toHaveLength(1);
    expect(dimensionsOf(lines[0]!).values).toEqual({ service: 'agent-gateway', Handler: 'respond', Outcome: outcome });
  });

  it('puts the event’s correlation id on the lines of what it calls through the shared logger, and not on the next event’s', async () => {
    // Act: what the chat gateway's deps log goes through the service's own logger, shared with the listener.
    const output = await printed(async () => {
      const obs = observabilityFor('agent-gateway');
      const handler = eventListener(
        async (event) => {
          obs.logger.info('turn moved', { detail_type: event.detailType });
          obs.metrics.addMetric('AnswerDelivered', 'Count', 1);
        },
        { service: 'agent-gateway', handler: 'respond', observability: obs },
      );
      await handler(busEvent(balance('chat-1')), context);
      await handler(busEvent({ correlation_id: 'chat-2' }, 'BALANCE_RESPONSE', 'evt-2'), context);
    });

    // Assess
    expect(output.logs.map((line) => [line.message, line.correlation_id, line.request_id])).toEqual([
      ['turn moved', 'chat-1', 'chat-1-balance'],
      ['event dropped: its detail breaks its schema', 'chat-2', undefined],
    ]);
    expect(metricLines(output, 'AnswerDelivered')).toHaveLength(1);
  });

  it('annotates the invocation’s trace with the event’s correlation id and detail-type', async () => {
    const facade = traceAsInLambda(tracer());

    await eventListener(async () => undefined, { service: 'agent-gateway', handler: 'respond' })(busEvent(balance('chat-1')), context);

    expect(facade.subsegments[0]?.annotations).toEqual(expect.objectContaining({ correlation_id: 'chat-1', detail_type: 'BALANCE_RESPONSE' }));
  });
});
