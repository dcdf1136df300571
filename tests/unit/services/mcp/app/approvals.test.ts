import { openApproval } from '@centli/tools/approval';
import { corsHeaders, decideApproval, viewApproval, type ApprovalsDeps } from '../../../../../services/mcp/src/app/approvals';
import { FakeApprovalStore, FakeClock } from '../fakes';

const REQUEST = { detailType: 'TRANSFER_REQUEST', detail: { from_account_id: 'acc-ana-nomina-4821', to_account_id: 'acc-carlos-nomina-3954', amount: 10000, currency: 'MXN' } };
const SUMMARY = '¿Transfiero $100.00 MXN a Carlos García (hermano), cuenta ****3954, desde tu Cuenta Nómina ****4821?';

/** The assertion the fake passkey check accepts, for Ana and this approval only. */
const ASSERTION = { id: 'credential-of-ana', response: { signature: 'good' } };

async function setup(options: { stepUp?: boolean } = {}) {
  const approvals = new FakeApprovalStore();
  const clock = new FakeClock();
  const { approval, pointer } = openApproval(
    { userId: 'user-ana', tool: 'transfer_funds', args: { beneficiary: 'mi hermano', amount: 10000 }, request: REQUEST, summary: SUMMARY, locale: 'es', stepUp: options.stepUp ?? false },
    clock.now(),
  );
  await approvals.open(approval, pointer);
  const asked: Array<{ userId: string; approvalId: string; assertion: unknown }> = [];
  const verifyPasskey: ApprovalsDeps['verifyPasskey'] = async (userId, approvalId, assertion) => {
    asked.push({ userId, approvalId, assertion });
    return assertion === ASSERTION && userId === 'user-ana' && approvalId === approval.approval_id;
  };
  return { approvals, clock, asked, id: approval.approval_id, deps: { approvals, now: clock.now, verifyPasskey } };
}

describe('viewApproval', () => {
  it('shows its customer what the approval asks, and nothing of the request it runs', async () => {
    // Prepare
    const { id, deps, clock } = await setup();

    // Act
    const answer = await viewApproval('user-ana', id, deps);

    // Assess
    expect(answer).toEqual({ status: 200, body: { approval_id: id, tool: 'transfer_funds', summary: SUMMARY, status: 'pending', expires_at: new Date(clock.now().getTime() + 300_000).toISOString(), locale: 'es', step_up_required: false } });
  });

  it.each([
    ['another customer', 'user-luis', undefined],
    ['a malformed id', 'user-ana', 'ap_short'],
    ['an id that names nothing', 'user-ana', 'ap_0000000000000000000000'],
  ])('answers %s as not found', async (_case, userId, other) => {
    // Prepare
    const { id, deps } = await setup();

    // Act
    const answer = await viewApproval(userId, other ?? id, deps);

    // Assess
    expect(answer).toEqual({ status: 404, body: { error: 'not_found' } });
  });

  it('shows an approval whose time ran out as expired', async () => {
    // Prepare
    const { id, deps, clock } = await setup();
    clock.advance(300_000);

    // Act
    const answer = await viewApproval('user-ana', id, deps);

    // Assess
    expect(answer).toMatchObject({ status: 200, body: { status: 'expired' } });
  });
});

describe('decideApproval', () => {
  it.each<['approve' | 'decline', string]>([
    ['approve', 'approved'],
    ['decline', 'declined'],
  ])('records the customer’s %s once, and then answers that it was decided', async (decision, status) => {
    // Prepare
    const { id, deps, approvals } = await setup();

    // Act
    const first = await decideApproval('user-ana', id, { decision }, deps);
    const second = await decideApproval('user-ana', id, { decision: decision === 'approve' ? 'decline' : 'approve' }, deps);

    // Assess
    expect(first).toMatchObject({ status: 200, body: { status } });
    expect(second).toMatchObject({ status: 409, body: { error: 'decided', view: { status } } });
    expect(await approvals.get(id)).toMatchObject({ status, decided_via: 'page' });
  });

  it('lets no other customer decide, and tells them it does not exist', async () => {
    // Prepare
    const { id, deps, approvals } = await setup();

    // Act
    const answer = await decideApproval('user-luis', id, { decision: 'approve' }, deps);

    // Assess
    expect(answer).toEqual({ status: 404, body: { error: 'not_found' } });
    expect(await approvals.get(id)).toMatchObject({ status: 'pending' });
  });

  it('refuses a decision after the approval expired', async () => {
    // Prepare
    const { id, deps, clock, approvals } = await setup();
    clock.advance(300_001);

    // Act
    const answer = await decideApproval('user-ana', id, { decision: 'approve' }, deps);

    // Assess
    expect(answer).toMatchObject({ status: 410, body: { error: 'expired', view: { status: 'expired' } } });
    expect(await approvals.get(id)).toMatchObject({ status: 'pending' });
  });

  it.each<[string, unknown]>([
    ['no body', undefined],
    ['another word', { decision: 'yes' }],
    ['a decision that is not a string', { decision: true }],
  ])('refuses %s as an invalid request, deciding nothing', async (_case, body) => {
    // Prepare
    const { id, deps, approvals } = await setup();

    // Act
    const answer = await decideApproval('user-ana', id, body, deps);

    // Assess
    expect(answer).toEqual({ status: 400, body: { error: 'invalid_request' } });
    expect(await approvals.get(id)).toMatchObject({ status: 'pending' });
  });
});

