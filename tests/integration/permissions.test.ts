/**
 * The local stack holds its functions to their roles, as AWS does: what a function puts on the bus
 * and which functions it invokes are checked against the role its serverless.yml gives it (and so
 * against the wiring generated from the contracts). A function is known by the header the stack
 * adds to every request made inside its invocation (local/caller.ts); a client can send the same
 * header to speak as a function, which is how these tests make a real function's role refuse
 * something its code never asks for. Requests without it (these tests' own clients, a developer's
 * CLI) are not a function's, and are not checked.
 */
import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import type { BuildMiddleware } from '@smithy/types';
import { CALLER_HEADER } from '../../local/caller';
import { answerTo, BUS, closeClients, endpoints, eventsFor, getJson, putRequests, runId, type BusEvent } from './support';

afterAll(closeClients);

const run = runId();
const credentials = { accessKeyId: 'local', secretAccessKey: 'local' };
const clients: Array<{ destroy(): void }> = [];
afterAll(() => clients.forEach((client) => client.destroy()));

/** SDK clients that speak as `caller`, a function of the stack. */
function as(caller: string): { eventBridge: EventBridgeClient; lambda: LambdaClient } {
  const eventBridge = new EventBridgeClient({ endpoint: endpoints().eventbridge, region: 'us-east-1', credentials, maxAttempts: 1 });
  const lambda = new LambdaClient({ endpoint: endpoints().http, region: 'us-east-1', credentials, maxAttempts: 1 });
  const naming =
    <Input extends object, Output extends object>(): BuildMiddleware<Input, Output> =>
    (next) =>
    async (args) => {
      (args.request as { headers: Record<string, string> }).headers[CALLER_HEADER] = caller;
      return next(args);
    };
  eventBridge.middlewareStack.add(naming(), { step: 'build', name: 'centliCaller' });
  lambda.middlewareStack.add(naming(), { step: 'build', name: 'centliCaller' });
  clients.push(eventBridge, lambda);
  return { eventBridge, lambda };
}

const entry = (source: string, detailType: string, correlationId: string) => ({
  EventBusName: BUS,
  Source: source,
  DetailType: detailType,
  Detail: JSON.stringify({ request_id: `${correlationId}-r`, correlation_id: correlationId, user_id: 'user-ana' }),
});

/** A bus event as `GET /events?include=deliveries` shows it, with the function that put it. */
type RecordedEvent = BusEvent & { caller?: string };

describe('what a function puts on the bus', () => {
  it('is refused, entry by entry, a detail-type or a source its role does not name', async () => {
    // Prepare
    const correlationId = `perm-${run}-put`;
    const balance = as('centli-core-banking-local-balance');

    // Act: Core Banking's balance may answer BALANCE_RESPONSE or BALANCE_FAILED, as centli.core-banking.
    const result = await balance.eventBridge.send(
      new PutEventsCommand({
        Entries: [entry('centli.core-banking', 'TRANSFER_COMPLETED', correlationId), entry('centli.crm', 'BALANCE_RESPONSE', correlationId), entry('centli.agent-gateway', 'TRANSFER_REQUEST', correlationId)],
      }),
    );

    // Assess
    expect(result.FailedEntryCount).toBe(3);
    expect(result.Entries?.map((answer) => answer.ErrorCode)).toEqual(['NotAuthorizedForDetailTypeException', 'NotAuthorizedForSourceException', 'NotAuthorizedForSourceException']);
    expect(await eventsFor(correlationId)).toEqual([]);
  });

  it('is refused the whole call when its role may put nothing on the bus', async () => {
    // Act: the chat's connect route only opens sessions.
    const put = as('centli-agent-gateway-local-connect').eventBridge.send(new PutEventsCommand({ Entries: [entry('centli.agent-gateway', 'BALANCE_QUERY', `perm-${run}-connect`)] }));

    // Assess
    await expect(put).rejects.toMatchObject({ name: 'AccessDeniedException', message: expect.stringContaining('is not authorized to perform: events:PutEvents') });
  });

  it("is accepted when it is what the function answers, and the bus names the function that put each event", async () => {
    // Prepare: a query from outside the stack's functions (this test), answered by the real balance function.
    const correlationId = `perm-${run}-answer`;
    await putRequests([{ detailType: 'BALANCE_QUERY', detail: { request_id: `${correlationId}-r`, correlation_id: correlationId, user_id: 'user-ana' } }]);
    await answerTo(correlationId, ['BALANCE_RESPONSE', 'BALANCE_FAILED']);

    // Act
    const recorded = await getJson<RecordedEvent[]>(`/events?correlation_id=${correlationId}&include=deliveries`);

    // Assess
    expect(recorded.map((event) => [event['detail-type'], event.caller])).toEqual([
      ['BALANCE_QUERY', undefined],
      ['BALANCE_RESPONSE', 'centli-core-banking-local-balance'],
    ]);
  });
});

describe('what a function invokes', () => {
  const arn = (name: string) => `arn:aws:lambda:us-east-1:000000000000:function:${name}`;
  const query = (correlationId: string) => ({
    version: '0',
    id: correlationId,
    'detail-type': 'BALANCE_QUERY',
    source: 'centli.mcp',
    account: '000000000000',
    time: new Date().toISOString().replace(/\.\d{3}Z$/, 'Z'),
    region: 'us-east-1',
    resources: [],
    detail: { request_id: `${correlationId}-r`, correlation_id: correlationId, user_id: 'user-ana' },
  });

  it("is allowed for the MCP server and the functions that handle what the doors ask", async () => {
    // Act
    const result = await as('centli-mcp-local-http').lambda.send(new InvokeCommand({ FunctionName: arn('centli-core-banking-local-balance'), Payload: JSON.stringify(query(`perm-${run}-invoke`)) }));

    // Assess
    expect(result.StatusCode).toBe(200);
    expect(result.FunctionError).toBeUndefined();
    expect((JSON.parse(Buffer.from(result.Payload ?? []).toString('utf8')) as Array<{ detailType: string }>).map((answer) => answer.detailType)).toEqual(['BALANCE_RESPONSE']);
  });

  it.each([
    ['the MCP server, a saga task', 'centli-mcp-local-http', 'centli-core-banking-local-charge-payment'],
    ['the MCP server, another front door', 'centli-mcp-local-agentcore-target', 'centli-agent-gateway-local-message'],
    ['the chat, which puts its requests on the bus instead', 'centli-agent-gateway-local-message', 'centli-core-banking-local-balance'],
  ])('is refused to %s, with a 403 AccessDeniedException and nothing run', async (_name, caller, target) => {
    // Prepare
    const correlationId = `perm-${run}-${target}`;

    // Act
    const invoked = as(caller).lambda.send(new InvokeCommand({ FunctionName: target, Payload: JSON.stringify(query(correlationId)) }));

    // Assess
    await expect(invoked).rejects.toMatchObject({ name: 'AccessDeniedException', $metadata: { httpStatusCode: 403 } });
    expect(await eventsFor(correlationId)).toEqual([]);
  });
});
