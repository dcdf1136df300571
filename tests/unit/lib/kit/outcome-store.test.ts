import { requestFingerprint } from '@centli/pure/canonical';
import { retryOnContention } from '@centli/pure/contention';
import { ContentionError, RequestIdReusedError } from '@centli/pure/errors';
import type { OutgoingEvent } from '@centli/pure/events';
import { outcomeRecord, replay, type OutcomeRecord } from '@centli/pure/outcome';
import { OutcomeStore, transact, type Step } from '@centli/kit/outcome-store';
import { FakeDocumentClient } from '../../support/fake-dynamodb';

const CONTROLS = 'controls';
const ACCOUNTS = 'accounts';
type Stored = OutcomeRecord & { pk: string };

const request = { request_id: 'req-1', correlation_id: 'corr-1', user_id: 'user-ana', amount: 100 };
const hash = requestFingerprint(request);
const completed = { detailType: 'TRANSFER_COMPLETED', detail: { request_id: 'req-1' } } as unknown as OutgoingEvent;
const refused = { detailType: 'TRANSFER_FAILED', detail: { request_id: 'req-1', reason: 'TRANSFER.INSUFFICIENT_FUNDS' } } as unknown as OutgoingEvent;
const at = '2026-11-22T16:00:00.000Z';
const record = (outcome = completed, requestHash = hash): Stored => ({ pk: 'transfer#user-ana#req-1', ...outcomeRecord('completed', outcome, at, requestHash) });

/** A debit of Ana's account: the change the outcome records. */
const debit: Step<'source'> = {
  role: 'source',
  item: {
    Update: {
      TableName: ACCOUNTS,
      Key: { user_id: 'user-ana', account_id: 'acc-1' },
      UpdateExpression: 'SET balance = balance - :amount',
      ConditionExpression: 'balance >= :amount',
      ExpressionAttributeValues: { ':amount': 100 },
      ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
    },
  },
};

function setUp() {
  const db = new FakeDocumentClient({ [CONTROLS]: ['pk'], [ACCOUNTS]: ['user_id', 'account_id'] });
  db.seed(ACCOUNTS, { user_id: 'user-ana', account_id: 'acc-1', balance: 5 });
  const outcomes = new OutcomeStore<Stored>({ name: CONTROLS, key: ['pk'] }, db.client);
  return { db, outcomes };
}

