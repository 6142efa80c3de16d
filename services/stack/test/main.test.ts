import { createScratchDatabase, type ScratchDatabase } from '@berth/service-kit/testing/backends';
import { spawnService } from '@berth/service-kit/testing/spawn-service';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

describe('npm start (services/stack/src/main.ts)', () => {
  let database: ScratchDatabase;
  beforeAll(async () => {
    database = await createScratchDatabase('stack_main');
  });
  afterAll(async () => {
    await database?.drop();
  });

  it('prints the URL to open, serves the page there, and stops cleanly on SIGINT', async () => {
    const stack = spawnService('services/stack/src/main.ts', {
      GATEWAY_PORT: '0',
      PRODUCT_PORT: '0',
      INVENTORY_PORT: '0',
      DATABASE_URL: database.url,
      LOG_LEVEL: 'warn',
    });
    let announcement: string | undefined;
    while (announcement === undefined) {
      announcement = stack.plainLines.find((line) => line.startsWith('Berth is running.'));
      if (announcement === undefined) {
        const exited = await Promise.race([
          stack.exited.then(() => true),
          new Promise((resolve) => setTimeout(() => resolve(false), 100)),
        ]);
        if (exited) throw new Error(`npm start exited early: ${JSON.stringify(stack.lines)}`);
      }
    }
    const url = /Open (http:\/\/\S+\/) in your browser/.exec(announcement)?.[1];
    const tokenLine = stack.plainLines.find((line) => line.startsWith('Write token for this run'));
    const token = /: (\S+)$/.exec(tokenLine ?? '')?.[1] ?? '';
    expect(token.length).toBeGreaterThanOrEqual(32);
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
    const page = await fetch(`${url}`);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('<html');
    const full = await fetch(`${url}api/products-full`);
    expect(((await full.json()) as unknown[]).length).toBe(5);
    const write = (authorization?: string) =>
      fetch(`${url}api/inventory/1/adjust`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...(authorization && { authorization }) },
        body: JSON.stringify({ delta: 1 }),
      });
    expect((await write()).status).toBe(401);
    expect((await write(`Bearer ${token}`)).status).toBe(200);
    stack.child.kill('SIGINT');
    expect(await stack.exited).toBe(0);
  });
});
