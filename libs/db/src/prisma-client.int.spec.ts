import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import { DatabaseUnavailableError } from './errors';
import { assertDatabaseReady, createPrismaClient } from './prisma-client';
import { testDatabaseUrl } from '../../../test/db/test-db';

describe('createPrismaClient / assertDatabaseReady (real Postgres)', () => {
  it('accepts the migrated test database', async () => {
    const prisma = createPrismaClient(testDatabaseUrl());
    await expect(assertDatabaseReady(prisma)).resolves.toBeUndefined();
    await prisma.$disconnect();
  });

  it('refuses a URL that is not postgres://', () => {
    expect(() => createPrismaClient('mysql://localhost/x')).toThrow(DatabaseUnavailableError);
  });

  it('tells to run db:migrate when the database has no migrations', async () => {
    const name = `memfleet_empty_${randomUUID().slice(0, 8)}`;
    const admin = new Client({ host: '127.0.0.1', user: 'postgres', database: 'postgres' });
    await admin.connect();
    await admin.query(`CREATE DATABASE "${name}"`);
    const prisma = createPrismaClient(`postgres://postgres@127.0.0.1:5432/${name}`);
    try {
      await expect(assertDatabaseReady(prisma)).rejects.toThrow(/npm run db:migrate/);
    } finally {
      await prisma.$disconnect();
      await admin.query(`DROP DATABASE "${name}" WITH (FORCE)`);
      await admin.end();
    }
  });

  it('fails with DatabaseUnavailableError when nothing listens', async () => {
    const prisma = createPrismaClient('postgres://postgres@127.0.0.1:1/none');
    await expect(assertDatabaseReady(prisma)).rejects.toThrow(DatabaseUnavailableError);
    await prisma.$disconnect();
  });
});
