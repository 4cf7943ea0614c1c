#!/usr/bin/env node
// `npm run db:migrate`: apply prisma/migrations/* to DATABASE_URL, creating the database first if
// it does not exist. Same effect and bookkeeping as `prisma migrate deploy`, but offline: it runs
// Prisma's wasm schema engine through @prisma/adapter-pg (see scripts/lib/schema-engine.js).
const { Client } = require('pg');
const {
  filters,
  poolConfig,
  openEngine,
  readMigrations,
  engineMessage,
} = require('./lib/schema-engine');

// Serialises concurrent runs (CI and a test run starting together) on one database.
const LOCK_KEY = 7_312_011;

function fail(message) {
  console.error(`db:migrate: ${message}`);
  process.exit(1);
}

function describeConnectError(err, url) {
  const where = (() => {
    const c = poolConfig(url);
    return `${c.host ?? 'localhost'}:${c.port ?? 5432}/${c.database ?? ''}`;
  })();
  if (err.code === 'ECONNREFUSED' || err.code === 'ENOTFOUND' || err.code === 'ETIMEDOUT') {
    return `cannot reach PostgreSQL at ${where} (${err.code}). Is it running, and is DATABASE_URL right?`;
  }
  if (err.code === '28P01' || err.code === '28000') {
    return `PostgreSQL at ${where} refused the credentials in DATABASE_URL: ${err.message}`;
  }
  return `cannot connect to ${where}: ${err.message}`;
}

/** Connects to the target database, creating it from the `postgres` database when missing. */
async function connectCreatingDatabase(url) {
  const config = poolConfig(url);
  const client = new Client(config);
  try {
    await client.connect();
    return client;
  } catch (err) {
    if (err.code !== '3D000') throw new Error(describeConnectError(err, url));
  }
  const admin = new Client({ ...config, database: 'postgres' });
  try {
    await admin.connect();
    await admin.query(`CREATE DATABASE "${config.database.replace(/"/g, '""')}"`);
    console.log(`db:migrate: created database ${config.database}`);
  } catch (err) {
    // Another runner may have created it between our two connections.
    // 42P04 duplicate_database; 23505 when two CREATE DATABASE race on the catalog index.
    if (err.code !== '42P04' && err.code !== '23505')
      throw new Error(describeConnectError(err, url));
  } finally {
    await admin.end().catch(() => undefined);
  }
  const created = new Client(config);
  await created.connect();
  return created;
}

async function main() {
  const url = process.env.DATABASE_URL;
  if (!url) fail('DATABASE_URL is not set (e.g. postgres://postgres@127.0.0.1:5432/memfleet)');
  if (!/^postgres(ql)?:\/\//.test(url))
    fail('DATABASE_URL must be a postgres:// or postgresql:// URL');

  const migrationsList = readMigrations();
  if (migrationsList.migrationDirectories.length === 0)
    fail('prisma/migrations holds no migration');

  let lockClient;
  try {
    lockClient = await connectCreatingDatabase(url);
  } catch (err) {
    fail(err.message);
  }
  const logs = [];
  try {
    await lockClient.query('SELECT pg_advisory_lock($1)', [LOCK_KEY]);
    const engine = await openEngine(url, logs);
    const { appliedMigrationNames } = await engine.applyMigrations({ migrationsList, filters });
    engine.free();
    const total = migrationsList.migrationDirectories.length;
    console.log(
      appliedMigrationNames.length === 0
        ? `db:migrate: database is up to date (${total} migrations)`
        : `db:migrate: applied ${appliedMigrationNames.join(', ')}`,
    );
  } catch (err) {
    if (logs.length > 0) console.error(logs.join('\n'));
    fail(`migration failed: ${engineMessage(err)}`);
  } finally {
    await lockClient.query('SELECT pg_advisory_unlock($1)', [LOCK_KEY]).catch(() => undefined);
    await lockClient.end().catch(() => undefined);
  }
}

// The engine keeps the adapter's pg pool open after free(); its idle timer would hold the
// process for ten seconds.
main().then(() => process.exit(0));
