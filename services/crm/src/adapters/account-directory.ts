/**
 * Whether a Centli account exists, read from Core Banking's accounts table through its
 * account_id index (read-only, keys only): CRM never sees a balance.
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

  async accountExists(accountId: string): Promise<boolean> {
    const result = await this.db.send(
      new QueryCommand({
        TableName: this.table,
        IndexName: ACCOUNT_ID_INDEX,
        KeyConditionExpression: 'account_id = :a',
        ExpressionAttributeValues: { ':a': accountId },
        Limit: 1,
      }),
    );
    return (result.Items?.length ?? 0) > 0;
  }
}
