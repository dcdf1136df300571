/**
 * Passkeys in DynamoDB (the MCP service's `centli-passkeys-<stage>`): each customer's WebAuthn
 * credentials and the challenges the approvals API handed out, under the customer's partition
 * (`user_id`), so a lookup can only ever find that customer's:
 *
 * - `sk = credential#<credential id>`: the public key (COSE, binary), signature counter,
 *   transports and when it was added;
 * - `sk = challenge#<challenge>`: what it was handed out for (a registration, or one approval's
 *   step-up), until when, and, once taken, when. Taken by one conditional update, so two answers
 *   to one challenge cannot both pass; gone by TTL (`ttl`) a day later. Nothing is deleted: the
 *   roles have no DeleteItem.
 */
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { GetCommand, PutCommand, QueryCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { dynamoDocumentClient } from '@centli/kit/aws';
import type { ChallengePurpose } from '../domain/passkeys';

/** How long a used or unused challenge is kept after it expires, for the logs' sake (TTL). */
const CHALLENGE_KEPT_SECONDS = 86_400;

export interface StoredPasskey {
  user_id: string;
  credential_id: string;
  public_key: Uint8Array;
  counter: number;
  transports?: string[];
  created_at: string;
  last_used_at?: string;
}

const credentialKey = (userId: string, credentialId: string) => ({ user_id: userId, sk: `credential#${credentialId}` });
const challengeKey = (userId: string, challenge: string) => ({ user_id: userId, sk: `challenge#${challenge}` });
const purposeOf = (purpose: ChallengePurpose) => (purpose.kind === 'registration' ? 'registration' : `approval#${purpose.approvalId}`);
const epoch = (at: Date) => Math.floor(at.getTime() / 1000);

export class PasskeyStore {
  constructor(
    private readonly tableName: string,
    private readonly db: DynamoDBDocumentClient = dynamoDocumentClient(),
  ) {}

  /** The customer's passkeys. */
  async credentials(userId: string): Promise<StoredPasskey[]> {
    const found: StoredPasskey[] = [];
    let start: Record<string, unknown> | undefined;
    do {
      const page = await this.db.send(
        new QueryCommand({
          TableName: this.tableName,
          KeyConditionExpression: 'user_id = :user AND begins_with(sk, :credential)',
          ExpressionAttributeValues: { ':user': userId, ':credential': 'credential#' },
          ConsistentRead: true,
          ...(start ? { ExclusiveStartKey: start } : {}),
        }),
      );
      found.push(...((page.Items ?? []) as StoredPasskey[]));
      start = page.LastEvaluatedKey;
    } while (start);
    return found;
  }

  /** One of the customer's passkeys; another customer's credential id finds nothing. */
  async credential(userId: string, credentialId: string): Promise<StoredPasskey | undefined> {
    const result = await this.db.send(new GetCommand({ TableName: this.tableName, Key: credentialKey(userId, credentialId), ConsistentRead: true }));
    return result.Item as StoredPasskey | undefined;
  }

  /** Keeps a new passkey; false when the customer has that credential already. */
  async add(passkey: StoredPasskey): Promise<boolean> {
    try {
      await this.db.send(new PutCommand({ TableName: this.tableName, Item: { ...credentialKey(passkey.user_id, passkey.credential_id), ...passkey }, ConditionExpression: 'attribute_not_exists(sk)' }));
      return true;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return false;
      throw error;
    }
  }

  /**
   * The signature counter after a sign-in, moved only from the value the check was made against:
   * false when another sign-in moved it meanwhile (a cloned authenticator, or a replay racing).
   */
  async advance(passkey: StoredPasskey, counter: number, now: Date): Promise<boolean> {
    try {
      await this.db.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: credentialKey(passkey.user_id, passkey.credential_id),
          UpdateExpression: 'SET #counter = :next, last_used_at = :at',
          ConditionExpression: 'attribute_exists(sk) AND #counter = :seen',
          ExpressionAttributeNames: { '#counter': 'counter' },
          ExpressionAttributeValues: { ':next': counter, ':seen': passkey.counter, ':at': now.toISOString() },
        }),
      );
      return true;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return false;
      throw error;
    }
  }

  /** Keeps a challenge handed out to `userId` for `purpose`, good until `expiresAt`. */
  async handOut(userId: string, challenge: string, purpose: ChallengePurpose, expiresAt: Date): Promise<void> {
    await this.db.send(
      new PutCommand({
        TableName: this.tableName,
        Item: { ...challengeKey(userId, challenge), purpose: purposeOf(purpose), expires_at: epoch(expiresAt), ttl: epoch(expiresAt) + CHALLENGE_KEPT_SECONDS },
        ConditionExpression: 'attribute_not_exists(sk)',
      }),
    );
  }

  /**
   * Takes a challenge: true only the first time, for the customer it was handed to, for this
   * purpose (this approval), before it expires. Any later attempt, or one for another purpose,
   * customer or approval, is false and changes nothing.
   */
  async take(userId: string, challenge: string, purpose: ChallengePurpose, now: Date): Promise<boolean> {
    try {
      await this.db.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: challengeKey(userId, challenge),
          UpdateExpression: 'SET used_at = :at',
          ConditionExpression: 'attribute_exists(sk) AND attribute_not_exists(used_at) AND purpose = :purpose AND expires_at > :now',
          ExpressionAttributeValues: { ':at': now.toISOString(), ':purpose': purposeOf(purpose), ':now': epoch(now) },
        }),
      );
      return true;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return false;
      throw error;
    }
  }
}
