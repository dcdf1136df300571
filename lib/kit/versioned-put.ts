/**
 * Optimistic concurrency for an item that moves by whole versions (a chat turn, a phone call):
 * the new version is written only if the stored one is still the version the writer read, or, for
 * a first version, if there is none yet. A writer that lost the race is told so and reads again.
 */
import { PutCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { ContentionError } from '@centli/pure/errors';

/**
 * Puts `item` if the item under its `pk` is still at `previousVersion` (undefined: there is none).
 *
 * @throws ContentionError (`<what> moved`) when another writer recorded a version first.
 */
export async function putIfUnchanged(
  db: Pick<DynamoDBDocumentClient, 'send'>,
  tableName: string,
  item: { pk: string; version: number },
  previousVersion: number | undefined,
  what: string,
): Promise<void> {
  try {
    await db.send(
      new PutCommand({
        TableName: tableName,
        Item: item,
        ConditionExpression: previousVersion === undefined ? 'attribute_not_exists(pk)' : 'version = :version',
        ...(previousVersion === undefined ? {} : { ExpressionAttributeValues: { ':version': previousVersion } }),
      }),
    );
  } catch (error) {
    if ((error as Error).name === 'ConditionalCheckFailedException') throw new ContentionError(`${what} moved`);
    throw error;
  }
}
