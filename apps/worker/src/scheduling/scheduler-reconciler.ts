import { Inject, Injectable, type OnApplicationShutdown } from '@nestjs/common';
import type { Logger } from 'pino';
import { CollectScheduler, type CollectQueue } from '@memfleet/queue';
import { INFRASTRUCTURE, type WorkerInfrastructure } from '../infrastructure';
import { LOGGER } from '../logger';
import { COLLECT_QUEUE_TOKEN } from '../tokens';

/** The API reconciles one host per change; this periodic pass heals whatever that missed. */
const FULL_RECONCILE_EVERY_MS = 5 * 60_000;
/**
 * How often the scheduler count is checked (one ZCARD). Redis runs without persistence in some
 * deployments: after a restart every scheduler is gone, and waiting minutes to notice would miss
 * many intervals.
 */
const CHECK_EVERY_MS = 5_000;

/**
 * Makes the queue's job schedulers match the database at boot, after Redis lost them, and every
 * few minutes. Several workers doing this at once is safe (see CollectScheduler).
 */
@Injectable()
export class SchedulerReconciler implements OnApplicationShutdown {
  private timer: NodeJS.Timeout | undefined;
  private expected = 0;
  private lastFullAt = 0;
  private running: Promise<void> | undefined;

  constructor(
    private readonly scheduler: CollectScheduler,
    @Inject(COLLECT_QUEUE_TOKEN) private readonly queue: CollectQueue,
    @Inject(INFRASTRUCTURE) private readonly infra: WorkerInfrastructure,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  /** Boot fails if the first reconcile fails: a worker that schedules nothing must not look healthy. */
  async start(): Promise<void> {
    await this.infra.ready();
    await this.reconcile();
    this.timer = setInterval(() => void this.check(), CHECK_EVERY_MS);
    this.timer.unref();
  }

  async reconcile(): Promise<void> {
    const hosts = await this.infra.hosts.listSchedulable();
    const r = await this.scheduler.reconcile(hosts);
    this.expected = r.upserted.length + r.unchanged.length;
    this.lastFullAt = Date.now();
    this.logger.info(
      { upserted: r.upserted.length, unchanged: r.unchanged.length, removed: r.removed.length },
      'collect schedulers reconciled',
    );
  }

  private async check(): Promise<void> {
    if (this.running) return;
    this.running = (async () => {
      const due = Date.now() - this.lastFullAt >= FULL_RECONCILE_EVERY_MS;
      if (due || (await this.queue.getJobSchedulersCount()) < this.expected) await this.reconcile();
    })()
      .catch((err: unknown) => {
        // Redis or Postgres is down: the next check tries again.
        const message = err instanceof Error ? err.message : String(err);
        this.logger.warn({ err: message }, 'scheduler reconcile check failed');
      })
      .finally(() => {
        this.running = undefined;
      });
    await this.running;
  }

  async onApplicationShutdown(): Promise<void> {
    clearInterval(this.timer);
    await this.running;
  }
}
