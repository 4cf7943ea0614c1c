import { Module } from '@nestjs/common';
import { HostSchedulingService } from './host-scheduling.service';
import { HostsController } from './hosts.controller';
import { HostsService } from './hosts.service';

@Module({
  controllers: [HostsController],
  providers: [HostsService, HostSchedulingService],
  exports: [HostSchedulingService],
})
export class HostsModule {}
