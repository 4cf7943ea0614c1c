import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '@memfleet/config';
import {
  Registry,
  bearerTokenMatches,
  collectDefaultMetrics,
  createFleetMetrics,
  type FleetMetrics,
} from '@memfleet/metrics';
import { FleetMetricsReader } from './fleet-metrics.reader';

/**
 * One registry per app instance rather than prom-client's global one, so two apps in one process
 * (integration tests) do not register the same metric twice.
 */
@Injectable()
export class MetricsService {
  private readonly registry = new Registry();
  private readonly fleet: FleetMetrics;
  private readonly token: string | undefined;

  constructor(
    private readonly reader: FleetMetricsReader,
    @Inject(APP_CONFIG) config: AppConfig,
  ) {
    collectDefaultMetrics({ register: this.registry });
    this.fleet = createFleetMetrics(this.registry);
    this.token = config.metrics?.token;
  }

  authorized(authorization: string | undefined): boolean {
    return this.token === undefined || bearerTokenMatches(authorization, this.token);
  }

  async render(): Promise<{ contentType: string; text: string }> {
    this.fleet.update(await this.reader.read());
    return { contentType: this.registry.contentType, text: await this.registry.metrics() };
  }
}
