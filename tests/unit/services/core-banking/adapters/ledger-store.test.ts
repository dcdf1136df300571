import { requestFingerprint } from '@centli/pure/canonical';
import type { OutgoingEvent } from '@centli/pure/events';
import { outcomeKey } from '@centli/pure/outcome';
import { LedgerStore, type LedgerTables, type StoredOutcome } from '../../../../../services/core-banking/src/adapters/ledger-store';
import { OwnerCache } from '../../../../../services/core-banking/src/adapters/owner-cache';
import type { Account } from '../../../../../services/core-banking/src/domain/account';
import { planTransfer } from '../../../../../services/core-banking/src/domain/transfer';
import { FakeDocumentClient } from '../../../support/fake-dynamodb';
import { limits, transferRequest } from '../fixtures';

const tables: LedgerTables = { accounts: 'accounts', transactions: 'transactions', controls: 'controls' };
const request = transferRequest;
const outcomeId = outcomeKey('transfer', 'user-ana', 'req-1');
const ana: Account = { user_id: 'user-ana', account_id: 'acc-ana-nomina-4821', balance: 5, currency: 'MXN', status: 'active' };
const carlos: Account = { user_id: 'user-carlos', account_id: 'acc-carlos-nomina-3954', balance: 0, currency: 'MXN', status: 'frozen' };

function setUp() {
  const db = new FakeDocumentClient({ accounts: ['user_id', 'account_id'], transactions: ['account_id', 'sk'], controls: ['pk'] });
  db.seed('accounts', ana);
  db.seed('accounts', carlos);
  const owners = new OwnerCache();
  owners.remember(carlos.account_id, carlos.user_id);
  const store = new LedgerStore(tables, db.client, owners);
  const plan = planTransfer(request, 'user-carlos', limits, new Date('2026-11-22T16:00:00Z'));
  return { db, owners, store, plan };
}

/** Fails the conditions of the items these tell apart; the others hold. */
const failing =
  (...which: ((item: { Update?: { TableName?: string; Key?: Record<string, unknown> } }) => boolean)[]) =>
  (item: object) =>
    !which.some((fails) => fails(item as never));
const source = (item: { Update?: { Key?: Record<string, unknown> } }) => item.Update?.Key?.account_id === ana.account_id;
const destination = (item: { Update?: { Key?: Record<string, unknown> } }) => item.Update?.Key?.account_id === carlos.account_id;
const daily = (item: { Update?: { TableName?: string } }) => item.Update?.TableName === 'controls';

describe('LedgerStore.commitTransfer', () => {
  it('writes the double entry, the day’s counter and the outcome in one transaction, the outcome only where none is', async () => {
    // Prepare
    const { db, store, plan } = setUp();

    // Act
    const result = await store.commitTransfer(plan, outcomeId);

    // Assess
    expect(result).toEqual({ status: 'committed' });
    expect(db.count('TransactWriteCommand')).toBe(1);
    expect(db.item('controls', { pk: outcomeId })).toEqual({ pk: outcomeId, status: 'completed', outcome: plan.completed, created_at: plan.at, request_hash: plan.requestHash });
    expect(db.item('transactions', { account_id: ana.account_id, sk: plan.entries[0].sk })).toEqual(plan.entries[0]);
  });

  it('answers a request served already with its first outcome, read back consistently', async () => {
    // Prepare: the money moved the first time, so the debit refuses now too.
    const { db, store, plan } = setUp();
    const first: StoredOutcome = { pk: outcomeId, status: 'completed', outcome: { detailType: 'TRANSFER_COMPLETED', detail: { transaction_id: 'txn_first' } } as unknown as OutgoingEvent, created_at: 'x', request_hash: plan.requestHash };
    db.seed('controls', first);
    db.holds = failing(source);

    // Act
    const result = await store.commitTransfer(plan, outcomeId);

    // Assess
    expect(result).toEqual({ status: 'served', first });
  });

  it.each([
    ['a throttled item (the chaos mode’s transaction-throttle)', [{ Code: 'ThrottlingError' }, { Code: 'None' }, { Code: 'None' }, { Code: 'None' }, { Code: 'None' }, { Code: 'None' }]],
    ['another transaction on the accounts', [{ Code: 'None' }, { Code: 'TransactionConflict' }, { Code: 'None' }, { Code: 'None' }, { Code: 'None' }, { Code: 'None' }]],
  ])('reads %s as contention', async (_, reasons) => {
    // Prepare
    const { db, store, plan } = setUp();
    db.cancellations.push(reasons);

    // Act, Assess
    await expect(store.commitTransfer(plan, outcomeId)).resolves.toEqual({ status: 'contention' });
  });

  it('reads a refused debit with the source as it was', async () => {
    // Prepare
    const { db, store, plan } = setUp();
    db.holds = failing(source);

    // Act, Assess
    await expect(store.commitTransfer(plan, outcomeId)).resolves.toEqual({ status: 'refused', refusal: { source: { found: true, item: ana } } });
  });

  it('reads a source that is not the customer’s as not found', async () => {
    // Prepare
    const { db, store } = setUp();
    const plan = planTransfer({ ...request, from_account_id: 'acc-luis-nomina-1532' }, 'user-carlos', limits, new Date('2026-11-22T16:00:00Z'));
    db.holds = failing((item) => item.Update?.Key?.account_id === 'acc-luis-nomina-1532');

    // Act, Assess
    await expect(store.commitTransfer(plan, outcomeId)).resolves.toEqual({ status: 'refused', refusal: { source: { found: false } } });
  });

  it('reads every refused condition together, the day’s counter with what it had debited', async () => {
    // Prepare
    const { db, store, plan } = setUp();
    db.seed('controls', { pk: `daily#${ana.account_id}#${plan.day}`, debited: 9_995_000 });
    db.holds = failing(source, destination, daily);

    // Act, Assess
    await expect(store.commitTransfer(plan, outcomeId)).resolves.toEqual({
      status: 'refused',
      refusal: { source: { found: true, item: ana }, destination: { found: true, item: carlos }, daily: { debited: 9_995_000 } },
    });
  });

  it('forgets a remembered owner whose account the transaction did not find', async () => {
    // Prepare
    const { db, owners, store, plan } = setUp();
    db.cancellations.push([{ Code: 'None' }, { Code: 'ConditionalCheckFailed' }, { Code: 'None' }, { Code: 'None' }, { Code: 'None' }, { Code: 'None' }]);

    // Act
    const result = await store.commitTransfer(plan, outcomeId);

    // Assess
    expect(result).toEqual({ status: 'refused', refusal: { destination: { found: false } } });
    expect(owners.get(carlos.account_id)).toBeUndefined();
  });

  it('refuses to guess at a cancellation no condition explains', async () => {
    // Prepare: a ledger entry alone.
    const { db, store, plan } = setUp();
    db.cancellations.push([{ Code: 'None' }, { Code: 'None' }, { Code: 'ConditionalCheckFailed' }, { Code: 'None' }, { Code: 'None' }, { Code: 'None' }]);

    // Act, Assess
    await expect(store.commitTransfer(plan, outcomeId)).rejects.toThrow(/a transfer was cancelled for an unexpected reason/);
  });
});

