/**
 * A DynamoDB document client in memory, for the stores' unit tests: it keeps items by their
 * table's key, answers GetItem and BatchGetItem, and decides PutItem and TransactWriteItems the way DynamoDB
 * does for what the stores ask of it. A Put's `attribute_not_exists(...)` condition is
 * evaluated (an item with the same key refuses it); any other item's condition (an Update's) is
 * taken to hold unless a test names the item as failing. A refused transaction throws
 * TransactionCanceledException with a reason per item, in order, and the item as it was
 * (marshalled, as DynamoDB returns it) where ALL_OLD was asked for; a test may also script the
 * next cancellations outright (throttling, conflicts). What was sent is kept.
 */
import { ConditionalCheckFailedException, TransactionCanceledException, type CancellationReason } from '@aws-sdk/client-dynamodb';
import { BatchGetCommand, GetCommand, PutCommand, TransactWriteCommand, type DynamoDBDocumentClient, type TransactWriteCommandInput } from '@aws-sdk/lib-dynamodb';
import { marshall } from '@aws-sdk/util-dynamodb';

type Item = object;
type TransactItem = NonNullable<TransactWriteCommandInput['TransactItems']>[number];

/** A scripted reason: its item plain, as a test writes it. */
export interface ScriptedReason {
  Code: string;
  Item?: Item;
}

export class FakeDocumentClient {
  private readonly items = new Map<string, Map<string, Item>>();
  /** Every command's input, in the order sent. */
  readonly sent: { command: string; input: unknown }[] = [];
  /** Cancellations the next transactions get instead of being decided, one each. */
  readonly cancellations: ScriptedReason[][] = [];
  /** Decides whether an Update or ConditionCheck's condition holds; true unless a test says otherwise. */
  holds: (item: TransactItem, current: Item | undefined) => boolean = () => true;

  /** @param keys each table's key attributes, partition key first. */
  constructor(private readonly keys: Record<string, readonly string[]>) {}

  /** The client to hand a store. */
  get client(): DynamoDBDocumentClient {
    return this as unknown as DynamoDBDocumentClient;
  }

  /** Puts an item as it would already be in the table. */
  seed(table: string, item: Item): void {
    this.tableOf(table).set(this.keyOf(table, item), structuredClone(item));
  }

  /** The item under a key, if any. */
  item(table: string, key: Item): Item | undefined {
    const item = this.tableOf(table).get(this.keyOf(table, key));
    return item && structuredClone(item);
  }

  /** How many commands of a kind were sent. */
  count(command: 'GetCommand' | 'BatchGetCommand' | 'PutCommand' | 'TransactWriteCommand'): number {
    return this.sent.filter((sent) => sent.command === command).length;
  }

  send = jest.fn(async (command: unknown): Promise<unknown> => {
    if (command instanceof GetCommand) {
      this.sent.push({ command: 'GetCommand', input: command.input });
      return { Item: this.item(command.input.TableName as string, command.input.Key as Item) };
    }
    if (command instanceof BatchGetCommand) {
      this.sent.push({ command: 'BatchGetCommand', input: command.input });
      const requests = Object.entries(command.input.RequestItems ?? {});
      if (requests.reduce((n, [, request]) => n + (request.Keys?.length ?? 0), 0) > 100) throw new Error('BatchGetItem takes at most 100 keys');
      return { Responses: Object.fromEntries(requests.map(([table, request]) => [table, (request.Keys ?? []).flatMap((key) => this.item(table, key as Item) ?? [])])), UnprocessedKeys: {} };
    }
    if (command instanceof PutCommand) {
      this.sent.push({ command: 'PutCommand', input: command.input });
      const { TableName, Item: item, ConditionExpression, ExpressionAttributeNames } = command.input;
      if (!this.putHolds(TableName as string, item as Item, ConditionExpression, ExpressionAttributeNames)) {
        throw new ConditionalCheckFailedException({ message: 'The conditional request failed', $metadata: {} });
      }
      this.seed(TableName as string, item as Item);
      return {};
    }
    if (command instanceof TransactWriteCommand) {
      this.sent.push({ command: 'TransactWriteCommand', input: command.input });
      return this.transact(command.input.TransactItems ?? []);
    }
    throw new Error(`the fake DynamoDB does not answer ${(command as object).constructor.name}`);
  });

  private transact(items: readonly TransactItem[]): object {
    const scripted = this.cancellations.shift();
    if (scripted) throw cancelled(scripted.map((reason) => ({ Code: reason.Code, ...(reason.Item ? { Item: marshall(reason.Item) } : {}) })));
    const reasons = items.map((item): CancellationReason => {
      if (item.Put) {
        const { TableName, Item: put, ConditionExpression, ExpressionAttributeNames } = item.Put;
        return this.putHolds(TableName as string, put as Item, ConditionExpression, ExpressionAttributeNames) ? { Code: 'None' } : { Code: 'ConditionalCheckFailed' };
      }
      const target = item.Update ?? item.ConditionCheck ?? item.Delete;
      if (!target) return { Code: 'None' };
      const current = this.item(target.TableName as string, target.Key as Item);
      if (this.holds(item, current)) return { Code: 'None' };
      return { Code: 'ConditionalCheckFailed', ...(current && target.ReturnValuesOnConditionCheckFailure === 'ALL_OLD' ? { Item: marshall(current) } : {}) };
    });
    if (reasons.some((reason) => reason.Code !== 'None')) throw cancelled(reasons);
    for (const item of items) if (item.Put) this.seed(item.Put.TableName as string, item.Put.Item as Item);
    return {};
  }

  private putHolds(table: string, item: Item, condition: string | undefined, names: Record<string, string> | undefined): boolean {
    if (condition === undefined) return true;
    const match = /^attribute_not_exists\((#?\w+)\)$/.exec(condition);
    if (!match) throw new Error(`the fake DynamoDB cannot evaluate a Put's condition ${condition}`);
    const attribute = names?.[match[1] as string] ?? (match[1] as string);
    const current = this.tableOf(table).get(this.keyOf(table, item));
    return current === undefined || !(attribute in current);
  }

  private tableOf(table: string): Map<string, Item> {
    let items = this.items.get(table);
    if (!items) {
      items = new Map();
      this.items.set(table, items);
    }
    return items;
  }

  private keyOf(table: string, item: Item): string {
    const key = this.keys[table];
    if (!key) throw new Error(`the fake DynamoDB has no table ${table}`);
    return JSON.stringify(key.map((attribute) => (item as Record<string, unknown>)[attribute]));
  }
}

function cancelled(reasons: CancellationReason[]): TransactionCanceledException {
  return new TransactionCanceledException({
    message: `Transaction cancelled, please refer cancellation reasons for specific reasons [${reasons.map((reason) => reason.Code).join(', ')}]`,
    $metadata: {},
    CancellationReasons: reasons,
  });
}
