import {
  assertDatabaseReady,
  createPrismaClient,
  FindingsUpdater,
  PrismaHostRepository,
  PrismaSnapshotRepository,
  type IngestResult,
  type SnapshotIngestItem,
} from '@memfleet/db';
import { GroupCommit } from './collect/group-commit';
import type { SnapshotStore } from './collect/collect.ports';

/**
 * The worker's database: one Prisma client shared by the repositories. Snapshot writes go through
 * a group commit, so a burst of collections finishing together costs one transaction.
 */
export function openDatabase(databaseUrl: string, poolSize: number) {
  const prisma = createPrismaClient(databaseUrl, { poolSize });
  const snapshotRepo = new PrismaSnapshotRepository(prisma);
  const group = new GroupCommit<SnapshotIngestItem, IngestResult>((items) =>
    snapshotRepo.ingestMany(items),
  );
  const snapshots: SnapshotStore = { ingest: (item) => group.ingest(item) };
  return {
    hosts: new PrismaHostRepository(prisma),
    snapshots,
    findings: new FindingsUpdater(prisma, snapshotRepo),
    /** Fails with one readable line when the database is unreachable or not migrated. */
    ready: () => assertDatabaseReady(prisma),
    close: () => prisma.$disconnect(),
  };
}
