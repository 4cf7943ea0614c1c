import { Module, type DynamicModule } from '@nestjs/common';
import { ConfigModule, type AppConfig } from '@memfleet/config';
import type { Logger } from 'pino';
import { FindingsModule } from './findings/findings.module';
import { FleetModule } from './fleet/fleet.module';
import { HealthModule } from './health/health.module';
import { HostsModule } from './hosts/hosts.module';
import { HostsImportModule } from './hosts-import/hosts-import.module';
import { MetricsModule } from './metrics/metrics.module';
import { LoggerModule } from './platform/logger.module';
import { PersistenceModule } from './platform/persistence.module';
import { SecretsModule } from './platform/secrets.module';
import { SnapshotsModule } from './snapshots/snapshots.module';
import { TrendsModule } from './trends/trends.module';

@Module({})
export class AppModule {
  static forRoot(config: AppConfig, logger: Logger): DynamicModule {
    return {
      module: AppModule,
      imports: [
        ConfigModule.forRoot(config),
        LoggerModule.forRoot(logger),
        PersistenceModule,
        SecretsModule,
        HealthModule,
        HostsModule,
        HostsImportModule,
        SnapshotsModule,
        TrendsModule,
        FindingsModule,
        FleetModule,
        MetricsModule,
      ],
    };
  }
}
