/**
 * The chat page in a real browser: Debian's Chromium driven by playwright-core, against the
 * local stack the integration setup started. A person's path: sign in as a seeded customer, ask
 * the balance, transfer to "mi hermano" confirming with the button (also while a SPEI payment
 * arrives and is told beside the open confirmation), buy a laptop in 6 MSI and
 * see the purchase saga drawn; then sign in through the OAuth code flow with PKCE (the local
 * issuer standing in for Cognito's managed login), and run the page as a deployed stage serves
 * it (no read API, so no inspector) until its ID token expires. Screenshots of each step go to
 * tests/e2e/artifacts/ (git-ignored), and every screen the test shows is checked with axe-core:
 * no violation of impact serious or critical.
 */
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { balancesOf, closeClients, endpoints } from '../integration/support';
import { accessibilityViolations } from './axe';
import { ARTIFACTS, launchChromium } from './browser';

const ANA_NOMINA = { user_id: 'user-ana', account_id: 'acc-ana-nomina-4821', balance: 0 };
const CARLOS_NOMINA = { user_id: 'user-carlos', account_id: 'acc-carlos-nomina-3954', balance: 0 };
const VIEWPORT = { width: 1440, height: 900 };
const JWT = /^eyJ[\w-]+\.eyJ[\w-]+\.[\w-]+$/;