describe('OutcomeStore', () => {
  describe('commit', () => {
    it('writes the change and its outcome in one transaction, the outcome only where none is', async () => {
      // Prepare
      const { db, outcomes } = setUp();

      // Act
      const result = await outcomes.commit(record(), [debit]);

      // Assess
      expect(result).toEqual({ status: 'committed' });
      expect(db.sent).toEqual([{ command: 'TransactWriteCommand', input: { TransactItems: [debit.item, outcomes.put(record()).item] } }]);
      expect(outcomes.put(record()).item.Put).toMatchObject({ TableName: CONTROLS, ConditionExpression: 'attribute_not_exists(#key)', ExpressionAttributeNames: { '#key': 'pk' } });
      expect(db.item(CONTROLS, { pk: 'transfer#user-ana#req-1' })).toEqual(record());
    });

    it('answers a request served already with its first outcome, read back consistently, and changes nothing', async () => {
      // Prepare
      const { db, outcomes } = setUp();
      db.seed(CONTROLS, record());

      // Act
      const result = await outcomes.commit(record(refused), [debit]);

      // Assess
      expect(result).toEqual({ status: 'served', first: record() });
      expect(db.sent[1]).toEqual({ command: 'GetCommand', input: { TableName: CONTROLS, Key: { pk: 'transfer#user-ana#req-1' }, ConsistentRead: true } });
      expect(result.status === 'served' && replay(result.first, hash)).toEqual(completed);
    });

    it('reads a cancellation whose outcome item failed as served, even with other conditions failed beside it', async () => {
      // Prepare: the debit fails too, as it would once the first delivery took the money.
      const { db, outcomes } = setUp();
      db.seed(CONTROLS, record());
      db.holds = () => false;

      // Act
      const result = await outcomes.commit(record(), [debit]);

      // Assess
      expect(result).toEqual({ status: 'served', first: record() });
    });

    it('refuses a request_id reused for another request as REQUEST.ID_REUSED, changing nothing', async () => {
      // Prepare
      const { db, outcomes } = setUp();
      db.seed(CONTROLS, record());
      const other = requestFingerprint({ ...request, amount: 200 });

      // Act
      const result = await outcomes.commit(record(completed, other), [debit]);

      // Assess
      expect(result.status).toBe('served');
      expect(() => result.status === 'served' && replay(result.first, other)).toThrow(RequestIdReusedError);
      expect(db.item(CONTROLS, { pk: 'transfer#user-ana#req-1' })).toEqual(record());
    });

    it('names a failed condition with the item as it then was', async () => {
      // Prepare
      const { db, outcomes } = setUp();
      db.holds = (item) => item.Update?.TableName !== ACCOUNTS;

      // Act
      const result = await outcomes.commit(record(), [debit]);

      // Assess
      expect(result).toEqual({ status: 'refused', failed: { source: { item: { user_id: 'user-ana', account_id: 'acc-1', balance: 5 } } } });
      expect(db.item(CONTROLS, { pk: 'transfer#user-ana#req-1' })).toBeUndefined();
    });

    it('reads throttling as contention, and the same attempt again commits', async () => {
      // Prepare
      const { db, outcomes } = setUp();
      db.cancellations.push([{ Code: 'ThrottlingError' }, { Code: 'None' }], [{ Code: 'None' }, { Code: 'TransactionConflict' }]);

      // Act
      const result = await retryOnContention(
        async () => {
          const attempt = await outcomes.commit(record(), [debit]);
          if (attempt.status === 'contention') throw new ContentionError();
          return attempt;
        },
        { what: 'the accounts', sleep: async () => undefined },
      );

      // Assess
      expect(result).toEqual({ status: 'committed' });
      expect(db.count('TransactWriteCommand')).toBe(3);
    });

    it('fails, for the delivery to be retried, when the outcome that refused the write cannot be read', async () => {
      // Prepare
      const { db, outcomes } = setUp();
      db.cancellations.push([{ Code: 'None' }, { Code: 'ConditionalCheckFailed' }]);

      // Act, Assess
      await expect(outcomes.commit(record(), [debit])).rejects.toThrow(/refused a write but cannot be read/);
    });
  });

  describe('settle', () => {
    it('records a refusal where the request has no outcome', async () => {
      // Prepare
      const { db, outcomes } = setUp();

      // Act
      const stands = await outcomes.settle(record(refused));

      // Assess
      expect(stands).toEqual(record(refused));
      expect(db.item(CONTROLS, { pk: 'transfer#user-ana#req-1' })).toEqual(record(refused));
    });

    it('answers with the outcome that stands when the request has one, and keeps it', async () => {
      // Prepare
      const { db, outcomes } = setUp();
      db.seed(CONTROLS, record());

      // Act
      const stands = await outcomes.settle(record(refused));

      // Assess
      expect(replay(stands, hash)).toEqual(completed);
      expect(db.item(CONTROLS, { pk: 'transfer#user-ana#req-1' })).toEqual(record());
    });
  });

  describe('putIfAbsent and get', () => {
    it('puts the first record only, and reads it consistently', async () => {
      // Prepare
      const { db, outcomes } = setUp();

      // Act
      const first = await outcomes.putIfAbsent(record());
      const second = await outcomes.putIfAbsent(record(refused));

      // Assess
      expect([first, second]).toEqual([true, false]);
      expect(await outcomes.get({ pk: 'transfer#user-ana#req-1' })).toEqual(record());
      expect(await outcomes.get({ pk: 'transfer#user-ana#req-2' })).toBeUndefined();
      expect(db.sent.filter((sent) => sent.command === 'GetCommand').every((sent) => (sent.input as { ConsistentRead?: boolean }).ConsistentRead)).toBe(true);
    });

    it('keys a record by every key attribute of its table', async () => {
      // Prepare
      const db = new FakeDocumentClient({ beneficiaries: ['user_id', 'beneficiary_id'] });
      const outcomes = new OutcomeStore<OutcomeRecord & { user_id: string; beneficiary_id: string }>({ name: 'beneficiaries', key: ['user_id', 'beneficiary_id'] }, db.client);
      const ana = { user_id: 'user-ana', beneficiary_id: 'request#req-1', ...outcomeRecord('added', completed, at, hash) };

      // Act
      await outcomes.settle(ana);

      // Assess
      expect(outcomes.keyOf(ana)).toEqual({ user_id: 'user-ana', beneficiary_id: 'request#req-1' });
      expect(await outcomes.get({ user_id: 'user-luis', beneficiary_id: 'request#req-1' })).toBeUndefined();
    });

    it('lets any other error go up', async () => {
      // Prepare
      const { db, outcomes } = setUp();
      db.send.mockRejectedValueOnce(Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException' }));

      // Act, Assess
      await expect(outcomes.putIfAbsent(record())).rejects.toThrow('Rate exceeded');
    });
  });
});

describe('transact', () => {
  it('reads a transaction with no outcome item by its named conditions', async () => {
    // Prepare
    const { db } = setUp();
    db.cancellations.push([{ Code: 'ConditionalCheckFailed', Item: { balance: 5 } }]);

    // Act
    const result = await transact(db.client, [debit]);

    // Assess
    expect(result).toEqual({ status: 'refused', failed: { source: { item: { balance: 5 } } } });
  });

  it('refuses to guess at a cancellation nothing named explains', async () => {
    // Prepare
    const { db } = setUp();
    db.cancellations.push([{ Code: 'ValidationError' }]);

    // Act, Assess
    await expect(transact(db.client, [debit], 'a refund')).rejects.toThrow(/a refund was cancelled for an unexpected reason: ValidationError/);
  });

  it('lets an error that is no cancellation go up', async () => {
    // Prepare
    const { db } = setUp();
    db.send.mockRejectedValueOnce(new Error('socket hang up'));

    // Act, Assess
    await expect(transact(db.client, [debit])).rejects.toThrow('socket hang up');
  });
});
