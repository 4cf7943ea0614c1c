import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

/** The database integration specs use; override with TEST_DATABASE_URL. */
export const DEFAULT_TEST_DATABASE_URL = 'postgres://postgres@127.0.0.1:5432/memfleet_test';

/**
 * Runs once before the whole Jest run: creates the test database if needed and applies the
 * migrations (scripts/db-migrate.js, ~0.3 s when up to date), then hands the URL to every worker
 * through DATABASE_URL. Specs create their own rows with unique names, so the database is
 * never reset. Unit specs do not need it: if PostgreSQL is down, only the *.int.spec.ts fail.
 */
export default async function globalSetup(): Promise<void> {
  const url = process.env.TEST_DATABASE_URL ?? DEFAULT_TEST_DATABASE_URL;
  process.env.DATABASE_URL = url;
  const run = spawnSync(process.execPath, [join(__dirname, '..', 'scripts', 'db-migrate.js')], {
    env: { ...process.env, DATABASE_URL: url },
    encoding: 'utf8',
  });
  const output = `${run.stdout ?? ''}${run.stderr ?? ''}`.trim();
  if (run.status === 0) return;
  if (/cannot reach PostgreSQL/.test(output)) {
    console.warn(`\n[global-setup] ${output}\n[global-setup] integration specs will fail.`);
    return;
  }
  throw new Error(`[global-setup] migrating the test database failed:\n${output}`);
}
