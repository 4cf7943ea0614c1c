import { z } from 'zod';
import { ENV_KEYS, envSchema, type LogLevel, type SecretKey } from './config.schema';

export interface CollectorLimits {
  readonly handshakeTimeoutMs: number;
  readonly commandTimeoutMs: number;
  readonly maxOutputBytes: number;
}

export interface AppConfig {
  readonly databaseUrl: string;
  readonly redisUrl: string;
  readonly port: number;
  readonly logLevel: LogLevel;
  /** First key is the active one (encrypts); all of them decrypt. Never empty. */
  readonly secretKeys: readonly SecretKey[];
  readonly collector: CollectorLimits;
  /** Largest request body accepted, which bounds a pushed snapshot bundle. */
  readonly maxBundleBytes: number;
  readonly worker: WorkerSettings;
  /** Optional in the type so hand-built test configs need not spell it out. */
  readonly metrics?: MetricsSettings;
}

export interface MetricsSettings {
  /** Bearer token /metrics asks for; undefined leaves /metrics open. */
  readonly token?: string;
  /** Port of the worker's metrics listener; 0 means none. */
  readonly workerPort: number;
}

export interface WorkerSettings {
  /** Collect jobs processed at once per worker process. */
  readonly concurrency: number;
}

export interface ConfigIssue {
  readonly key: string;
  readonly message: string;
}

/** Every problem with the environment at once, so one restart fixes them all. */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
  constructor(readonly issues: readonly ConfigIssue[]) {
    super(
      `invalid environment (${issues.length} problem${issues.length === 1 ? '' : 's'}):\n` +
        issues.map((i) => `  - ${i.key}: ${i.message}`).join('\n'),
    );
  }
}

/** Zod's default texts say "expected string, received undefined"; say what the operator must do. */
const errorMap: z.core.$ZodErrorMap = (issue) =>
  issue.code === 'invalid_type' && issue.input === undefined
    ? 'is required but not set'
    : undefined;

/**
 * Parse the environment once, at boot. Empty strings count as unset: `PORT=` in a compose file
 * means "not given", not "port zero".
 */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): AppConfig {
  const input: Record<string, string> = {};
  for (const key of ENV_KEYS) {
    const value = env[key];
    if (value !== undefined && value.trim() !== '') input[key] = value.trim();
  }
  const result = envSchema.safeParse(input, { error: errorMap });
  if (!result.success) {
    throw new ConfigError(
      result.error.issues.map((issue) => ({
        key: String(issue.path[0] ?? '(environment)'),
        message: issue.message,
      })),
    );
  }
  const e = result.data;
  if (e.MEMFLEET_SECRET_KEYS.length === 0) {
    throw new ConfigError([{ key: 'MEMFLEET_SECRET_KEYS', message: 'lists no key' }]);
  }
  return deepFreeze({
    databaseUrl: e.DATABASE_URL,
    redisUrl: e.REDIS_URL,
    port: e.PORT,
    logLevel: e.LOG_LEVEL,
    secretKeys: e.MEMFLEET_SECRET_KEYS,
    collector: {
      handshakeTimeoutMs: e.MEMFLEET_SSH_HANDSHAKE_TIMEOUT_MS,
      commandTimeoutMs: e.MEMFLEET_SSH_COMMAND_TIMEOUT_MS,
      maxOutputBytes: e.MEMFLEET_SSH_MAX_OUTPUT_BYTES,
    },
    maxBundleBytes: e.MEMFLEET_MAX_BUNDLE_BYTES,
    worker: { concurrency: e.MEMFLEET_WORKER_CONCURRENCY },
    metrics: { token: e.MEMFLEET_METRICS_TOKEN, workerPort: e.MEMFLEET_WORKER_METRICS_PORT },
  });
}

/** Buffers are left as they are: a typed array with elements cannot be frozen. */
function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object' && !Buffer.isBuffer(value)) {
    for (const child of Object.values(value)) deepFreeze(child);
    Object.freeze(value);
  }
  return value;
}
