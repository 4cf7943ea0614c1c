import {
  Inject,
  Injectable,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '@memfleet/config';
import {
  Registry,
  collectDefaultMetrics,
  createCollectionMetrics,
  startMetricsServer,
  type CollectionMetrics,
  type CollectionOutcome,
  type MetricsServer,
} from '@memfleet/metrics';
import type { Logger } from 'pino';
import { LOGGER } from '../logger';
import { isCollectorFailure, isPermanentFailure } from './collect-failure';

/**
 * Collection counters, served by the worker itself on MEMFLEET_WORKER_METRICS_PORT (default 9465,
 * 0 = off). Prometheus scrapes every worker; that is simpler and sturdier than pushing counters
 * through Redis for the API to add up, and a dead worker then shows as a down target.
 */
@Injectable()
export class CollectMetrics implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly registry = new Registry();
  private readonly collections: CollectionMetrics;
  private server: MetricsServer | undefined;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {
    collectDefaultMetrics({ register: this.registry });
    this.collections = createCollectionMetrics(this.registry);
  }

  observe(outcome: CollectionOutcome, reason: string, startedAt: bigint): void {
    this.collections.observe(outcome, reason, Number(process.hrtime.bigint() - startedAt) / 1e9);
  }

  /** Bounded label values: a host state or error class, never a message. */
  static failureReason(error: unknown): string {
    if (isCollectorFailure(error)) return error.hostState;
    return isPermanentFailure(error) ? 'permanent' : 'transient';
  }

  /** A port already in use costs the metrics, not the collecting: warn and carry on. */
  async onApplicationBootstrap(): Promise<void> {
    const port = this.config.metrics?.workerPort ?? 0;
    if (port === 0) return;
    try {
      this.server = await startMetricsServer({
        registry: this.registry,
        port,
        token: this.config.metrics?.token,
      });
      this.logger.info({ port: this.server.port }, 'worker metrics listening on /metrics');
    } catch (error) {
      const err = error instanceof Error ? error.message : String(error);
      this.logger.warn({ port, err }, 'worker metrics not served');
    }
  }

  async onApplicationShutdown(): Promise<void> {
    await this.server?.close();
  }
}
