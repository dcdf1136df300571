import type { OutgoingEvent } from '@centli/pure/events';
import type { BeneficiaryAddRequest } from '@centli/schemas';
import { BeneficiaryStore } from '../../../../../services/crm/src/adapters/beneficiary-store';
import { checkNewBeneficiary, planBeneficiary, requestOutcome } from '../../../../../services/crm/src/domain/beneficiary';
import { FakeDocumentClient } from '../../../support/fake-dynamodb';

const request: BeneficiaryAddRequest = { request_id: 'req-1', correlation_id: 'corr-1', user_id: 'user-ana', name: 'Rosa Hernández', alias: 'mi tía Rosa', clabe: '032180000118359719' };
const none = { Code: 'None' };
const failed = { Code: 'ConditionalCheckFailed' };

function setUp() {
  const db = new FakeDocumentClient({ beneficiaries: ['user_id', 'beneficiary_id'] });
  const store = new BeneficiaryStore('beneficiaries', db.client);
  const plan = planBeneficiary(request, checkNewBeneficiary(request), new Date('2026-11-22T16:00:00Z'));
  return { db, store, plan };
}

describe('BeneficiaryStore.commitBeneficiary', () => {
  it('puts the beneficiary, its alias and the outcome together', async () => {
    // Prepare
    const { db, store, plan } = setUp();

    // Act
    const result = await store.commitBeneficiary(plan);

    // Assess
    expect(result).toEqual({ status: 'committed' });
    expect(db.count('TransactWriteCommand')).toBe(1);
    for (const item of [plan.item, plan.reservation, plan.record]) expect(db.item('beneficiaries', item)).toEqual(item);
  });

  it('reads a request seen before first, whatever else failed, and answers with its first outcome: its beneficiary and alias are its own', async () => {
    // Prepare
    const { db, store, plan } = setUp();
    for (const item of [plan.item, plan.reservation, plan.record]) db.seed('beneficiaries', item);

    // Act, Assess
    await expect(store.commitBeneficiary(plan)).resolves.toEqual({ status: 'served', first: plan.record });
  });

  it('reads a taken alias', async () => {
    // Prepare
    const { db, store, plan } = setUp();
    db.seed('beneficiaries', { ...plan.reservation, holder_id: 'ben_other' });

    // Act, Assess
    await expect(store.commitBeneficiary(plan)).resolves.toEqual({ status: 'duplicate_alias' });
    expect(db.item('beneficiaries', plan.record)).toBeUndefined();
  });

  it('reads a conflict with another transaction as contention', async () => {
    // Prepare
    const { db, store, plan } = setUp();
    db.cancellations.push([{ Code: 'TransactionConflict' }, none, none]);

    // Act, Assess
    await expect(store.commitBeneficiary(plan)).resolves.toEqual({ status: 'contention' });
  });

  it('refuses to guess at anything else', async () => {
    // Prepare
    const { db, store, plan } = setUp();
    db.cancellations.push([{ Code: 'ValidationError' }, none, none]);

    // Act, Assess
    await expect(store.commitBeneficiary(plan)).rejects.toThrow(/adding a beneficiary was cancelled for an unexpected reason/);
  });

  it('fails, for the delivery to be retried, when the outcome that refused the write cannot be read', async () => {
    // Prepare
    const { db, store, plan } = setUp();
    db.cancellations.push([failed, failed, failed]);

    // Act, Assess
    await expect(store.commitBeneficiary(plan)).rejects.toThrow(/cannot be read/);
  });
});

describe('BeneficiaryStore.settleRefusal', () => {
  const rejected = { detailType: 'BENEFICIARY_REJECTED', detail: { reason: 'BENEFICIARY.ACCOUNT_NOT_FOUND' } } as unknown as OutgoingEvent;

  it('records a refusal where the request has none, and answers the outcome that stands where it has one', async () => {
    // Prepare
    const { store, plan } = setUp();
    const refusal = requestOutcome(request, 'refused', rejected, 'x');

    // Act
    const first = await store.settleRefusal(refusal);
    const again = await store.settleRefusal({ ...plan.record });

    // Assess
    expect(first).toEqual(refusal);
    expect(again).toEqual(refusal);
  });
});
