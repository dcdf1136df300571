import { type PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { eventBridgePublisher, MAX_PUT_EVENTS_BYTES, putEventsBatches, putEventsEntrySize } from '@centli/kit/publisher';
import { outgoing } from '@centli/pure/events';

const failure = (n: number) => outgoing('BALANCE_FAILED', { correlation_id: `corr-${n}`, reason: 'BALANCE.ACCOUNT_NOT_FOUND', message: 'not found' });

describe('eventBridgePublisher', () => {
  it('sends in batches of ten to the named bus with the source and a JSON detail', async () => {
    const batches: PutEventsCommand['input'][] = [];
    const client = {
      send: jest.fn(async (command: PutEventsCommand) => {
        batches.push(command.input);
        return { FailedEntryCount: 0, Entries: command.input.Entries?.map((_, i) => ({ EventId: `e${i}` })) };
      }),
    };
    const publisher = eventBridgePublisher({ busName: 'centli-event-bus-test', client: client as never });

    await publisher.publish('centli.core-banking', Array.from({ length: 23 }, (_, i) => failure(i)));

    expect(batches.map((b) => b.Entries?.length)).toEqual([10, 10, 3]);
    expect(batches[0]?.Entries?.[0]).toEqual({
      EventBusName: 'centli-event-bus-test',
      Source: 'centli.core-banking',
      DetailType: 'BALANCE_FAILED',
      Detail: JSON.stringify(failure(0).detail),
    });
  });

  it('sends again only the entries the bus did not accept', async () => {
    const attempts: string[][] = [];
    const client = {
      send: jest.fn(async (command: PutEventsCommand) => {
        const ids = command.input.Entries?.map((e) => JSON.parse(e.Detail ?? '{}').correlation_id as string) ?? [];
        attempts.push(ids);
        const first = attempts.length === 1;
        return { Entries: ids.map((id) => (first && id === 'corr-1' ? { ErrorCode: 'InternalFailure', ErrorMessage: 'try again' } : { EventId: id })) };
      }),
    };
    const publisher = eventBridgePublisher({ busName: 'b', client: client as never, sleep: async () => undefined });

    await publisher.publish('centli.core-banking', [failure(0), failure(1), failure(2)]);

    expect(attempts).toEqual([['corr-0', 'corr-1', 'corr-2'], ['corr-1']]);
  });

  it('refuses to publish a detail that breaks its schema, sending nothing', async () => {
    const client = { send: jest.fn() };
    const publisher = eventBridgePublisher({ busName: 'b', client: client as never });
    const broken = outgoing('BALANCE_FAILED', { correlation_id: 'c', reason: 'not a code', message: 'x' });

    await expect(publisher.publish('centli.core-banking', [broken])).rejects.toThrow('refusing to publish an invalid BALANCE_FAILED');
    expect(client.send).not.toHaveBeenCalled();
  });
});

describe('PutEvents limits', () => {
  const entry = (detail: string) => ({ Source: 'centli.test', DetailType: 'X', Detail: detail });

  it('counts an entry as EventBridge does: Source, DetailType, Detail, Resources, and 14 bytes for a Time', () => {
    expect(putEventsEntrySize({ Source: 'centli.crm', DetailType: 'ABC', Detail: '{"a":"ñ"}', Resources: ['arn:x'], Time: new Date() })).toBe(10 + 3 + 10 + 5 + 14);
  });

  it('splits entries into requests of at most ten entries and 256 KB', () => {
    const big = entry('x'.repeat(100 * 1024));
    const small = entry('{}');
    const batches = putEventsBatches([big, big, big, ...Array.from({ length: 12 }, () => small)]);
    expect(batches.map((b) => b.length)).toEqual([2, 1 + 9, 3]);
    for (const batch of batches) expect(batch.reduce((sum, e) => sum + putEventsEntrySize(e), 0)).toBeLessThanOrEqual(MAX_PUT_EVENTS_BYTES);
  });

  it('refuses an entry larger than EventBridge accepts, rather than sending it', () => {
    expect(() => putEventsBatches([entry('x'.repeat(MAX_PUT_EVENTS_BYTES))])).toThrow(/over EventBridge's 262144-byte limit/);
  });
});
