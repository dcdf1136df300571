/**
 * Whether a Centli account exists, and its holder's registered name, read from Core Banking's
 * accounts table through its account_id index (read-only; the index holds the keys and the
 * holder's name): CRM never sees a balance.
 */
import { QueryCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { dynamoDocumentClient } from '@centli/kit/aws';
import { requireEnv } from '@centli/kit/config';

export const ACCOUNT_ID_INDEX = 'account_id-index';

export class AccountDirectory {
  constructor(
    private readonly table: string = requireEnv('ACCOUNTS_TABLE'),
    private readonly db: DynamoDBDocumentClient = dynamoDocumentClient(),
  ) {}

  /** The account's holder, or undefined when no Centli account has that id. */
  async holderOf(accountId: string): Promise<{ holder_name?: string } | undefined> {
    const result = await this.db.send(
      new QueryCommand({
        TableName: this.table,
        IndexName: ACCOUNT_ID_INDEX,
        KeyConditionExpression: 'account_id = :a',
        ExpressionAttributeValues: { ':a': accountId },
        Limit: 1,
      }),
    );
    const item = result.Items?.[0];
    if (!item) return undefined;
    return typeof item.holder_name === 'string' ? { holder_name: item.holder_name } : {};
  }
}
