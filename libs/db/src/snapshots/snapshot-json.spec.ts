import { ProcfsParseError } from '@memfleet/procfs';
import { timelineSnapshots } from '../../../../test/db/fixtures';
import { toSnapshotContent } from './codec';
import { snapshotToJson } from './snapshot-json';
import type { SnapshotDetail, SnapshotSummary } from './snapshot.types';

const summary: SnapshotSummary = {
  id: '42',
  hostId: '00000000-0000-4000-8000-000000000000',
  collectedAt: new Date('2026-11-25T09:00:00Z'),
  receivedAt: new Date('2026-11-25T09:00:01Z'),
  missingSections: ['zoneinfo'],
  memTotalBytes: 1,
  memAvailableBytes: null,
  sReclaimableBytes: null,
  sUnreclaimBytes: null,
  slabBytes: null,
  processRssBytes: null,
  processCount: null,
  dropSlab: null,
  dropPagecache: null,
  compactStall: null,
  compactFail: null,
  fragUnusableOrder4: null,
  fragMaxFreeOrder: null,
};

describe('snapshotToJson', () => {
  const [first] = timelineSnapshots();
  if (!first) throw new Error('no timeline');
  const content = toSnapshotContent({
    ...first,
    zoneinfo: { kind: 'error', error: new ProcfsParseError('/proc/zoneinfo', 3, 'bad line') },
  });
  const json = snapshotToJson({ ...content, summary } as SnapshotDetail);

  it('survives JSON.stringify: vmstat counters become decimal strings', () => {
    const round = JSON.parse(JSON.stringify(json)) as typeof json;
    if (round.vmstat.status !== 'ok') throw new Error('vmstat missing');
    expect(round.vmstat.value.drop_slab).toBe(
      first.vmstat.kind === 'ok' ? String(first.vmstat.value.counters.get('drop_slab')) : 'x',
    );
  });

  it('says why a section is missing, with file and line for parse errors', () => {
    expect(json.zoneinfo).toEqual({
      status: 'error',
      error: { file: '/proc/zoneinfo', line: 3, reason: 'bad line' },
    });
    expect(json.pagetypeinfo).toEqual({ status: 'unavailable', reason: 'not collected' });
    expect(json.collectedAt).toBe('2026-11-25T09:00:00.000Z');
  });
});
