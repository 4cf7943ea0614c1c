import { Module } from '@nestjs/common';
import { PrismaClient, PrismaFleetRepository } from '@memfleet/db';
import { FleetController } from './fleet.controller';
import { FLEET_REPOSITORY, FleetService } from './fleet.service';

@Module({
  controllers: [FleetController],
  providers: [
    FleetService,
    {
      provide: FLEET_REPOSITORY,
      inject: [PrismaClient],
      useFactory: (prisma: PrismaClient) => new PrismaFleetRepository(prisma),
    },
  ],
})
export class FleetModule {}
