import { createLogger, openCache } from '@berth/service-kit';
import { mkdirSync } from 'node:fs';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type Locator, type Page } from 'playwright-core';
import { missingExecutable, skipUnlessCi } from '@berth/kit/testing/required-tool';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStack, type RunningStack } from '../../stack/src/start-stack.ts';
import { buildApp } from '../src/app.ts';
import { loadGatewayConfig } from '../src/config.ts';

// The page served by the gateway, driven in headless Chromium against the whole stack on its
// embedded defaults (PGlite and the in-memory cache), the way `npm start` runs it.

// BERTH_CHROMIUM points at another executable (tests of the missing-browser branch point it at none).
const CHROMIUM = process.env.BERTH_CHROMIUM || '/usr/bin/chromium';
const chromiumMissing = missingExecutable(
  CHROMIUM,
  'the web-page tests need Chromium; install it with `apt-get install chromium` (or set BERTH_CHROMIUM to its path)',
);
const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];
const SCREENSHOT_DIR = fileURLToPath(new URL('../../../.tmp/', import.meta.url));

const SEED_STOCK: Record<string, string> = {
  'Laptop Dell XPS 13': '50',
  'Mouse Logitech MX Master': '150',
  'Teclado Mecánico': '75',
  'Monitor 4K': '30',
  'Webcam HD': '100',
};

let stack: RunningStack;
let browser: Browser;
let page: Page;
const pageErrors: string[] = [];
const consoleErrors: string[] = [];

// Without Chromium: one visible skip naming the reason (a failure under CI=true), and nothing is started.
if (chromiumMissing !== undefined) {
  describe('the web page in Chromium', () => {
    it('needs Chromium', (context) => skipUnlessCi(context, chromiumMissing));
  });
}

beforeAll(async () => {
  if (chromiumMissing !== undefined) return;
  // An explicit environment without DATABASE_URL or REDIS_URL selects the embedded defaults.
  stack = await startStack({
    env: { NODE_ENV: 'test' },
    gatewayPort: 0,
    productPort: 0,
    inventoryPort: 0,
    logLevel: 'silent',
  });
  browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
  page = await browser.newPage();
  page.setDefaultTimeout(15_000);
  page.on('pageerror', (error) => pageErrors.push(error.message));
  // A Content-Security-Policy violation is reported as a console error.
  page.on('console', (message) => {
    if (message.type() === 'error') consoleErrors.push(message.text());
  });
});

afterAll(async () => {
  await browser?.close();
  await stack?.close();
});

/** Runs a step; when it fails, keeps a screenshot of the page under .tmp/ for the person debugging. */
async function step<T>(name: string, action: () => Promise<T>): Promise<T> {
  try {
    return await action();
  } catch (error) {
    mkdirSync(SCREENSHOT_DIR, { recursive: true });
    const path = `${SCREENSHOT_DIR}web-page-${name.replace(/\W+/g, '-')}.png`;
    await page.screenshot({ path, fullPage: true }).catch(() => undefined);
    throw new Error(
      `step "${name}" failed (screenshot: ${path}): ${error instanceof Error ? error.message : String(error)}`,
    );
  }
}

function productRow(name: string): Locator {
  return page.getByRole('row').filter({ has: page.getByRole('rowheader', { name, exact: true }) });
}

/** The row of a product as column header → cell text, read through the table's own headers. */
async function rowValues(name: string): Promise<Record<string, string>> {
  const headers = await page.getByRole('columnheader').allTextContents();
  const cells = await productRow(name).locator(':scope > th, :scope > td').allTextContents();
  return Object.fromEntries(headers.map((header, index) => [header.trim(), (cells[index] ?? '').trim()]));
}

/** Waits until the product's row shows `expected` in `column` (the page reloads the list after each write). */
async function waitForCell(name: string, column: string, expected: string): Promise<void> {
  await productRow(name).waitFor();
  let seen = '';
  for (let attempt = 0; attempt < 100; attempt += 1) {
    seen = (await rowValues(name))[column] ?? '';
    if (seen === expected) return;
    await page.waitForTimeout(100);
  }
  throw new Error(`${column} of "${name}" is "${seen}", expected "${expected}"`);
}

async function apiJson(path: string): Promise<{ status: number; body: unknown }> {
  const response = await fetch(`${stack.gatewayUrl}${path}`);
  return { status: response.status, body: await response.json() };
}

