import { ConfigError, loadConfig, type AppConfig, type ConfigIssue } from '@memfleet/config';
import { z } from 'zod';

/**
 * Worker-only settings, parsed at boot together with the shared config so one error lists every
 * bad key. TODO(config owner): move MEMFLEET_WORKER_CONCURRENCY into libs/config's schema.
 */
export interface WorkerConfig extends AppConfig {
  /** Jobs processed at once per worker process. Collection waits on SSH, not CPU. */
  readonly concurrency: number;
}

const workerSchema = z.object({
  MEMFLEET_WORKER_CONCURRENCY: z.coerce.number().int().min(1).max(1_000).default(50),
});

export function loadWorkerConfig(env: NodeJS.ProcessEnv = process.env): WorkerConfig {
  const issues: ConfigIssue[] = [];
  let shared: AppConfig | undefined;
  try {
    shared = loadConfig(env);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    issues.push(...error.issues);
  }
  const raw = env.MEMFLEET_WORKER_CONCURRENCY?.trim();
  const own = workerSchema.safeParse({ MEMFLEET_WORKER_CONCURRENCY: raw === '' ? undefined : raw });
  if (!own.success) {
    issues.push(
      ...own.error.issues.map((i) => ({
        key: String(i.path[0]),
        message: 'must be an integer from 1 to 1000',
      })),
    );
  }
  if (issues.length > 0 || shared === undefined || !own.success) throw new ConfigError(issues);
  return Object.freeze({ ...shared, concurrency: own.data.MEMFLEET_WORKER_CONCURRENCY });
}
