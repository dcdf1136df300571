/**
 * Chaos mode's parts (local/chaos.ts, local/dynamodb-proxy.ts): decisions are reproducible from
 * a seed and follow their rates; faults are counted and logged with the correlation id they hit;
 * the DynamoDB proxy answers throttles in the shapes DynamoDB uses, which the AWS SDK parses into
 * the errors the handlers handle; calls made outside an invocation pass untouched.
 */
import { DynamoDBClient, GetItemCommand, TransactWriteItemsCommand, TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { createServer, request, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { cancelledByContention } from '../../../lib/pure/cancellation';
import { Chaos, CORRELATION_HEADER, DEFAULT_RATES, invocationContext, parseRates, tagOutgoingRequests, type FaultKind } from '../../../local/chaos';
import { startDynamoDbProxy, type DynamoDbProxy } from '../../../local/dynamodb-proxy';

const NONE = Object.fromEntries(Object.keys(DEFAULT_RATES).map((kind) => [kind, 0])) as Record<FaultKind, number>;

describe('Chaos', () => {
  it('draws the same decisions from the same seed, and others from another seed', () => {
    const draws = (seed: number) => {
      const chaos = new Chaos({ seed, rates: { duplicate: 0.5 } });
      return Array.from({ length: 64 }, () => chaos.strikes('duplicate', 'corr-1'));
    };
    expect(draws(20261126)).toEqual(draws(20261126));
    expect(draws(20261126)).not.toEqual(draws(1));
  });

  it('decides a request’s faults from the seed and its correlation id, whatever other requests were decided in between', () => {
    const busy = new Chaos({ seed: 11, rates: { 'fail-after': 0.5 } });
    const quiet = new Chaos({ seed: 11, rates: { 'fail-after': 0.5 } });
    const mine = (chaos: Chaos, noise: boolean) =>
      Array.from({ length: 32 }, (_, i) => {
        if (noise) chaos.strikes('fail-after', `other-${i}`, 'function=transfer');
        return chaos.strikes('fail-after', 'corr-mine', 'function=transfer');
      });
    expect(mine(busy, true)).toEqual(mine(quiet, false));
    expect(mine(new Chaos({ seed: 12, rates: { 'fail-after': 0.5 } }), false)).not.toEqual(mine(new Chaos({ seed: 11, rates: { 'fail-after': 0.5 } }), false));
  });

  it('strikes at about its rate, never at 0 and always at 1', () => {
    const chaos = new Chaos({ seed: 3, rates: { ...NONE, duplicate: 0.2, 'fail-after': 1 } });
    const strikes = Array.from({ length: 5000 }, () => chaos.strikes('duplicate', 'c')).filter(Boolean).length;
    expect(strikes / 5000).toBeGreaterThan(0.17);
    expect(strikes / 5000).toBeLessThan(0.23);
    expect(Array.from({ length: 100 }, () => chaos.strikes('fail-before', 'c')).some(Boolean)).toBe(false);
    expect(Array.from({ length: 100 }, () => chaos.strikes('fail-after', 'c')).every(Boolean)).toBe(true);
  });

  it('counts every fault it injects and logs it with the correlation id it hit', () => {
    const lines: string[] = [];
    const chaos = new Chaos({ seed: 9, rates: { ...NONE, 'socket-drop': 1 }, log: (line) => lines.push(line) });
    chaos.strikes('socket-drop', 'chat-1', 'connection=abc');
    chaos.strikes('socket-drop', undefined);
    chaos.strikes('duplicate', 'chat-2');
    expect(chaos.injected()).toEqual({ ...NONE, 'socket-drop': 2 });
    expect(lines).toEqual(['chaos socket-drop correlation_id=chat-1 connection=abc', 'chaos socket-drop correlation_id=unknown']);
  });

  it('delays a struck delivery by less than its longest delay, and others not at all', () => {
    const always = new Chaos({ seed: 5, rates: { ...NONE, delay: 1 }, maxDelayMs: 300 });
    const never = new Chaos({ seed: 5, rates: NONE });
    const delays = Array.from({ length: 200 }, () => always.delayFor('c', 'target'));
    expect(delays.every((ms) => ms >= 0 && ms < 300)).toBe(true);
    expect(new Set(delays).size).toBeGreaterThan(50);
    expect(never.delayFor('c', 'target')).toBe(0);
  });
});

describe('parseRates', () => {
  it('reads kind=rate pairs', () => {
    expect(parseRates(' duplicate=0.3, fail-after=0 ,')).toEqual({ duplicate: 0.3, 'fail-after': 0 });
  });

  it.each([
    ['meteor=0.1', /unknown fault meteor/],
    ['duplicate=lots', /the rate of duplicate must be a number from 0 to 1, got lots/],
    ['duplicate=-0.1', /from 0 to 1/],
    ['duplicate', /from 0 to 1, got undefined/],
  ])('refuses %s', (text, message) => {
    expect(() => parseRates(text)).toThrow(message);
  });
});

/** A stand-in for DynamoDB Local: answers every call with `{}` and remembers the headers it got. */
async function upstream(): Promise<{ server: Server; url: string; seen: IncomingHttpHeaders[] }> {
  const seen: IncomingHttpHeaders[] = [];
  const server = createServer((incoming, response) => {
    seen.push(incoming.headers);
    incoming.resume();
    incoming.on('end', () => response.writeHead(200, { 'content-type': 'application/x-amz-json-1.0' }).end('{}'));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, seen };
}

describe('tagOutgoingRequests', () => {
  it('tags the requests made inside an invocation with its correlation id, and no others', async () => {
    const target = await upstream();
    const undo = tagOutgoingRequests();
    const get = () => new Promise<void>((resolve, reject) => request(target.url, (response) => response.resume().on('end', resolve)).on('error', reject).end());
    try {
      await get();
      await invocationContext.run({ correlationId: 'chat-7' }, get);
    } finally {
      undo();
      target.server.close();
    }
    expect(target.seen.map((headers) => headers[CORRELATION_HEADER])).toEqual([undefined, 'chat-7']);
  });
});

describe('the DynamoDB proxy', () => {
  let target: Awaited<ReturnType<typeof upstream>>;
  let proxy: DynamoDbProxy | undefined;
  let undo: () => void;

  beforeEach(async () => {
    target = await upstream();
    undo = tagOutgoingRequests();
  });
  afterEach(async () => {
    undo();
    await proxy?.stop();
    target.server.close();
  });

  const client = () => new DynamoDBClient({ endpoint: proxy?.endpoint, region: 'us-east-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' }, maxAttempts: 1 });
  const transaction = new TransactWriteItemsCommand({
    TransactItems: [
      { Update: { TableName: 'accounts', Key: { account_id: { S: 'a' } }, UpdateExpression: 'SET balance = balance - :x', ExpressionAttributeValues: { ':x': { N: '1' } } } },
      { Update: { TableName: 'accounts', Key: { account_id: { S: 'b' } }, UpdateExpression: 'SET balance = balance + :x', ExpressionAttributeValues: { ':x': { N: '1' } } } },
    ],
  });

  it('cancels a transaction with a ThrottlingError reason the SDK reads as TransactionCanceledException, which is contention', async () => {
    proxy = await startDynamoDbProxy(target.url, new Chaos({ seed: 1, rates: { ...NONE, 'transaction-throttle': 1 } }));
    const error = await invocationContext.run({ correlationId: 'corr-1' }, () => client().send(transaction)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TransactionCanceledException);
    const reasons = (error as TransactionCanceledException).CancellationReasons ?? [];
    expect(reasons.map((r) => r.Code)).toEqual(['ThrottlingError', 'None']);
    expect(cancelledByContention(reasons)).toBe(true);
    expect(target.seen).toEqual([]);
  });

  it('throttles a call with ProvisionedThroughputExceededException or ThrottlingException, which the SDK knows as throttles', async () => {
    proxy = await startDynamoDbProxy(target.url, new Chaos({ seed: 1, rates: { ...NONE, 'dynamodb-throttle': 1 } }));
    const names = new Set<string>();
    for (let i = 0; i < 12; i++) {
      const error = (await invocationContext.run({ correlationId: `corr-${i}` }, () => client().send(new GetItemCommand({ TableName: 'accounts', Key: { account_id: { S: 'a' } } }))).catch((e: unknown) => e)) as Error & { $retryable?: { throttling?: boolean } };
      names.add(error.name);
    }
    expect([...names].sort()).toEqual(['ProvisionedThroughputExceededException', 'ThrottlingException']);
  });

  it('passes calls made outside an invocation, and strips its tag from those it forwards', async () => {
    proxy = await startDynamoDbProxy(target.url, new Chaos({ seed: 1, rates: { ...NONE, 'dynamodb-throttle': 1, 'transaction-throttle': 1 } }));
    await client().send(transaction);
    const quiet = await startDynamoDbProxy(target.url, new Chaos({ seed: 1, rates: NONE }));
    try {
      const tagged = new DynamoDBClient({ endpoint: quiet.endpoint, region: 'us-east-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' }, maxAttempts: 1 });
      await invocationContext.run({ correlationId: 'corr-2' }, () => tagged.send(transaction));
    } finally {
      await quiet.stop();
    }
    expect(target.seen).toHaveLength(2);
    expect(target.seen.map((headers) => headers[CORRELATION_HEADER])).toEqual([undefined, undefined]);
    expect(target.seen[0]?.['x-amz-target']).toBe('DynamoDB_20120810.TransactWriteItems');
  });
});
