import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { parseSlabinfo } from '@memfleet/procfs';
import { cKibFixed2, oracleStatus, slabtopOracle } from '../../../test/oracle/procps-oracle';
import { computeSlab } from './slab';

/**
 * procps judges our slab numbers: for every non-empty slabinfo capture, `slabtop -o` (procps-ng 4)
 * reading it must print our object counts, our "Active / Total Size" and, per cache, our size in
 * its CACHE SIZE column. slabtop uses the page size of the machine it runs on (4096 here).
 */
const FIXTURES = join(__dirname, '../../../test/fixtures');
const SLAB_DIR = join(FIXTURES, 'procfs/slabinfo');
const TIMELINE = join(FIXTURES, 'timelines/rsync-drop-regrowth/snapshots');
const PAGE_SIZE = 4096;

const all: readonly string[] = [
  ...readdirSync(SLAB_DIR).map((f) => join(SLAB_DIR, f)),
  ...readdirSync(TIMELINE).map((s) => join(TIMELINE, s, 'slabinfo')),
].sort();
// An empty capture is /proc/slabinfo copied without root (mode 0400): nothing to judge.
const captures = all.filter((f) => statSync(f).size > 0);

const status = oracleStatus();
if (!status.ok) console.warn(`procps oracle specs skipped: ${status.reason}`);
const describeOracle = status.ok ? describe : describe.skip;

describeOracle('computeSlab equals slabtop -o of procps-ng 4', () => {
  it('covers every non-empty slabinfo capture (17 files + 58 timeline snapshots)', () => {
    expect(all.length - captures.length).toBe(1);
    expect(captures).toHaveLength(17 + 58);
  });

  it.each(captures.map((c) => [c.slice(FIXTURES.length + 1), c]))('%s', (_name, file) => {
    const parsed = parseSlabinfo(readFileSync(file, 'utf8'));
    if (parsed.kind !== 'ok') throw new Error(`slabinfo did not parse: ${JSON.stringify(parsed)}`);
    const ours = computeSlab(parsed.value, PAGE_SIZE);
    const top = slabtopOracle(file);

    expect([ours.activeObjs, ours.numObjs]).toEqual([top.activeObjs, top.totalObjs]);
    expect([cKibFixed2(ours.activeObjBytes), cKibFixed2(ours.totalObjBytes)]).toEqual([
      top.activeSizeText,
      top.totalSizeText,
    ]);
    const byName = (rows: { name: string; k: number; objs: number }[]) =>
      rows.sort((a, b) => a.name.localeCompare(b.name) || a.k - b.k);
    expect(
      byName(
        ours.caches.map((c) => ({
          name: c.name,
          k: Math.floor(c.sizeBytes! / 1024),
          objs: c.numObjs,
        })),
      ),
    ).toEqual(byName(top.caches.map((c) => ({ name: c.name, k: c.cacheSizeK, objs: c.objs }))));
  });
});
