import type { INestApplication } from '@nestjs/common';
import { loadConfig, type AppConfig } from '@memfleet/config';
import { randomBytes } from 'node:crypto';
import { createApp } from '../../apps/api/src/create-app';
import { createLogger } from '../../apps/api/src/platform/logger';
import { testDatabaseUrl } from './test-database';

export interface RunningApi {
  readonly app: INestApplication;
  readonly config: AppConfig;
  /** Base URL of the real HTTP server, e.g. http://127.0.0.1:41234 */
  readonly url: string;
  close(): Promise<void>;
}

/**
 * A Redis database of its own, so hosts created here never show up in the worker's or the queue
 * tests' schedulers on database 0.
 */
export const API_TEST_REDIS_URL = 'redis://127.0.0.1:6379/11';

/** Boots the production app (createApp) on an ephemeral port against the test database. */
export async function startApi(env: NodeJS.ProcessEnv = {}): Promise<RunningApi> {
  const config = loadConfig({
    DATABASE_URL: testDatabaseUrl(),
    REDIS_URL: API_TEST_REDIS_URL,
    MEMFLEET_SECRET_KEYS: `k1:${randomBytes(32).toString('base64')}`,
    LOG_LEVEL: 'silent',
    ...env,
  });
  const app = await createApp(config, createLogger(config.logLevel));
  await app.listen(0, '127.0.0.1');
  const url = (await app.getUrl()).replace('[::1]', '127.0.0.1');
  return { app, config, url, close: () => app.close() };
}

/** A name no other test (or earlier run) uses: tests share one database. */
export const uniqueName = (prefix: string): string => `${prefix}-${randomBytes(6).toString('hex')}`;
