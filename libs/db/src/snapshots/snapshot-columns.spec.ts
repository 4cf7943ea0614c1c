import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseBuddyinfo } from '@memfleet/procfs';
import { timelineSnapshots } from '../../../../test/db/fixtures';
import { toSnapshotContent } from './codec';
import { FRAG_ORDER, slabBytes, snapshotColumns, unusableIndex } from './snapshot-columns';

const TIMELINE = join(
  __dirname,
  '../../../../test/fixtures/timelines/rsync-drop-regrowth/snapshots',
);

describe('snapshot columns', () => {
  it('computes the unusable free space index exactly as the kernel printed it (debugfs)', () => {
    let compared = 0;
    for (const dir of readdirSync(TIMELINE).sort()) {
      const read = (f: string): string => readFileSync(join(TIMELINE, dir, f), 'utf8');
      // The index file describes buddyinfo2 only where nothing moved between the two reads.
      if (read('buddyinfo2') !== read('buddyinfo3')) continue;
      const buddy = parseBuddyinfo(read('buddyinfo2'));
      if (buddy.kind !== 'ok') throw new Error('buddyinfo2 did not parse');
      const printed = read('unusable_index').trim().split('\n');
      buddy.value.zones.forEach((z, row) => {
        const kernel = (printed[row] ?? '')
          .trim()
          .split(/\s+/)
          .slice(4)
          .map((v) => Math.round(Number(v) * 1000));
        // The kernel prints thousandths, truncated.
        const ours = z.freeBlocks.map((_, order) =>
          Math.floor(unusableIndex(z.freeBlocks, order) * 1000 + 1e-9),
        );
        expect(ours).toEqual(kernel);
        compared++;
      });
    }
    expect(compared).toBeGreaterThan(30);
  });

  it('counts no free memory as entirely unusable', () => {
    expect(unusableIndex([0, 0, 0, 0, 0], FRAG_ORDER)).toBe(1);
    expect(unusableIndex([0, 0, 0, 0, 1], FRAG_ORDER)).toBe(0);
  });

  it('sums slab pages, deriving slabs from objects when slabdata is absent', () => {
    const caches = [
      {
        name: 'a',
        activeObjs: 10,
        numObjs: 12,
        objSize: 100,
        objPerSlab: 4,
        pagesPerSlab: 2,
        numSlabs: 3,
      },
      { name: 'b', activeObjs: 5, numObjs: 5, objSize: 100, objPerSlab: 4, pagesPerSlab: 1 },
    ];
    expect(slabBytes({ version: '2.1', caches }, 4096)).toBe(3 * 2 * 4096 + 2 * 1 * 4096);
  });

  it('leaves columns of missing sections null, never 0', () => {
    const [first] = timelineSnapshots();
    if (!first) throw new Error('no timeline');
    const c = toSnapshotContent({
      ...first,
      meminfo: { kind: 'unavailable', reason: 'not collected' },
    });
    expect(snapshotColumns(c)).toMatchObject({
      memTotalBytes: null,
      sUnreclaimBytes: null,
      missingSections: 1 | 8 | 16,
    });
    expect(snapshotColumns(c).slabBytes).toBeGreaterThan(0);
  });
});
