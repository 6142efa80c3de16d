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

/** Shorter tokens are refused: a write token must not be guessable. */
export const MIN_TOKEN_LENGTH = 32;

export interface RateLimitSettings {
  windowMs: number;
  /** GET/HEAD requests per client and window (static files included; /health and /ready exempt). */
  readsPerWindow: number;
  /** POST/PUT/DELETE requests per client and window, refused ones included. */
  writesPerWindow: number;
}

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
  /** Bearer tokens accepted for writes; several so that one can be rotated without downtime. */
  apiTokens: string[];
  /** Origins granted CORS (the page itself is same-origin and needs none). */
  corsOrigins: string[];
  rateLimit: RateLimitSettings;
  /** Proxies in front of the gateway whose X-Forwarded-For is trusted (1 behind the ALB). */
  trustedProxies: number;
}

// src/ and dist/ both sit one level below the service directory, so this works bundled or not.
const DEFAULT_PUBLIC_DIR = fileURLToPath(new URL('../public/', import.meta.url));

function serviceUrl(reader: EnvReader, name: string, fallback: string): string {
  const url = reader.url(name, ['http', 'https']);
  return (url?.toString() ?? fallback).replace(/\/+$/, '');
}

function readApiTokens(reader: EnvReader): string[] {
  const tokens = reader.list('API_TOKENS');
  if (tokens.length === 0) {
    reader.problem(
      `API_TOKENS is not set: give one or more comma-separated write tokens of at least ${MIN_TOKEN_LENGTH} characters (for example: openssl rand -base64 32).`,
    );
  }
  tokens.forEach((token, index) => {
    if (token.length < MIN_TOKEN_LENGTH)
      reader.problem(`API_TOKENS item ${index + 1} has ${token.length} characters; use at least ${MIN_TOKEN_LENGTH}.`);
    else if (/[\s"\\]/.test(token))
      reader.problem(
        `API_TOKENS item ${index + 1} contains whitespace, quotes or backslashes; use letters, digits and -._~+/=`,
      );
  });
  return tokens;
}

function readCorsOrigins(reader: EnvReader): string[] {
  return reader.list('CORS_ORIGINS').filter((origin) => {
    let parsed: URL | undefined;
    try {
      parsed = new URL(origin);
    } catch {
      parsed = undefined;
    }
    if (parsed === undefined || !['http:', 'https:'].includes(parsed.protocol) || parsed.origin !== origin) {
      reader.problem(
        `CORS_ORIGINS item "${origin}" is not an origin (expected scheme://host[:port], no path or slash).`,
      );
      return false;
    }
    return true;
  });
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
    apiTokens: readApiTokens(reader),
    corsOrigins: readCorsOrigins(reader),
    rateLimit: {
      windowMs: reader.integer('RATE_LIMIT_WINDOW_SECONDS', { default: 60, min: 1, max: 3_600 }) * 1000,
      readsPerWindow: reader.integer('RATE_LIMIT_READS', { default: 600, min: 1, max: 100_000_000 }),
      writesPerWindow: reader.integer('RATE_LIMIT_WRITES', { default: 60, min: 1, max: 100_000_000 }),
    },
    trustedProxies: reader.integer('TRUSTED_PROXIES', { default: 0, min: 0, max: 10 }),
  };
  reader.finish();
  return config;
}
