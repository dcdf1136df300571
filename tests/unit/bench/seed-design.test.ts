/**
 * The seed design's variants the money-path benchmark compares Centli with (bench/seed-design.ts),
 * checked by the calls they make on a recording client: the equal-features variant writes what
 * Centli keeps (an outcome record, the day's counter) and the sensible one reads nothing and
 * cannot lose a race.
 */
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { seedTransfer } from '../../../bench/seed-design';

interface Sent {
  name: string;
  input: Record<string, unknown>;
}

function recorder(refuse?: (sent: Sent) => boolean): { db: DynamoDBDocumentClient; sent: Sent[] } {
  const sent: Sent[] = [];
  const account = (key: Record<string, unknown>) => ({ ...key, balance: 1_000, currency: 'MXN', status: 'active', version: 3 });
  const db = {
    send: async (command: { constructor: { name: string }; input: Record<string, unknown> }) => {
      const entry = { name: command.constructor.name, input: command.input };
      sent.push(entry);
      if (refuse?.(entry)) throw Object.assign(new Error('refused'), { name: 'ConditionalCheckFailedException' });
      if (entry.name === 'GetCommand') return { Item: account(command.input.Key as Record<string, unknown>) };
      return {};
    },
  } as unknown as DynamoDBDocumentClient;
  return { db, sent };
}

const tables = { accounts: 'accounts', transactions: 'transactions' };
const transfer = {
  request_id: 'req-1',
  from: { user_id: 'user-a', account_id: 'acc-a' },
  to: { user_id: 'user-b', account_id: 'acc-b' },
  amount: 100,
  currency: 'MXN',
};

describe('the seed design’s variants', () => {
  it('faithful: reads both accounts, two versioned updates, two ledger rows', async () => {
    const { db, sent } = recorder();
    const result = await seedTransfer(db, tables, transfer);
    expect(result).toEqual({ status: 'completed', attempts: 1, creditAttempts: 1 });
    expect(sent.map((s) => s.name)).toEqual(['GetCommand', 'GetCommand', 'UpdateCommand', 'UpdateCommand', 'PutCommand', 'PutCommand']);
    expect(sent.filter((s) => s.name === 'UpdateCommand').every((s) => s.input.ConditionExpression === 'version = :read')).toBe(true);
  });

  it('equal features: also puts the request’s outcome (first writer wins) and adds to the day’s counter', async () => {
    const { db, sent } = recorder();
    await seedTransfer(db, tables, transfer, { variant: 'equal-features', controls: 'controls' });
    const controls = sent.filter((s) => s.input.TableName === 'controls');
    expect(controls.map((s) => s.name).sort()).toEqual(['PutCommand', 'UpdateCommand']);
    expect(controls.find((s) => s.name === 'PutCommand')?.input.ConditionExpression).toBe('attribute_not_exists(pk)');
    expect(controls.find((s) => s.name === 'UpdateCommand')?.input.UpdateExpression).toBe('ADD debited :amount');
    expect(sent.filter((s) => s.input.TableName === 'transactions')).toHaveLength(2);
  });

  it('sensible: no reads, a debit conditioned on the balance, an unversioned ADD credit', async () => {
    const { db, sent } = recorder();
    const result = await seedTransfer(db, tables, transfer, { variant: 'sensible' });
    expect(result.status).toBe('completed');
    expect(sent.map((s) => s.name)).toEqual(['UpdateCommand', 'UpdateCommand', 'PutCommand', 'PutCommand']);
    const [debit, credit] = sent as [Sent, Sent];
    expect(debit.input.ConditionExpression).toContain('balance >= :amount');
    expect(credit.input.UpdateExpression).toBe('ADD balance :amount SET updated_at = :at');
    expect(credit.input.ConditionExpression).toBe('attribute_exists(account_id)');
  });

  it('sensible: a refused debit moves nothing and writes no ledger row', async () => {
    const { db, sent } = recorder((s) => s.name === 'UpdateCommand' && String(s.input.ConditionExpression).includes('balance >='));
    const result = await seedTransfer(db, tables, transfer, { variant: 'sensible' });
    expect(result).toEqual({ status: 'refused', reason: 'insufficient funds or source unavailable' });
    expect(sent).toHaveLength(1);
  });
});
