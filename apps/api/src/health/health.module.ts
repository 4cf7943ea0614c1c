import { Module } from '@nestjs/common';
import { HostsModule } from '../hosts/hosts.module';
import { HealthController } from './health.controller';
import { HealthService } from './health.service';

@Module({ imports: [HostsModule], controllers: [HealthController], providers: [HealthService] })
export class HealthModule {}
