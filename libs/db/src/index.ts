export * from './errors';
export { CodecError } from './snapshots/codec';
export * from './hosts/host.types';
export { PrismaHostRepository } from './hosts/prisma-host.repository';
export {
  createPrismaClient,
  assertDatabaseReady,
  PrismaClient,
  type PrismaClientOptions,
} from './prisma-client';
export { PrismaSnapshotRepository } from './snapshots/prisma-snapshot.repository';
export * from './series';
export * from './snapshots/snapshot.types';
export { snapshotToJson, type SectionJson } from './snapshots/snapshot-json';
export {
  SECTION_ORDER,
  TOP_PROCESSES,
  KEYFRAME_INTERVAL,
  toSnapshotContent,
  type SectionName,
  type SnapshotContent,
  type ProcessSummary,
} from './snapshots/codec';
export {
  snapshotColumns,
  unusableIndex,
  slabBytes,
  type SnapshotColumns,
} from './snapshots/snapshot-columns';
export * from './findings';
