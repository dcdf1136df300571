/**
 * One client of each AWS service per execution environment, created on first use so that a
 * module that never touches DynamoDB never pays for its client. Every client the kit makes, and
 * every one made with `awsClient`, is traced: in Lambda its calls are X-Ray subsegments naming the
 * service and operation (see ./observability.ts).
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { applyLocalEndpoints } from './config';
import { traced } from './observability';

let documentClient: DynamoDBDocumentClient | undefined;
let eventBridge: EventBridgeClient | undefined;

/** A client of any AWS service made as the kit makes its own: pointed at the local stack under `sls invoke local`, traced. */
export function awsClient<C>(create: () => C): C {
  applyLocalEndpoints();
  return traced(create());
}

export function dynamoDocumentClient(): DynamoDBDocumentClient {
  // The document client shares its base client's middleware stack, so tracing the base traces both.
  documentClient ??= DynamoDBDocumentClient.from(
    awsClient(() => new DynamoDBClient({ maxAttempts: 5 })),
    { marshallOptions: { removeUndefinedValues: true } },
  );
  return documentClient;
}

export function eventBridgeClient(): EventBridgeClient {
  return (eventBridge ??= awsClient(() => new EventBridgeClient({ maxAttempts: 5 })));
}
