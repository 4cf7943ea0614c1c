export * from './finding.types';
export { FindingsUpdater } from './findings-updater';
export { PrismaFindingRepository } from './prisma-finding.repository';
export { PrismaFleetRepository, FLEET_MIN_ZONE_FREE_BYTES } from './prisma-fleet.repository';
export { hostLatestOf, MAX_ORDER, type HostLatestData, type ZoneLatest } from './host-latest';
