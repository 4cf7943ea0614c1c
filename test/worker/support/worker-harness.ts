import { spawnSync } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { NestFactory } from '@nestjs/core';
import type { INestApplicationContext } from '@nestjs/common';
import { Queue } from 'bullmq';
import { Client } from 'pg';
import { loadConfig, type AppConfig } from '@memfleet/config';
import {
  createPrismaClient,
  PrismaHostRepository,
  type CreateHostData,
  type HostRecord,
} from '@memfleet/db';
import { CollectScheduler, QUEUE, redisOptions, type CollectQueue } from '@memfleet/queue';
import { SecretBox } from '@memfleet/secrets';
import { createLogger } from '../../../apps/worker/src/logger';
import { WorkerModule } from '../../../apps/worker/src/worker.module';

/**
 * What the worker integration specs share: a Redis database index of their own (so BullMQ keys
 * never meet another suite's), the migrated test database from global setup, and a real secret
 * key. Nothing is faked: the worker boots exactly as main.ts boots it.
 */
export const TEST_SECRET_KEY = { id: 'wk1', key: randomBytes(32) };

/**
 * A migrated database of the spec's own. The worker collects every schedulable host it finds, so
 * in the shared test database it would collect (and change the state of) other suites' hosts.
 */
export function workerDatabase(suite: string): string {
  const shared = process.env.DATABASE_URL;
  if (shared === undefined) throw new Error('global setup did not set DATABASE_URL');
  const url = new URL(shared);
  url.pathname = `/memfleet_worker_${suite}`;
  const run = spawnSync(process.execPath, [join(__dirname, '../../../scripts/db-migrate.js')], {
    env: { ...process.env, DATABASE_URL: url.toString() },
    encoding: 'utf8',
  });
  if (run.status !== 0) throw new Error(`migrating ${url.pathname} failed: ${run.stderr}`);
  return url.toString();
}

export function testConfig(
  databaseUrl: string,
  redisDb: number,
  over: Partial<AppConfig> = {},
): AppConfig {
  const base = loadConfig({
    DATABASE_URL: databaseUrl,
    REDIS_URL: `redis://127.0.0.1:6379/${redisDb}`,
    MEMFLEET_SECRET_KEYS: `${TEST_SECRET_KEY.id}:${TEST_SECRET_KEY.key.toString('base64')}`,
    LOG_LEVEL: process.env.WORKER_TEST_LOG_LEVEL ?? 'silent',
  });
  return { ...base, ...over };
}

/** The same environment as testConfig, for a worker started as its own process. */
export function testEnv(config: AppConfig): NodeJS.ProcessEnv {
  return {
    ...process.env,
    DATABASE_URL: config.databaseUrl,
    REDIS_URL: config.redisUrl,
    MEMFLEET_SECRET_KEYS: `${TEST_SECRET_KEY.id}:${TEST_SECRET_KEY.key.toString('base64')}`,
    LOG_LEVEL: config.logLevel,
    MEMFLEET_WORKER_CONCURRENCY: String(config.worker.concurrency),
    MEMFLEET_SSH_HANDSHAKE_TIMEOUT_MS: String(config.collector.handshakeTimeoutMs),
    MEMFLEET_SSH_COMMAND_TIMEOUT_MS: String(config.collector.commandTimeoutMs),
  };
}

export async function startWorker(config: AppConfig): Promise<INestApplicationContext> {
  const app = await NestFactory.createApplicationContext(
    WorkerModule.forRoot(config, createLogger(config.logLevel)),
    { logger: false, abortOnError: false },
  );
  return app;
}

/** Empties the spec's Redis database so a previous run's schedulers cannot fire. */
export async function flushRedisDb(config: AppConfig): Promise<void> {
  const { Redis } = await import('ioredis');
  const redis = new Redis(redisOptions(config.redisUrl, 'worker'));
  await redis.flushdb();
  await redis.quit();
}

export function collectQueue(config: AppConfig): CollectQueue {
  const queue: CollectQueue = new Queue(QUEUE.collect, {
    connection: redisOptions(config.redisUrl, 'producer'),
  });
  // Redis restarts are part of some specs: connection errors are expected, not failures.
  queue.on('error', () => undefined);
  return queue;
}

export { CollectScheduler };

/**
 * The job once it is in `state`, else undefined. The state is read first and the job after: a job
 * read first and then found completed may be a copy from before it finished, with no return value
 * (null) or failure reason yet. Completed, and failed for good, are final, so the later read is
 * the finished job.
 */
export async function finishedJob(
  queue: CollectQueue,
  jobId: string,
  state: 'completed' | 'failed',
): Promise<Awaited<ReturnType<CollectQueue['getJob']>>> {
  if ((await queue.getJobState(jobId)) !== state) return undefined;
  return queue.getJob(jobId);
}

/** Hosts through the real repository, with credentials sealed as the API seals them. */
export class TestHosts {
  readonly prisma;
  readonly repo;
  readonly created: HostRecord[] = [];
  private readonly box = new SecretBox([TEST_SECRET_KEY]);
  readonly tag = randomUUID().slice(0, 8);

  constructor(databaseUrl: string) {
    this.prisma = createPrismaClient(databaseUrl, { poolSize: 2 });
    this.repo = new PrismaHostRepository(this.prisma);
  }

  async create(
    name: string,
    target: { address: string; port: number; username: string },
    secret: { password: string } | { privateKey: string },
    over: Partial<CreateHostData> = {},
  ): Promise<HostRecord> {
    const host = await this.repo.create({
      name: `${name}-${this.tag}`,
      collection: 'ssh',
      address: target.address,
      port: target.port,
      username: target.username,
      authType: 'password' in secret ? 'password' : 'privateKey',
      authSecret: this.box.encrypt(secret),
      useSudo: true,
      labels: { suite: 'worker' },
      intervalSeconds: 60,
      enabled: true,
      hostKeyPolicy: 'tofu',
      hostKeyFingerprint: null,
      ...over,
    });
    this.created.push(host);
    return host;
  }

  async get(id: string): Promise<HostRecord> {
    const host = await this.repo.findById(id);
    if (host === null) throw new Error(`host ${id} vanished`);
    return host;
  }

  /**
   * Deletes the hosts created so far (snapshots cascade). Between tests, so the next test's worker
   * does not go on collecting them: a hanging host left behind would hold up that worker's close.
   */
  async deleteCreated(): Promise<void> {
    for (const h of this.created.splice(0)) await this.repo.delete(h.id).catch(() => undefined);
  }

  async cleanup(): Promise<void> {
    await this.deleteCreated();
    await this.prisma.$disconnect();
  }
}

/** Plain SQL for assertions, so a spec checks rows, not the repository it exercises. */
export async function snapshotRows(
  databaseUrl: string,
  hostId: string,
): Promise<{ seq: number; collectedAt: Date }[]> {
  const pg = new Client({ connectionString: databaseUrl });
  await pg.connect();
  try {
    const r = await pg.query<{ seq: number; collected_at: Date }>(
      'SELECT seq, collected_at FROM snapshot WHERE host_id = $1 ORDER BY seq',
      [hostId],
    );
    return r.rows.map((row) => ({ seq: row.seq, collectedAt: row.collected_at }));
  } finally {
    await pg.end();
  }
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Polls until `check` returns a value (not undefined) or the deadline passes. */
export async function eventually<T>(
  what: string,
  check: () => Promise<T | undefined>,
  timeoutMs = 15_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(100);
  }
}