describe.skipIf(chromiumMissing !== undefined)('the web page', () => {
  const name = 'Berth desk lamp';

  it('lists the seed products with their stock', async () => {
    await step('load', async () => {
      const response = await page.goto(`${stack.gatewayUrl}/`);
      expect(response?.status()).toBe(200);
      await expect(page.title()).resolves.toMatch(/Products/);
      for (const [product, stock] of Object.entries(SEED_STOCK)) await waitForCell(product, 'Stock', stock);
      expect(await rowValues('Laptop Dell XPS 13')).toMatchObject({
        ID: '1',
        Category: 'Electronics',
        Price: '1,299.99',
        Warehouse: 'Warehouse A',
      });
    });
  });

  it('asks for the write token before the first write, and changes nothing without a valid one', async () => {
    const form = page.getByRole('form', { name: 'New product' });
    const tokenDialog = page.getByRole('dialog', { name: 'Write token' });
    await step('cancel the token prompt', async () => {
      await form.getByLabel('Name').fill('Berth token probe');
      await form.getByLabel('Price').fill('3');
      await form.getByRole('button', { name: 'Create product' }).click();
      await tokenDialog.waitFor();
      await tokenDialog.getByRole('button', { name: 'Cancel' }).click();
      await tokenDialog.waitFor({ state: 'hidden' });
      const alert = page.getByRole('alert').filter({ hasText: 'a write token is needed' });
      await alert.waitFor();
    });
    await step('a wrong token is refused, then the right one is asked for and used', async () => {
      await form.getByRole('button', { name: 'Create product' }).click();
      await tokenDialog.waitFor();
      await tokenDialog.getByLabel('Token').fill('wrong-token-0123456789abcdefghijklmnopqrstuv');
      await tokenDialog.getByRole('button', { name: 'Use token' }).click();
      // The gateway answered 401: the page asks again, saying why.
      await tokenDialog.getByText('That token was not accepted').waitFor();
      await expect(apiJson('/api/products')).resolves.toMatchObject({
        body: expect.not.arrayContaining([expect.objectContaining({ name: 'Berth token probe' })]),
      });
      await tokenDialog.getByLabel('Token').fill(stack.writeToken);
      await tokenDialog.getByRole('button', { name: 'Use token' }).click();
      await waitForCell('Berth token probe', 'Stock', 'none');
    });
    await step('the token is kept for the session: the next write does not ask', async () => {
      page.once('dialog', (dialog) => void dialog.accept());
      await page.getByRole('button', { name: 'Delete Berth token probe' }).click();
      await productRow('Berth token probe').waitFor({ state: 'detached' });
      expect(await tokenDialog.isVisible()).toBe(false);
    });
  });

  it('creates a product, gives it stock, adjusts it, edits it and deletes it', async () => {
    const form = page.getByRole('form', { name: 'New product' });
    await step('create', async () => {
      await form.getByLabel('Name').fill(name);
      await form.getByLabel('Price').fill('42.5');
      await form.getByLabel('Category').fill('Lighting');
      await form.getByLabel('Description').fill('Warm white, dimmable');
      await form.getByRole('button', { name: 'Create product' }).click();
      await waitForCell(name, 'Stock', 'none');
      expect(await rowValues(name)).toMatchObject({ Category: 'Lighting', Price: '42.50' });
      await expect(form.getByLabel('Name').inputValue()).resolves.toBe('');
    });
    const id = Number((await rowValues(name)).ID);
    expect(Number.isInteger(id) && id > 5).toBe(true);

    await step('add stock record', async () => {
      await page.getByLabel(`Initial stock for ${name}`).fill('7');
      await page.getByLabel(`Warehouse for ${name}`).fill('Warehouse C');
      await page.getByRole('button', { name: `Add stock record for ${name}` }).click();
      await waitForCell(name, 'Stock', '7');
      await waitForCell(name, 'Warehouse', 'Warehouse C');
    });

    await step('adjust stock', async () => {
      await page.getByLabel(`Stock change for ${name}`).fill('5');
      await page.getByRole('button', { name: `Apply stock change to ${name}` }).click();
      await waitForCell(name, 'Stock', '12');
      const product = await apiJson(`/api/products/${id}`);
      expect(product.body).toMatchObject({ id, inventory: { quantity: 12, warehouse: 'Warehouse C' } });
    });

    await step('refuse stock below zero', async () => {
      await page.getByLabel(`Stock change for ${name}`).fill('-20');
      await page.getByRole('button', { name: `Apply stock change to ${name}` }).click();
      const alert = page.getByRole('alert').filter({ hasText: 'Insufficient stock' });
      await alert.waitFor();
      expect(await alert.textContent()).toContain('available: 12');
      expect((await rowValues(name)).Stock).toBe('12');
    });

    await step('edit', async () => {
      await page.getByRole('button', { name: `Edit ${name}` }).click();
      const dialog = page.getByRole('dialog', { name: 'Edit product' });
      await dialog.waitFor();
      await expect(dialog.getByLabel('Name').inputValue()).resolves.toBe(name);
      await dialog.getByLabel('Price').fill('45');
      await dialog.getByRole('button', { name: 'Save changes' }).click();
      await dialog.waitFor({ state: 'hidden' });
      await waitForCell(name, 'Price', '45.00');
      // A successful write clears the earlier error.
      expect(await page.getByRole('alert').filter({ hasText: 'Insufficient stock' }).count()).toBe(0);
      const product = await apiJson(`/api/products/${id}`);
      expect(product.body).toMatchObject({ price: 45, name, category: 'Lighting' });
    });

    await step('delete', async () => {
      page.once('dialog', (dialog) => void dialog.accept());
      await page.getByRole('button', { name: `Delete ${name}` }).click();
      await productRow(name).waitFor({ state: 'detached' });
      await expect(apiJson(`/api/products/${id}`)).resolves.toMatchObject({ status: 404 });
      expect(await productRow('Laptop Dell XPS 13').count()).toBe(1);
    });
  });

  it('shows the service error inside the editor when the product vanished meanwhile', async () => {
    const ghost = 'Berth vanishing chair';
    const created = await fetch(`${stack.gatewayUrl}/api/products`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${stack.writeToken}` },
      body: JSON.stringify({ name: ghost, price: 10 }),
    });
    expect(created.status).toBe(201);
    const { id } = (await created.json()) as { id: number };

    await step('stale edit', async () => {
      await page.getByRole('button', { name: 'Refresh' }).click();
      await waitForCell(ghost, 'Stock', 'none');
      await page.getByRole('button', { name: `Edit ${ghost}` }).click();
      const dialog = page.getByRole('dialog', { name: 'Edit product' });
      await dialog.waitFor();
      const removed = await fetch(`${stack.gatewayUrl}/api/products/${id}`, {
        method: 'DELETE',
        headers: { authorization: `Bearer ${stack.writeToken}` },
      });
      expect(removed.status).toBe(204);
      await dialog.getByLabel('Price').fill('11');
      await dialog.getByRole('button', { name: 'Save changes' }).click();
      const alert = dialog.getByRole('alert');
      await alert.waitFor();
      expect(await alert.textContent()).toBe('Product not found');
      await dialog.getByRole('button', { name: 'Cancel' }).click();
      await dialog.waitFor({ state: 'hidden' });
      await page.getByRole('button', { name: 'Refresh' }).click();
      await productRow(ghost).waitFor({ state: 'detached' });
    });
  });

  it('raised no script errors and broke no Content-Security-Policy rule', () => {
    expect(pageErrors).toEqual([]);
    // The only console errors allowed are the failed requests the tests provoked (401, 409, 404).
    expect(consoleErrors.filter((text) => !/status of (401|404|409)/.test(text))).toEqual([]);
    expect(consoleErrors.some((text) => /Content Security Policy/i.test(text))).toBe(false);
  });
});

/** A loopback port nothing listens on: reserved, then released. */
async function closedPort(): Promise<number> {
  const server = createServer().listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  const address = server.address();
  await new Promise((resolve) => server.close(resolve));
  if (address === null || typeof address === 'string') throw new Error('no TCP address');
  return address.port;
}

describe.skipIf(chromiumMissing !== undefined)('the web page when the services are unreachable', () => {
  it('says the list could not be loaded and shows the gateway error', async () => {
    const deadPort = await closedPort();
    const config = loadGatewayConfig({
      HOST: '127.0.0.1',
      PORT: '0',
      LOG_LEVEL: 'silent',
      API_TOKENS: 'unreachable-test-token-0123456789abcdefgh',
      PRODUCT_SERVICE_URL: `http://127.0.0.1:${deadPort}`,
      INVENTORY_SERVICE_URL: `http://127.0.0.1:${deadPort}`,
    });
    const logger = createLogger({ service: 'api-gateway', level: 'silent' });
    const cache = openCache(config.cache, logger);
    const gateway = buildApp({ config, cache, logger });
    const context = await browser.newContext();
    try {
      const address = await gateway.listen({ host: '127.0.0.1', port: 0 });
      const lonelyPage = await context.newPage();
      await lonelyPage.goto(`${address}/`);
      const alert = lonelyPage.getByRole('alert').filter({ hasText: 'Error connecting to service' });
      await alert.waitFor({ timeout: 15_000 });
      // Both calls of products-full fail; whichever is refused first is reported.
      expect(await alert.textContent()).toMatch(/(product|inventory)-service is unreachable/);
      await lonelyPage.getByRole('cell', { name: /could not be loaded/ }).waitFor({ timeout: 15_000 });
    } finally {
      await context.close();
      await gateway.close();
      await cache.close();
    }
  });
});
