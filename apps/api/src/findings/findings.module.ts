import { Global, Module } from '@nestjs/common';
import {
  FindingsUpdater,
  PrismaClient,
  PrismaFindingRepository,
  type PrismaSnapshotRepository,
} from '@memfleet/db';
import { SNAPSHOT_REPOSITORY } from '../platform/tokens';
import { FindingsController } from './findings.controller';
import { FindingsService } from './findings.service';
import { FINDING_REPOSITORY, FINDINGS_UPDATER } from './findings.tokens';

/** Global so the snapshots feature can call the post-ingest hook without importing this module. */
@Global()
@Module({
  controllers: [FindingsController],
  providers: [
    FindingsService,
    {
      provide: FINDING_REPOSITORY,
      inject: [PrismaClient],
      useFactory: (prisma: PrismaClient) => new PrismaFindingRepository(prisma),
    },
    {
      provide: FINDINGS_UPDATER,
      inject: [PrismaClient, SNAPSHOT_REPOSITORY],
      useFactory: (prisma: PrismaClient, snapshots: PrismaSnapshotRepository) =>
        new FindingsUpdater(prisma, snapshots),
    },
  ],
  exports: [FINDINGS_UPDATER, FINDING_REPOSITORY],
})
export class FindingsModule {}
