/**
 * The approval page in a real browser: an agent calls transfer_funds over MCP (the SDK's client,
 * Streamable HTTP, against the local stack), gets an approval_url, and the customer opens it in
 * Debian's Chromium (playwright-core), signs in as themselves and presses Aprobar or Rechazar;
 * the agent's next call runs the transfer once, or answers declined. Another customer sees a
 * refusal, an expired approval shows expired, two tabs approving at once move money once, and an
 * approval above the customer's MTU needs a passkey: created (after signing in again) and used with
 * Chromium's virtual authenticator (CDP's WebAuthn domain) through the approvals API's own
 * ceremonies, for a transfer made larger than the MTU the customer just lowered (set_mtu): the plan
 * marks it, the page asks, and Core Banking moves it only with the factor the approval carries.
 * Every screen is checked with axe-core: no violation of impact serious or critical.
 */
import { join } from 'node:path';
import { DeleteCommand, GetCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { balancesOf, closeClients, createAccounts, documents, endpoints, ledgerOf, runId, table, type TestAccount } from '../integration/support';
import { call, connectHttp, structured, type ApprovalAnswer } from '../integration/mcp/support';
import { accessibilityViolations } from './axe';
import { ARTIFACTS, launchChromium } from './browser';

const VIEWPORT = { width: 1280, height: 900 };

describe('the approval page in Chromium', () => {
  const run = runId();
  const source: TestAccount = { user_id: 'user-sofia', account_id: `acc-page-src-${run}`, balance: 1_000_000 };
  const destination: TestAccount = { user_id: 'user-carlos', account_id: `acc-page-dst-${run}`, balance: 0, type: 'savings', holder_name: 'Carlos García' };
  let browser: Browser;
  let agent: Client;
  const contexts: BrowserContext[] = [];

  /** The screen as it is has no accessibility violation of impact serious or critical (see ./axe.ts). */
  async function expectAccessible(name: string, on: Page): Promise<void> {
    await on.screenshot({ path: join(ARTIFACTS, `approval-${name}.png`), animations: 'disabled' });
    expect({ screen: name, violations: await accessibilityViolations(on) }).toEqual({ screen: name, violations: [] });
  }

  /** A new tab in a browser of its own (its own sessionStorage and authenticators), failing the test on any page error. */
  async function newTab(): Promise<{ tab: Page; problems: string[] }> {
    const context = await browser.newContext({ viewport: VIEWPORT, locale: 'es-MX' });
    contexts.push(context);
    const tab = await context.newPage();
    const problems: string[] = [];
    tab.on('pageerror', (error) => problems.push(`pageerror: ${error.message}`));
    return { tab, problems };
  }

  /** The agent's first call: nothing moves, and it gets an approval to hand the customer. */
  async function ask(amount: number): Promise<ApprovalAnswer & { args: Record<string, unknown> }> {
    const args = { from_account_id: source.account_id, to_account_id: destination.account_id, amount };
    const asked = structured<ApprovalAnswer>(await call(agent, 'transfer_funds', args));
    expect(asked).toMatchObject({ status: 'approval_required', tool: 'transfer_funds', approval_url: `${endpoints().approvals}?id=${asked.approval_id}` });
    return { ...asked, args };
  }

  /** Opens the approval_url and signs in with a seeded customer from the page's list. */
  async function openAs(tab: Page, url: string, userId: string): Promise<void> {
    await tab.goto(url);
    await tab.locator(`#approval-customer-list .customer-card[data-user="${userId}"]`).click();
    await tab.waitForSelector('body[data-screen="approval"], body[data-screen="refused"]');
  }

  const approvalScreen = async (tab: Page) => ({
    tool: await tab.locator('#approval-tool').innerText(),
    summary: await tab.locator('#approval-summary').innerText(),
    state: await tab.locator('#approval-state').innerText(),
    buttons: await tab.locator('#approval-actions').isVisible(),
  });

  /** The approval as DynamoDB Local holds it. */
  const stored = async (approvalId: string) => (await documents().send(new GetCommand({ TableName: table('approvals'), Key: { pk: `approval#${approvalId}` }, ConsistentRead: true }))).Item as Record<string, unknown>;

  beforeAll(async () => {
    browser = await launchChromium();
    await createAccounts([source, destination]);
    agent = await connectHttp('user-sofia');
  });

  /** Sofía's passkeys and the challenges she was handed, as DynamoDB Local holds them. */
  const sofiasPasskeyItems = async () => ((await documents().send(new QueryCommand({ TableName: table('passkeys'), KeyConditionExpression: 'user_id = :u', ExpressionAttributeValues: { ':u': 'user-sofia' }, ConsistentRead: true }))).Items ?? []) as Array<Record<string, unknown>>;

  afterAll(async () => {
    // Sofía gets the default MTU back, and no passkey, for every other test.
    await documents().send(new DeleteCommand({ TableName: table('ledger-controls'), Key: { pk: 'mtu#user-sofia' } }));
    for (const item of await sofiasPasskeyItems()) await documents().send(new DeleteCommand({ TableName: table('passkeys'), Key: { user_id: item.user_id, sk: item.sk } }));
    await agent?.close();
    for (const context of contexts) await context.close();
    await browser?.close();
    closeClients();
  });

  it('runs the agent’s transfer once after the customer signs in and presses Aprobar, every later call answers the same, and the page then shows it done', async () => {
    // Prepare: the agent asks; the customer opens the link and signs in through the issuer (PKCE)
    const asked = await ask(12_345);
    const before = await balancesOf([source, destination]);
    const ledger = (await ledgerOf([source.account_id])).length;
    const { tab, problems } = await newTab();
    await tab.goto(asked.approval_url);
    await tab.locator('#approval-signin-button').waitFor();
    await expectAccessible('00-login', tab);
    await tab.locator('#approval-signin-button').click();
    await tab.waitForURL(/\/oauth2\/authorize\?/);
    await tab.getByRole('button', { name: /^Sofía Martínez\b/ }).click();
    await tab.waitForSelector('body[data-screen="approval"]');
    const early = structured(await call(agent, 'transfer_funds', { ...asked.args, approval_id: asked.approval_id }));

    // Act
    const shown = await approvalScreen(tab);
    await expectAccessible('01-pending', tab);
    await tab.getByRole('button', { name: 'Aprobar' }).click();
    await tab.locator('#approval-outcome', { hasText: 'Aprobaste la operación' }).waitFor();
    await tab.locator('#approval-outcome:focus').waitFor();
    const approvedScreen = await approvalScreen(tab);
    await expectAccessible('02-approved', tab);
    const done = await call(agent, 'transfer_funds', { ...asked.args, approval_id: asked.approval_id });
    const again = await call(agent, 'transfer_funds', { ...asked.args, approval_id: asked.approval_id });
    await tab.reload();
    await tab.waitForSelector('body[data-screen="approval"]');
    const afterUse = await approvalScreen(tab);

    // Assess
    expect(shown).toEqual({ tool: 'Transferencia', summary: asked.summary, state: 'Pendiente de tu decisión', buttons: true });
    expect(shown.summary).toContain('$123.45 MXN');
    expect(new URL(tab.url()).searchParams.get('id')).toBe(asked.approval_id);
    expect(approvedScreen).toMatchObject({ state: 'Aprobada', buttons: false });
    expect(afterUse).toMatchObject({ state: 'Aprobada y realizada', buttons: false });
    expect(await tab.locator('#approval-outcome').innerText()).toBe('Esta operación ya se aprobó y se realizó.');
    expect(early).toMatchObject({ status: 'approval_pending' });
    expect(done.isError).toBeFalsy();
    expect(structured(done)).toMatchObject({ amount: 12_345, from_account_id: source.account_id, to_account_id: destination.account_id });
    expect(structured(again)).toMatchObject({ transaction_id: structured(done).transaction_id });
    const after = await balancesOf([source, destination]);
    expect(after.get(source.account_id)).toBe((before.get(source.account_id) as number) - 12_345);
    expect(after.get(destination.account_id)).toBe((before.get(destination.account_id) as number) + 12_345);
    expect(await ledgerOf([source.account_id])).toHaveLength(ledger + 1);
    expect(problems).toEqual([]);
  });

  it('answers the agent declined when the customer declines, in English too, moving nothing', async () => {
    // Prepare
    const asked = await ask(2_000);
    const before = await balancesOf([source, destination]);
    const { tab, problems } = await newTab();
    await openAs(tab, asked.approval_url, 'user-sofia');
    await tab.getByRole('button', { name: 'English' }).click();
    await expectAccessible('01b-english', tab);

    // Act
    await tab.getByRole('button', { name: 'Decline' }).click();
    await tab.locator('#approval-outcome', { hasText: 'You declined the operation' }).waitFor();
    const result = await call(agent, 'transfer_funds', { ...asked.args, approval_id: asked.approval_id });

    // Assess
    expect(await tab.evaluate(() => (globalThis as unknown as { document: { documentElement: { lang: string } } }).document.documentElement.lang)).toBe('en');
    await expect(approvalScreen(tab)).resolves.toMatchObject({ tool: 'Transfer', state: 'Declined', buttons: false });
    expect(await tab.locator('#approval-summary').innerText()).toBe(asked.summary);
    expect(result).toMatchObject({ isError: true, _meta: { code: 'APPROVAL.DECLINED' }, structuredContent: { status: 'declined' } });
    expect(await balancesOf([source, destination])).toEqual(before);
    expect(problems).toEqual([]);
  });

  it('shows another customer a refusal with nothing to press, and the approval stays the customer’s to decide', async () => {
    // Prepare
    const asked = await ask(3_000);
    const { tab, problems } = await newTab();

    // Act
    await openAs(tab, asked.approval_url, 'user-luis');

    // Assess
    await tab.locator('#approval-refused-title:focus').waitFor();
    expect(await tab.locator('#approval-refused-text').innerText()).toContain('no existe o no es tuya');
    expect(await tab.locator('#approval-approve').isVisible()).toBe(false);
    expect(await tab.locator('#approval-summary').innerText()).toBe('');
    await expectAccessible('03-refused', tab);
    expect(await stored(asked.approval_id)).toMatchObject({ status: 'pending' });
    expect(structured(await call(agent, 'transfer_funds', { ...asked.args, approval_id: asked.approval_id }))).toMatchObject({ status: 'approval_pending' });
    expect(problems).toEqual([]);
  });

  it('shows an expired approval as expired, with no buttons', async () => {
    // Prepare: the approval's five minutes pass
    const asked = await ask(4_000);
    await documents().send(new UpdateCommand({ TableName: table('approvals'), Key: { pk: `approval#${asked.approval_id}` }, UpdateExpression: 'SET expires_at = :past', ExpressionAttributeValues: { ':past': Math.floor(Date.now() / 1000) - 1 } }));
    const { tab, problems } = await newTab();

    // Act
    await openAs(tab, asked.approval_url, 'user-sofia');

    // Assess
    await expect(approvalScreen(tab)).resolves.toMatchObject({ state: 'Vencida', buttons: false });
    expect(await tab.locator('#approval-outcome').innerText()).toContain('venció sin decidirse');
    await expectAccessible('04-expired', tab);
    expect(problems).toEqual([]);
  });

  it('moves money once when two tabs press Aprobar at the same time', async () => {
    // Prepare
    const asked = await ask(5_000);
    const before = await balancesOf([source, destination]);
    const ledger = (await ledgerOf([source.account_id])).length;
    const first = await newTab();
    const second = await newTab();
    await openAs(first.tab, asked.approval_url, 'user-sofia');
    await openAs(second.tab, asked.approval_url, 'user-sofia');

    // Act
    await Promise.all([first.tab.getByRole('button', { name: 'Aprobar' }).click(), second.tab.getByRole('button', { name: 'Aprobar' }).click()]);
    await Promise.all([first, second].map(({ tab }) => tab.locator('#approval-actions').waitFor({ state: 'hidden' })));
    const outcomes = await Promise.all([first, second].map(({ tab }) => tab.locator('#approval-outcome').innerText()));
    const results = await Promise.all([1, 2].map(() => call(agent, 'transfer_funds', { ...asked.args, approval_id: asked.approval_id })));

    // Assess
    expect(outcomes.sort()).toEqual([expect.stringContaining('Aprobaste la operación'), expect.stringContaining('ya se aprobó')].sort((a, b) => String(a).localeCompare(String(b))));
    for (const result of results) expect(structured(result)).toMatchObject({ amount: 5_000, transaction_id: structured(results[0]!).transaction_id });
    const after = await balancesOf([source, destination]);
    expect(after.get(source.account_id)).toBe((before.get(source.account_id) as number) - 5_000);
    expect(await ledgerOf([source.account_id])).toHaveLength(ledger + 1);
    expect([...first.problems, ...second.problems]).toEqual([]);
  });

  it('asks a passkey before approving a transfer above the customer’s MTU: refused without it, created after signing in again, approved with it, and Core Banking moves it once', async () => {
    // Prepare: Sofía lowers her MTU to $50.00 (at once, no approval), so the agent's $60.00 transfer is above it; Chromium gets a virtual passkey authenticator
    const lowered = structured(await call(agent, 'set_mtu', { amount: 5_000 }));
    const asked = await ask(6_000);
    const opened = await stored(asked.approval_id);
    const before = await balancesOf([source, destination]);
    const { tab, problems } = await newTab();
    const cdp = await tab.context().newCDPSession(tab);
    await cdp.send('WebAuthn.enable');
    const { authenticatorId } = await cdp.send('WebAuthn.addVirtualAuthenticator', {
      options: { protocol: 'ctap2', transport: 'internal', hasResidentKey: true, hasUserVerification: true, isUserVerified: true, automaticPresenceSimulation: true },
    });
    await openAs(tab, asked.approval_url, 'user-sofia');
    await expectAccessible('05-step-up', tab);

    // Act: Aprobar without the passkey
    await tab.getByRole('button', { name: 'Aprobar' }).click();
    await tab.locator('#approval-error', { hasText: 'confirma tu identidad con tu llave de acceso' }).waitFor();
    const refused = await stored(asked.approval_id);
    // The customer's own sign-in is no second factor, whoever sends it, nor is a step-up token of the old kind.
    const plain = await fetch(`${endpoints().http}/approvals/${asked.approval_id}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${endpoints().tokens['user-sofia'] as string}` },
      body: JSON.stringify({ decision: 'approve', step_up_token: endpoints().tokens['user-sofia'] }),
    });
    const early = structured(await call(agent, 'transfer_funds', { ...asked.args, approval_id: asked.approval_id }));

    // Act: she has no passkey yet; creating one sends her to sign in again, then the page creates it through the API
    await tab.getByRole('button', { name: 'Confirmar con mi llave de acceso' }).click();
    await tab.locator('#approval-passkey-add-text', { hasText: 'primero vuelve a iniciar sesión' }).waitFor();
    await expectAccessible('06-no-passkey', tab);
    await tab.getByRole('button', { name: 'Crear una llave de acceso' }).click();
    await tab.waitForURL(/\/oauth2\/authorize\?/);
    const signInAgain = Object.fromEntries(new URL(tab.url()).searchParams);
    await tab.getByRole('button', { name: /^Sofía Martínez\b/ }).click();
    await tab.locator('#approval-passkey-add-text', { hasText: 'Ya volviste a iniciar sesión' }).waitFor();
    await tab.locator('#approval-passkey-add-button:focus').waitFor();
    await tab.getByRole('button', { name: 'Crear una llave de acceso' }).click();
    await tab.locator('#approval-step-up-text', { hasText: 'tu llave de acceso quedó registrada' }).waitFor();
    await tab.locator('#approval-step-up-button:focus').waitFor();
    const registered = (await sofiasPasskeyItems()).filter((item) => String(item.sk).startsWith('credential#'));

    // Act: confirm with it, then Aprobar
    await tab.getByRole('button', { name: 'Confirmar con mi llave de acceso' }).click();
    await tab.locator('#approval-step-up-done').waitFor();
    await tab.locator('#approval-approve:focus').waitFor();
    await expectAccessible('07-step-up-done', tab);
    await tab.getByRole('button', { name: 'Aprobar' }).click();
    await tab.locator('#approval-outcome', { hasText: 'Aprobaste la operación' }).waitFor();
    const approved = await stored(asked.approval_id);
    const done = await call(agent, 'transfer_funds', { ...asked.args, approval_id: asked.approval_id });

    // Assess
    expect(lowered).toMatchObject({ mtu: { amount: 5_000, currency: 'MXN', is_default: false } });
    expect(opened).toMatchObject({ status: 'pending', step_up: true });
    expect(refused).toMatchObject({ status: 'pending', step_up: true });
    expect(refused.second_factor_at).toBeUndefined();
    expect(plain.status).toBe(401);
    expect(plain.headers.get('www-authenticate')).toContain('error="insufficient_user_authentication"');
    expect(await plain.json()).toMatchObject({ error: 'step_up_required', view: { status: 'pending', step_up_required: true } });
    expect(early).toMatchObject({ status: 'approval_pending' });
    expect(signInAgain).toMatchObject({ prompt: 'login', max_age: '0', login_hint: 'user-sofia' });
    const { credentials } = await cdp.send('WebAuthn.getCredentials', { authenticatorId });
    expect(credentials).toHaveLength(1);
    expect(credentials[0]).toMatchObject({ rpId: 'localhost', signCount: expect.any(Number) });
    expect(registered).toHaveLength(1);
    expect(registered[0]).toMatchObject({ user_id: 'user-sofia', credential_id: credentials[0]?.credentialId.replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '') });
    expect(approved).toMatchObject({ status: 'approved', second_factor_at: expect.stringMatching(/^\d{4}-\d\d-\d\dT/) });
    expect(Date.now() - Date.parse(approved.second_factor_at as string)).toBeLessThan(120_000);
    expect(structured(done)).toMatchObject({ amount: 6_000, to_account_id: destination.account_id });
    expect((await balancesOf([source, destination])).get(source.account_id)).toBe((before.get(source.account_id) as number) - 6_000);
    expect(problems).toEqual([]);
  });
});
