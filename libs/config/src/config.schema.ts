import { z } from 'zod';

/**
 * The whole environment memfleet reads, in one schema. Secrets (DATABASE_URL may carry a password,
 * MEMFLEET_SECRET_KEYS) have no default: a deployment that forgot them must not boot on a value
 * that every other deployment shares.
 */

const MiB = 1024 * 1024;

/** Key ids end up in every stored ciphertext, so keep them short and printable. */
const KEY_ID = /^[A-Za-z0-9_-]{1,32}$/;
const AES_256_KEY_BYTES = 32;

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

export interface SecretKey {
  readonly id: string;
  readonly key: Buffer;
}

const positiveInt = (min: number, max: number) => {
  const error = `must be a whole number from ${min} to ${max}`;
  return z.coerce.number({ error }).int({ error }).min(min, { error }).max(max, { error });
};

const urlWithScheme = (schemes: readonly string[]) =>
  z.string().refine(
    (value) => {
      try {
        return schemes.includes(new URL(value).protocol);
      } catch {
        return false;
      }
    },
    // Never echo the value: a database URL usually carries a password.
    { message: `must be a URL starting with ${schemes.map((s) => `${s}//`).join(' or ')}` },
  );

/**
 * `k1:<base64 32 bytes>,k0:<base64 32 bytes>`: the first key encrypts, every key decrypts, so
 * rotating is "prepend the new key, re-encrypt, drop the old one later".
 */
const secretKeysSchema = z.string().transform((raw, ctx): SecretKey[] => {
  const keys: SecretKey[] = [];
  const entries = raw.split(',').map((entry) => entry.trim());
  entries.forEach((entry, index) => {
    const where = `entry ${index + 1}`;
    const colon = entry.indexOf(':');
    if (colon <= 0) {
      ctx.addIssue({ code: 'custom', message: `${where} must look like <keyId>:<base64 key>` });
      return;
    }
    const id = entry.slice(0, colon);
    const encoded = entry.slice(colon + 1);
    if (!KEY_ID.test(id)) {
      ctx.addIssue({ code: 'custom', message: `${where}: key id must match ${KEY_ID.source}` });
      return;
    }
    if (keys.some((k) => k.id === id)) {
      ctx.addIssue({ code: 'custom', message: `key id "${id}" appears more than once` });
      return;
    }
    const key = Buffer.from(encoded, 'base64');
    if (!/^[A-Za-z0-9+/]+={0,2}$/.test(encoded) || key.length !== AES_256_KEY_BYTES) {
      ctx.addIssue({
        code: 'custom',
        message: `key "${id}" must be base64 of exactly ${AES_256_KEY_BYTES} bytes (got ${key.length})`,
      });
      return;
    }
    keys.push({ id, key });
  });
  return keys;
});

export const envSchema = z.object({
  DATABASE_URL: urlWithScheme(['postgres:', 'postgresql:']),
  REDIS_URL: urlWithScheme(['redis:', 'rediss:']),
  PORT: positiveInt(1, 65535).default(3000),
  LOG_LEVEL: z.enum(LOG_LEVELS).default('info'),
  MEMFLEET_SECRET_KEYS: secretKeysSchema,
  MEMFLEET_SSH_HANDSHAKE_TIMEOUT_MS: positiveInt(100, 300_000).default(10_000),
  MEMFLEET_SSH_COMMAND_TIMEOUT_MS: positiveInt(100, 600_000).default(30_000),
  MEMFLEET_SSH_MAX_OUTPUT_BYTES: positiveInt(64 * 1024, 256 * MiB).default(16 * MiB),
  MEMFLEET_MAX_BUNDLE_BYTES: positiveInt(1024, 256 * MiB).default(4 * MiB),
  /** Collection waits on SSH, not CPU: many jobs at once per worker process is cheap. */
  MEMFLEET_WORKER_CONCURRENCY: positiveInt(1, 1_000).default(50),
  /** When set, every /metrics endpoint asks for `Authorization: Bearer <token>`. */
  MEMFLEET_METRICS_TOKEN: z
    .string()
    .min(16, { error: 'must be at least 16 characters (openssl rand -hex 32)' })
    .optional(),
  /** The worker's own /metrics listener (collection counters); 0 turns it off. */
  MEMFLEET_WORKER_METRICS_PORT: positiveInt(0, 65535).default(9465),
});

export type EnvKey = keyof typeof envSchema.shape;
export const ENV_KEYS = Object.keys(envSchema.shape) as EnvKey[];
