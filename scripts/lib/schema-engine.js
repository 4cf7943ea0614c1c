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

async function openEngine(url, logs) {
  const { PrismaPg } = require('@prisma/adapter-pg');
  const { bindMigrationAwareSqlAdapterFactory } = require('@prisma/driver-adapter-utils');
  const bg = await loadWasm();
  const factory = bindMigrationAwareSqlAdapterFactory(new PrismaPg(poolConfig(url)));
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
