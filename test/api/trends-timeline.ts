import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

/** The real rsync drop-and-regrowth capture (see its README) as push bundles. */
export const TIMELINE = join(__dirname, '..', 'fixtures', 'timelines', 'rsync-drop-regrowth');
const SNAPSHOTS = join(TIMELINE, 'snapshots');

export const snapshotNames = (): string[] => readdirSync(SNAPSHOTS).sort();
export const readCapture = (snapshot: string, file: string): string =>
  readFileSync(join(SNAPSHOTS, snapshot, file), 'utf8');

/** collectedAt of a capture: its `ts` (Unix seconds, ns digits), to the millisecond. */
export const capturedAt = (snapshot: string): string =>
  new Date(Math.round(Number(readCapture(snapshot, 'ts').trim()) * 1000)).toISOString();

/** Seconds of an `events.log` event. */
export function eventAt(name: string): Date {
  const line = readFileSync(join(TIMELINE, 'events.log'), 'utf8')
    .split('\n')
    .find((l) => l.trim().endsWith(` ${name}`));
  if (!line) throw new Error(`no event ${name}`);
  return new Date(Number(line.split(' ')[0]) * 1000);
}

export interface CaptureFiles {
  meminfo: string;
  slabinfo: string;
  buddyinfo: string;
  vmstat: string;
  ps: string;
}

export const captureFiles = (snapshot: string): CaptureFiles => ({
  meminfo: readCapture(snapshot, 'meminfo'),
  slabinfo: readCapture(snapshot, 'slabinfo'),
  buddyinfo: readCapture(snapshot, 'buddyinfo'),
  vmstat: readCapture(snapshot, 'vmstat'),
  ps: readCapture(snapshot, 'ps'),
});

/** The exchange format a push agent sends. */
export function bundleOf(files: CaptureFiles, collectedAt: string) {
  return {
    collectedAt,
    files: {
      '/proc/meminfo': files.meminfo,
      '/proc/slabinfo': files.slabinfo,
      '/proc/buddyinfo': files.buddyinfo,
      '/proc/vmstat': files.vmstat,
    },
    ps: files.ps,
    pageSize: 4096,
    kernelRelease: '6.18.0',
  };
}

/** Adds `kib` to meminfo fields (negative to subtract), keeping the kernel's layout. */
export function addMeminfo(text: string, changes: Record<string, number>): string {
  return text.replace(/^(\w+):(\s+)(\d+) kB$/gm, (line, name: string, pad: string, v: string) => {
    const d = changes[name];
    if (d === undefined) return line;
    const next = String(Number(v) + d);
    return `${name}:${' '.repeat(Math.max(1, pad.length + v.length - next.length))}${next} kB`;
  });
}

/** Grows one slabinfo cache by `slabs` slabs of 1 page, all objects active. */
export function growCache(text: string, cache: string, slabs: number): string {
  return text.replace(new RegExp(`^${cache} .*$`, 'm'), (line) => {
    const f = line.trim().split(/\s+/);
    const perSlab = Number(f[4]);
    const objs = Number(f[2]) + slabs * perSlab;
    const active = Number(f[1]) + slabs * perSlab;
    return (
      `${cache} ${active} ${objs} ${f[3]} ${f[4]} ${f[5]} : tunables ${f[8]} ${f[9]} ${f[10]} ` +
      `: slabdata ${Number(f[13]) + slabs} ${Number(f[14]) + slabs} ${f[15]}`
    );
  });
}

/** A row of debugfs extfrag/unusable_index for one zone: index per order. */
export function kernelUnusable(snapshot: string, zone: string): number[] {
  const row = readCapture(snapshot, 'unusable_index')
    .split('\n')
    .find((l) => new RegExp(`zone\\s+${zone}\\s`).test(l));
  if (!row) throw new Error(`no ${zone} in unusable_index of ${snapshot}`);
  return row.trim().split(/\s+/).slice(4).map(Number);
}
