/**
 * What integration tests use to reach the local stack the global setup started: the real
 * AWS SDK clients pointed at its endpoints, and its HTTP endpoint for reading events back.
 */
import { randomUUID } from 'node:crypto';
import { DynamoDBClient, ScanCommand, type AttributeValue } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import type { DetailOf, DetailType } from '@centli/schemas';

export interface StackEndpoints {
  dynamodb: string;
  eventbridge: string;
  http: string;
  region?: string;
  issuer: string;
  mcp: string;
  websocket: string;
  chat: string;
  /** The approval page, beside the chat page. */
  approvals: string;
  /** The SPEI participant stand-in (local/spei.ts). */
  spei: string;
  /** A demo token for each seeded customer. */
  tokens: Record<string, string>;
}

export interface BusEvent<T = Record<string, unknown>> {
  id: string;
  'detail-type': string;
  source: string;
  time: string;
  detail: T;
}

export const BUS = 'centli-event-bus-local';
export const table = (name: string) => `centli-${name}-local`;

export function endpoints(): StackEndpoints {
  const raw = process.env.CENTLI_TEST_STACK;
  if (!raw) throw new Error('CENTLI_TEST_STACK is not set: integration tests run under jest with the global setup');
  return JSON.parse(raw) as StackEndpoints;
}

const credentials = { accessKeyId: 'local', secretAccessKey: 'local' };
let raw: DynamoDBClient | undefined;
let doc: DynamoDBDocumentClient | undefined;
let bus: EventBridgeClient | undefined;

export function dynamo(): DynamoDBClient {
  return (raw ??= new DynamoDBClient({ endpoint: endpoints().dynamodb, region: 'us-east-1', credentials }));
}

export function documents(): DynamoDBDocumentClient {
  return (doc ??= DynamoDBDocumentClient.from(dynamo()));
}

export function eventBus(): EventBridgeClient {
  return (bus ??= new EventBridgeClient({ endpoint: endpoints().eventbridge, region: 'us-east-1', credentials }));
}

export function closeClients(): void {
  raw?.destroy();
  bus?.destroy();
  raw = doc = bus = undefined;
}

/** A prefix that keeps one test run's ids apart from every other's. */
export const runId = () => randomUUID().slice(0, 8);

export interface Request<T extends DetailType = DetailType> {
  detailType: T;
  detail: DetailOf<T> | Record<string, unknown>;
}

/** Puts requests on the bus as the agent gateway would, ten per PutEvents call. */
export async function putRequests(requests: readonly Request[], source = 'centli.agent-gateway'): Promise<void> {
  const batches: Request[][] = [];
  for (let i = 0; i < requests.length; i += 10) batches.push(requests.slice(i, i + 10));
  await Promise.all(
    batches.map(async (batch) => {
      const result = await eventBus().send(
        new PutEventsCommand({
          Entries: batch.map((r) => ({ EventBusName: BUS, Source: source, DetailType: r.detailType, Detail: JSON.stringify(r.detail) })),
        }),
      );
      if (result.FailedEntryCount) throw new Error(`the bus refused ${result.FailedEntryCount} entries: ${JSON.stringify(result.Entries)}`);
    }),
  );
}

export async function getJson<T>(path: string): Promise<T> {
  const response = await fetch(new URL(path, endpoints().http));
  if (!response.ok) throw new Error(`GET ${path}: ${response.status} ${await response.text()}`);
  return (await response.json()) as T;
}

export async function eventsOf(detailType: string): Promise<BusEvent[]> {
  return getJson<BusEvent[]>(`/events?detail_type=${encodeURIComponent(detailType)}`);
}

export async function eventsFor(correlationId: string): Promise<BusEvent[]> {
  return getJson<BusEvent[]>(`/events?correlation_id=${encodeURIComponent(correlationId)}`);
}

/**
 * Waits until `count(request_id)` answers of the given detail-types exist for every request
 * id, and returns them grouped by request id.
 */
