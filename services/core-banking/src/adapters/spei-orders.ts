/**
 * SPEI transfers out, in DynamoDB: the order records (centli-spei-orders-<stage>, keyed by
 * transfer_id, with an index by clave de rastreo and one by customer, newest first) and the three
 * money movements of a transfer (domain/spei-out.ts): the hold (the transfer's own transaction,
 * LedgerStore.commitTransfer, with the order record put beside its outcome), and the settlement or
 * the give-back, each one transaction conditioned on the order's status and written once.
 */
import { GetCommand, QueryCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { requireEnv } from '@centli/kit/config';
import { transact, type Step } from '@centli/kit/outcome-store';
import { ledgerEntries } from '../domain/transfer';
import type { HoldPlan, OrderStatus, SpeiAccounts, SpeiOrderRecord, SpeiResult } from '../domain/spei-out';
import { LedgerAdapter, LedgerStore, movementSteps, tablesFromEnv, type CommitResult, type LedgerTables, type StoredOutcome } from './ledger-store';
import { dynamoDocumentClient } from '@centli/kit/aws';

export function ordersTableFromEnv(): string {
  return requireEnv('SPEI_ORDERS_TABLE');
}

/** What ending a transfer (settling it or giving it back) came to. */
export type EndResult = { status: 'committed' } | { status: 'ended'; record: SpeiOrderRecord } | { status: 'contention' } | { status: 'refused'; why: string };

/** How a transfer ends: which account the held money goes to, and the order status that allows it. */
export interface EndPlan {
  record: SpeiOrderRecord;
  transactionId: string;
  at: string;
  /** The statuses the order must have for this end (liquidada to settle; devuelta or timed_out to give back). */
  requires: readonly OrderStatus[];
  to: { account_id: string; user_id: string };
  description: string;
}

export class SpeiOrderStore extends LedgerAdapter {
  private readonly ledger: LedgerStore;

  constructor(
    private readonly ordersTable: string = ordersTableFromEnv(),
    tables: LedgerTables = tablesFromEnv(),
    db: DynamoDBDocumentClient = dynamoDocumentClient(),
  ) {
    super(tables, db);
    this.ledger = new LedgerStore(tables, db);
  }

  findAccountOwner(accountId: string): Promise<string | undefined> {
    return this.ledger.findAccountOwner(accountId);
  }

  /**
   * The hold: the transfer's transaction to the in-transit account (LedgerStore.commitTransfer:
   * funds, daily limit, MTU, new payee, the outcome first-writer-wins) with the order record put
   * in it, where none is.
   */
  commitHold(plan: HoldPlan, outcomeId: string): Promise<CommitResult<StoredOutcome>> {
    const put: Step<never> = { role: undefined, item: { Put: { TableName: this.ordersTable, Item: plan.record, ConditionExpression: 'attribute_not_exists(transfer_id)' } } };
    return this.ledger.commitTransfer(plan.transfer, outcomeId, [put]);
  }

  settleRefusal(...args: Parameters<LedgerStore['settleRefusal']>): Promise<StoredOutcome> {
    return this.ledger.settleRefusal(...args);
  }

  /** The order record, read strongly consistent. */
  async getOrder(transferId: string): Promise<SpeiOrderRecord | undefined> {
    const result = await this.db.send(new GetCommand({ TableName: this.ordersTable, Key: { transfer_id: transferId }, ConsistentRead: true }));
    return result.Item as SpeiOrderRecord | undefined;
  }

  /** Marks the order sent (from held; a second send changes nothing); the record as it stands. */
  async markSent(transferId: string, at: string): Promise<SpeiOrderRecord | undefined> {
    try {
      const result = await this.db.send(
        new UpdateCommand({
          TableName: this.ordersTable,
          Key: { transfer_id: transferId },
          UpdateExpression: 'SET #status = :sent, sent_at = if_not_exists(sent_at, :at), updated_at = :at',
          ConditionExpression: '#status IN (:held, :sent)',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: { ':sent': 'sent', ':held': 'held', ':at': at },
          ReturnValues: 'ALL_NEW',
        }),
      );
      return result.Attributes as SpeiOrderRecord;
    } catch (error) {
      if ((error as Error).name === 'ConditionalCheckFailedException') return this.getOrder(transferId);
      throw error;
    }
  }

  /** Keeps the saga's task token while no result is recorded; false when one is (the caller answers it). */
  async keepToken(transferId: string, token: string, at: string): Promise<boolean> {
    return this.conditionally({
      Key: { transfer_id: transferId },
      UpdateExpression: 'SET task_token = :token, updated_at = :at',
      ConditionExpression: '#status IN (:held, :sent)',
      ExpressionAttributeNames: { '#status': 'status' },
      ExpressionAttributeValues: { ':token': token, ':held': 'held', ':sent': 'sent', ':at': at },
    });
  }

  /**
   * Records the order's result (the participant's, or the timeout) with one conditional update,
   * only while none is and only for this order's clave de rastreo: the record with it, or
   * nothing when a result was there first (a duplicated, late or out-of-order one changes nothing).
   */
  async recordResult(transferId: string, claveRastreo: string, result: SpeiResult, at: string): Promise<SpeiOrderRecord | undefined> {
    const values: Record<string, unknown> = { ':status': result.status, ':held': 'held', ':sent': 'sent', ':clave': claveRastreo, ':at': at };
    let set = 'SET #status = :status, result_at = :at, updated_at = :at';
    if (result.status === 'devuelta' && result.reason) {
      set += ', return_reason = :reason';
      values[':reason'] = result.reason;
    }
    if (result.status === 'liquidada' && result.settled_at) {
      set += ', participant_settled_at = :settled';
      values[':settled'] = result.settled_at;
    }
    try {
      const updated = await this.db.send(
        new UpdateCommand({
          TableName: this.ordersTable,
          Key: { transfer_id: transferId },
          UpdateExpression: set,
          ConditionExpression: '#status IN (:held, :sent) AND clave_rastreo = :clave',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: values,
          ReturnValues: 'ALL_NEW',
        }),
      );
      return updated.Attributes as SpeiOrderRecord;
    } catch (error) {
      if ((error as Error).name === 'ConditionalCheckFailedException') return undefined;
      throw error;
    }
  }

  /**
   * Ends the transfer: the held money from the in-transit account to `plan.to`, its two entries,
   * and the order marked ended, one transaction, only if the order has a status the end requires
   * and has not ended (so it ends once, one way). `ended` with the record when it had ended already.
   */
  async commitEnd(plan: EndPlan, accounts: SpeiAccounts): Promise<EndResult> {
    const { record } = plan;
    const entries = ledgerEntries(plan.transactionId, { request_id: record.request_id, amount: record.amount, currency: record.currency, description: plan.description }, plan.at, accounts.inTransit, plan.to);
    const [debit, credit] = entries;
    const named = [debit, { ...credit, counterparty_name: record.beneficiary_name, counterparty_bank: record.receiving_bank, clave_rastreo: record.clave_rastreo }] as const;
    const statuses = Object.fromEntries(plan.requires.map((status, i) => [`:s${i}`, status]));
    const steps: Step<'source' | 'destination'>[] = [
      ...movementSteps(this.tables, { from: accounts.inTransit, to: plan.to, amount: record.amount, currency: record.currency, at: plan.at, entries: named }),
      {
        role: 'outcome',
        item: {
          Update: {
            TableName: this.ordersTable,
            Key: { transfer_id: record.transfer_id },
            UpdateExpression: 'SET end_transaction_id = :txn, ended_at = :at, updated_at = :at REMOVE task_token',
            ConditionExpression: `attribute_not_exists(end_transaction_id) AND #status IN (${Object.keys(statuses).join(', ')})`,
            ExpressionAttributeNames: { '#status': 'status' },
            ExpressionAttributeValues: { ':txn': plan.transactionId, ':at': plan.at, ...statuses },
          },
        },
      },
    ];
    const result = await transact(this.db, steps, 'a SPEI transfer’s end');
    switch (result.status) {
      case 'committed':
      case 'contention':
        return result;
      case 'served': {
        const now = await this.getOrder(record.transfer_id);
        if (now?.end_transaction_id) return { status: 'ended', record: now };
        return { status: 'refused', why: `the order is ${now?.status ?? 'missing'}, not ${plan.requires.join(' or ')}` };
      }
      case 'refused':
        return { status: 'refused', why: `the ${Object.keys(result.failed).join(' and ')} account refused the movement` };
    }
  }

  /** The customer's transfer by its clave de rastreo, or none (another customer's is none too). */
  async byClave(userId: string, claveRastreo: string): Promise<SpeiOrderRecord | undefined> {
    const result = await this.db.send(
      new QueryCommand({ TableName: this.ordersTable, IndexName: 'clave_rastreo-index', KeyConditionExpression: 'clave_rastreo = :c', ExpressionAttributeValues: { ':c': claveRastreo }, Limit: 1 }),
    );
    const found = result.Items?.[0] as Pick<SpeiOrderRecord, 'transfer_id'> | undefined;
    const record = found ? await this.getOrder(found.transfer_id) : undefined;
    return record?.user_id === userId ? record : undefined;
  }

  /** The customer's latest transfer, to this CLABE when one is named; newest first through their index. */
  async latest(userId: string, toClabe?: string): Promise<SpeiOrderRecord | undefined> {
    let start: Record<string, unknown> | undefined;
    do {
      const page = await this.db.send(
        new QueryCommand({
          TableName: this.ordersTable,
          IndexName: 'user_id-index',
          KeyConditionExpression: 'user_id = :u',
          ExpressionAttributeValues: { ':u': userId },
          ScanIndexForward: false,
          Limit: 50,
          ExclusiveStartKey: start,
        }),
      );
      const match = ((page.Items ?? []) as Pick<SpeiOrderRecord, 'transfer_id' | 'to_clabe'>[]).find((item) => toClabe === undefined || item.to_clabe === toClabe);
      if (match) return this.getOrder(match.transfer_id);
      start = page.LastEvaluatedKey;
    } while (start);
    return undefined;
  }

  private async conditionally(update: Omit<ConstructorParameters<typeof UpdateCommand>[0], 'TableName'>): Promise<boolean> {
    try {
      await this.db.send(new UpdateCommand({ TableName: this.ordersTable, ...update }));
      return true;
    } catch (error) {
      if ((error as Error).name === 'ConditionalCheckFailedException') return false;
      throw error;
    }
  }
}
