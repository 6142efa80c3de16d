import { exitOnStartupFailure, EnvReader } from '@berth/service-kit';
import { startStack } from './start-stack.ts';

// `npm start`: the whole system on one machine. Ports come from GATEWAY_PORT, PRODUCT_PORT and
// INVENTORY_PORT (PORT is ignored here: it would give the three services the same port).
const SHUTDOWN_TIMEOUT_MS = 20_000;

try {
  const reader = new EnvReader(process.env);
  const gatewayPort = reader.integer('GATEWAY_PORT', { default: 8000, min: 0, max: 65_535 });
  const productPort = reader.integer('PRODUCT_PORT', { default: 8001, min: 0, max: 65_535 });
  const inventoryPort = reader.integer('INVENTORY_PORT', { default: 8002, min: 0, max: 65_535 });
  reader.finish();
  const stack = await startStack({ gatewayPort, productPort, inventoryPort });
  process.stdout.write(`\nBerth is running. Open ${stack.gatewayUrl}/ in your browser (Ctrl+C stops it).\n\n`);

  let stopping = false;
  const stop = (): void => {
    if (stopping) return;
    stopping = true;
    const deadline = setTimeout(() => {
      process.stderr.write(`Shutdown took longer than ${SHUTDOWN_TIMEOUT_MS} ms; exiting anyway.\n`);
      process.exit(1);
    }, SHUTDOWN_TIMEOUT_MS);
    stack.close().then(
      () => {
        clearTimeout(deadline);
        process.exit(0);
      },
      (error: unknown) => {
        process.stderr.write(`Shutdown failed: ${String(error)}\n`);
        process.exit(1);
      },
    );
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
} catch (error) {
  exitOnStartupFailure('stack', error);
}
