import { Inject, Injectable, type OnApplicationShutdown } from '@nestjs/common';
import type { Logger } from 'pino';
import type { CollectQueue } from '@memfleet/queue';
import { INFRASTRUCTURE, type WorkerInfrastructure } from './infrastructure';
import { LOGGER } from './logger';
import { COLLECT_QUEUE_TOKEN } from './tokens';

/**
 * Closes SSH connections, Redis and the database. Runs in Nest's last shutdown phase, after
 * QueueWorkersService.beforeApplicationShutdown has waited for the jobs in flight.
 */
@Injectable()
export class ShutdownService implements OnApplicationShutdown {
  constructor(
    @Inject(INFRASTRUCTURE) private readonly infra: WorkerInfrastructure,
    @Inject(COLLECT_QUEUE_TOKEN) private readonly queue: CollectQueue,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  async onApplicationShutdown(): Promise<void> {
    await Promise.allSettled([this.infra.close(), this.queue.close()]);
    this.logger.info('connections closed');
  }
}
