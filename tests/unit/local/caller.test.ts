/**
 * How the local stack tells its functions apart (local/caller.ts): Node publishes
 * `http.client.request.created` for the AWS SDK v3's requests (NodeHttpHandler) before they are
 * sent, so the calling function's name can still be added as a header, and only for requests made
 * inside its invocation, to the stack's own server.
 */
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { CALLER_HEADER, currentCaller, runAs, tagCallerRequests } from '../../../local/caller';

const credentials = { accessKeyId: 'local', secretAccessKey: 'local' };

/** A server that answers every request as PutEvents and Invoke would, and keeps the headers it got. */
async function recordingServer(): Promise<{ url: string; seen: IncomingHttpHeaders[]; server: Server }> {
  const seen: IncomingHttpHeaders[] = [];
  const server = createServer((request, response) => {
    seen.push(request.headers);
    request.resume();
    request.on('end', () => {
      const putEvents = request.headers['x-amz-target'] === 'AWSEvents.PutEvents';
      response.writeHead(200, { 'content-type': putEvents ? 'application/x-amz-json-1.1' : 'application/json' });
      response.end(putEvents ? JSON.stringify({ FailedEntryCount: 0, Entries: [{ EventId: '1' }] }) : 'null');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, seen, server };
}

const put = (client: EventBridgeClient) => client.send(new PutEventsCommand({ Entries: [{ EventBusName: 'bus', Source: 'centli.test', DetailType: 'TEST', Detail: '{}' }] }));

describe('tagCallerRequests', () => {
  let stack: Awaited<ReturnType<typeof recordingServer>>;
  let elsewhere: Awaited<ReturnType<typeof recordingServer>>;
  let untag: () => void;

  beforeAll(async () => {
    stack = await recordingServer();
    elsewhere = await recordingServer();
    untag = tagCallerRequests(stack.url);
  });

  afterAll(async () => {
    untag();
    await new Promise((resolve) => stack.server.close(resolve));
    await new Promise((resolve) => elsewhere.server.close(resolve));
  });

  beforeEach(() => {
    stack.seen.length = 0;
    elsewhere.seen.length = 0;
  });

  it("names the invocation's function on the AWS SDK's requests to the stack, EventBridge's and Lambda's alike", async () => {
    // Prepare: one client of each, shared by every invocation, as the services share theirs.
    const eventBridge = new EventBridgeClient({ endpoint: stack.url, region: 'us-east-1', credentials });
    const lambda = new LambdaClient({ endpoint: stack.url.replace('127.0.0.1', 'localhost'), region: 'us-east-1', credentials });

    // Act
    await runAs('centli-a-local-one', () => put(eventBridge));
    await runAs('centli-b-local-two', () => lambda.send(new InvokeCommand({ FunctionName: 'centli-c-local-three', Payload: '{}' })));

    // Assess
    expect(stack.seen.map((headers) => headers[CALLER_HEADER])).toEqual(['centli-a-local-one', 'centli-b-local-two']);
  });

  it('keeps concurrent invocations apart on one client', async () => {
    // Prepare
    const eventBridge = new EventBridgeClient({ endpoint: stack.url, region: 'us-east-1', credentials });
    const names = Array.from({ length: 8 }, (_, index) => `centli-x-local-f${index}`);

    // Act
    await Promise.all(names.map((name) => runAs(name, async () => {
      await new Promise((resolve) => setTimeout(resolve, Math.random() * 10));
      await put(eventBridge);
    })));

    // Assess
    expect(stack.seen.map((headers) => headers[CALLER_HEADER]).sort()).toEqual([...names].sort());
  });

  it('names no caller outside an invocation, and none on requests to another server', async () => {
    // Act
    await put(new EventBridgeClient({ endpoint: stack.url, region: 'us-east-1', credentials }));
    await runAs('centli-a-local-one', () => put(new EventBridgeClient({ endpoint: elsewhere.url, region: 'us-east-1', credentials })));

    // Assess
    expect(stack.seen.map((headers) => headers[CALLER_HEADER])).toEqual([undefined]);
    expect(elsewhere.seen.map((headers) => headers[CALLER_HEADER])).toEqual([undefined]);
  });

  it('knows the invocation it runs in through timers and awaits', async () => {
    // Act
    const seen = await runAs('centli-a-local-one', async () => {
      await new Promise((resolve) => setTimeout(resolve, 1));
      return currentCaller();
    });

    // Assess
    expect({ inside: seen, outside: currentCaller() }).toEqual({ inside: 'centli-a-local-one', outside: undefined });
  });
});
