/**
 * Environment-variable configuration, validated in one pass so a bad deployment reports every
 * problem at once, each naming the variable, instead of failing on the first one found.
 */
export type Env = Record<string, string | undefined>;

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

export class ConfigError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(
      `Invalid configuration (${problems.length} problem${problems.length === 1 ? '' : 's'}):\n` +
        problems.map((problem) => `  - ${problem}`).join('\n') +
        '\nFix the environment variables above and start the process again.',
    );
    this.name = 'ConfigError';
  }
}

interface IntegerRule {
  default: number;
  min: number;
  max: number;
}

export class EnvReader {
  private readonly problems: string[] = [];

  constructor(private readonly env: Env) {}

  /** The trimmed value, or undefined when the variable is unset or blank. */
  optional(name: string): string | undefined {
    const value = this.env[name]?.trim();
    return value === undefined || value === '' ? undefined : value;
  }

  string(name: string, fallback: string): string {
    return this.optional(name) ?? fallback;
  }

  integer(name: string, rule: IntegerRule): number {
    const raw = this.optional(name);
    if (raw === undefined) return rule.default;
    if (!/^-?\d+$/.test(raw)) {
      this.problems.push(`${name}="${raw}" is not an integer (expected ${rule.min}..${rule.max}).`);
      return rule.default;
    }
    const value = Number(raw);
    if (value < rule.min || value > rule.max) {
      this.problems.push(`${name}=${raw} is out of range (expected ${rule.min}..${rule.max}).`);
      return rule.default;
    }
    return value;
  }

  oneOf<T extends string>(name: string, allowed: readonly T[], fallback: T): T {
    const raw = this.optional(name);
    if (raw === undefined) return fallback;
    const match = allowed.find((candidate) => candidate === raw.toLowerCase());
    if (match === undefined) {
      this.problems.push(`${name}="${raw}" is not one of: ${allowed.join(', ')}.`);
      return fallback;
    }
    return match;
  }

  /** A URL whose scheme is one of `protocols` (given without the colon), or undefined when unset. */
  url(name: string, protocols: readonly string[]): URL | undefined {
    const raw = this.optional(name);
    if (raw === undefined) return undefined;
    let parsed: URL;
    try {
      parsed = new URL(raw);
    } catch {
      this.problems.push(`${name} is not a valid URL (expected ${protocols.map((p) => `${p}://…`).join(' or ')}).`);
      return undefined;
    }
    const scheme = parsed.protocol.replace(/:$/, '');
    if (!protocols.includes(scheme)) {
      this.problems.push(`${name} uses scheme "${scheme}:" (expected ${protocols.map((p) => `${p}:`).join(' or ')}).`);
      return undefined;
    }
    return parsed;
  }

  /** A comma-separated (or newline-separated) list; empty items are dropped. */
  list(name: string): string[] {
    const raw = this.optional(name);
    if (raw === undefined) return [];
    return raw
      .split(/[,\n]/)
      .map((item) => item.trim())
      .filter((item) => item !== '');
  }

  problem(message: string): void {
    this.problems.push(message);
  }

  /** Throws a ConfigError listing every problem recorded so far. */
  finish(): void {
    if (this.problems.length > 0) throw new ConfigError([...this.problems]);
  }
}

/** Settings every service process shares. */
export interface ProcessSettings {
  host: string;
  port: number;
  logLevel: LogLevel;
  /** Hard limit for a graceful shutdown; ECS sends SIGKILL 30 s after SIGTERM. */
  shutdownTimeoutMs: number;
}

/** The part of ProcessSettings the process lifecycle itself needs. */
export type LifecycleSettings = Pick<ProcessSettings, 'logLevel' | 'shutdownTimeoutMs'>;

export function readProcessSettings(reader: EnvReader, defaultPort: number): ProcessSettings {
  return {
    host: reader.string('HOST', '0.0.0.0'),
    port: reader.integer('PORT', { default: defaultPort, min: 0, max: 65_535 }),
    logLevel: reader.oneOf('LOG_LEVEL', LOG_LEVELS, 'info'),
    shutdownTimeoutMs: reader.integer('SHUTDOWN_TIMEOUT_MS', { default: 20_000, min: 100, max: 28_000 }),
  };
}
