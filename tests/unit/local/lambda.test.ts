import { join } from 'node:path';
import { createEventBridgeEvent } from '../../../local/eventbridge-event';
import { handlerLocation, invokeFunction, LambdaTimeoutError, type LambdaFunction } from '../../../local/lambda';

const dir = join(__dirname, 'fixtures', 'echo-service');

function echo(handler: string, timeout = 3): LambdaFunction {
  return { functionName: 'centli-echo-local-echo', dir, handler, timeout, memorySize: 128 };
}

describe('handlerLocation', () => {
  it('finds the TypeScript module and the export', () => {
    expect(handlerLocation(dir, 'src/handlers/echo.handler')).toEqual({ file: join(dir, 'src', 'handlers', 'echo.ts'), exportName: 'handler' });
  });

  it.each([
    ['no export name', 'src/handlers/echo', /must be "path\/to\/module\.export"/],
    ['no module', 'src/handlers/missing.handler', /no module .*missing\{\.ts,/],
  ])('refuses a handler with %s', (_name, handler, message) => {
    expect(() => handlerLocation(dir, handler)).toThrow(message);
  });
});

describe('invokeFunction', () => {
  it('calls the export with the event and a Lambda context', async () => {
    // Prepare
    const event = createEventBridgeEvent({ source: 'centli.test', detailType: 'PING', detail: { correlation_id: 'c-1' }, region: 'us-east-1' });

    // Act
    const result = (await invokeFunction(echo('src/handlers/echo.handler'), event, { region: 'us-east-1' })) as Record<string, unknown>;

    // Assess
    expect(result.event).toEqual(event);
    expect(event).toMatchObject({ version: '0', account: '000000000000', resources: [], region: 'us-east-1' });
    expect(event.time).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    expect(result).toMatchObject({
      functionName: 'centli-echo-local-echo',
      invokedFunctionArn: 'arn:aws:lambda:us-east-1:000000000000:function:centli-echo-local-echo',
      memoryLimitInMB: '128',
      logGroupName: '/aws/lambda/centli-echo-local-echo',
    });
    expect(result.awsRequestId).toMatch(/^[0-9a-f-]{36}$/);
    expect(result.logStreamName).toMatch(/^\d{4}\/\d\d\/\d\d\/\[\$LATEST\][0-9a-f]{32}$/);
    expect(result.remaining).toBeGreaterThan(2500);
    expect(result.remaining).toBeLessThanOrEqual(3000);
  });

  it('loads a handler module once (one cold start)', async () => {
    // Act
    await invokeFunction(echo('src/handlers/echo.handler'), {});
    await invokeFunction(echo('src/handlers/echo.throws'), {}).catch(() => undefined);

    // Assess
    expect((globalThis as { __centliEchoLoads?: number }).__centliEchoLoads).toBe(1);
  });

  it.each([
    ['the callback', 'src/handlers/echo.callback', 'called back'],
    ['context.succeed', 'src/handlers/echo.succeed', 'succeeded through the context'],
  ])('settles a handler through %s', async (_name, handler, expected) => {
    await expect(invokeFunction(echo(handler), {})).resolves.toBe(expected);
  });

  it.each([
    ['throws', 'src/handlers/echo.throws', {}, 'handler failure'],
    ['calls back with an error', 'src/handlers/echo.callback', { fail: true }, 'callback failure'],
  ])('rejects when the handler %s', async (_name, handler, event, message) => {
    await expect(invokeFunction(echo(handler), event)).rejects.toThrow(message);
  });

  it('times out as Lambda does', async () => {
    await expect(invokeFunction(echo('src/handlers/echo.slow', 0.1), {})).rejects.toThrow(new LambdaTimeoutError(0.1));
  });

  it('refuses an export that is not a function', async () => {
    await expect(invokeFunction(echo('src/handlers/echo.notAFunction'), {})).rejects.toThrow(/does not export a function named notAFunction/);
  });
});
