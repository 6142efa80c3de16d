import { createScratchDatabase, type ScratchDatabase } from '@berth/service-kit/testing/backends';
import { listeningUrl, spawnService } from '@berth/service-kit/testing/spawn-service';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

describe('inventory-service process', () => {
  let database: ScratchDatabase;
  beforeAll(async () => {
    database = await createScratchDatabase('inventory_process');
  });
  afterAll(async () => {
    await database?.drop();
  });

  it('its migrate command and then the service read PGHOST/PGPORT/PGUSER/PGDATABASE; it serves the seed stock and exits 0 on SIGTERM', async () => {
    const connection = { PGHOST: '127.0.0.1', PGPORT: '5432', PGUSER: 'postgres', PGDATABASE: database.name };
    const migrate = spawnService('services/inventory-service/src/migrate.ts', connection);
    expect(await migrate.exited, JSON.stringify(migrate.lines)).toBe(0);
    expect(migrate.lines.filter((line) => line.msg === 'migration applied').map((line) => line.version)).toEqual([
      1, 2, 3,
    ]);
    expect(migrate.lines.find((line) => line.msg === 'database ready')).toMatchObject({
      service: 'inventory-service-migrate',
    });
    const service = spawnService('services/inventory-service/src/server.ts', {
      HOST: '127.0.0.1',
      PORT: '0',
      ...connection,
    });
    const url = await listeningUrl(service);
    const response = await fetch(`${url}/inventory/product/2`, { headers: { 'x-request-id': 'process-trace' } });
    expect(response.headers.get('x-request-id')).toBe('process-trace');
    expect(await response.json()).toMatchObject({ product_id: 2, quantity: 150, warehouse: 'Warehouse A' });
    const logged = await service.waitForLine(
      (line) => line.reqId === 'process-trace' && line.msg === 'request completed',
    );
    expect(logged).toMatchObject({
      service: 'inventory-service',
      method: 'GET',
      url: '/inventory/product/2',
      statusCode: 200,
    });
    expect(service.lines.filter((line) => line.msg === 'migration applied')).toEqual([]);
    service.child.kill('SIGTERM');
    expect(await service.exited).toBe(0);
  });
});
