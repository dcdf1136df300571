/**
 * The local bus on a free loopback port, driven by the real AWS SDK EventBridge client; the
 * targets are fakes, so no DynamoDB is involved.
 */
import { EventBridgeClient, PutEventsCommand, type PutEventsRequestEntry } from '@aws-sdk/client-eventbridge';
import { startEventBus, type BusTarget, type DeadLetter, type LocalEventBus } from '../../../local/bus';
import type { EventBridgeEvent } from '../../../local/eventbridge-event';

const BUS = 'centli-event-bus-local';
const ARN = `arn:aws:events:us-east-1:000000000000:event-bus/${BUS}`;
const ANY_CENTLI = { source: [{ prefix: 'centli.' }] };

function entry(detailType: string, detail: Record<string, unknown>, overrides: Partial<PutEventsRequestEntry> = {}): PutEventsRequestEntry {
  return { EventBusName: BUS, Source: 'centli.test', DetailType: detailType, Detail: JSON.stringify(detail), ...overrides };
}

/** A target that records what it receives and how many deliveries run at once. */
function recordingTarget(name: string, pattern: Record<string, unknown>, behave: (event: EventBridgeEvent) => Promise<unknown> = async () => undefined) {
  const received: EventBridgeEvent[] = [];
  const stats = { running: 0, maxRunning: 0, calls: 0 };
  const target: BusTarget = {
    name,
    pattern,
    invoke: async (event) => {
      stats.calls++;
      stats.running++;
      stats.maxRunning = Math.max(stats.maxRunning, stats.running);
      try {
        received.push(event);
        return await behave(event);
      } finally {
        stats.running--;
      }
    },
  };
  return { target, received, stats };
}

