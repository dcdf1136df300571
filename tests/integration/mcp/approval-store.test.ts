/**
 * The approvals table's own rule, against DynamoDB Local: an approval above the customer's MTU
 * (`step_up`) is approved only with the second factor, whoever decides (the page, a client's
 * dialog, a bug in a door); declining it needs none.
 */
import { ApprovalStore } from '@centli/tools/adapters/approval-store';
import { openApproval } from '@centli/tools/approval';
import { closeClients, documents, table } from '../support';

const NOW = new Date();
let store: ApprovalStore;

function stepUpApproval(userId: string) {
  return openApproval(
    { userId, tool: 'transfer_funds', args: { to: 'acc-x', amount: 20_000 }, request: { detailType: 'TRANSFER_REQUEST', detail: { amount: 2_000_000 } }, summary: '¿Transfiero $20,000.00 MXN?', locale: 'es', stepUp: true },
    NOW,
  );
}

beforeAll(() => {
  store = new ApprovalStore(table('approvals'), documents());
});

afterAll(() => closeClients());

describe('an approval above the MTU', () => {
  it('is not approved without the second factor, by any door, and stays pending', async () => {
    // Prepare
    const { approval, pointer } = stepUpApproval('user-sofia');
    await store.open(approval, pointer);

    // Act
    const byDialog = await store.decide(approval.approval_id, 'user-sofia', 'approved', 'elicitation', NOW);
    const byPage = await store.decide(approval.approval_id, 'user-sofia', 'approved', 'page', NOW);

    // Assess
    expect([byDialog, byPage]).toEqual(['second_factor_required', 'second_factor_required']);
    await expect(store.get(approval.approval_id)).resolves.toMatchObject({ status: 'pending' });
  });

  it('is approved with the second factor, which it keeps', async () => {
    // Prepare
    const { approval, pointer } = stepUpApproval('user-sofia');
    await store.open(approval, pointer);
    const factor = new Date(NOW.getTime() - 30_000).toISOString();

    // Act
    const decided = await store.decide(approval.approval_id, 'user-sofia', 'approved', 'page', NOW, factor);

    // Assess
    expect(decided).toMatchObject({ status: 'approved', second_factor_at: factor, decided_via: 'page' });
  });

  it('is declined without one: declining moves nothing', async () => {
    // Prepare
    const { approval, pointer } = stepUpApproval('user-sofia');
    await store.open(approval, pointer);

    // Act
    const decided = await store.decide(approval.approval_id, 'user-sofia', 'declined', 'page', NOW);

    // Assess
    expect(decided).toMatchObject({ status: 'declined' });
  });
});
