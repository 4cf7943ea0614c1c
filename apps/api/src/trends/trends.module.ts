import { Module } from '@nestjs/common';
import { PrismaClient, PrismaSeriesRepository } from '@memfleet/db';
import { AccountingService } from './accounting.service';
import { FragmentationService } from './fragmentation.service';
import { MemorySeriesService } from './memory-series.service';
import { SlabDropsService } from './slab-drops.service';
import { SlabLeakService } from './slab-leak.service';
import { SlabSeriesService } from './slab-series.service';
import { TrendsController } from './trends.controller';
import { SERIES_REPOSITORY } from './trends.tokens';

@Module({
  controllers: [TrendsController],
  providers: [
    {
      provide: SERIES_REPOSITORY,
      inject: [PrismaClient],
      useFactory: (prisma: PrismaClient) => new PrismaSeriesRepository(prisma),
    },
    AccountingService,
    MemorySeriesService,
    SlabSeriesService,
    SlabDropsService,
    SlabLeakService,
    FragmentationService,
  ],
})
export class TrendsModule {}
