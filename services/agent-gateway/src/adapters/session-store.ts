/**
 * The chat's sessions (centli-sessions-<stage>): one item per WebSocket connection, naming the
 * customer its token authenticated, and a user_id index to find a customer's open sockets. A
 * session lives as long as its token, and never longer than API Gateway keeps a connection (two
 * hours): `expires_at`, which is also the TTL. A session is closed, never deleted.
 *
 * An open session also carries `open_shard`, the key of a sparse index (`open-expiry-index`,
 * sorted by `expires_at`) that holds open sessions only, spread over {@link OPEN_SHARDS}
 * partitions: the sweeper finds the sessions whose token ran out without reading closed ones.
 *
 * A customer whose access is revoked (disabled, signed out everywhere) has a revocation item
 * (`revoked#<user_id>`): a token issued before it opens no session again.
 */
import { GetCommand, QueryCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
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
  /** Epoch seconds: when its token expires, or API Gateway's two hours if sooner; the TTL attribute. */
  expires_at: number;
  /** Set while open: the sparse expiry index's partition (`open#<n>`). */
  open_shard?: string;
}

/** API Gateway's own limit on a WebSocket connection's life. */
export const SESSION_TTL_SECONDS = 2 * 3600;

/** Partitions of the open sessions' expiry index. */
export const OPEN_SHARDS = 8;

/** When a session opened `now` for a token expiring at `tokenExpiresAt` ends (epoch seconds). */
export function sessionExpiry(now: Date, tokenExpiresAt: number | undefined): number {
  const longest = Math.floor(now.getTime() / 1000) + SESSION_TTL_SECONDS;
  return tokenExpiresAt === undefined ? longest : Math.min(longest, tokenExpiresAt);
}

/** Whether the session may still talk: open, and its token not expired. */
export function isLive(session: Pick<Session, 'status' | 'expires_at'> | undefined, now: Date): session is Session {
  return session !== undefined && session.status === 'open' && session.expires_at * 1000 > now.getTime();
}

/** The expiry index's partition of a connection. */
export function shardOf(connectionId: string): string {
  let hash = 0;
  for (const c of connectionId) hash = (hash * 31 + c.charCodeAt(0)) >>> 0;
  return `open#${hash % OPEN_SHARDS}`;
}

const revokedKey = (userId: string): string => `revoked#${userId}`;

export class SessionStore {
  constructor(
    private readonly tableName: string = requireEnv('SESSIONS_TABLE'),
    private readonly db: DynamoDBDocumentClient = dynamoDocumentClient(),
  ) {}

  /** Writes the session (an upsert: the store writes with UpdateItem only, so every role that uses it needs no PutItem). */
  async open(session: Session): Promise<void> {
    await this.upsert(session.connection_id, { ...session, open_shard: shardOf(session.connection_id) });
  }

  private async upsert(connectionId: string, fields: Record<string, unknown>): Promise<void> {
    const entries = Object.entries(fields).filter(([name, value]) => name !== 'connection_id' && value !== undefined);
    await this.db.send(
      new UpdateCommand({
        TableName: this.tableName,
        Key: { connection_id: connectionId },
        UpdateExpression: `SET ${entries.map((_, i) => `#f${i} = :v${i}`).join(', ')}`,
        ExpressionAttributeNames: Object.fromEntries(entries.map(([name], i) => [`#f${i}`, name])),
        ExpressionAttributeValues: Object.fromEntries(entries.map(([, value], i) => [`:v${i}`, value])),
      }),
    );
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
        UpdateExpression: 'SET #status = :closed, closed_at = :at, expires_at = :soon REMOVE open_shard',
        ConditionExpression: 'attribute_exists(connection_id)',
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: { ':closed': 'closed', ':at': now.toISOString(), ':soon': Math.floor(now.getTime() / 1000) + 3600 },
      }),
    ).catch((error: Error) => {
      if (error.name !== 'ConditionalCheckFailedException') throw error;
    });
  }

  /** Open sessions whose token ran out by `now`, oldest first, up to `limit` (the sparse expiry index, every shard). */
  async expiredOpen(now: Date, limit = 100): Promise<Session[]> {
    const found: Session[] = [];
    for (let shard = 0; shard < OPEN_SHARDS && found.length < limit; shard++) {
      const result = await this.db.send(
        new QueryCommand({
          TableName: this.tableName,
          IndexName: 'open-expiry-index',
          KeyConditionExpression: 'open_shard = :shard AND expires_at <= :now',
          ExpressionAttributeValues: { ':shard': `open#${shard}`, ':now': Math.floor(now.getTime() / 1000) },
          Limit: limit - found.length,
        }),
      );
      found.push(...((result.Items ?? []) as Session[]).filter((s) => s.status === 'open'));
    }
    return found;
  }

  /** Records that every token the customer holds from before `now` is revoked: it opens no session again. */
  async revoke(userId: string, now: Date): Promise<void> {
    const at = Math.floor(now.getTime() / 1000);
    // Kept a week (the TTL), far longer than any token issued before it lives.
    await this.upsert(revokedKey(userId), { revoked_user: userId, revoked_at: at, expires_at: at + 7 * 24 * 3600 });
  }

  /** When the customer's access was last revoked (epoch seconds), if ever. */
  async revokedAt(userId: string): Promise<number | undefined> {
    const result = await this.db.send(new GetCommand({ TableName: this.tableName, Key: { connection_id: revokedKey(userId) }, ConsistentRead: true }));
    const at = result.Item?.revoked_at;
    return typeof at === 'number' ? at : undefined;
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
