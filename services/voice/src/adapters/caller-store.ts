/**
 * The voice tables: centli-voice-callers-<stage> (PK phone, E.164): whose phone it is, the PIN's
 * hash and the lock state; centli-voice-attempts-<stage> (PK phone, SK attempt_id): every PIN
 * attempt, kept 90 days (TTL `ttl`).
 */
import { GetCommand, PutCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { dynamoDocumentClient } from '@centli/kit/aws';
import { requireEnv } from '@centli/kit/config';
import type { LockState } from '../domain/lockout';

export interface CallerItem extends LockState {
  phone: string;
  user_id: string;
  pin_hash: string;
}

export type AttemptOutcome = 'verified' | 'wrong_pin' | 'locked' | 'unknown_caller';

export interface AttemptRecord {
  phone: string;
  contact_id: string;
  outcome: AttemptOutcome;
  attempted_at: string;
}

/** How long an attempt is kept. */
export const ATTEMPT_RETENTION_DAYS = 90;

export class CallerStore {
  constructor(
    private readonly callers: string = requireEnv('VOICE_CALLERS_TABLE'),
    private readonly attempts: string = requireEnv('VOICE_ATTEMPTS_TABLE'),
    private readonly db: DynamoDBDocumentClient = dynamoDocumentClient(),
  ) {}

  async getCaller(phone: string): Promise<CallerItem | undefined> {
    const result = await this.db.send(new GetCommand({ TableName: this.callers, Key: { phone }, ConsistentRead: true }));
    const item = result.Item as CallerItem | undefined;
    return item ? { ...item, failures: Number(item.failures ?? 0) } : undefined;
  }

  /**
   * Stores the lock state `next` only if the stored one is still `seen` (compare and swap): false
   * when another attempt changed it first, so the caller reads it again.
   */
  async swapLockState(phone: string, seen: Partial<LockState>, next: LockState): Promise<boolean> {
    const names: Record<string, string> = { '#f': 'failures', '#l': 'locked_until' };
    const values: Record<string, unknown> = { ':next_f': next.failures };
    const conditions = ['attribute_exists(phone)'];
    if (seen.failures === undefined) conditions.push('attribute_not_exists(#f)');
    else {
      conditions.push('#f = :seen_f');
      values[':seen_f'] = seen.failures;
    }
    if (seen.locked_until === undefined) conditions.push('attribute_not_exists(#l)');
    else {
      conditions.push('#l = :seen_l');
      values[':seen_l'] = seen.locked_until;
    }
    let update = 'SET #f = :next_f';
    if (next.locked_until === undefined) update += ' REMOVE #l';
    else {
      update += ', #l = :next_l';
      values[':next_l'] = next.locked_until;
    }
    try {
      await this.db.send(
        new UpdateCommand({ TableName: this.callers, Key: { phone }, UpdateExpression: update, ConditionExpression: conditions.join(' AND '), ExpressionAttributeNames: names, ExpressionAttributeValues: values }),
      );
      return true;
    } catch (error) {
      if ((error as Error).name === 'ConditionalCheckFailedException') return false;
      throw error;
    }
  }

  async recordAttempt(attempt: AttemptRecord, random: string): Promise<void> {
    const ttl = Math.floor(Date.parse(attempt.attempted_at) / 1000) + ATTEMPT_RETENTION_DAYS * 86_400;
    await this.db.send(new PutCommand({ TableName: this.attempts, Item: { ...attempt, attempt_id: `${attempt.attempted_at}#${random}`, ttl } }));
  }
}
