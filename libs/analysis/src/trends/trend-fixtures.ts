import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { parseBundle, type SnapshotBundle } from '@memfleet/procfs';
import { seriesPointFromSnapshot, type SeriesPoint } from './series-point';

/** Test-only: real captures from test/fixtures, read through the real parsers. */
const FIXTURES = join(__dirname, '..', '..', '..', '..', 'test', 'fixtures');
const TIMELINE = join(FIXTURES, 'timelines', 'rsync-drop-regrowth');

export const readProcfsFixture = (kind: string, name: string): string =>
  readFileSync(join(FIXTURES, 'procfs', kind, name), 'utf8');

/** The rsync timeline's snapshot `dir` as the bundle the collector would have sent. */
export function timelineBundle(dir: string): SnapshotBundle {
  const read = (f: string) => readFileSync(join(TIMELINE, 'snapshots', dir, f), 'utf8');
  const seconds = Number(read('ts').trim());
  return {
    collectedAt: new Date(seconds * 1000).toISOString(),
    files: {
      '/proc/meminfo': read('meminfo'),
      '/proc/slabinfo': read('slabinfo'),
      '/proc/buddyinfo': read('buddyinfo'),
      '/proc/vmstat': read('vmstat'),
    },
    ps: read('ps'),
    pageSize: 4096,
  };
}

export const timelineDirs = (): string[] => readdirSync(join(TIMELINE, 'snapshots')).sort();

/** The 58 timeline snapshots as SeriesPoints (parseBundle -> seriesPointFromSnapshot). */
export function timelinePoints(): SeriesPoint[] {
  return timelineDirs().map((d) => {
    const p = seriesPointFromSnapshot(parseBundle(timelineBundle(d)));
    if (!p) throw new Error(`timeline snapshot ${d} has no time or MemTotal`);
    return p;
  });
}

/** events.log: event name -> Unix seconds. */
export function timelineEvents(): Map<string, number> {
  const out = new Map<string, number>();
  for (const line of readFileSync(join(TIMELINE, 'events.log'), 'utf8').trim().split('\n')) {
    const [ts, name] = line.split(/\s+/);
    if (ts && name) out.set(name, Number(ts));
  }
  return out;
}