describe('LocalEventBus', () => {
  let bus: LocalEventBus;
  let client: EventBridgeClient;
  const balance = recordingTarget('balance', { ...ANY_CENTLI, 'detail-type': ['BALANCE_QUERY'] });
  const flaky = recordingTarget('flaky', { 'detail-type': ['FLAKY'] }, async (event) => {
    if (flaky.received.filter((seen) => seen.id === event.id).length < 2) throw new Error('not yet');
  });
  const broken = recordingTarget('broken', { 'detail-type': ['BROKEN'] }, async () => {
    throw new TypeError('always fails');
  });
  const slow = recordingTarget('slow', { 'detail-type': ['SLOW'] }, () => new Promise((resolve) => setTimeout(resolve, 10)));

  beforeAll(async () => {
    bus = await startEventBus({ busName: BUS, port: 0 }, [balance.target, flaky.target, broken.target, { ...slow.target, concurrency: 4 }]);
    client = new EventBridgeClient({ endpoint: bus.url, region: 'us-east-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
  });

  afterAll(async () => {
    client.destroy();
    await bus.stop();
  });

  it('gives every accepted entry an id and delivers it to the matching target after answering', async () => {
    // Act
    const result = await client.send(
      new PutEventsCommand({ Entries: [entry('BALANCE_QUERY', { correlation_id: 'ids', n: 1 }), entry('BALANCE_QUERY', { correlation_id: 'ids', n: 2 }, { EventBusName: ARN })] }),
    );
    await bus.idle();

    // Assess
    expect(result.FailedEntryCount).toBe(0);
    const ids = result.Entries?.map((e) => e.EventId);
    expect(ids).toEqual([expect.stringMatching(/^[0-9a-f-]{36}$/), expect.stringMatching(/^[0-9a-f-]{36}$/)]);
    const delivered = balance.received.filter((event) => event.detail.correlation_id === 'ids');
    expect(delivered.map((event) => event.id)).toEqual(ids);
    expect(delivered[0]).toMatchObject({
      version: '0',
      'detail-type': 'BALANCE_QUERY',
      source: 'centli.test',
      account: '000000000000',
      region: 'us-east-1',
      resources: [],
      detail: { correlation_id: 'ids', n: 1 },
    });
  });

  it('answers PutEvents before any target runs', () => {
    // Prepare
    const before = balance.stats.calls;

    // Act
    const result = bus.putEvents([entry('BALANCE_QUERY', { correlation_id: 'async' })]);

    // Assess
    expect(result.FailedEntryCount).toBe(0);
    expect(balance.stats.calls).toBe(before);
    return bus.idle().then(() => expect(balance.stats.calls).toBe(before + 1));
  });

  it('refuses entries one by one, accepting the rest', async () => {
    // Act
    const result = await client.send(
      new PutEventsCommand({
        Entries: [
          entry('BALANCE_QUERY', { correlation_id: 'refusals' }, { EventBusName: 'some-other-bus' }),
          entry('BALANCE_QUERY', { correlation_id: 'refusals' }, { Detail: '[1, 2]' }),
          entry('BALANCE_QUERY', { correlation_id: 'refusals' }, { Detail: 'not json' }),
          entry('BALANCE_QUERY', { correlation_id: 'refusals' }, { Source: undefined }),
          entry('BALANCE_QUERY', { correlation_id: 'refusals' }, { DetailType: undefined }),
          entry('BALANCE_QUERY', { correlation_id: 'refusals' }),
        ],
      }),
    );

    // Assess
    expect(result.FailedEntryCount).toBe(5);
    expect(result.Entries?.map((e) => e.ErrorCode ?? 'accepted')).toEqual([
      'ResourceNotFoundException',
      'MalformedDetail',
      'MalformedDetail',
      'InvalidArgument',
      'InvalidArgument',
      'accepted',
    ]);
    expect(result.Entries?.[0]?.ErrorMessage).toMatch(/Event bus some-other-bus does not exist/);
    expect(result.Entries?.[3]?.ErrorMessage).toMatch(/Source is a required argument/);
  });

  it('refuses a request with more than ten entries', async () => {
    // Prepare
    const entries = Array.from({ length: 11 }, (_, n) => entry('BALANCE_QUERY', { n }));

    // Act / Assess
    await expect(client.send(new PutEventsCommand({ Entries: entries }))).rejects.toMatchObject({ name: 'ValidationException' });
  });

  it('answers an operation it does not know with an AWS-style error', async () => {
    // Act
    const response = await fetch(bus.url, {
      method: 'POST',
      headers: { 'X-Amz-Target': 'AWSEvents.ListRules', 'Content-Type': 'application/x-amz-json-1.1', Authorization: 'AWS4-HMAC-SHA256 anything' },
      body: '{}',
    });

    // Assess
    expect(response.status).toBe(400);
    expect(await response.json()).toEqual({ __type: 'UnknownOperationException', message: expect.stringContaining('AWSEvents.ListRules') });
  });

  it('retries a target that throws, and delivers once it succeeds', async () => {
    // Act
    await client.send(new PutEventsCommand({ Entries: [entry('FLAKY', { correlation_id: 'flaky' })] }));
    await bus.idle();

    // Assess
    const [recorded] = bus.events({ correlationId: 'flaky' });
    expect(recorded?.deliveries).toEqual([{ target: 'flaky', attempts: 2, outcome: 'succeeded', durationMs: expect.any(Number), startedAt: expect.any(Number) }]);
    // The first attempt's start, after the bus accepted the event (a benchmark's hop timestamps).
    expect(recorded?.deliveries[0]?.startedAt).toBeGreaterThanOrEqual(recorded?.acceptedAt ?? Infinity);
  });

  it('dead-letters a delivery that fails on every attempt', async () => {
    // Prepare
    const started = Date.now();

    // Act
    const result = await client.send(new PutEventsCommand({ Entries: [entry('BROKEN', { correlation_id: 'broken' })] }));
    await bus.idle();

    // Assess
    expect(broken.stats.calls).toBe(3);
    // Two backoffs, of 50-100 ms then 100-200 ms.
    expect(Date.now() - started).toBeGreaterThanOrEqual(150);
    const deadLetters = (await (await fetch(`${bus.url}/dead-letters`)).json()) as DeadLetter[];
    expect(deadLetters).toEqual([
      {
        target: 'broken',
        attempts: 3,
        error: { name: 'TypeError', message: 'always fails' },
        time: expect.any(String),
        event: expect.objectContaining({ id: result.Entries?.[0]?.EventId, 'detail-type': 'BROKEN' }),
      },
    ]);
    expect(bus.events({ correlationId: 'broken' })[0]?.deliveries[0]).toMatchObject({ outcome: 'failed', attempts: 3 });
  });

  it('serves the events of one correlation id in order, as EventBridge events', async () => {
    // Prepare
    const ids: string[] = [];
    for (const step of ['first', 'second', 'third']) {
      const result = await client.send(
        new PutEventsCommand({ Entries: [entry('BALANCE_QUERY', { correlation_id: 'ordered', step }), entry('BALANCE_QUERY', { correlation_id: 'other' })] }),
      );
      ids.push(result.Entries?.[0]?.EventId as string);
    }

    // Act
    const events = (await (await fetch(`${bus.url}/events?correlation_id=ordered`)).json()) as EventBridgeEvent[];
    const typed = (await (await fetch(`${bus.url}/events?detail_type=FLAKY&include=deliveries`)).json()) as Array<EventBridgeEvent & { deliveries: unknown[] }>;

    // Assess
    expect(events.map((event) => event.id)).toEqual(ids);
    expect(events.map((event) => event.detail.step)).toEqual(['first', 'second', 'third']);
    expect(Object.keys(events[0] ?? {}).sort()).toEqual(['account', 'detail', 'detail-type', 'id', 'region', 'resources', 'source', 'time', 'version']);
    expect(typed).toHaveLength(1);
    expect(typed[0]?.deliveries).toHaveLength(1);
  });

  it('pushes the events of a correlation id to a waiting client the moment the awaited detail type is accepted', async () => {
    // Prepare: a client waits before the answer exists.
    await client.send(new PutEventsCommand({ Entries: [entry('BALANCE_QUERY', { correlation_id: 'pushed' })] }));
    let answered = false;
    const waiting = fetch(`${bus.url}/events/wait?correlation_id=pushed&detail_type=BALANCE_RESPONSE,BALANCE_FAILED`).then(async (response) => {
      answered = true;
      return (await response.json()) as EventBridgeEvent[];
    });
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(answered).toBe(false);

    // Act
    await client.send(new PutEventsCommand({ Entries: [entry('BALANCE_RESPONSE', { correlation_id: 'other' })] }));
    await client.send(new PutEventsCommand({ Entries: [entry('BALANCE_RESPONSE', { correlation_id: 'pushed' })] }));
    const events = await waiting;
    const already = (await (await fetch(`${bus.url}/events/wait?correlation_id=pushed&detail_type=BALANCE_RESPONSE`)).json()) as EventBridgeEvent[];
    const answered2 = (await (await fetch(`${bus.url}/events/wait?correlation_id=pushed&exclude_source=${encodeURIComponent(entry('X', {}).Source as string)}&timeout_ms=20`)).json()) as EventBridgeEvent[];
    const timedOut = (await (await fetch(`${bus.url}/events/wait?correlation_id=nobody&timeout_ms=20`)).json()) as EventBridgeEvent[];

    // Assess
    expect(events.map((event) => event['detail-type'])).toEqual(['BALANCE_QUERY', 'BALANCE_RESPONSE']);
    expect(already).toHaveLength(2);
    // Every event here came from the one source excluded: nothing to wait for, so the timeout’s [].
    expect(answered2).toEqual([]);
    expect(timedOut).toEqual([]);
  });

  it('keeps each target within its concurrency limit', async () => {
    // Prepare
    const entries = Array.from({ length: 100 }, (_, n) => entry('SLOW', { correlation_id: 'burst', n }));
    const batches = Array.from({ length: 10 }, (_, n) => entries.slice(n * 10, n * 10 + 10));

    // Act
    await Promise.all(batches.map((batch) => client.send(new PutEventsCommand({ Entries: batch }))));
    await bus.idle();

    // Assess
    expect(slow.received).toHaveLength(100);
    expect(slow.stats.maxRunning).toBe(4);
  });

  it('reports its health', async () => {
    // Act
    const health = (await (await fetch(`${bus.url}/health`)).json()) as Record<string, unknown>;

    // Assess
    expect(health).toMatchObject({ status: 'ok', bus: BUS, pending: 0, deadLetters: 1 });
  });

  it('validates a target’s pattern when it is registered', () => {
    expect(() => bus.register({ name: 'bad', pattern: { source: 'centli.x' }, invoke: async () => undefined })).toThrow(/target bad: .*source/);
  });
});

describe('LocalEventBus limits', () => {
  it('refuses a PutEvents request whose entries are over 256 KB in all, as EventBridge does', async () => {
    // Prepare
    const bus = await startEventBus({ busName: BUS, port: 0 });
    const client = new EventBridgeClient({ endpoint: bus.url, region: 'us-east-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
    const half = JSON.stringify({ padding: 'x'.repeat(130 * 1024) });

    try {
      // Act / Assess
      await expect(client.send(new PutEventsCommand({ Entries: [entry('BIG', {}, { Detail: half }), entry('BIG', {}, { Detail: half })] }))).rejects.toMatchObject({ name: 'ValidationException' });
      const one = await client.send(new PutEventsCommand({ Entries: [entry('BIG', {}, { Detail: half })] }));
      expect(one.FailedEntryCount).toBe(0);
    } finally {
      client.destroy();
      await bus.stop();
    }
  });
});
