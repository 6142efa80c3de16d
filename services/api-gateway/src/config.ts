import { fileURLToPath } from 'node:url';
import {
  EnvReader,
  readCacheSettings,
  readProcessSettings,
  readResponseCacheSettings,
  type CacheSettings,
  type Env,
  type ProcessSettings,
  type ResponseCacheSettings,
} from '@berth/service-kit';

export const SERVICE_NAME = 'api-gateway';
export const DEFAULT_PORT = 8000;

export interface GatewayConfig extends ResponseCacheSettings {
  process: ProcessSettings;
  cache: CacheSettings;
  productServiceUrl: string;
  inventoryServiceUrl: string;
  /** Longest wait for a downstream answer (connect, headers and body each) before a 504. */
  downstreamTimeoutMs: number;
  /** Keep-alive connections per downstream service. */
  downstreamConnections: number;
  /** Directory holding index.html and the static assets. */
  publicDir: string;
}

// src/ and dist/ both sit one level below the service directory, so this works bundled or not.
const DEFAULT_PUBLIC_DIR = fileURLToPath(new URL('../public/', import.meta.url));

function serviceUrl(reader: EnvReader, name: string, fallback: string): string {
  const url = reader.url(name, ['http', 'https']);
  return (url?.toString() ?? fallback).replace(/\/+$/, '');
}

/** Reads and validates every variable; throws a ConfigError naming each bad one. */
export function loadGatewayConfig(env: Env): GatewayConfig {
  const reader = new EnvReader(env);
  const cache = readCacheSettings(reader);
  const config: GatewayConfig = {
    process: readProcessSettings(reader, DEFAULT_PORT),
    cache,
    productServiceUrl: serviceUrl(reader, 'PRODUCT_SERVICE_URL', 'http://localhost:8001'),
    inventoryServiceUrl: serviceUrl(reader, 'INVENTORY_SERVICE_URL', 'http://localhost:8002'),
    downstreamTimeoutMs: reader.integer('DOWNSTREAM_TIMEOUT_MS', { default: 5_000, min: 50, max: 120_000 }),
    downstreamConnections: reader.integer('DOWNSTREAM_CONNECTIONS', { default: 64, min: 1, max: 1_024 }),
    ...readResponseCacheSettings(reader, cache),
    publicDir: reader.string('PUBLIC_DIR', DEFAULT_PUBLIC_DIR),
  };
  reader.finish();
  return config;
}
