import {
  Global,
  Inject,
  Module,
  type OnApplicationShutdown,
  type OnModuleInit,
} from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '@memfleet/config';
import {
  PrismaClient,
  PrismaHostRepository,
  PrismaSnapshotRepository,
  assertDatabaseReady,
  createPrismaClient,
} from '@memfleet/db';
import { HOST_REPOSITORY, SNAPSHOT_REPOSITORY } from './tokens';

/**
 * libs/db wired into Nest. Boot fails when the database cannot be used (unreachable, or not
 * migrated): an API that answers 500 to everything must not look healthy.
 */
@Global()
@Module({
  providers: [
    {
      provide: PrismaClient,
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig) => createPrismaClient(config.databaseUrl),
    },
    {
      provide: HOST_REPOSITORY,
      inject: [PrismaClient],
      useFactory: (prisma: PrismaClient) => new PrismaHostRepository(prisma),
    },
    {
      provide: SNAPSHOT_REPOSITORY,
      inject: [PrismaClient],
      useFactory: (prisma: PrismaClient) => new PrismaSnapshotRepository(prisma),
    },
  ],
  exports: [PrismaClient, HOST_REPOSITORY, SNAPSHOT_REPOSITORY],
})
export class PersistenceModule implements OnModuleInit, OnApplicationShutdown {
  constructor(@Inject(PrismaClient) private readonly prisma: PrismaClient) {}

  async onModuleInit(): Promise<void> {
    await assertDatabaseReady(this.prisma);
  }

  async onApplicationShutdown(): Promise<void> {
    await this.prisma.$disconnect();
  }
}
