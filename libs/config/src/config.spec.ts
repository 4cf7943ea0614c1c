import { randomBytes } from 'node:crypto';
import { ConfigError, loadConfig } from './config';

const key32 = () => randomBytes(32).toString('base64');

const validEnv = (): NodeJS.ProcessEnv => ({
  DATABASE_URL: 'postgresql://postgres@127.0.0.1:5432/memfleet',
  REDIS_URL: 'redis://127.0.0.1:6379',
  MEMFLEET_SECRET_KEYS: `k1:${key32()},k0:${key32()}`,
});

function issuesOf(env: NodeJS.ProcessEnv): Record<string, string> {
  try {
    loadConfig(env);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    return Object.fromEntries(error.issues.map((i) => [i.key, i.message]));
  }
  throw new Error('loadConfig accepted the environment');
}

describe('loadConfig', () => {
  it('applies defaults to every optional key and keeps the first secret key as active', () => {
    const config = loadConfig(validEnv());
    expect(config.port).toBe(3000);
    expect(config.logLevel).toBe('info');
    expect(config.maxBundleBytes).toBe(4 * 1024 * 1024);
    expect(config.collector).toEqual({
      handshakeTimeoutMs: 10_000,
      commandTimeoutMs: 30_000,
      maxOutputBytes: 16 * 1024 * 1024,
    });
    expect(config.worker).toEqual({ concurrency: 50 });
    expect(config.secretKeys.map((k) => k.id)).toEqual(['k1', 'k0']);
    expect(config.secretKeys[0]?.key).toHaveLength(32);
  });

  it('reports every missing required key in one error', () => {
    const issues = issuesOf({});
    expect(Object.keys(issues).sort()).toEqual([
      'DATABASE_URL',
      'MEMFLEET_SECRET_KEYS',
      'REDIS_URL',
    ]);
    expect(issues.DATABASE_URL).toBe('is required but not set');
  });

  it('reports every bad key at once, each with its own reason', () => {
    const issues = issuesOf({
      DATABASE_URL: 'mysql://root:hunter2@db/memfleet',
      REDIS_URL: 'not a url',
      PORT: '70000',
      LOG_LEVEL: 'loud',
      MEMFLEET_SECRET_KEYS: `k1:${randomBytes(16).toString('base64')}`,
      MEMFLEET_SSH_HANDSHAKE_TIMEOUT_MS: 'soon',
      MEMFLEET_SSH_COMMAND_TIMEOUT_MS: '-5',
      MEMFLEET_SSH_MAX_OUTPUT_BYTES: '1.5',
      MEMFLEET_MAX_BUNDLE_BYTES: '12',
      MEMFLEET_WORKER_CONCURRENCY: '0',
    });
    expect(Object.keys(issues).sort()).toEqual([
      'DATABASE_URL',
      'LOG_LEVEL',
      'MEMFLEET_MAX_BUNDLE_BYTES',
      'MEMFLEET_SECRET_KEYS',
      'MEMFLEET_SSH_COMMAND_TIMEOUT_MS',
      'MEMFLEET_SSH_HANDSHAKE_TIMEOUT_MS',
      'MEMFLEET_SSH_MAX_OUTPUT_BYTES',
      'MEMFLEET_WORKER_CONCURRENCY',
      'PORT',
      'REDIS_URL',
    ]);
    expect(issues.MEMFLEET_SECRET_KEYS).toMatch(/exactly 32 bytes \(got 16\)/);
    expect(issues.PORT).toBe('must be a whole number from 1 to 65535');
    expect(issues.MEMFLEET_SSH_HANDSHAKE_TIMEOUT_MS).toMatch(/^must be a whole number/);
  });

  it('never echoes a bad value back, since it may hold a password', () => {
    const env = { ...validEnv(), DATABASE_URL: 'mysql://root:hunter2@db/memfleet' };
    expect(() => loadConfig(env)).toThrow(ConfigError);
    expect(() => loadConfig(env)).not.toThrow(/hunter2/);
  });

  it('names the malformed entry and duplicate ids in MEMFLEET_SECRET_KEYS', () => {
    const k = key32();
    const env = { ...validEnv(), MEMFLEET_SECRET_KEYS: `k1:${k},nocolon,k1:${k}` };
    expect(() => loadConfig(env)).toThrow(/entry 2 must look like <keyId>:<base64 key>/);
    expect(() => loadConfig(env)).toThrow(/key id "k1" appears more than once/);
  });

  it('treats empty strings as unset', () => {
    const config = loadConfig({ ...validEnv(), PORT: '', LOG_LEVEL: '  ' });
    expect(config.port).toBe(3000);
    expect(issuesOf({ ...validEnv(), DATABASE_URL: '' }).DATABASE_URL).toBe(
      'is required but not set',
    );
  });

  it('returns a frozen config', () => {
    const config = loadConfig({ ...validEnv(), PORT: '8080' });
    expect(config.port).toBe(8080);
    expect(Object.isFrozen(config)).toBe(true);
    expect(Object.isFrozen(config.collector)).toBe(true);
    expect(Object.isFrozen(config.secretKeys)).toBe(true);
  });
});
