/**
 * Pushes a message to a customer's socket with the API Gateway management API. The endpoint is
 * the SDK's own setting where one is configured (the local stack's `@connections`), else the
 * callback URL API Gateway gave the session when it connected (`https://<domain>/<stage>`).
 */
import { ApiGatewayManagementApiClient, DeleteConnectionCommand, GoneException, PostToConnectionCommand } from '@aws-sdk/client-apigatewaymanagementapi';
import { applyLocalEndpoints } from '@centli/kit/config';
import { traced } from '@centli/kit/observability';

const clients = new Map<string, ApiGatewayManagementApiClient>();

function clientFor(callbackUrl: string): ApiGatewayManagementApiClient {
  applyLocalEndpoints();
  const configured = process.env.AWS_ENDPOINT_URL_APIGATEWAYMANAGEMENTAPI;
  const key = configured ?? callbackUrl;
  let client = clients.get(key);
  if (!client) {
    client = traced(new ApiGatewayManagementApiClient({ maxAttempts: 3, ...(configured ? {} : { endpoint: callbackUrl }) }));
    clients.set(key, client);
  }
  return client;
}

export class Connections {
  /** Sends one message; `gone` when the socket is closed. */
  async post(connectionId: string, callbackUrl: string, message: unknown): Promise<'sent' | 'gone'> {
    try {
      await clientFor(callbackUrl).send(new PostToConnectionCommand({ ConnectionId: connectionId, Data: Buffer.from(JSON.stringify(message)) }));
      return 'sent';
    } catch (error) {
      if (error instanceof GoneException || (error as Error).name === 'GoneException') return 'gone';
      throw error;
    }
  }

  /** Closes the socket (API Gateway then runs `$disconnect`); a socket already gone is fine. */
  async disconnect(connectionId: string, callbackUrl: string): Promise<void> {
    try {
      await clientFor(callbackUrl).send(new DeleteConnectionCommand({ ConnectionId: connectionId }));
    } catch (error) {
      if (!(error instanceof GoneException || (error as Error).name === 'GoneException')) throw error;
    }
  }
}