describe('the chat page in Chromium', () => {
  let browser: Browser;
  let page: Page;
  /** The main page's WebSocket frames, both ways, parsed (over every socket it opens). */
  const frames: { sent: Array<Record<string, unknown>>; received: Array<Record<string, unknown>> } = { sent: [], received: [] };
  const parsed = (payload: string | Buffer): Record<string, unknown> => {
    try {
      return JSON.parse(payload.toString()) as Record<string, unknown>;
    } catch {
      return {};
    }
  };
  /** The screen as it is has no accessibility violation of impact serious or critical (see ./axe.ts). */
  async function expectAccessible(name: string, on: Page = page): Promise<void> {
    expect({ screen: name, violations: await accessibilityViolations(on) }).toEqual({ screen: name, violations: [] });
  }

  /**
   * A screenshot of the screen as it is, then its accessibility check. Animations are stopped at
   * their end for the picture, so screenshots of two runs can be compared.
   */
  async function shot(name: string, on: Page = page): Promise<void> {
    await on.screenshot({ path: join(ARTIFACTS, `${name}.png`), fullPage: false, animations: 'disabled' });
    await expectAccessible(name, on);
  }
  const lastAssistant = (on: Page = page) => on.locator('#messages li.msg--assistant').last();

  /** Types a message, sends it with Enter and waits for a new assistant bubble. */
  async function say(text: string, on: Page = page): Promise<string> {
    const before = await on.locator('#messages li.msg--assistant').count();
    await on.fill('#composer-input', text);
    await on.press('#composer-input', 'Enter');
    await on.locator('#messages li.msg--assistant').nth(before).waitFor({ timeout: 20_000 });
    return (await lastAssistant(on).locator('.bubble').innerText()).trim();
  }

  /** Every uncaught error and console error of a page, whichever document it is on. */
  function problemsOf(on: Page): string[] {
    const problems: string[] = [];
    on.on('pageerror', (error) => problems.push(`pageerror: ${error.message}`));
    on.on('console', (message) => {
      if (message.type() === 'error') problems.push(`console: ${message.text()}`);
    });
    return problems;
  }

  /** On the local issuer's sign-in page: picks a customer and waits for the chat to open. */
  async function signInAs(on: Page, name: string): Promise<URL> {
    await on.waitForURL(/\/oauth2\/authorize\?/);
    const authorize = new URL(on.url());
    await on.getByRole('button', { name: new RegExp(`^${name}\\b`) }).click();
    await on.waitForSelector('body[data-screen="chat"]', { timeout: 15_000 });
    await on.locator('#connection[data-state="open"]').waitFor({ timeout: 10_000 });
    return authorize;
  }

  const tabStorage = (on: Page) =>
    on.evaluate(() => ({ session: sessionStorage.getItem('centli.oauth.session'), pending: sessionStorage.getItem('centli.oauth.pending'), local: localStorage.length }));

  /** Presses a button of the last assistant bubble and waits for the next bubble. */
  async function press(label: string | RegExp): Promise<string> {
    const before = await page.locator('#messages li.msg--assistant').count();
    await lastAssistant().getByRole('button', { name: label }).click();
    await page.locator('#messages li.msg--assistant').nth(before).waitFor({ timeout: 20_000 });
    return (await lastAssistant().locator('.bubble').innerText()).trim();
  }

  beforeAll(async () => {
    browser = await launchChromium();
    page = await browser.newPage({ viewport: VIEWPORT, locale: 'es-MX' });
    page.on('websocket', (socket) => {
      socket.on('framesent', ({ payload }) => frames.sent.push(parsed(payload)));
      socket.on('framereceived', ({ payload }) => frames.received.push(parsed(payload)));
    });
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(error.message));
    await page.goto(endpoints().chat);
    expect(errors).toEqual([]);
  });

  afterAll(async () => {
    await browser?.close();
    closeClients();
  });

  it('signs in as a seeded customer picked from the list', async () => {
    // Prepare
    await page.locator('.customer-card[data-user="user-ana"]').waitFor();
    await expectAccessible('00-login');

    // Act
    await page.locator('.customer-card[data-user="user-ana"]').click();
    await page.waitForSelector('body[data-screen="chat"]');
    await page.locator('#connection[data-state="open"]').waitFor({ timeout: 10_000 });

    // Assess
    await expect(page.locator('#session-name').innerText()).resolves.toBe('Ana García');
    await shot('01-signed-in');
  });

  it('answers the balance', async () => {
    const text = await say('¿Cuál es mi saldo?');
    expect(text).toContain('Tus saldos');
    expect(text).toContain('Cuenta Nómina ****4821');
    await shot('02-balance');
  });

  it('transfers to "mi hermano" after the customer presses Sí, and shows the request’s events', async () => {
    // Prepare
    const before = await balancesOf([ANA_NOMINA, CARLOS_NOMINA]);

    // Act
    const asked = await say('Transfiere 100 pesos a mi hermano');
    await shot('03-transfer-confirmation');
    const done = await press('Sí');
    await page.locator('#events-list li', { hasText: 'TRANSFER_COMPLETED' }).first().waitFor({ timeout: 10_000 });

    // Assess
    expect(asked).toContain('¿Transfiero $100.00 MXN a Carlos García (hermano), cuenta ****3954, desde tu Cuenta Nómina ****4821?');
    expect(done).toMatch(/Listo: transferí \$100\.00 MXN a la cuenta \*\*\*\*3954\. Folio txn_/);
    // The button answered that very confirmation: its turn and its own id.
    const confirmation = frames.received.filter((f) => f.kind === 'confirmation').at(-1);
    expect(confirmation?.confirmation_id).toMatch(/^cfm_/);
    expect(frames.sent.filter((f) => f.text === 'sí').at(-1)).toEqual({ action: 'message', text: 'sí', reply_to: confirmation?.correlation_id, confirmation_id: confirmation?.confirmation_id });
    const after = await balancesOf([ANA_NOMINA, CARLOS_NOMINA]);
    expect(after.get('acc-ana-nomina-4821')).toBe((before.get('acc-ana-nomina-4821') as number) - 10000);
    expect(after.get('acc-carlos-nomina-3954')).toBe((before.get('acc-carlos-nomina-3954') as number) + 10000);
    await shot('04-transfer-done');
    // An event and the last server frame opened, their JSON shown.
    const opened = [page.locator('#events-list details', { hasText: 'TRANSFER_COMPLETED' }).first(), page.locator('#last-frame')];
    for (const details of opened) await details.locator('summary').click();
    await expectAccessible('04-transfer-events-opened');
    for (const details of opened) await details.locator('summary').click();
  });

  it('tells a SPEI payment the moment it arrives, and a confirmation open beside it keeps its buttons', async () => {
    // Prepare: a transfer waiting for the customer's yes
    const before = await balancesOf([ANA_NOMINA]);
    await say('Transfiere 100 pesos a mi hermano');
    const count = await page.locator('#messages li.msg--assistant').count();
    // That bubble, pinned by its place: the last one will soon be another.
    const confirmation = page.locator('#messages li.msg--assistant').nth(count - 1);
    const clave = `E2E${Date.now()}`;

    // Act: a payment arrives from another bank, through the local SPEI participant
    const arrived = await fetch(`${endpoints().spei}/incoming`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ clabe: '999180100000048210', amount: 55000, sender_name: 'Juan Pérez', sender_bank: 'BBVA', concepto: 'renta diciembre', clave_rastreo: clave }),
    });
    await page.locator('#messages li.msg--assistant').nth(count).waitFor({ timeout: 20_000 });
    const told = (await lastAssistant().locator('.bubble').innerText()).trim();
    await shot('04b-spei-received');

    // Assess: told once, quoted; the open confirmation still answers its button
    expect(arrived.status).toBe(200);
    expect(told).toContain('Recibiste $550.00 MXN de «Juan Pérez» («BBVA»): «renta diciembre», en tu cuenta ****4821.');
    await expect(confirmation.getByRole('button', { name: 'Sí' }).isEnabled()).resolves.toBe(true);
    const next = await page.locator('#messages li.msg--assistant').count();
    await confirmation.getByRole('button', { name: 'Sí' }).click();
    await page.locator('#messages li.msg--assistant').nth(next).waitFor({ timeout: 20_000 });
    expect((await lastAssistant().locator('.bubble').innerText()).trim()).toMatch(/Listo: transferí \$100\.00 MXN/);
    expect((await balancesOf([ANA_NOMINA])).get('acc-ana-nomina-4821')).toBe((before.get('acc-ana-nomina-4821') as number) + 55000 - 10000);
    expect(await page.locator('#messages li.msg--assistant', { hasText: 'Recibiste $550.00 MXN' }).count()).toBe(1);
  });

  it('buys a laptop in 6 MSI and draws the purchase saga from its execution', async () => {
    // Act
    const which = await say('Compra una laptop con MSI 6 meses');
    const asked = await press(/Laptop HP Pavilion 15/);
    const done = await press('Sí');
    await page.waitForSelector('#saga-panel svg .node', { timeout: 20_000 });
    await page.waitForSelector('#saga-status[data-status="SUCCEEDED"]', { timeout: 20_000 });

    // Assess
    expect(which).toContain('¿Cuál quieres?');
    expect(asked).toContain('¿Compro «Laptop HP Pavilion 15» en «ElectroMundo» por $11,899.00 MXN a 6 meses sin intereses de $1,983.17 MXN');
    expect(done).toContain('¡Compra confirmada!');
    const nodes = await page.locator('#saga-panel svg .node').evaluateAll((elements) => elements.map((e) => ({ name: e.getAttribute('data-node'), classes: e.getAttribute('class') ?? '' })));
    const statusOf = (name: string) => /node--(succeeded|caught|compensated|running|failed|notVisited)/.exec(nodes.find((n) => n.name === name)?.classes ?? '')?.[1];
    expect(nodes.length).toBeGreaterThanOrEqual(17);
    for (const name of ['ReserveInventory', 'ChargePayment', 'ConfirmPurchase', 'PublishConfirmed', 'Confirmed']) expect(`${name}: ${statusOf(name)}`).toBe(`${name}: succeeded`);
    expect(statusOf('RefundPayment')).toBe('notVisited');
    await shot('05-purchase-saga');
    // A state's details (its attempts, input and output), then the saga enlarged.
    await page.locator('#saga-panel .node[data-node="ChargePayment"]').click();
    await page.locator('#saga-detail:not([hidden])').waitFor();
    await expectAccessible('05-saga-state');
    await page.locator('#saga-expand').click();
    await page.locator('#saga-dialog-detail:not([hidden])').waitFor();
    await shot('05b-saga-dialog');
    await page.keyboard.press('Escape');
  });
  it('pays “mi mamá” at another bank by SPEI, tells it sent then settled, and draws the SPEI saga from its execution', async () => {
    // Act
    const asked = await say('Mándale 200 pesos a mi mamá');
    const sent = await press('Sí');
    await page.locator('#messages li.msg--assistant', { hasText: 'se liquidó' }).waitFor({ timeout: 20_000 });
    await page.waitForSelector('#saga-status[data-status="SUCCEEDED"]', { timeout: 20_000 });

    // Assess
    expect(asked).toContain('¿Envío $200.00 MXN por SPEI a María Elena Ruiz (mamá) en Banamex (CLABE ****8906), desde tu Cuenta Nómina ****4821?');
    expect(sent).toMatch(/Envié \$200\.00 MXN por SPEI a María Elena Ruiz \(Banamex, CLABE \*\*\*\*8906\)\. Clave de rastreo \w+\. Te aviso cuando se liquide\./);
    expect((await lastAssistant().locator('.bubble').innerText()).trim()).toMatch(/Tu transferencia SPEI de \$200\.00 MXN a María Elena Ruiz \(Banamex, CLABE \*\*\*\*8906\) se liquidó/);
    await expect(page.locator('#saga-title').innerText()).resolves.toBe('Saga de la transferencia SPEI');
    const nodes = await page.locator('#saga-panel svg .node').evaluateAll((elements) => elements.map((e) => ({ name: e.getAttribute('data-node'), classes: e.getAttribute('class') ?? '' })));
    const statusOf = (name: string) => /node--(succeeded|caught|compensated|running|failed|notVisited)/.exec(nodes.find((n) => n.name === name)?.classes ?? '')?.[1];
    for (const name of ['Hold', 'SendOrder', 'PublishSent', 'AwaitResult', 'Settle', 'PublishCompleted', 'Settled']) expect(`${name}: ${statusOf(name)}`).toBe(`${name}: succeeded`);
    expect(statusOf('GiveBack')).toBe('notVisited');
    await shot('05c-spei-saga');
  });

  describe('signing in with the OAuth code flow and PKCE', () => {
    let context: BrowserContext;

    beforeEach(async () => {
      context = await browser.newContext({ viewport: VIEWPORT, locale: 'es-MX' });
    });

    afterEach(() => context.close());

    it('signs in through the local issuer’s managed-login stand-in and answers the balance', async () => {
      // Prepare
      const tab = await context.newPage();
      const problems = problemsOf(tab);
      await tab.goto(endpoints().chat);
      await tab.locator('.customer-card[data-user="user-ana"]').waitFor();
      await shot('06-login-with-sign-in', tab);

      // Cancelling on the sign-in page comes back with access_denied, said plainly.
      await tab.getByRole('button', { name: 'Iniciar sesión', exact: true }).click();
      await tab.waitForURL(/\/oauth2\/authorize\?/);
      await tab.getByRole('button', { name: /^Cancelar/ }).click();
      await tab.locator('#login-error:not([hidden])').waitFor();
      await expect(tab.locator('#login-error-text').innerText()).resolves.toBe('Se canceló el inicio de sesión o no se concedió el acceso (access_denied). Puedes intentarlo de nuevo.');
      expect(tab.url()).toBe(endpoints().chat);
      await expectAccessible('06-login-cancelled', tab);
      // A redirect that does not answer this tab's request (another state) is refused, and leaves the address.
      await tab.getByRole('button', { name: 'Iniciar sesión', exact: true }).click();
      await tab.waitForURL(/\/oauth2\/authorize\?/);
      await tab.goto(`${endpoints().chat}?code=stolen-code&state=forged`);
      await tab.locator('#login-error:not([hidden])').waitFor();
      await expect(tab.locator('#login-error-text').innerText()).resolves.toContain('Rechazamos esta respuesta de inicio de sesión');
      expect(tab.url()).toBe(endpoints().chat);
      await expect(tabStorage(tab)).resolves.toEqual({ session: null, pending: null, local: 0 });

      // Act
      await tab.getByRole('button', { name: 'Iniciar sesión', exact: true }).click();
      await tab.waitForURL(/\/oauth2\/authorize\?/);
      await shot('07-oauth-issuer', tab);
      const authorize = await signInAs(tab, 'Luis Hernández');
      const answer = await say('¿Cuál es mi saldo?', tab);

      // Assess
      expect(Object.fromEntries(authorize.searchParams)).toMatchObject({
        response_type: 'code',
        client_id: 'centli',
        redirect_uri: endpoints().chat,
        scope: 'openid email',
        code_challenge_method: 'S256',
        code_challenge: expect.stringMatching(/^[\w-]{43}$/),
        state: expect.stringMatching(/^[\w-]{22}$/),
      });
      expect(tab.url()).toBe(endpoints().chat);
      await expect(tab.locator('#session-name').innerText()).resolves.toBe('Luis Hernández');
      await expect(tab.locator('#switch-customer').innerText()).resolves.toBe('Cerrar sesión');
      const storage = await tabStorage(tab);
      expect(storage).toEqual({ session: expect.any(String), pending: null, local: 0 });
      expect(JSON.parse(storage.session as string).id_token).toMatch(JWT);
      expect(answer).toContain('Tus saldos');
      await expect(tab.locator('#inspector').isVisible()).resolves.toBe(true);
      await shot('08-oauth-balance', tab);

      // The session lasts as long as the tab: a reload is still Luis, without signing in again.
      await tab.reload();
      await tab.locator('#connection[data-state="open"]').waitFor({ timeout: 10_000 });
      await expect(tab.locator('#session-name').innerText()).resolves.toBe('Luis Hernández');

      // Signing out forgets the token.
      await tab.locator('#switch-customer').click();
      await tab.waitForSelector('body[data-screen="login"]');
      await expect(tabStorage(tab)).resolves.toEqual({ session: null, pending: null, local: 0 });
      expect(problems).toEqual([]);
    });

    it('runs as a deployed stage serves it: no inspector and no polling, and asks to sign in again when the ID token expires', async () => {
      // Prepare: config.json as scripts/publish-chat.ts writes it (a WebSocket and auth only).
      const tab = await context.newPage();
      const problems = problemsOf(tab);
      const paths: string[] = [];
      tab.on('request', (request) => paths.push(new URL(request.url()).pathname));
      await tab.clock.install();
      await tab.route('**/chat/config.json', async (route) => {
        const response = await route.fetch();
        const { websocket, auth } = (await response.json()) as Record<string, unknown>;
        await route.fulfill({ response, json: { websocket, auth } });
      });
      await tab.goto(endpoints().chat);
      await tab.waitForSelector('body[data-screen="login"]');
      const customersShown = await tab.locator('#customer-list').isVisible();

      // Act
      await tab.getByRole('button', { name: 'Iniciar sesión', exact: true }).click();
      await signInAs(tab, 'Sofía Martínez');
      const answer = await say('¿Cuál es mi saldo?', tab);

      // Assess
      expect(customersShown).toBe(false);
      expect(answer).toContain('Tus saldos');
      await expect(tab.locator('#inspector').isHidden()).resolves.toBe(true);
      await expect(tab.locator('#screen-chat').getAttribute('class')).resolves.toContain('screen--no-inspector');
      expect(paths.filter((path) => /^\/(events|sagas|executions|health)\b/.test(path))).toEqual([]);
      await shot('09-deployed-mode', tab);

      // An hour later the ID token has expired: the page says so and offers to sign in again.
      await tab.clock.fastForward('01:00:30');
      await tab.locator('#connection-banner[data-state="expired"]').waitFor({ timeout: 5_000 });
      await expect(tab.locator('#connection-banner-text').innerText()).resolves.toMatch(/^Tu sesión expiró \(\d\d:\d\d\)\. Inicia sesión de nuevo/);
      await expect(tab.locator('#connection').getAttribute('data-state')).resolves.toBe('expired');
      await expect(tabStorage(tab)).resolves.toMatchObject({ session: null });
      await shot('10-session-expired', tab);
      await tab.clock.setSystemTime(Date.now());
      await tab.getByRole('button', { name: 'Iniciar sesión de nuevo' }).click();
      await signInAs(tab, 'Sofía Martínez');
      await expect(tab.locator('#session-name').innerText()).resolves.toBe('Sofía Martínez');
      expect(paths.filter((path) => /^\/(events|sagas|executions|health)\b/.test(path))).toEqual([]);
      expect(problems).toEqual([]);
    });
  });
});
