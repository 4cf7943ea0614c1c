import { Module } from '@nestjs/common';
import { FleetMetricsReader } from './fleet-metrics.reader';
import { MetricsController } from './metrics.controller';
import { MetricsService } from './metrics.service';

@Module({ controllers: [MetricsController], providers: [MetricsService, FleetMetricsReader] })
export class MetricsModule {}
