/**
 * The per-customer rate limits (lib/pure/rate-limit.ts) in DynamoDB (centli-rate-limits-<stage>,
 * RATE_LIMITS_TABLE): one item per customer, kind and minute, taken with one conditional update
 * (`ADD count 1` only while count is below the limit), so concurrent calls on any door, in any
 * container, share one count and none slips past it. The item carries its TTL.
 *
 * A counter that cannot be reached does not stop a customer from banking: the call is served,
 * the failure logged (the requests themselves are still idempotent, approved and limited by the
 * services; the stage's API throttling still holds).
 */
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { dynamoDocumentClient } from '@centli/kit/aws';
import { requireEnv } from '@centli/kit/config';
import { rateLimitsFrom, rateWindow, type RateKind, type RateLimits } from '@centli/pure/rate-limit';

export type RateDecision = { allowed: true } | { allowed: false; retryAfter: number };

export interface RateLimiterOptions {
  tableName?: string;
  db?: DynamoDBDocumentClient;
  limits?: RateLimits;
  log?: (message: string, attributes?: Record<string, unknown>) => void;
}

export class RateLimiter {
  private readonly tableName: string;
  private readonly db: DynamoDBDocumentClient;
  readonly limits: RateLimits;
  private readonly log: NonNullable<RateLimiterOptions['log']>;

  constructor(options: RateLimiterOptions = {}) {
    this.tableName = options.tableName ?? requireEnv('RATE_LIMITS_TABLE');
    this.db = options.db ?? dynamoDocumentClient();
    this.limits = options.limits ?? rateLimitsFrom(process.env);
    this.log = options.log ?? (() => undefined);
  }

  /** Counts one request of `kind` for the customer in the minute of `now`, or says when to come back. */
  async take(userId: string, kind: RateKind, now: Date): Promise<RateDecision> {
    const window = rateWindow(userId, kind, now);
    try {
      await this.db.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: { pk: window.key },
          UpdateExpression: 'ADD #count :one SET #ttl = if_not_exists(#ttl, :ttl)',
          ConditionExpression: 'attribute_not_exists(#count) OR #count < :limit',
          ExpressionAttributeNames: { '#count': 'count', '#ttl': 'ttl' },
          ExpressionAttributeValues: { ':one': 1, ':ttl': window.ttl, ':limit': this.limits[kind] },
        }),
      );
      return { allowed: true };
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return { allowed: false, retryAfter: window.retryAfter };
      this.log('the rate-limit counter could not be reached; the call is served', { kind, error: (error as Error).message });
      return { allowed: true };
    }
  }
}
