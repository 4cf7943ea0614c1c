import { randomUUID } from 'node:crypto';
import {
  PrismaHostRepository,
  PrismaSnapshotRepository,
  createPrismaClient,
  type CreateHostData,
  type HostRecord,
  type PrismaClient,
} from '@memfleet/db';
import { DEFAULT_TEST_DATABASE_URL } from '../global-setup';

/**
 * For integration specs (*.int.spec.ts): the migrated test database of this Jest run
 * (test/global-setup.ts sets DATABASE_URL). One client per worker; call closeTestDb() in afterAll.
 *
 *   const db = testDb();
 *   afterAll(closeTestDb);
 *   const host = await createTestHost({ labels: { env: 'prod' } });
 */
let shared:
  | { prisma: PrismaClient; hosts: PrismaHostRepository; snapshots: PrismaSnapshotRepository }
  | undefined;

export function testDatabaseUrl(): string {
  return process.env.DATABASE_URL ?? process.env.TEST_DATABASE_URL ?? DEFAULT_TEST_DATABASE_URL;
}

export function testDb(): {
  prisma: PrismaClient;
  hosts: PrismaHostRepository;
  snapshots: PrismaSnapshotRepository;
} {
  if (!shared) {
    const prisma = createPrismaClient(testDatabaseUrl(), { poolSize: 4 });
    shared = {
      prisma,
      hosts: new PrismaHostRepository(prisma),
      snapshots: new PrismaSnapshotRepository(prisma),
    };
  }
  return shared;
}

export async function closeTestDb(): Promise<void> {
  const current = shared;
  shared = undefined;
  await current?.prisma.$disconnect();
}

/** A name no other spec or run uses: the test database is shared and never reset. */
export const uniqueName = (prefix = 'host'): string => `${prefix}-${randomUUID().slice(0, 12)}`;

export function hostData(overrides: Partial<CreateHostData> = {}): CreateHostData {
  return {
    name: uniqueName(),
    collection: 'ssh',
    address: '127.0.0.1',
    port: 22,
    username: 'memfleet',
    authType: 'privateKey',
    authSecret: { keyId: 'k1', ciphertext: 'AAAA' },
    useSudo: false,
    labels: {},
    intervalSeconds: 60,
    enabled: true,
    hostKeyPolicy: 'tofu',
    hostKeyFingerprint: null,
    ...overrides,
  };
}

export function createTestHost(overrides: Partial<CreateHostData> = {}): Promise<HostRecord> {
  return testDb().hosts.create(hostData(overrides));
}