export async function answers(
  detailTypes: readonly string[],
  expected: ReadonlyMap<string, number>,
  timeoutMs = 90_000,
): Promise<Map<string, BusEvent[]>> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const all = (await Promise.all(detailTypes.map(eventsOf))).flat();
    const byRequest = new Map<string, BusEvent[]>();
    for (const event of all) {
      const id = event.detail.request_id as string | undefined;
      if (id !== undefined && expected.has(id)) byRequest.set(id, [...(byRequest.get(id) ?? []), event]);
    }
    const missing = [...expected].filter(([id, n]) => (byRequest.get(id)?.length ?? 0) < n);
    if (missing.length === 0) return byRequest;
    if (Date.now() > deadline) throw new Error(`${missing.length} request(s) still unanswered, e.g. ${missing.slice(0, 3).map(([id]) => id).join(', ')}`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

/** Waits for the one answer to one request. */
export async function answerTo(correlationId: string, detailTypes: readonly string[], timeoutMs = 30_000): Promise<BusEvent> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const found = (await eventsFor(correlationId)).filter((e) => detailTypes.includes(e['detail-type']));
    if (found.length > 0) return found[found.length - 1] as BusEvent;
    if (Date.now() > deadline) throw new Error(`no ${detailTypes.join('/')} for ${correlationId}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

export interface TestAccount {
  user_id: string;
  account_id: string;
  balance: number;
  currency?: string;
  status?: 'active' | 'frozen' | 'closed';
  /** `checking` unless said: an account a test pays into for a seeded customer is `savings`, so it never becomes their main account (the first active checking one) for the tests that pay from it. */
  type?: 'checking' | 'savings';
  /** The holder's registered name (Confirmation of Payee); 'Titular de prueba' unless said. */
  holder_name?: string;
}

export async function createAccounts(accounts: readonly TestAccount[]): Promise<void> {
  await Promise.all(
    accounts.map((a) =>
      documents().send(
        new PutCommand({
          TableName: table('accounts'),
          Item: { currency: 'MXN', status: 'active', name: 'Cuenta de prueba', type: 'checking', holder_name: 'Titular de prueba', created_at: new Date().toISOString(), ...a },
        }),
      ),
    ),
  );
}

export async function balancesOf(accounts: readonly TestAccount[]): Promise<Map<string, number>> {
  const result = new Map<string, number>();
  await Promise.all(
    accounts.map(async (a) => {
      const page = await documents().send(
        new QueryCommand({
          TableName: table('accounts'),
          KeyConditionExpression: 'user_id = :u AND account_id = :a',
          ExpressionAttributeValues: { ':u': a.user_id, ':a': a.account_id },
          ConsistentRead: true,
        }),
      );
      result.set(a.account_id, page.Items?.[0]?.balance as number);
    }),
  );
  return result;
}

export interface LedgerRow {
  account_id: string;
  transaction_id: string;
  direction: 'debit' | 'credit';
  amount: number;
  counterparty_account_id: string;
  request_id: string;
  user_id: string;
}

export async function ledgerOf(accountIds: readonly string[]): Promise<LedgerRow[]> {
  const rows: LedgerRow[] = [];
  for (const accountId of accountIds) {
    let start: Record<string, unknown> | undefined;
    do {
      const page = await documents().send(
        new QueryCommand({
          TableName: table('transactions'),
          KeyConditionExpression: 'account_id = :a',
          ExpressionAttributeValues: { ':a': accountId },
          ExclusiveStartKey: start,
        }),
      );
      rows.push(...((page.Items ?? []) as LedgerRow[]));
      start = page.LastEvaluatedKey;
    } while (start);
  }
  return rows;
}

/** Every item of a table, raw attribute values, in a stable order: for byte-for-byte comparisons. */
export async function dumpTable(name: string): Promise<string> {
  const items: Record<string, AttributeValue>[] = [];
  let start: Record<string, AttributeValue> | undefined;
  do {
    const page = await dynamo().send(new ScanCommand({ TableName: table(name), ExclusiveStartKey: start, ConsistentRead: true }));
    items.push(...(page.Items ?? []));
    start = page.LastEvaluatedKey;
  } while (start);
  const canonical = items.map((item) => JSON.stringify(Object.fromEntries(Object.entries(item).sort(([a], [b]) => a.localeCompare(b)))));
  return canonical.sort().join('\n');
}
