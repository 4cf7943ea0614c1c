import { spawnSync } from 'node:child_process';
import { createHash, randomUUID } from 'node:crypto';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { Client } from 'pg';

const root = join(__dirname, '..', '..');
const migrate = (env: Record<string, string | undefined>) =>
  spawnSync(process.execPath, [join(root, 'scripts', 'db-migrate.js')], {
    env: { ...process.env, ...env },
    encoding: 'utf8',
  });

describe('npm run db:migrate (wasm schema engine, offline)', () => {
  const name = `memfleet_migrate_${randomUUID().slice(0, 8)}`;
  const url = `postgres://postgres@127.0.0.1:5432/${name}`;

  afterAll(async () => {
    const admin = new Client({ host: '127.0.0.1', user: 'postgres', database: 'postgres' });
    await admin.connect();
    await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
    await admin.end();
  });

  it('creates a missing database, applies every migration and records them as prisma migrate deploy does', async () => {
    const first = migrate({ DATABASE_URL: url });
    expect(first.stdout).toContain(`created database ${name}`);
    expect(first.status).toBe(0);
    const dirs = readdirSync(join(root, 'prisma', 'migrations'), { withFileTypes: true })
      .filter((d) => d.isDirectory())
      .map((d) => d.name)
      .sort();
    const db = new Client({ connectionString: url });
    await db.connect();
    const { rows } = await db.query<{
      migration_name: string;
      checksum: string;
      finished_at: Date | null;
    }>(
      'SELECT migration_name, checksum, finished_at FROM _prisma_migrations ORDER BY migration_name',
    );
    await db.end();
    expect(rows.map((r) => r.migration_name)).toEqual(dirs);
    for (const r of rows) {
      const sql = readFileSync(
        join(root, 'prisma', 'migrations', r.migration_name, 'migration.sql'),
      );
      expect(r.checksum).toBe(createHash('sha256').update(sql).digest('hex'));
      expect(r.finished_at).not.toBeNull();
    }
    const again = migrate({ DATABASE_URL: url });
    expect(again.status).toBe(0);
    expect(again.stdout).toContain('up to date');
  });

  it('says what is wrong when DATABASE_URL is missing or names no server', () => {
    const missing = migrate({ DATABASE_URL: '' });
    expect(missing.status).toBe(1);
    expect(missing.stderr).toContain('DATABASE_URL is not set');
    const unreachable = migrate({ DATABASE_URL: 'postgres://postgres@127.0.0.1:1/x' });
    expect(unreachable.status).toBe(1);
    expect(unreachable.stderr).toContain('cannot reach PostgreSQL at 127.0.0.1:1/x');
  });
});