describe('decideApproval of an approval above the customer’s MTU', () => {
  it.each<[string, Record<string, unknown>]>([
    ['no passkey assertion', { decision: 'approve' }],
    ['an assertion the passkey check refuses', { decision: 'approve', passkey: { id: 'credential-of-ana', response: { signature: 'forged' } } }],
    ['a step-up token of the old kind', { decision: 'approve', step_up_token: 'eyJhbGciOiJFUzI1NiJ9.e30.c2ln' }],
  ])('refuses approval with %s as step_up_required, changing nothing', async (_case, body) => {
    // Prepare
    const { id, deps, approvals } = await setup({ stepUp: true });

    // Act
    const answer = await decideApproval('user-ana', id, body, deps);

    // Assess
    expect(answer).toMatchObject({ status: 401, body: { error: 'step_up_required', view: { status: 'pending', step_up_required: true } } });
    expect(await approvals.get(id)).toMatchObject({ status: 'pending' });
    expect((await approvals.get(id))?.second_factor_at).toBeUndefined();
  });

  it('approves with the customer’s passkey assertion for this approval, and records when it was verified', async () => {
    // Prepare
    const { id, deps, approvals, asked, clock } = await setup({ stepUp: true });

    // Act
    const answer = await decideApproval('user-ana', id, { decision: 'approve', passkey: ASSERTION }, deps);

    // Assess
    expect(answer).toMatchObject({ status: 200, body: { status: 'approved' } });
    expect(asked).toEqual([{ userId: 'user-ana', approvalId: id, assertion: ASSERTION }]);
    expect(await approvals.get(id)).toMatchObject({ status: 'approved', second_factor_at: clock.now().toISOString() });
  });

  it('declines without a second factor: declining moves nothing', async () => {
    // Prepare
    const { id, deps, approvals, asked } = await setup({ stepUp: true });

    // Act
    const answer = await decideApproval('user-ana', id, { decision: 'decline' }, deps);

    // Assess
    expect(answer).toMatchObject({ status: 200, body: { status: 'declined' } });
    expect(asked).toEqual([]);
    expect(await approvals.get(id)).toMatchObject({ status: 'declined' });
  });

  it('tells another customer it does not exist before asking for any second factor', async () => {
    // Prepare
    const { id, deps, asked } = await setup({ stepUp: true });

    // Act
    const answer = await decideApproval('user-luis', id, { decision: 'approve', passkey: ASSERTION }, deps);

    // Assess
    expect(answer).toEqual({ status: 404, body: { error: 'not_found' } });
    expect(asked).toEqual([]);
  });

  it('answers an expired one as expired, whatever the assertion', async () => {
    // Prepare
    const { id, deps, clock } = await setup({ stepUp: true });
    clock.advance(300_001);

    // Act
    const answer = await decideApproval('user-ana', id, { decision: 'approve' }, deps);

    // Assess
    expect(answer).toMatchObject({ status: 410, body: { error: 'expired' } });
  });

  it('asks no second factor of an approval within the MTU', async () => {
    // Prepare
    const { id, deps, asked, approvals } = await setup();

    // Act
    const answer = await decideApproval('user-ana', id, { decision: 'approve', passkey: ASSERTION }, deps);

    // Assess
    expect(answer).toMatchObject({ status: 200, body: { status: 'approved' } });
    expect(asked).toEqual([]);
    expect((await approvals.get(id))?.second_factor_at).toBeUndefined();
  });
});

describe('corsHeaders', () => {
  it.each<[string, string | undefined, string | undefined, Record<string, string>]>([
    ['the page’s origin', 'https://d1.cloudfront.net', 'https://d1.cloudfront.net', { vary: 'origin', 'access-control-allow-origin': 'https://d1.cloudfront.net' }],
    ['another origin', 'https://evil.example', 'https://d1.cloudfront.net', { vary: 'origin' }],
    ['no origin (same-origin or not a browser)', undefined, 'https://d1.cloudfront.net', { vary: 'origin' }],
    ['any origin when none is allowed (locally)', 'http://127.0.0.1:3000', '', { vary: 'origin' }],
  ])('lets %s read the answer only if it is the page’s', (_case, origin, allowed, expected) => {
    expect(corsHeaders(origin, allowed)).toEqual(expected);
  });
});
