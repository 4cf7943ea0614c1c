/* global WebAssembly */
// Prisma's schema engine as WebAssembly (@prisma/schema-engine-wasm) driven through
// @prisma/adapter-pg: `migrate deploy` and `migrate diff` without the native engine, which the
// CLI cannot download here. It records migrations in `_prisma_migrations` with the same checksums
// as `prisma migrate deploy`, so the native CLI keeps working on the same database.
const fs = require('node:fs');
const path = require('node:path');
const { parse: parseConnectionString } = require('pg-connection-string');

const root = path.resolve(__dirname, '../..');
const schemaPath = path.join(root, 'prisma/schema.prisma');
const migrationsDir = path.join(root, 'prisma/migrations');
const filters = { externalTables: [], externalEnums: [] };

/**
 * pg options as an object, never a connection string: the adapter opens its shadow database by
 * overriding `database`, which a connection string would silently win over.
 */
function poolConfig(url) {
  const c = parseConnectionString(url);
  return {
    host: c.host ?? undefined,
    port: c.port ? Number(c.port) : undefined,
    user: c.user ?? undefined,
    password: c.password ?? undefined,
    database: c.database ?? undefined,
    ssl: c.ssl ?? undefined,
  };
}

/** The package imports its .wasm like a bundler would; plain Node needs it instantiated by hand. */
async function loadWasm() {
  const bg = await import('@prisma/schema-engine-wasm/schema_engine_bg');
  // The package exports no path to its .wasm: find it next to the entry point.
  const entry = require.resolve('@prisma/schema-engine-wasm', { paths: [root] });
  const wasmPath = path.join(path.dirname(entry), 'schema_engine_bg.wasm');
  const { instance } = await WebAssembly.instantiate(fs.readFileSync(wasmPath), {
    './schema_engine_bg.js': bg,
  });
  bg.__wbg_set_wasm(instance.exports);
  instance.exports.__wbindgen_start();
  return bg;
}

/**
 * The schema engine describes a database with catalog queries that return `"char"` columns
 * (pg_class.relkind, ...), a type @prisma/adapter-pg refuses ("Column type 'char' could not be
 * deserialized"). pg already reads them as strings, so report them as text. Only these CLI
 * processes are patched, never the application.
 */
function readCharColumnsAsText() {
  const pg = require('pg');
  if (pg.Client.prototype.query.memfleetPatched) return;
  const original = pg.Client.prototype.query;
  const fix = (res) => {
    for (const r of Array.isArray(res) ? res : [res]) {
      for (const f of (r && r.fields) || []) if (f.dataTypeID === 18) f.dataTypeID = 25;
    }
    return res;
  };
  const patched = function (config, values, callback) {
    if (typeof values === 'function') {
      return original.call(this, config, (err, res) => values(err, err ? res : fix(res)));
    }
    if (typeof callback === 'function') {
      return original.call(this, config, values, (err, res) => callback(err, err ? res : fix(res)));
    }
    const ret = original.call(this, config, values);
    return ret && typeof ret.then === 'function' ? ret.then(fix) : ret;
  };
  patched.memfleetPatched = true;
  pg.Client.prototype.query = patched;
}

async function adminQuery(config, sql) {
  const { Client } = require('pg');
  const client = new Client(config);
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

/**
 * @prisma/adapter-pg drops its shadow database before closing the pool connected to it, so the
 * DROP fails ("being accessed by other users") and `diff` from migrations aborts. This factory
 * closes the pool first, then drops the database.
 */
function shadowSafeFactory(config) {
  const { PrismaPg } = require('@prisma/adapter-pg');
  const { randomUUID } = require('node:crypto');
  const factory = new PrismaPg(config);
  factory.connectToShadowDb = async () => {
    const name = `prisma_migrate_shadow_db_${randomUUID()}`;
    await adminQuery(config, `CREATE DATABASE "${name}"`);
    const adapter = await new PrismaPg({ ...config, database: name }).connect();
    const dispose = adapter.dispose.bind(adapter);
    adapter.dispose = async () => {
      await dispose();
      await adminQuery(config, `DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
    };
    return adapter;
  };
  return factory;
}

async function openEngine(url, logs) {
  readCharColumnsAsText();
  const { bindMigrationAwareSqlAdapterFactory } = require('@prisma/driver-adapter-utils');
  const bg = await loadWasm();
  const factory = bindMigrationAwareSqlAdapterFactory(shadowSafeFactory(poolConfig(url)));
  const schema = fs.readFileSync(schemaPath, 'utf8');
  return bg.SchemaEngine.new(
    { datamodels: [['schema.prisma', schema]] },
    (line) => logs.push(line),
    factory,
  );
}

/** The migrations folder as the engine's MigrationList. */
function readMigrations() {
  const lockPath = path.join(migrationsDir, 'migration_lock.toml');
  const dirs = fs.existsSync(migrationsDir)
    ? fs
        .readdirSync(migrationsDir, { withFileTypes: true })
        .filter((d) => d.isDirectory())
        .map((d) => d.name)
        .sort()
    : [];
  return {
    baseDir: migrationsDir,
    lockfile: {
      path: 'migration_lock.toml',
      content: fs.existsSync(lockPath) ? fs.readFileSync(lockPath, 'utf8') : null,
    },
    shadowDbInitScript: '',
    migrationDirectories: dirs.map((dir) => {
      const file = path.join(migrationsDir, dir, 'migration.sql');
      return {
        path: dir,
        migrationFile: {
          path: 'migration.sql',
          content: fs.existsSync(file)
            ? { tag: 'ok', value: fs.readFileSync(file, 'utf8') }
            : { tag: 'error', value: `${file} does not exist` },
        },
      };
    }),
  };
}

/** Engine errors arrive as objects or strings; keep the message a human can act on. */
function engineMessage(err) {
  if (err && typeof err === 'object') {
    return err.message ?? err.error ?? JSON.stringify(err);
  }
  return String(err);
}

module.exports = {
  root,
  schemaPath,
  migrationsDir,
  filters,
  poolConfig,
  openEngine,
  readMigrations,
  engineMessage,
};
