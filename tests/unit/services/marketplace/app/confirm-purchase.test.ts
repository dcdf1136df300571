import type { TaskInputOf } from '@centli/schemas';
import { detailValidator } from '@centli/schemas';
import type { ConfirmResult } from '../../../../../services/marketplace/src/adapters/purchase-store';
import type { PurchaseGuard, PurchaseRecord } from '../../../../../services/marketplace/src/domain/purchase';
import { confirmPurchase, PurchaseNotReservedError, type ConfirmDeps } from '../../../../../services/marketplace/src/app/confirm-purchase';
import { reservedPurchase } from '../fixtures';

const input: TaskInputOf<'confirm-purchase'> = { purchase_id: 'pur_1', correlation_id: 'corr-1', user_id: 'user-ana', transaction_id: 'txn_1' };
const guard: PurchaseGuard = { user_id: 'user-ana', sk: 'purchase#pur_1', record_sk: '2026-11-22T16:00:00.000Z#pur_1', created_at: 'x' };
const confirmed: PurchaseRecord = { ...reservedPurchase, status: 'confirmed', transaction_id: 'txn_1', confirmed_at: '2026-11-22T16:00:02.000Z' };

const deps = (result: ConfirmResult, found: PurchaseGuard | null = guard): ConfirmDeps & { store: { confirm: jest.Mock } } => ({
  store: { getGuard: jest.fn(async () => found ?? undefined), confirm: jest.fn(async () => result) },
  now: () => new Date('2026-11-22T16:00:02Z'),
});

describe('confirmPurchase', () => {
  it('confirms the reserved purchase with its charge and answers a valid PURCHASE_CONFIRMED detail', async () => {
    const d = deps({ status: 'confirmed', record: confirmed });

    const output = await confirmPurchase(input, d);

    expect(d.store.confirm).toHaveBeenCalledWith('user-ana', '2026-11-22T16:00:00.000Z#pur_1', 'txn_1', '2026-11-22T16:00:02.000Z');
    expect(output.detail).toMatchObject({ purchase_id: 'pur_1', transaction_id: 'txn_1', total: 999_900, confirmed_at: '2026-11-22T16:00:02.000Z' });
    expect(detailValidator('PURCHASE_CONFIRMED')(output.detail)).toBeUndefined();
  });

  it('answers a retry with the same detail when it finds the purchase confirmed with the same charge', async () => {
    await expect(confirmPurchase(input, deps({ status: 'refused', record: confirmed }))).resolves.toMatchObject({ detail: { confirmed_at: '2026-11-22T16:00:02.000Z' } });
  });

  it.each([
    ['released', { ...confirmed, status: 'released' as const }],
    ['confirmed with another charge', { ...confirmed, transaction_id: 'txn_other' }],
    ['missing', undefined],
  ])('refuses a purchase that is %s', async (_, record) => {
    await expect(confirmPurchase(input, deps({ status: 'refused', record }))).rejects.toThrow(PurchaseNotReservedError);
  });

  it.each([
    ['never reserved', null],
    ['released before it was reserved', { user_id: 'user-ana', sk: 'purchase#pur_1', status: 'released' as const, created_at: 'x' }],
  ])('refuses a purchase %s, writing nothing', async (_, found) => {
    const d = deps({ status: 'confirmed', record: confirmed }, found);
    await expect(confirmPurchase(input, d)).rejects.toThrow(PurchaseNotReservedError);
    expect(d.store.confirm).not.toHaveBeenCalled();
  });
});