describe('LedgerStore.settleRefusal', () => {
  const refused = { detailType: 'TRANSFER_FAILED', detail: { reason: 'TRANSFER.INSUFFICIENT_FUNDS' } } as unknown as OutgoingEvent;

  it('records a refusal where the request has no outcome', async () => {
    // Prepare
    const { db, store } = setUp();
    const hash = requestFingerprint(request as unknown as Record<string, unknown>);

    // Act
    const stands = await store.settleRefusal(outcomeId, refused, 'x', hash);

    // Assess
    expect(stands).toEqual({ pk: outcomeId, status: 'refused', outcome: refused, created_at: 'x', request_hash: hash });
    expect(db.item('controls', { pk: outcomeId })).toEqual(stands);
  });

  it('answers with the outcome that stands when the request has one', async () => {
    // Prepare
    const { db, store } = setUp();
    const first: StoredOutcome = { pk: outcomeId, status: 'completed', outcome: { detailType: 'TRANSFER_COMPLETED', detail: {} } as unknown as OutgoingEvent, created_at: 'y' };
    db.seed('controls', first);

    // Act, Assess
    await expect(store.settleRefusal(outcomeId, refused, 'x', 'hash')).resolves.toEqual(first);
  });
});

describe('LedgerStore.debitedOn', () => {
  it('reads the day counters the transfers keep, strongly consistent, and leaves out an account that sent nothing', async () => {
    // Prepare
    const { db, store } = setUp();
    db.seed('controls', { pk: 'daily#acc-ana-nomina-4821#2026-11-22', account_id: 'acc-ana-nomina-4821', debited: 250_000 });
    db.seed('controls', { pk: 'daily#acc-ana-nomina-4821#2026-11-21', account_id: 'acc-ana-nomina-4821', debited: 9_000_000 });

    // Act
    const debited = await store.debitedOn(['acc-ana-nomina-4821', 'acc-ana-ahorro-7305'], '2026-11-22');

    // Assess
    expect([...debited]).toEqual([['acc-ana-nomina-4821', 250_000]]);
    expect(db.sent).toEqual([{ command: 'BatchGetCommand', input: { RequestItems: { controls: { Keys: [{ pk: 'daily#acc-ana-nomina-4821#2026-11-22' }, { pk: 'daily#acc-ana-ahorro-7305#2026-11-22' }], ConsistentRead: true } } } }]);
  });

  it('reads the very counter a transfer writes', async () => {
    // Prepare
    const { db, store, plan } = setUp();
    await store.commitTransfer(plan, outcomeId);
    await store.debitedOn([ana.account_id], plan.day);

    // Act
    const [transaction, read] = db.sent.map((sent) => sent.input as { TransactItems?: Array<{ Update?: { TableName: string; Key: { pk: string } } }> });
    const written = transaction?.TransactItems?.find((item) => item.Update?.TableName === 'controls')?.Update?.Key.pk;

    // Assess
    expect(written).toBe(`daily#${ana.account_id}#${plan.day}`);
    expect(read).toEqual({ RequestItems: { controls: { Keys: [{ pk: written }], ConsistentRead: true } } });
  });

  it('asks for nothing when there is no account', async () => {
    const { db, store } = setUp();
    expect([...(await store.debitedOn([], '2026-11-22'))]).toEqual([]);
    expect(db.count('BatchGetCommand')).toBe(0);
  });
});
