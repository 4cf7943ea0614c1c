import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseBuddyinfo, type Buddyinfo } from '@memfleet/procfs';
import { analyzeFragmentation } from './fragmentation';

/**
 * The kernel judges our indexes: its own debugfs files (mm/vmstat.c unusable_show /
 * extfrag_show) must equal what we compute from the buddyinfo read around them.
 */
const TIMELINE = join(__dirname, '../../../test/fixtures/timelines/rsync-drop-regrowth/snapshots');

function buddy(text: string): Buddyinfo {
  const parsed = parseBuddyinfo(text);
  if (parsed.kind !== 'ok') throw new Error(`buddyinfo did not parse: ${JSON.stringify(parsed)}`);
  return parsed.value;
}

function ourFiles(b: Buddyinfo): { unusable: string; extfrag: string } {
  const zones = analyzeFragmentation(b).zones;
  return {
    unusable: zones.map((z) => `${z.unusableIndexLine}\n`).join(''),
    extfrag: zones.map((z) => `${z.fragmentationIndexLine}\n`).join(''),
  };
}

describe('fragmentation indexes against the kernel debugfs output of the rsync timeline', () => {
  const snapshots = readdirSync(TIMELINE).sort();

  it('has all 58 snapshots', () => {
    expect(snapshots).toHaveLength(58);
  });

  it.each(snapshots)('snapshot %s: byte-equal lines for every zone that held still', (snap) => {
    const dir = join(TIMELINE, snap);
    const read = (f: string) => readFileSync(join(dir, f), 'utf8');
    const before = read('buddyinfo2').split('\n');
    const after = read('buddyinfo3').split('\n');
    const ours = ourFiles(buddy(read('buddyinfo2')));
    const unusable = read('unusable_index').split('\n');
    const extfrag = read('extfrag_index').split('\n');
    const ourUnusable = ours.unusable.split('\n');
    const ourExtfrag = ours.extfrag.split('\n');
    expect(ourUnusable).toHaveLength(unusable.length);
    let compared = 0;
    // A zone whose free lists moved between the two reads may have been printed from either
    // state; every other zone's line must match byte for byte.
    before.forEach((line, i) => {
      if (line === '' || line !== after[i]) return;
      expect(ourUnusable[i]).toBe(unusable[i]);
      expect(ourExtfrag[i]).toBe(extfrag[i]);
      compared += 1;
    });
    expect(compared).toBeGreaterThan(0);
    if (read('buddyinfo2') === read('buddyinfo3')) {
      expect(ours.unusable).toBe(read('unusable_index'));
      expect(ours.extfrag).toBe(read('extfrag_index'));
    }
  });

  it('compares whole files for the 37 snapshots whose buddyinfo held still', () => {
    const stable = snapshots.filter(
      (s) =>
        readFileSync(join(TIMELINE, s, 'buddyinfo2'), 'utf8') ===
        readFileSync(join(TIMELINE, s, 'buddyinfo3'), 'utf8'),
    );
    expect(stable).toHaveLength(37);
  });
});

const DEBUG = '/sys/kernel/debug/extfrag';

/** Mounts debugfs when we are root and it is not mounted; returns why not when impossible. */
function liveDebugfs(): string | null {
  if (existsSync(join(DEBUG, 'unusable_index'))) return null;
  if (process.getuid?.() !== 0) return 'not root: cannot mount debugfs';
  try {
    execFileSync('mount', ['-t', 'debugfs', 'none', '/sys/kernel/debug'], { stdio: 'pipe' });
  } catch (e) {
    return `mount -t debugfs failed: ${(e as Error).message.split('\n')[0]}`;
  }
  return existsSync(join(DEBUG, 'unusable_index')) ? null : 'kernel has no extfrag debugfs files';
}

const liveReason = liveDebugfs();
if (liveReason) console.warn(`live extfrag comparison skipped: ${liveReason}`);
const describeLive = liveReason ? describe.skip : describe;

describeLive("fragmentation indexes against this machine's live kernel", () => {
  it('equals /sys/kernel/debug/extfrag while /proc/buddyinfo holds still', () => {
    // Free lists change constantly; retry until one read of both files happens between two
    // identical buddyinfo reads.
    for (let attempt = 0; attempt < 200; attempt += 1) {
      const before = readFileSync('/proc/buddyinfo', 'utf8');
      const unusable = readFileSync(join(DEBUG, 'unusable_index'), 'utf8');
      const extfrag = readFileSync(join(DEBUG, 'extfrag_index'), 'utf8');
      const after = readFileSync('/proc/buddyinfo', 'utf8');
      if (before !== after) continue;
      const ours = ourFiles(buddy(before));
      expect(ours.unusable).toBe(unusable);
      expect(ours.extfrag).toBe(extfrag);
      return;
    }
    throw new Error('buddyinfo never held still across 200 reads');
  });
});
