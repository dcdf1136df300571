/**
 * The local stack holds each function to its role, end to end and in one process, as the stack
 * runs them: fixture handlers (fixtures/echo-service) invoked by the local Lambda runner put on a
 * local bus and invoke through a local Lambda API with the real AWS SDK clients, and the roles come
 * from the fixture's serverless.yml. What a role lacks is refused as AWS refuses it; what comes
 * from outside the functions (a test's own client) is not checked.
 */
import { join } from 'node:path';
import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { LocalEventBus } from '../../../local/bus';
import { tagCallerRequests } from '../../../local/caller';
import { LocalHttpServer } from '../../../local/http';
import { LocalPermissions } from '../../../local/iam';
import { invokeFunction, type LambdaFunction } from '../../../local/lambda';
import { mountLambdaApi } from '../../../local/lambda-api';
import { loadServiceConfig } from '../../../local/serverless-config';

const service = loadServiceConfig(join(__dirname, 'fixtures', 'echo-service', 'serverless.yml'), { env: {} });
const functions = new Map(service.functions.map((fn) => [fn.name, fn]));
const fn = (name: string): LambdaFunction => functions.get(name) as LambdaFunction;
const credentials = { accessKeyId: 'local', secretAccessKey: 'local' };

describe('a function held to its role by the local stack', () => {
  const server = new LocalHttpServer();
  const permissions = new LocalPermissions(
    service.functions.map((config) => ({ functionName: config.functionName, roleName: config.role.name, statements: config.role.statements, resources: service.resources })),
    { region: 'us-east-1' },
  );
  const bus = new LocalEventBus({ busName: 'centli-event-bus-local', permissions });
  const saved = { ...process.env };
  let url: string;
  let untag: () => void;

  beforeAll(async () => {
    bus.mount(server);
    mountLambdaApi(server, { functions: service.functions, region: 'us-east-1', permissions });
    url = await server.start();
    untag = tagCallerRequests(url);
    Object.assign(process.env, { AWS_ENDPOINT_URL_EVENTBRIDGE: url, AWS_ENDPOINT_URL_LAMBDA: url, AWS_ACCESS_KEY_ID: 'local', AWS_SECRET_ACCESS_KEY: 'local' });
  });

  afterAll(async () => {
    untag();
    process.env = saved;
    await bus.stop();
    await server.stop();
  });

  it('puts what its role allows, and the bus records which function put it', async () => {
    // Act
    const answer = await invokeFunction(fn('publish'), { entries: [{ source: 'centli.echo', detailType: 'ECHO_ANSWERED' }] });

    // Assess
    expect(answer).toEqual({ failed: 0, entries: ['accepted'] });
    expect(bus.events({ detailType: 'ECHO_ANSWERED' }).map((record) => record.caller)).toEqual(['centli-echo-local-publish']);
  });

  it('is refused, entry by entry, a detail-type or a source its role does not name, and the bus keeps none of them', async () => {
    // Act
    const answer = await invokeFunction(fn('publish'), {
      entries: [
        { source: 'centli.echo', detailType: 'ECHO_FORGED' },
        { source: 'centli.other', detailType: 'ECHO_ANSWERED' },
        { source: 'centli.echo', detailType: 'ECHO_ANSWERED' },
      ],
    });

    // Assess
    expect(answer).toEqual({ failed: 2, entries: ['NotAuthorizedForDetailTypeException', 'NotAuthorizedForSourceException', 'accepted'] });
    expect(bus.events({ detailType: 'ECHO_FORGED' })).toEqual([]);
    expect(bus.events().filter((record) => record.event.source === 'centli.other')).toEqual([]);
  });

  it('is refused the whole call when its role may put nothing on the bus', async () => {
    // Act
    const answer = await invokeFunction(fn('silent'), { entries: [{ source: 'centli.echo', detailType: 'ECHO_ANSWERED' }] });

    // Assess
    expect(answer).toEqual({ error: 'AccessDeniedException' });
  });

  it('invokes the functions its role names, and is refused the others', async () => {
    // Act
    const allowed = await invokeFunction(fn('call'), { functionName: 'centli-echo-local-publish', payload: { entries: [{ source: 'centli.echo', detailType: 'ECHO_ANSWERED' }] } });
    const byArn = await invokeFunction(fn('call'), { functionName: 'arn:aws:lambda:us-east-1:000000000000:function:centli-echo-local-publish', payload: { entries: [{ source: 'centli.echo', detailType: 'ECHO_FORGED' }] } });
    const refused = await invokeFunction(fn('call'), { functionName: 'centli-echo-local-silent' });
    const missing = await invokeFunction(fn('call'), { functionName: 'centli-echo-local-nothing' });

    // Assess: the invoked function runs as itself, so its own role decides what it puts; a
    // function the role does not name is refused before it is looked up, as Lambda does.
    expect(allowed).toEqual({ result: { failed: 0, entries: ['accepted'] } });
    expect(byArn).toEqual({ result: { failed: 1, entries: ['NotAuthorizedForDetailTypeException'] } });
    expect(refused).toEqual({ error: 'AccessDeniedException' });
    expect(missing).toEqual({ error: 'AccessDeniedException' });
  });

  it('keeps each concurrent invocation to its own role, through one shared client', async () => {
    // Act
    const [silent, publish] = await Promise.all([
      invokeFunction(fn('silent'), { entries: [{ source: 'centli.echo', detailType: 'ECHO_ANSWERED' }] }),
      invokeFunction(fn('publish'), { entries: [{ source: 'centli.echo', detailType: 'ECHO_ANSWERED' }] }),
    ]);

    // Assess
    expect({ silent, publish }).toEqual({ silent: { error: 'AccessDeniedException' }, publish: { failed: 0, entries: ['accepted'] } });
  });

  it('checks nothing a client outside the functions asks', async () => {
    // Act
    const put = await new EventBridgeClient({ endpoint: url, region: 'us-east-1', credentials }).send(
      new PutEventsCommand({ Entries: [{ EventBusName: 'centli-event-bus-local', Source: 'centli.other', DetailType: 'ECHO_FORGED', Detail: '{}' }] }),
    );
    const invoked = await new LambdaClient({ endpoint: url, region: 'us-east-1', credentials }).send(new InvokeCommand({ FunctionName: 'centli-echo-local-silent', Payload: JSON.stringify({ entries: [] }) }));

    // Assess
    expect(put.FailedEntryCount).toBe(0);
    expect(bus.events({ detailType: 'ECHO_FORGED' }).map((record) => record.caller)).toEqual([undefined]);
    expect(invoked.StatusCode).toBe(200);
  });

  it('runs no function for a request a web page could send: the Invoke API, redrive and PutEvents take only AWS-signed requests', async () => {
    // Prepare
    const before = bus.events().length;

    // Act: what a page's <form> or simple fetch can send, with no preflight
    const simple = (path: string, headers: Record<string, string> = {}) => fetch(`${url}${path}`, { method: 'POST', headers: { 'content-type': 'text/plain', ...headers }, body: JSON.stringify({ entries: [] }) });
    const [invoke, redrive, put] = await Promise.all([
      simple('/2015-03-31/functions/centli-echo-local-publish/invocations'),
      simple('/dead-letters/redrive'),
      simple('/', { 'x-amz-target': 'AWSEvents.PutEvents' }),
    ]);

    // Assess
    expect([invoke.status, redrive.status, put.status]).toEqual([403, 403, 403]);
    expect(bus.events()).toHaveLength(before);
  });
});
