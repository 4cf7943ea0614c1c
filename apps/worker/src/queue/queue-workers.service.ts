import {
  Inject,
  Injectable,
  type BeforeApplicationShutdown,
  type OnApplicationBootstrap,
} from '@nestjs/common';
import { Worker } from 'bullmq';
import type { Logger } from 'pino';
import { APP_CONFIG, type AppConfig } from '@memfleet/config';
import { redisOptions } from '@memfleet/queue';
import { LOGGER } from '../logger';
import { assertHandlesEveryJob, dispatch, type QueueProcessor } from './queue-processor';

export const QUEUE_PROCESSORS = Symbol('QueueProcessors');
/** Runs before workers start taking jobs (scheduler reconcile). */
export const BEFORE_WORKERS_START = Symbol('BeforeWorkersStart');
export type BeforeWorkersStart = () => Promise<void>;

/**
 * Owns the BullMQ Workers: one per processor. Starts them only after boot tasks ran; on shutdown
 * stops taking jobs and waits for the ones in flight before anything they use is closed.
 */
@Injectable()
export class QueueWorkersService implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly workers: Worker[] = [];

  constructor(
    @Inject(QUEUE_PROCESSORS) private readonly processors: readonly QueueProcessor[],
    @Inject(BEFORE_WORKERS_START) private readonly beforeStart: BeforeWorkersStart,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {
    // In the constructor, so a missing handler stops the boot before anything connects.
    for (const p of processors) assertHandlesEveryJob(p);
  }

  async onApplicationBootstrap(): Promise<void> {
    await this.beforeStart();
    for (const processor of this.processors) {
      const worker = new Worker(processor.queueName, (job) => dispatch(processor, job), {
        connection: redisOptions(this.config.redisUrl, 'worker'),
        concurrency: this.config.worker.concurrency,
      });
      // Without a listener, ioredis errors (Redis restarting) would be unhandled and crash the process.
      worker.on('error', (err) => this.logger.error({ err: err.message }, 'queue worker error'));
      this.workers.push(worker);
    }
    this.logger.info(
      {
        queues: this.processors.map((p) => p.queueName),
        concurrency: this.config.worker.concurrency,
      },
      'worker started',
    );
  }

  async beforeApplicationShutdown(signal?: string): Promise<void> {
    this.logger.info({ signal }, 'stopping: finishing jobs in flight');
    await Promise.all(this.workers.map((w) => w.close()));
    this.logger.info('queue workers closed');
  }
}
