import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseMeminfo } from '@memfleet/procfs';
import { freeOracle, oracleStatus } from '../../../test/oracle/procps-oracle';
import { computeAccounting } from './accounting';

/**
 * procps judges our accounting: for every meminfo capture, `free -k -w` (procps-ng 4) reading that
 * capture must print exactly our numbers, in kB. Where the kernel lacks Shmem or Buffers we say
 * null and procps prints 0.
 */
const FIXTURES = join(__dirname, '../../../test/fixtures');
const MEMINFO_DIR = join(FIXTURES, 'procfs/meminfo');
const TIMELINE = join(FIXTURES, 'timelines/rsync-drop-regrowth/snapshots');

const captures: readonly string[] = [
  ...readdirSync(MEMINFO_DIR).map((f) => join(MEMINFO_DIR, f)),
  ...readdirSync(TIMELINE).map((s) => join(TIMELINE, s, 'meminfo')),
].sort();

const status = oracleStatus();
if (!status.ok) console.warn(`procps oracle specs skipped: ${status.reason}`);
const describeOracle = status.ok ? describe : describe.skip;

const kb = (bytes: number | null): number => (bytes ?? 0) / 1024;

describeOracle('computeAccounting equals free -k -w of procps-ng 4', () => {
  it('covers every meminfo capture (29 files + 58 timeline snapshots)', () => {
    expect(captures).toHaveLength(29 + 58);
  });

  it.each(captures.map((c) => [c.slice(FIXTURES.length + 1), c]))('%s', (_name, file) => {
    const parsed = parseMeminfo(readFileSync(file, 'utf8'));
    if (parsed.kind !== 'ok') throw new Error(`meminfo did not parse: ${JSON.stringify(parsed)}`);
    const ours = computeAccounting(parsed.value);
    if (!ours) throw new Error('no MemTotal');
    const free = freeOracle(file);
    expect({
      total: kb(ours.totalBytes),
      used: kb(ours.usedBytes),
      free: kb(ours.freeBytes),
      shared: kb(ours.sharedBytes),
      buffers: kb(ours.buffersBytes),
      cache: kb(ours.cacheBytes),
      available: kb(ours.availableBytes),
    }).toEqual({
      total: free.total,
      used: free.used,
      free: free.free,
      shared: free.shared,
      buffers: free.buffers,
      cache: free.cache,
      available: free.available,
    });
  });
});
