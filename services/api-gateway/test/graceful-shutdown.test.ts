import type { ServerResponse } from 'node:http';
import { listeningUrl, spawnService } from '@berth/service-kit/testing/spawn-service';
import { afterAll, describe, expect, it } from 'vitest';
import { sendJson, startFakeService, type FakeService } from './fake-service.ts';

describe('api-gateway process', () => {
  const fakes: FakeService[] = [];
  afterAll(async () => {
    for (const fake of fakes) await fake.close();
  });

  it('finishes in-flight requests on SIGTERM, then exits 0', async () => {
    const held: ServerResponse[] = [];
    let announceHeld: () => void = () => undefined;
    const requestHeld = new Promise<void>((resolve) => (announceHeld = resolve));
    const products = await startFakeService((request, response) => {
      if (request.url === '/products') {
        held.push(response);
        announceHeld();
      } else sendJson(response, 200, { status: 'healthy', service: 'product-service' });
    });
    const inventory = await startFakeService((_request, response) => sendJson(response, 200, []));
    fakes.push(products, inventory);

    const gateway = spawnService('services/api-gateway/src/server.ts', {
      HOST: '127.0.0.1',
      PORT: '0',
      PRODUCT_SERVICE_URL: products.url,
      INVENTORY_SERVICE_URL: inventory.url,
      API_TOKENS: 'test-token-0123456789abcdefghijklmnopqrstuvwxyz',
    });
    const url = await listeningUrl(gateway);
    const inFlight = fetch(`${url}/api/products`).then(async (response) => ({
      status: response.status,
      body: await response.json(),
    }));
    await requestHeld;

    gateway.child.kill('SIGTERM');
    await gateway.waitForLine((line) => line.msg === 'shutting down: finishing in-flight requests');
    held[0]?.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify([{ id: 1, name: 'Held' }]));

    expect(await inFlight).toEqual({ status: 200, body: [{ id: 1, name: 'Held' }] });
    expect(await gateway.exited).toBe(0);
    expect(gateway.lines.some((line) => line.msg === 'shutdown complete')).toBe(true);
  });

  it('refuses to start on invalid configuration, naming the variable', async () => {
    const gateway = spawnService('services/api-gateway/src/server.ts', {
      PORT: 'eighty',
      INVENTORY_SERVICE_URL: 'ftp://inventory',
      API_TOKENS: 'test-token-0123456789abcdefghijklmnopqrstuvwxyz',
    });
    expect(await gateway.exited).toBe(1);
    const fatal = gateway.lines.find((line) => line.level === 'fatal');
    expect(fatal?.problems).toEqual([
      'PORT="eighty" is not an integer (expected 0..65535).',
      'INVENTORY_SERVICE_URL uses scheme "ftp:" (expected http: or https:).',
    ]);
  });
});
