import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import fc from 'fast-check';
import { LedgerStore, type LedgerTables } from '../../../../../services/core-banking/src/adapters/ledger-store';
import { OwnerCache, ownerCacheFor } from '../../../../../services/core-banking/src/adapters/owner-cache';
import { PaymentStore } from '../../../../../services/core-banking/src/adapters/payment-store';
import { planCharge } from '../../../../../services/core-banking/src/domain/payment';
import { planTransfer } from '../../../../../services/core-banking/src/domain/transfer';

describe('OwnerCache', () => {
  it('answers what it was told', () => {
    const cache = new OwnerCache(10);

    cache.remember('acc-1', 'user-1');

    expect(cache.get('acc-1')).toBe('user-1');
    expect(cache.get('acc-2')).toBeUndefined();
  });

  it('holds at most its capacity, dropping the least recently used first', () => {
    const cache = new OwnerCache(3);
    cache.remember('acc-1', 'user-1');
    cache.remember('acc-2', 'user-2');
    cache.remember('acc-3', 'user-3');

    cache.get('acc-1'); // acc-2 is now the least recently used
    cache.remember('acc-4', 'user-4');

    expect(cache.size).toBe(3);
    expect(cache.get('acc-2')).toBeUndefined();
    expect([cache.get('acc-1'), cache.get('acc-3'), cache.get('acc-4')]).toEqual(['user-1', 'user-3', 'user-4']);
  });

  it('remembers nothing at capacity 0', () => {
    const cache = new OwnerCache(0);

    cache.remember('acc-1', 'user-1');

    expect(cache.size).toBe(0);
    expect(cache.get('acc-1')).toBeUndefined();
  });

  it.each([-1, 1.5, Number.NaN])('refuses a capacity of %p', (capacity) => {
    expect(() => new OwnerCache(capacity)).toThrow(/capacity/);
  });

  it('behaves as a least-recently-used map of bounded size, whatever the operations', () => {
    const account = fc.integer({ min: 0, max: 12 }).map((n) => `acc-${n}`);
    const operation = fc.oneof(
      fc.record({ op: fc.constant('get' as const), account }),
      fc.record({ op: fc.constant('remember' as const), account, owner: fc.integer({ min: 0, max: 5 }).map((n) => `user-${n}`) }),
      fc.record({ op: fc.constant('forget' as const), account }),
    );
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 6 }), fc.array(operation, { maxLength: 80 }), (capacity, operations) => {
        const cache = new OwnerCache(capacity);
        // The model: a list ordered from least to most recently used.
        let model: Array<[string, string]> = [];
        for (const step of operations) {
          const at = model.findIndex(([id]) => id === step.account);
          if (step.op === 'get') {
            const expected = at >= 0 ? (model[at] as [string, string]) : undefined;
            expect(cache.get(step.account)).toBe(expected?.[1]);
            if (expected) model = [...model.filter(([id]) => id !== step.account), expected];
          } else if (step.op === 'remember') {
            if (capacity > 0) model = [...model.filter(([id]) => id !== step.account), [step.account, step.owner] as [string, string]].slice(-capacity);
            cache.remember(step.account, step.owner);
          } else {
            model = model.filter(([id]) => id !== step.account);
            cache.forget(step.account);
          }
          expect(cache.size).toBe(model.length);
          expect(cache.size).toBeLessThanOrEqual(capacity);
        }
      }),
      { seed: 20261122, numRuns: 300 },
    );
  });
});

describe('ownerCacheFor', () => {
  it('gives every store of one accounts table the same cache, and another table its own', () => {
    expect(ownerCacheFor('accounts-a')).toBe(ownerCacheFor('accounts-a'));
    expect(ownerCacheFor('accounts-a')).not.toBe(ownerCacheFor('accounts-b'));
  });
});

const tables: LedgerTables = { accounts: 'accounts', transactions: 'transactions', controls: 'controls' };

/** A document client whose index knows `owners`, and whose transactions answer `transact`. */
function fakeDb(owners: Map<string, string>, transact: () => Promise<unknown> = async () => ({})) {
  const sent: string[] = [];
  const send = jest.fn(async (command: { constructor: { name: string }; input: Record<string, unknown> }) => {
    sent.push(command.constructor.name);
    if (command.constructor.name === 'QueryCommand') {
      const accountId = (command.input.ExpressionAttributeValues as Record<string, string>)[':a'] as string;
      const owner = owners.get(accountId);
      return { Items: owner ? [{ user_id: owner, account_id: accountId }] : [] };
    }
    if (command.constructor.name === 'TransactWriteCommand') return transact();
    throw new Error(`unexpected ${command.constructor.name}`);
  });
  return { db: { send } as unknown as DynamoDBDocumentClient, sent };
}

const destinationMissing = () =>
  Promise.reject(
    new TransactionCanceledException({
      message: 'Transaction cancelled',
      $metadata: {},
      CancellationReasons: [{ Code: 'None' }, { Code: 'ConditionalCheckFailed' }, { Code: 'None' }, { Code: 'None' }, { Code: 'None' }, { Code: 'None' }],
    }),
  );

