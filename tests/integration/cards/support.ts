/**
 * What the Cards integration tests share: their own customers and cards (unique ids per run,
 * never the seed rows), reading cards and card requests back, and sending a request.
 */
import { GetCommand, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { answerTo, documents, putRequests, table, type BusEvent } from '../support';

export const RESULTS = ['CARDS_RESPONSE', 'CARD_LOCKED', 'CARD_UNLOCKED', 'CARD_REPLACEMENT_REQUESTED', 'CARD_OPERATION_FAILED'];

export interface TestCard {
  card_id: string;
  account_id: string;
  user_id: string;
  masked_number: string;
  last_four: string;
  brand: 'visa' | 'mastercard' | 'amex';
  type: 'debit' | 'credit';
  status: 'active' | 'locked' | 'cancelled' | 'replaced';
  expiry: string;
  name?: string;
  replacement_id?: string;
}

export async function createCustomer(userId: string, fields: Record<string, unknown> = {}): Promise<void> {
  await documents().send(
    new PutCommand({
      TableName: table('customers'),
      Item: { user_id: userId, name: 'Cliente de Prueba', email: `${userId}@example.com`, phone: '+52 55 0000 0000', address: 'Av. Reforma 222, Juárez, 06600 Ciudad de México, CDMX', status: 'active', ...fields },
    }),
  );
}

/** A card of `userId` ending in `lastFour`, on `acc-<userId>`, active unless said otherwise. */
export function testCard(userId: string, cardId: string, lastFour: string, fields: Partial<TestCard> = {}): TestCard {
  return {
    card_id: cardId,
    account_id: `acc-${userId}`,
    user_id: userId,
    masked_number: `453212******${lastFour}`,
    last_four: lastFour,
    brand: 'visa',
    type: 'debit',
    status: 'active',
    expiry: '08/2029',
    name: 'Débito de prueba',
    ...fields,
  };
}

export async function createCards(cards: readonly TestCard[]): Promise<void> {
  await Promise.all(cards.map((card) => documents().send(new PutCommand({ TableName: table('cards'), Item: { ...card, updated_at: '2026-01-01T00:00:00.000Z' } }))));
}

export async function cardOf(cardId: string): Promise<Record<string, unknown> | undefined> {
  return (await documents().send(new GetCommand({ TableName: table('cards'), Key: { card_id: cardId }, ConsistentRead: true }))).Item;
}

export async function cardRequest(requestId: string): Promise<Record<string, unknown> | undefined> {
  return (await documents().send(new GetCommand({ TableName: table('card-requests'), Key: { request_id: requestId }, ConsistentRead: true }))).Item;
}

/** The customer's replacement requests (the card-requests user index), oldest first. */
export async function replacementsOf(userId: string): Promise<Record<string, unknown>[]> {
  const items: Record<string, unknown>[] = [];
  let start: Record<string, unknown> | undefined;
  do {
    const page = await documents().send(
      new QueryCommand({ TableName: table('card-requests'), IndexName: 'user_id-index', KeyConditionExpression: 'user_id = :u', ExpressionAttributeValues: { ':u': userId }, ExclusiveStartKey: start }),
    );
    items.push(...(page.Items ?? []));
    start = page.LastEvaluatedKey;
  } while (start);
  return items;
}

export type CardRequestType = 'CARDS_QUERY' | 'CARD_LOCK_REQUEST' | 'CARD_UNLOCK_REQUEST' | 'CARD_REPLACEMENT_REQUEST';

/** Puts one request on the bus as the agent gateway would and waits for its answer. */
export async function send(detailType: CardRequestType, detail: Record<string, unknown> & { correlation_id: string }): Promise<BusEvent> {
  await putRequests([{ detailType, detail }]);
  return answerTo(detail.correlation_id, RESULTS);
}
