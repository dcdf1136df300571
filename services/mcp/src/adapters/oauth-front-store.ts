/**
 * The authorization front's table (`centli-oauth-<stage>`): registered clients (`client#<id>`,
 * forgotten by TTL when unused) and relay states (`relay#<state>`, good once, for ten minutes).
 * No token, code or secret is ever written here (../domain/oauth-front.ts).
 */
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { GetCommand, PutCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { dynamoDocumentClient } from '@centli/kit/aws';
import { clientKey, relayKey, REGISTRATION_TTL_SECONDS, type RegisteredClient, type Relay } from '../domain/oauth-front';

export class OAuthFrontStore {
  constructor(
    private readonly tableName: string,
    private readonly db: DynamoDBDocumentClient = dynamoDocumentClient(),
  ) {}

  async register(client: RegisteredClient): Promise<void> {
    await this.db.send(new PutCommand({ TableName: this.tableName, Item: client, ConditionExpression: 'attribute_not_exists(pk)' }));
  }

  /** A registered client; one whose TTL has passed is gone, even before DynamoDB removes it. */
  async client(clientId: string, now: Date): Promise<RegisteredClient | undefined> {
    const { Item } = await this.db.send(new GetCommand({ TableName: this.tableName, Key: { pk: clientKey(clientId) } }));
    const client = Item as RegisteredClient | undefined;
    return client && client.ttl > Math.floor(now.getTime() / 1000) ? client : undefined;
  }

  /** Keeps a client in use registered: its TTL starts again. */
  async renew(clientId: string, now: Date): Promise<void> {
    await this.db.send(
      new UpdateCommand({
        TableName: this.tableName,
        Key: { pk: clientKey(clientId) },
        UpdateExpression: 'SET #ttl = :ttl',
        ConditionExpression: 'attribute_exists(pk)',
        ExpressionAttributeNames: { '#ttl': 'ttl' },
        ExpressionAttributeValues: { ':ttl': Math.floor(now.getTime() / 1000) + REGISTRATION_TTL_SECONDS },
      }),
    ).catch((error: unknown) => {
      // Forgotten between the look-up and now: the relay already stored still completes.
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
    });
  }

  async keepRelay(relay: Relay): Promise<void> {
    await this.db.send(new PutCommand({ TableName: this.tableName, Item: relay, ConditionExpression: 'attribute_not_exists(pk)' }));
  }

  /**
   * Takes a relay state: once, before it expires. One conditional update marks it used and
   * returns it, so two callbacks with the same state cannot both be relayed (no read before it).
   */
  async takeRelay(relayState: string, now: Date): Promise<Relay | undefined> {
    try {
      const { Attributes } = await this.db.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: { pk: relayKey(relayState) },
          UpdateExpression: 'SET used_at = :now',
          ConditionExpression: 'attribute_exists(pk) AND attribute_not_exists(used_at) AND #ttl > :seconds',
          ExpressionAttributeNames: { '#ttl': 'ttl' },
          ExpressionAttributeValues: { ':now': now.toISOString(), ':seconds': Math.floor(now.getTime() / 1000) },
          ReturnValues: 'ALL_NEW',
        }),
      );
      return Attributes as Relay | undefined;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return undefined;
      throw error;
    }
  }
}
