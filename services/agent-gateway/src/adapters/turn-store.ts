/**
 * Conversation turns in centli-conversations-<stage> (`turn#<correlation_id>`), with the
 * customer's open turn (`open#<user_id>`: the one a "sí" or a choice answers) beside them; the
 * pending confirmations live in the same table (lib/tools/adapters/confirmation-store.ts). A
 * confirming turn also records where its confirmation was delivered (`confirmation_delivered_to`),
 * written when its outbox is cleared.
 *
 * A turn moves on by one conditional write (its version), which also records the event that
 * moved it and the effects that transition owes (an outbox); the effects are carried out after
 * the write and the outbox cleared. A redelivered event finds itself recorded and only finishes
 * an outbox a crash left behind, so each event moves a turn once and each answer is sent once.
 */
import { GetCommand, PutCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { dynamoDocumentClient } from '@centli/kit/aws';
import { requireEnv } from '@centli/kit/config';
import { putIfUnchanged } from '@centli/kit/versioned-put';
import type { Effect, Turn } from '@centli/tools/conversation';

export interface StoredTurn extends Turn {
  pk: string;
  version: number;
  /** Ids of the events and messages that moved the turn (the newest 50). */
  handled: string[];
  /** Effects owed by the last transition, until they are carried out. */
  outbox: Effect[];
  updated_at: string;
  /** Epoch seconds; the TTL attribute. */
  expires_at: number;
}

/** Where a transition's confirmation reached the customer: the socket whose push succeeded, and when. */
export interface Delivery {
  connectionId: string;
  at: Date;
}

/** How long a turn is kept: long enough for any saga to finish, short enough to hold no history. */
export const TURN_TTL_SECONDS = 24 * 3600;

const turnKey = (correlationId: string) => `turn#${correlationId}`;
const openKey = (userId: string) => `open#${userId}`;

export class TurnStore {
  constructor(
    private readonly tableName: string = requireEnv('CONVERSATIONS_TABLE'),
    private readonly db: DynamoDBDocumentClient = dynamoDocumentClient(),
  ) {}

  async get(correlationId: string): Promise<StoredTurn | undefined> {
    const result = await this.db.send(new GetCommand({ TableName: this.tableName, Key: { pk: turnKey(correlationId) }, ConsistentRead: true }));
    return result.Item as StoredTurn | undefined;
  }

  /**
   * Records a transition: the turn as it now is, the event that moved it and the effects owed.
   * `previous` is the version read (0 for a new turn).
   *
   * @throws ContentionError when the turn moved since it was read.
   */
  async commit(turn: Turn, previous: StoredTurn | undefined, eventId: string, effects: Effect[], now: Date): Promise<StoredTurn> {
    const stored: StoredTurn = {
      ...turn,
      pk: turnKey(turn.correlation_id),
      version: (previous?.version ?? 0) + 1,
      handled: [...(previous?.handled ?? []), eventId].slice(-50),
      outbox: effects,
      updated_at: now.toISOString(),
      expires_at: Math.floor(now.getTime() / 1000) + TURN_TTL_SECONDS,
    };
    await putIfUnchanged(this.db, this.tableName, stored, previous?.version, `turn ${turn.correlation_id}`);
    return stored;
  }

  /**
   * The outbox is done (unless the turn moved again since, whose effects are its own). With
   * `delivered`, its confirmation reached the customer: recorded in the same write, after the push
   * succeeded, and only the first time (a push repeated after a crash finds it recorded). A crash
   * before this write leaves the outbox owed, so whoever finishes it pushes again and records it.
   */
  async clearOutbox(turn: StoredTurn, delivered?: Delivery): Promise<void> {
    const values: Record<string, unknown> = { ':none': [], ':version': turn.version };
    let update = 'SET outbox = :none';
    if (delivered) {
      update += ', confirmation_delivered_to = if_not_exists(confirmation_delivered_to, :to), confirmation_delivered_at = if_not_exists(confirmation_delivered_at, :at)';
      values[':to'] = delivered.connectionId;
      values[':at'] = delivered.at.toISOString();
    }
    await this.db
      .send(new UpdateCommand({ TableName: this.tableName, Key: { pk: turn.pk }, UpdateExpression: update, ConditionExpression: 'version = :version', ExpressionAttributeValues: values }))
      .catch((error: Error) => {
        if (error.name !== 'ConditionalCheckFailedException') throw error;
      });
  }

  /** The customer's turn that waits for their answer (a question or a confirmation). */
  async openTurnOf(userId: string): Promise<string | undefined> {
    const result = await this.db.send(new GetCommand({ TableName: this.tableName, Key: { pk: openKey(userId) }, ConsistentRead: true }));
    return result.Item?.correlation_id as string | undefined;
  }

  async setOpenTurn(userId: string, correlationId: string, now: Date): Promise<void> {
    await this.db.send(new PutCommand({ TableName: this.tableName, Item: { pk: openKey(userId), correlation_id: correlationId, expires_at: Math.floor(now.getTime() / 1000) + TURN_TTL_SECONDS } }));
  }
}
