import { DEFAULT_TEST_DATABASE_URL } from '../global-setup';

/** The database test/global-setup.ts migrated and handed to every Jest worker. */
export const testDatabaseUrl = (): string => process.env.DATABASE_URL ?? DEFAULT_TEST_DATABASE_URL;
