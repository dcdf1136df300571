/**
 * One client of each AWS service per execution environment, created on first use so that a
 * module that never touches DynamoDB never pays for its client.
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { applyLocalEndpoints } from './config';

let documentClient: DynamoDBDocumentClient | undefined;
let eventBridge: EventBridgeClient | undefined;

export function dynamoDocumentClient(): DynamoDBDocumentClient {
  if (!documentClient) {
    applyLocalEndpoints();
    documentClient = DynamoDBDocumentClient.from(new DynamoDBClient({ maxAttempts: 5 }), {
      marshallOptions: { removeUndefinedValues: true },
    });
  }
  return documentClient;
}

export function eventBridgeClient(): EventBridgeClient {
  if (!eventBridge) {
    applyLocalEndpoints();
    eventBridge = new EventBridgeClient({ maxAttempts: 5 });
  }
  return eventBridge;
}
