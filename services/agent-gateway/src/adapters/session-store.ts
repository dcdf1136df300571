/**
 * The chat's sessions (centli-sessions-<stage>): one item per WebSocket connection, naming the
 * customer its token authenticated, with a TTL (API Gateway closes a connection after two hours)
 * and a user_id index to find a customer's open sockets. A session is closed, never deleted.
 */
import { GetCommand, PutCommand, QueryCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { dynamoDocumentClient } from '@centli/kit/aws';
import { requireEnv } from '@centli/kit/config';
import type { Locale } from '@centli/tools/text';

export interface Session {
  connection_id: string;
  user_id: string;
  status: 'open' | 'closed';
  locale: Locale;
  /** Where API Gateway takes `@connections` calls for this socket: `https://<domain>/<stage>`. */
  callback_url: string;
  connected_at: string;
  /** Epoch seconds; the TTL attribute. */
  expires_at: number;
}

/** API Gateway's own limit on a WebSocket connection's life. */
export const SESSION_TTL_SECONDS = 2 * 3600;

export class SessionStore {
  constructor(
    private readonly tableName: string = requireEnv('SESSIONS_TABLE'),
    private readonly db: DynamoDBDocumentClient = dynamoDocumentClient(),
  ) {}

  async open(session: Session): Promise<void> {
    await this.db.send(new PutCommand({ TableName: this.tableName, Item: session }));
  }

  async get(connectionId: string): Promise<Session | undefined> {
    const result = await this.db.send(new GetCommand({ TableName: this.tableName, Key: { connection_id: connectionId }, ConsistentRead: true }));
    return result.Item as Session | undefined;
  }

  /** Marks the session closed; TTL removes it soon after. */
  async close(connectionId: string, now: Date): Promise<void> {
    await this.db.send(
      new UpdateCommand({
        TableName: this.tableName,
        Key: { connection_id: connectionId },
        UpdateExpression: 'SET #status = :closed, closed_at = :at, expires_at = :soon',
        ConditionExpression: 'attribute_exists(connection_id)',
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: { ':closed': 'closed', ':at': now.toISOString(), ':soon': Math.floor(now.getTime() / 1000) + 3600 },
      }),
    ).catch((error: Error) => {
      if (error.name !== 'ConditionalCheckFailedException') throw error;
    });
  }

  async setLocale(connectionId: string, locale: Locale): Promise<void> {
    await this.db.send(new UpdateCommand({ TableName: this.tableName, Key: { connection_id: connectionId }, UpdateExpression: 'SET locale = :l', ConditionExpression: 'attribute_exists(connection_id)', ExpressionAttributeValues: { ':l': locale } }));
  }

  /** The customer's open sessions, newest first. */
  async openSessionsOf(userId: string): Promise<Session[]> {
    const result = await this.db.send(
      new QueryCommand({
        TableName: this.tableName,
        IndexName: 'user_id-index',
        KeyConditionExpression: 'user_id = :u',
        FilterExpression: '#status = :open',
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: { ':u': userId, ':open': 'open' },
        ScanIndexForward: false,
        Limit: 20,
      }),
    );
    return (result.Items ?? []) as Session[];
  }
}
