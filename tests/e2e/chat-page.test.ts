/**
 * The chat page in a real browser: Debian's Chromium driven by playwright-core, against the
 * local stack the integration setup started. A person's path: sign in as a seeded customer, ask
 * the balance, transfer to "mi hermano" confirming with the button, buy a laptop in 6 MSI and
 * see the purchase saga drawn. Screenshots of each step go to tests/e2e/artifacts/ (git-ignored).
 */
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { balancesOf, closeClients, endpoints } from '../integration/support';

const ARTIFACTS = join(__dirname, 'artifacts');
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const ANA_NOMINA = { user_id: 'user-ana', account_id: 'acc-ana-nomina', balance: 0 };
const CARLOS_NOMINA = { user_id: 'user-carlos', account_id: 'acc-carlos-nomina', balance: 0 };

describe('the chat page in Chromium', () => {
  let browser: Browser;
  let page: Page;
  const shot = (name: string) => page.screenshot({ path: join(ARTIFACTS, `${name}.png`), fullPage: false });
  const lastAssistant = () => page.locator('#messages li.msg--assistant').last();

  /** Types a message, sends it with Enter and waits for a new assistant bubble. */
  async function say(text: string): Promise<string> {
    const before = await page.locator('#messages li.msg--assistant').count();
    await page.fill('#composer-input', text);
    await page.press('#composer-input', 'Enter');
    await page.locator('#messages li.msg--assistant').nth(before).waitFor({ timeout: 20_000 });
    return (await lastAssistant().locator('.bubble').innerText()).trim();
  }

  /** Presses a button of the last assistant bubble and waits for the next bubble. */
  async function press(label: string | RegExp): Promise<string> {
    const before = await page.locator('#messages li.msg--assistant').count();
    await lastAssistant().getByRole('button', { name: label }).click();
    await page.locator('#messages li.msg--assistant').nth(before).waitFor({ timeout: 20_000 });
    return (await lastAssistant().locator('.bubble').innerText()).trim();
  }

  beforeAll(async () => {
    if (!existsSync(CHROMIUM)) throw new Error(`no Chromium at ${CHROMIUM}: install Debian's chromium (apt-get install chromium), as .ci/run does, or set CHROMIUM_PATH`);
    mkdirSync(ARTIFACTS, { recursive: true });
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
    page = await browser.newPage({ viewport: { width: 1440, height: 900 }, locale: 'es-MX' });
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
    expect(text).toContain('Cuenta Nómina ****mina');
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
    expect(asked).toContain('¿Transfiero $100.00 MXN a Carlos García (hermano), cuenta ****mina, desde tu Cuenta Nómina ****mina?');
    expect(done).toMatch(/Listo: transferí \$100\.00 MXN a la cuenta \*\*\*\*mina\. Folio txn_/);
    const after = await balancesOf([ANA_NOMINA, CARLOS_NOMINA]);
    expect(after.get('acc-ana-nomina')).toBe((before.get('acc-ana-nomina') as number) - 10000);
    expect(after.get('acc-carlos-nomina')).toBe((before.get('acc-carlos-nomina') as number) + 10000);
    await shot('04-transfer-done');
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
    expect(asked).toContain('¿Compro Laptop HP Pavilion 15 en ElectroMundo por $11,899.00 MXN a 6 meses sin intereses de $1,983.17 MXN');
    expect(done).toContain('¡Compra confirmada!');
    const nodes = await page.locator('#saga-panel svg .node').evaluateAll((elements) => elements.map((e) => ({ name: e.getAttribute('data-node'), classes: e.getAttribute('class') ?? '' })));
    const statusOf = (name: string) => /node--(succeeded|caught|compensated|running|failed|notVisited)/.exec(nodes.find((n) => n.name === name)?.classes ?? '')?.[1];
    expect(nodes.length).toBeGreaterThanOrEqual(17);
    for (const name of ['ReserveInventory', 'ChargePayment', 'ConfirmPurchase', 'PublishConfirmed', 'Confirmed']) expect(`${name}: ${statusOf(name)}`).toBe(`${name}: succeeded`);
    expect(statusOf('RefundPayment')).toBe('notVisited');
    await shot('05-purchase-saga');
  });
});
