/**
 * The approvals API's own passkey ceremonies, against the local stack (the same handler, tables and
 * @simplewebauthn/server checks AWS runs): a customer adds a passkey only right after signing in,
 * and an approval above their MTU is approved only by their passkey signing the challenge handed out
 * for that approval, once. The browser is a software authenticator written from the WebAuthn
 * specification (./authenticator.ts); the page in Chromium is tests/e2e/approval-page.test.ts.
 */
import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { DeleteCommand, GetCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { balancesOf, closeClients, createAccounts, documents, endpoints, ledgerOf, runId, table, type TestAccount } from '../support';
import { SoftwareAuthenticator, type RequestOptions } from './authenticator';
import { approvalsApi, call, connectHttp, freshIdToken, pageOrigin, registerPasskey, structured, type ApprovalAnswer } from './support';

// Mateo, as the step-up tests do: the quick start’s check of the seeded Luis’s accounts must meet none of this file’s.
const USER = 'user-mateo';
const OTHER = 'user-carlos';

const passkeysOf = async (userId: string) =>
  ((await documents().send(new QueryCommand({ TableName: table('passkeys'), KeyConditionExpression: 'user_id = :u AND begins_with(sk, :c)', ExpressionAttributeValues: { ':u': userId, ':c': 'credential#' }, ConsistentRead: true }))).Items ?? []) as Array<Record<string, unknown>>;
const approvalItem = async (id: string) => (await documents().send(new GetCommand({ TableName: table('approvals'), Key: { pk: `approval#${id}` }, ConsistentRead: true }))).Item as Record<string, unknown>;

describe('passkeys through the approvals API', () => {
  const run = runId();
  const source: TestAccount = { user_id: USER, account_id: `acc-pk-src-${run}`, balance: 1_000_000 };
  const destination: TestAccount = { user_id: OTHER, account_id: `acc-pk-dst-${run}`, balance: 0, type: 'savings', holder_name: 'Carlos García' };
  let agent: Client;
  let mateo: SoftwareAuthenticator;
  let carlos: SoftwareAuthenticator;
  const token = () => endpoints().tokens[USER] as string;

  let asks = 0;
  /** The agent asks for a transfer above Mateo's MTU ($50.00): an approval that needs the passkey (each its own: the same arguments find the same approval). */
  async function askAboveMtu(amount = 6_000 + ++asks): Promise<ApprovalAnswer & { args: Record<string, unknown> }> {
    const args = { from_account_id: source.account_id, to_account_id: destination.account_id, amount };
    const asked = structured<ApprovalAnswer>(await call(agent, 'transfer_funds', args));
    if (asked.status !== 'approval_required') throw new Error(`no approval: ${JSON.stringify(asked)}`);
    return { ...asked, args };
  }

  async function stepUpOptions(approvalId: string, bearer = token()): Promise<RequestOptions & Record<string, unknown>> {
    const answer = await approvalsApi(`/approvals/${approvalId}/passkey/options`, bearer);
    if (answer.status !== 200) throw new Error(`no options: ${answer.status} ${JSON.stringify(answer.body)}`);
    return answer.body as unknown as RequestOptions & Record<string, unknown>;
  }

  const approve = (approvalId: string, passkey: unknown) => approvalsApi(`/approvals/${approvalId}`, token(), { decision: 'approve', passkey });

  beforeAll(async () => {
    await createAccounts([source, destination]);
    agent = await connectHttp(USER);
    const lowered = await call(agent, 'set_mtu', { amount: 5_000 });
    if (lowered.isError) throw new Error('the MTU was not lowered');
    mateo = await registerPasskey(USER);
    carlos = await registerPasskey(OTHER);
  });

  afterAll(async () => {
    // Mateo gets the default MTU back, for every other test.
    await documents().send(new DeleteCommand({ TableName: table('ledger-controls'), Key: { pk: `mtu#${USER}` } }));
    await agent?.close();
    closeClients();
  });

  it('keeps a passkey added right after a sign-in: its id, public key, counter, transports, customer and time', async () => {
    // Assess (the passkeys beforeAll added)
    const kept = (await passkeysOf(USER)).find((item) => item.credential_id === mateo.credentialId);
    expect(kept).toMatchObject({ user_id: USER, sk: `credential#${mateo.credentialId}`, counter: 1, transports: ['internal'], created_at: expect.stringMatching(/^\d{4}-\d\d-\d\dT/) });
    expect(kept?.public_key).toBeInstanceOf(Uint8Array);
    expect(Date.now() - Date.parse(kept?.created_at as string)).toBeLessThan(120_000);
  });

  it('refuses to add a passkey with a sign-in that does not say it is fresh, and keeps nothing', async () => {
    // Prepare: options handed out to a fresh sign-in, then the long-lived session tries to use them
    const before = await passkeysOf(USER);
    const fresh = await freshIdToken(USER);
    const options = await approvalsApi('/passkeys/registration/options', fresh);
    const stolen = new SoftwareAuthenticator(pageOrigin());

    // Act
    const asked = await approvalsApi('/passkeys/registration/options', token());
    const registered = await approvalsApi('/passkeys/registration', token(), { response: stolen.register(options.body as never) });

    // Assess
    for (const answer of [asked, registered]) {
      expect(answer.status).toBe(401);
      expect(answer.body).toEqual({ error: 'fresh_sign_in_required' });
      expect(answer.headers.get('www-authenticate')).toBe('Bearer realm="centli", error="insufficient_user_authentication", error_description="adding a passkey needs a fresh sign-in", max_age=300');
    }
    expect(await passkeysOf(USER)).toEqual(before);
  });

  it('refuses a registration for a challenge handed out to another customer', async () => {
    // Prepare: Carlos's fresh sign-in gets options; Mateo's fresh sign-in answers them
    const options = await approvalsApi('/passkeys/registration/options', await freshIdToken(OTHER));
    const before = await passkeysOf(USER);

    // Act
    const answer = await approvalsApi('/passkeys/registration', await freshIdToken(USER), { response: new SoftwareAuthenticator(pageOrigin()).register(options.body as never) });

    // Assess
    expect(answer).toMatchObject({ status: 400, body: { error: 'invalid_request' } });
    expect(await passkeysOf(USER)).toEqual(before);
  });

  it('hands out a new challenge for each step-up, naming only the customer’s own passkeys, and none for another customer', async () => {
    // Prepare
    const asked = await askAboveMtu();

    // Act
    const first = await stepUpOptions(asked.approval_id);
    const second = await stepUpOptions(asked.approval_id);
    const byCarlos = await approvalsApi(`/approvals/${asked.approval_id}/passkey/options`, endpoints().tokens[OTHER]);

    // Assess
    expect(first).toMatchObject({ rpId: 'localhost', userVerification: 'required', allowCredentials: expect.arrayContaining([{ id: mateo.credentialId, type: 'public-key', transports: ['internal'] }]) });
    expect(first.allowCredentials).toHaveLength((await passkeysOf(USER)).length);
    expect(first.allowCredentials).not.toContainEqual(expect.objectContaining({ id: carlos.credentialId }));
    expect(second.challenge).not.toBe(first.challenge);
    expect(byCarlos).toMatchObject({ status: 404, body: { error: 'not_found' } });
  });

  it('refuses a forged assertion, after which its challenge is spent: the genuine answer to it is refused too', async () => {
    // Prepare
    const asked = await askAboveMtu();
    const options = await stepUpOptions(asked.approval_id);
    const forger = new SoftwareAuthenticator(pageOrigin());

    // Act
    const forged = await approve(asked.approval_id, mateo.assert(options, { signWith: forger }));
    const again = await approve(asked.approval_id, mateo.assert(options));
    const pending = await approvalItem(asked.approval_id);
    const fresh = await approve(asked.approval_id, mateo.assert(await stepUpOptions(asked.approval_id)));

    // Assess
    expect(forged.status).toBe(401);
    expect(forged.body).toMatchObject({ error: 'step_up_required', view: { status: 'pending', step_up_required: true } });
    expect(forged.headers.get('www-authenticate')).toContain('error="insufficient_user_authentication"');
    expect(again).toMatchObject({ status: 401, body: { error: 'step_up_required' } });
    expect(pending).toMatchObject({ status: 'pending' });
    expect(pending.second_factor_at).toBeUndefined();
    expect(fresh).toMatchObject({ status: 200, body: { status: 'approved' } });
  });

  it('refuses an assertion replayed from an earlier step-up', async () => {
    // Prepare: one approval approved with an assertion; a second asked, with its own challenge out
    const first = await askAboveMtu();
    const captured = mateo.assert(await stepUpOptions(first.approval_id));
    expect((await approve(first.approval_id, captured)).status).toBe(200);
    const second = await askAboveMtu();
    await stepUpOptions(second.approval_id);

    // Act
    const replayed = await approve(second.approval_id, captured);

    // Assess
    expect(replayed).toMatchObject({ status: 401, body: { error: 'step_up_required' } });
    expect(await approvalItem(second.approval_id)).toMatchObject({ status: 'pending' });
  });

  it('refuses another customer’s passkey, even signing this customer’s challenge', async () => {
    // Prepare
    const asked = await askAboveMtu();
    const options = await stepUpOptions(asked.approval_id);

    // Act
    const answer = await approve(asked.approval_id, carlos.assert(options));

    // Assess
    expect(answer).toMatchObject({ status: 401, body: { error: 'step_up_required' } });
    expect(await approvalItem(asked.approval_id)).toMatchObject({ status: 'pending' });
  });

  it('refuses an assertion made on another origin', async () => {
    // Prepare
    const asked = await askAboveMtu();
    const options = await stepUpOptions(asked.approval_id);

    // Act
    const answer = await approve(asked.approval_id, mateo.assert(options, { origin: 'https://centli-login.example' }));

    // Assess
    expect(answer).toMatchObject({ status: 401, body: { error: 'step_up_required' } });
    expect(await approvalItem(asked.approval_id)).toMatchObject({ status: 'pending' });
  });

  it('does not approve approval B with an assertion for approval A, which still approves A', async () => {
    // Prepare
    const a = await askAboveMtu();
    const b = await askAboveMtu();
    const forA = mateo.assert(await stepUpOptions(a.approval_id));
    await stepUpOptions(b.approval_id);

    // Act
    const onB = await approve(b.approval_id, forA);
    const onA = await approve(a.approval_id, forA);

    // Assess
    expect(onB).toMatchObject({ status: 401, body: { error: 'step_up_required' } });
    expect(await approvalItem(b.approval_id)).toMatchObject({ status: 'pending' });
    expect(onA).toMatchObject({ status: 200, body: { status: 'approved' } });
  });

  it('declines an approval above the MTU with no passkey at all', async () => {
    // Prepare
    const asked = await askAboveMtu();

    // Act
    const answer = await approvalsApi(`/approvals/${asked.approval_id}`, token(), { decision: 'decline' });

    // Assess
    expect(answer).toMatchObject({ status: 200, body: { status: 'declined' } });
  });

  it('runs the transfer above the MTU once after the passkey step-up, and every later call answers the same', async () => {
    // Prepare
    const asked = await askAboveMtu(7_000);
    const before = await balancesOf([source, destination]);
    const ledger = (await ledgerOf([source.account_id])).length;
    const early = structured(await call(agent, 'transfer_funds', { ...asked.args, approval_id: asked.approval_id }));

    // Act
    const approved = await approve(asked.approval_id, mateo.assert(await stepUpOptions(asked.approval_id)));
    const done = await call(agent, 'transfer_funds', { ...asked.args, approval_id: asked.approval_id });
    const again = await call(agent, 'transfer_funds', { ...asked.args, approval_id: asked.approval_id });

    // Assess
    expect(early).toMatchObject({ status: 'approval_pending' });
    expect(approved).toMatchObject({ status: 200, body: { status: 'approved', step_up_required: true } });
    const item = await approvalItem(asked.approval_id);
    expect(Date.now() - Date.parse(item.second_factor_at as string)).toBeLessThan(60_000);
    expect(done.isError).toBeFalsy();
    expect(structured(done)).toMatchObject({ amount: 7_000, from_account_id: source.account_id, to_account_id: destination.account_id });
    expect(structured(again)).toMatchObject({ transaction_id: structured(done).transaction_id });
    const after = await balancesOf([source, destination]);
    expect(after.get(source.account_id)).toBe((before.get(source.account_id) as number) - 7_000);
    expect(after.get(destination.account_id)).toBe((before.get(destination.account_id) as number) + 7_000);
    expect(await ledgerOf([source.account_id])).toHaveLength(ledger + 1);
  });
});
