import { PrismaPg } from '@prisma/adapter-pg';
import { PrismaClient } from './generated/prisma/client';
import { DatabaseUnavailableError } from './errors';

export { PrismaClient };

export interface PrismaClientOptions {
  /** Connections in the pg pool (default 10). */
  readonly poolSize?: number;
}

/** The one way to build a Prisma client in memfleet: Prisma 7 + @prisma/adapter-pg, no engine. */
export function createPrismaClient(
  databaseUrl: string,
  options: PrismaClientOptions = {},
): PrismaClient {
  if (!/^postgres(ql)?:\/\//.test(databaseUrl)) {
    throw new DatabaseUnavailableError('DATABASE_URL must be a postgres:// or postgresql:// URL');
  }
  const adapter = new PrismaPg({ connectionString: databaseUrl, max: options.poolSize ?? 10 });
  return new PrismaClient({ adapter });
}

/**
 * Fails fast with one readable line when the database cannot be used: boot calls this so a bad
 * DATABASE_URL stops the process instead of surfacing on the first request.
 */
export async function assertDatabaseReady(prisma: PrismaClient): Promise<void> {
  try {
    await prisma.$queryRaw`SELECT 1 FROM _prisma_migrations LIMIT 1`;
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    if (/_prisma_migrations/.test(message)) {
      throw new DatabaseUnavailableError(
        `the database has no migrations applied: run npm run db:migrate (${message})`,
      );
    }
    throw new DatabaseUnavailableError(`cannot use the database: ${message}`);
  }
}