const limits = { maxAmount: 5_000_000, dailyLimit: 10_000_000, timeZone: 'America/Mexico_City', newPayeeLimit: 200_000, newPayeeHours: 24, defaultMtu: 1_275_000 };
const transfer = {
  request_id: 'req-1',
  correlation_id: 'corr-1',
  user_id: 'user-ana',
  from_account_id: 'acc-ana',
  to_account_id: 'acc-carlos',
  amount: 10_000,
  currency: 'MXN',
};

describe('LedgerStore.findAccountOwner', () => {
  it('asks the index once per account, then answers from the cache', async () => {
    const { db, sent } = fakeDb(new Map([['acc-carlos', 'user-carlos']]));
    const store = new LedgerStore(tables, db, new OwnerCache(10));

    const answers = [await store.findAccountOwner('acc-carlos'), await store.findAccountOwner('acc-carlos'), await store.findAccountOwner('acc-carlos')];

    expect(answers).toEqual(['user-carlos', 'user-carlos', 'user-carlos']);
    expect(sent).toEqual(['QueryCommand']);
  });

  it('does not remember an account it did not find, so one created later is found', async () => {
    const owners = new Map<string, string>();
    const { db, sent } = fakeDb(owners);
    const store = new LedgerStore(tables, db, new OwnerCache(10));

    const before = await store.findAccountOwner('acc-new');
    owners.set('acc-new', 'user-new');
    const after = await store.findAccountOwner('acc-new');

    expect([before, after]).toEqual([undefined, 'user-new']);
    expect(sent).toEqual(['QueryCommand', 'QueryCommand']);
  });

  it('shares what it learns with every store of the container on the same accounts table (the transfer’s and the charge’s)', async () => {
    const { db, sent } = fakeDb(new Map([['acc-ret', 'ret-1']]));
    const ownTables = { ...tables, accounts: 'accounts-shared-by-default' };
    const transfers = new LedgerStore(ownTables, db);
    const charges = new LedgerStore(ownTables, db);

    await transfers.findAccountOwner('acc-ret');

    await expect(charges.findAccountOwner('acc-ret')).resolves.toBe('ret-1');
    expect(sent).toEqual(['QueryCommand']);
    expect(ownerCacheFor('accounts-shared-by-default').get('acc-ret')).toBe('ret-1');
  });

  it('forgets an owner when the transfer does not find the destination under it', async () => {
    const { db, sent } = fakeDb(new Map([['acc-carlos', 'user-carlos']]), destinationMissing);
    const cache = new OwnerCache(10);
    const store = new LedgerStore(tables, db, cache);
    const owner = (await store.findAccountOwner('acc-carlos')) as string;

    const result = await store.commitTransfer(planTransfer(transfer, owner, limits, new Date('2026-11-22T16:00:00Z')), 'transfer#user-ana#req-1');

    expect(result).toMatchObject({ status: 'refused', refusal: { destination: { found: false } } });
    expect(cache.get('acc-carlos')).toBeUndefined();
    await store.findAccountOwner('acc-carlos');
    expect(sent).toEqual(['QueryCommand', 'TransactWriteCommand', 'QueryCommand']);
  });

  it('keeps an owner when the transfer is refused for the source', async () => {
    const sourceShort = () =>
      Promise.reject(
        new TransactionCanceledException({
          message: 'Transaction cancelled',
          $metadata: {},
          CancellationReasons: [
            { Code: 'ConditionalCheckFailed', Item: { user_id: { S: 'user-ana' }, account_id: { S: 'acc-ana' }, balance: { N: '5' }, currency: { S: 'MXN' }, status: { S: 'active' } } },
            { Code: 'None' },
            { Code: 'None' },
            { Code: 'None' },
            { Code: 'None' },
            { Code: 'None' },
          ],
        }),
      );
    const { db } = fakeDb(new Map([['acc-carlos', 'user-carlos']]), sourceShort);
    const cache = new OwnerCache(10);
    const store = new LedgerStore(tables, db, cache);

    await store.commitTransfer(planTransfer(transfer, (await store.findAccountOwner('acc-carlos')) as string, limits, new Date()), 'transfer#user-ana#req-1');

    expect(cache.get('acc-carlos')).toBe('user-carlos');
  });

  it('forgets a settlement account’s owner when the charge does not find it under it', async () => {
    const { db } = fakeDb(new Map([['acc-ret', 'ret-1']]), destinationMissing);
    const cache = new OwnerCache(10);
    const ledger = new LedgerStore(tables, db, cache);
    const payments = new PaymentStore(tables, db, cache);
    const request = {
      purchase_id: 'pur_1',
      correlation_id: 'corr-1',
      request_id: 'req-1',
      user_id: 'user-ana',
      account_id: 'acc-ana',
      settlement_account_id: 'acc-ret',
      amount: 1_000,
      currency: 'MXN',
      description: 'Compra: Laptop',
    };

    const owner = (await ledger.findAccountOwner('acc-ret')) as string;
    await payments.commitCharge(planCharge(request, 'payment#user-ana#pur_1', owner, new Date()));

    expect(cache.get('acc-ret')).toBeUndefined();
  });
});
