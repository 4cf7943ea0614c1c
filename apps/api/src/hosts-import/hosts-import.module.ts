import { Module } from '@nestjs/common';
import { HostsModule } from '../hosts/hosts.module';
import { HostsService } from '../hosts/hosts.service';
import { HostsImportController } from './hosts-import.controller';
import { HostsImportService } from './hosts-import.service';

/**
 * HostsModule exports only its scheduling service, so the (stateless) HostsService is
 * provided here again over the same global repository, secrets and logger.
 */
@Module({
  imports: [HostsModule],
  controllers: [HostsImportController],
  providers: [HostsService, HostsImportService],
})
export class HostsImportModule {}
