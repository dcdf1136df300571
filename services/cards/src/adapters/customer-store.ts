/** The customers table (centli-customers-<stage>, PK user_id): read only, to authenticate. */
import { GetCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { dynamoDocumentClient } from '@centli/kit/aws';
import { requireEnv } from '@centli/kit/config';
import type { CustomerItem } from '../domain/customer';

export class CustomerStore {
  constructor(
    private readonly table: string = requireEnv('CUSTOMERS_TABLE'),
    private readonly db: DynamoDBDocumentClient = dynamoDocumentClient(),
  ) {}

  async getCustomer(userId: string): Promise<CustomerItem | undefined> {
    const result = await this.db.send(new GetCommand({ TableName: this.table, Key: { user_id: userId } }));
    return result.Item as CustomerItem | undefined;
  }
}
