/**
 * Incoming SPEI payments in DynamoDB, on the ledger's own tables: the account a CLABE names (the
 * accounts table's `clabe-index`, keys only), and the credit as one TransactWriteItems: the
 * customer's account up (it must still hold that CLABE, be active and in pesos), the SPEI clearing
 * account down, both ledger entries, and the payment's record `spei-in#<clave de rastreo>` (only
 * where none is: the first delivery wins). A return is its record alone.
 */
import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import type { Account } from '../domain/account';
import type { AccountRef, SpeiCreditPlan, SpeiInRecord } from '../domain/spei-in';
import { balanceChange, entrySteps, LedgerAdapter } from './ledger-store';

export type CreditResult =
  | { status: 'committed' }
  | { status: 'served'; first: SpeiInRecord }
  | { status: 'contention' }
  /** The account the CLABE named cannot take it, as it was then (none: it is gone). */
  | { status: 'refused'; account: Account | undefined };

export class SpeiStore extends LedgerAdapter {
  private readonly records = this.controlRecords<SpeiInRecord>();

  /** The account whose CLABE this is, by the keys-only index; none when no account has it. */
  async findByClabe(clabe: string): Promise<AccountRef | undefined> {
    const result = await this.db.send(
      new QueryCommand({ TableName: this.tables.accounts, IndexName: 'clabe-index', KeyConditionExpression: 'clabe = :c', ExpressionAttributeValues: { ':c': clabe }, Limit: 1 }),
    );
    const item = result.Items?.[0];
    return typeof item?.user_id === 'string' && typeof item.account_id === 'string' ? { user_id: item.user_id, account_id: item.account_id } : undefined;
  }

  /** Who owns an account (the clearing account's owner), remembered as the transfers' owners are. */
  async ownerOf(accountId: string): Promise<string | undefined> {
    const known = this.owners.get(accountId);
    if (known !== undefined) return known;
    const result = await this.db.send(
      new QueryCommand({ TableName: this.tables.accounts, IndexName: 'account_id-index', KeyConditionExpression: 'account_id = :a', ExpressionAttributeValues: { ':a': accountId }, Limit: 1 }),
    );
    const owner = result.Items?.[0]?.user_id as string | undefined;
    if (owner !== undefined) this.owners.remember(accountId, owner);
    return owner;
  }

  /** A payment's record, read consistently. */
  async getRecord(pk: string): Promise<SpeiInRecord | undefined> {
    return this.records.get({ pk });
  }

  /** Records a return unless the payment has an outcome already; the record that stands. */
  async settleReturn(record: SpeiInRecord): Promise<SpeiInRecord> {
    return this.records.settle(record);
  }

  /** The credit, its entries and its record, as one transaction (see the module description). */
  async commitCredit(plan: SpeiCreditPlan): Promise<CreditResult> {
    const { payment, at } = plan;
    const result = await this.records.commit(
      plan.record,
      [
        {
          role: 'account',
          item: balanceChange(this.tables.accounts, plan.to, '+', payment.amount, at, {
            condition: 'attribute_exists(user_id) AND #status = :active AND currency = :mxn AND clabe = :clabe',
            names: { '#status': 'status' },
            values: { ':active': 'active', ':mxn': 'MXN', ':clabe': payment.clabe },
          }),
        },
        // The clearing account has no floor: its balance is what Centli's customers were paid through SPEI, net (see docs/decisions.md).
        { role: 'clearing', item: balanceChange(this.tables.accounts, plan.clearing, '-', payment.amount, at, { condition: 'attribute_exists(user_id)' }) },
        ...entrySteps(this.tables, plan.entries),
      ],
      'a SPEI credit',
    );
    if (result.status !== 'refused') return result;
    if (result.failed.clearing) throw new Error(`the SPEI clearing account ${plan.clearing.account_id} does not exist`);
    return { status: 'refused', account: result.failed.account?.item as Account | undefined };
  }
}
