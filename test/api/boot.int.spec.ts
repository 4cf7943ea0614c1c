import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { startApi } from './api-harness';

const MAIN = join(__dirname, '..', '..', 'apps', 'api', 'src', 'main.ts');

describe('API boot', () => {
  it('exits 78 before connecting anywhere, listing every bad or missing key', () => {
    const run = spawnSync(process.execPath, ['-r', '@swc-node/register', MAIN], {
      // Only PATH: nothing from the developer's environment may make this pass by accident.
      env: { PATH: process.env.PATH, DATABASE_URL: 'mysql://root:hunter2@db/x', PORT: 'abc' },
      encoding: 'utf8',
      timeout: 20_000,
    });
    expect(run.status).toBe(78);
    for (const key of ['DATABASE_URL', 'REDIS_URL', 'MEMFLEET_SECRET_KEYS', 'PORT']) {
      expect(run.stderr).toContain(`- ${key}:`);
    }
    expect(run.stderr).not.toContain('hunter2');
  });

  it('refuses to start when the database cannot be used', async () => {
    await expect(
      startApi({ DATABASE_URL: 'postgresql://postgres@127.0.0.1:1/memfleet_test' }),
    ).rejects.toThrow(/database/i);
  });
});
