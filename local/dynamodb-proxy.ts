/**
 * In chaos mode, the handlers reach DynamoDB Local through this proxy, which throttles some of
 * their calls the way DynamoDB does: a `ProvisionedThroughputExceededException` or
 * `ThrottlingException` for any call, and for a `TransactWriteItems` a
 * `TransactionCanceledException` whose reasons say `ThrottlingError`. The SDK retries the first
 * two on its own (and gives up after its attempts, as it would in AWS); the cancelled
 * transaction is the application's to retry. Only calls made inside an invocation (tagged with
 * its correlation id, see local/chaos.ts) are touched: the stack's own and the tests' reads pass.
 *
 * @module
 */
import { createServer, request as forward, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { CORRELATION_HEADER, type Chaos } from './chaos';

export interface DynamoDbProxy {
  endpoint: string;
  stop(): Promise<void>;
}

const DYNAMODB = 'com.amazonaws.dynamodb.v20120810';

export async function startDynamoDbProxy(target: string, chaos: Chaos): Promise<DynamoDbProxy> {
  const upstream = new URL(target);
  const server: Server = createServer((incoming, response) => {
    void (async () => {
      const body = await read(incoming);
      const correlationId = header(incoming, CORRELATION_HEADER);
      const operation = header(incoming, 'x-amz-target')?.split('.').pop() ?? '';
      const fault = correlationId ? choose(chaos, operation, correlationId, body) : undefined;
      if (fault) {
        const text = JSON.stringify(fault);
        response.writeHead(400, { 'content-type': 'application/x-amz-json-1.0', 'content-length': Buffer.byteLength(text), 'x-amzn-requestid': `chaos-${Date.now()}` });
        response.end(text);
        return;
      }
      const headers = { ...incoming.headers };
      delete headers[CORRELATION_HEADER];
      const proxied = forward({ hostname: upstream.hostname, port: upstream.port, path: incoming.url, method: incoming.method, headers }, (answer) => {
        response.writeHead(answer.statusCode ?? 500, answer.headers);
        answer.pipe(response);
      });
      proxied.on('error', (error) => {
        response.writeHead(500, { 'content-type': 'application/json' });
        response.end(JSON.stringify({ __type: `${DYNAMODB}#InternalServerError`, message: error.message }));
      });
      proxied.end(body);
    })();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    stop: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

function choose(chaos: Chaos, operation: string, correlationId: string, body: Buffer): Record<string, unknown> | undefined {
  if (operation === 'TransactWriteItems' && chaos.strikes('transaction-throttle', correlationId, operation)) {
    const items = ((JSON.parse(body.toString('utf8') || '{}') as { TransactItems?: unknown[] }).TransactItems ?? []).length;
    const reasons = Array.from({ length: items }, (_, index) => (index === 0 ? { Code: 'ThrottlingError', Message: 'Throughput exceeds the current capacity of your table or index.' } : { Code: 'None' }));
    return { __type: `${DYNAMODB}#TransactionCanceledException`, message: `Transaction cancelled, please refer cancellation reasons for specific reasons [${reasons.map((r) => r.Code).join(', ')}]`, CancellationReasons: reasons };
  }
  if (chaos.strikes('dynamodb-throttle', correlationId, operation)) {
    return chaos.random() < 0.5
      ? { __type: `${DYNAMODB}#ProvisionedThroughputExceededException`, message: 'The level of configured provisioned throughput for the table was exceeded. Consider increasing your provisioning level with the UpdateTable API.' }
      : { __type: 'com.amazon.coral.availability#ThrottlingException', message: 'Rate of requests exceeds the allowed throughput.' };
  }
  return undefined;
}

function header(message: IncomingMessage, name: string): string | undefined {
  const value = message.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

async function read(message: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of message) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}
