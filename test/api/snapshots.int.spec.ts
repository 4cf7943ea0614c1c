import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import request from 'supertest';
import { startApi, uniqueName, type RunningApi } from './api-harness';

const CAPTURE = join(__dirname, '..', 'fixtures', 'timelines', 'rsync-drop-regrowth', 'snapshots');
const read = (snapshot: string, file: string) =>
  readFileSync(join(CAPTURE, snapshot, file), 'utf8');

/** A real capture as the exchange format: what a push agent or `memfleet capture` sends. */
function bundleOf(snapshot: string, collectedAt: string) {
  return {
    collectedAt,
    files: {
      '/proc/meminfo': read(snapshot, 'meminfo'),
      '/proc/slabinfo': read(snapshot, 'slabinfo'),
      '/proc/buddyinfo': read(snapshot, 'buddyinfo'),
      '/proc/vmstat': read(snapshot, 'vmstat'),
      '/proc/sys/vm/swappiness': '60\n',
    },
    ps: read(snapshot, 'ps'),
    pageSize: 4096,
    kernelRelease: '6.18.0',
  };
}

/** The oracle for summary numbers: the capture's own text, not our parser. */
function meminfoBytes(snapshot: string, field: string): number {
  const line = read(snapshot, 'meminfo')
    .split('\n')
    .find((l) => l.startsWith(`${field}:`));
  return Number(/(\d+) kB/.exec(line ?? '')?.[1]) * 1024;
}

/** Replace 1-based line `n` of a file's text. */
function breakLine(text: string, n: number, replacement: string): string {
  const lines = text.split('\n');
  lines[n - 1] = replacement;
  return lines.join('\n');
}

let api: RunningApi;
beforeAll(async () => {
  api = await startApi({ LOG_LEVEL: 'error' });
});
afterAll(() => api.close());

const http = () => request(api.url);

async function newHost(collection: 'push' | 'ssh' = 'push'): Promise<string> {
  const body =
    collection === 'push'
      ? { name: uniqueName('push'), collection }
      : {
          name: uniqueName('ssh'),
          address: '10.0.0.9',
          username: 'm',
          auth: { type: 'password', password: 'x' },
        };
  return (await http().post('/api/v1/hosts').send(body).expect(201)).body.id as string;
}

describe('POST /api/v1/hosts/{id}/snapshots', () => {
  it('stores a pushed bundle once: 201 the first time, 200 with the same id after', async () => {
    const hostId = await newHost();
    const bundle = bundleOf('00000', '2026-11-25T09:00:00.000Z');
    const first = await http().post(`/api/v1/hosts/${hostId}/snapshots`).send(bundle).expect(201);
    const again = await http().post(`/api/v1/hosts/${hostId}/snapshots`).send(bundle).expect(200);
    expect(again.body.id).toBe(first.body.id);
    expect(first.body).toMatchObject({
      hostId,
      collectedAt: '2026-11-25T09:00:00.000Z',
      memTotalBytes: meminfoBytes('00000', 'MemTotal'),
      memAvailableBytes: meminfoBytes('00000', 'MemAvailable'),
      sUnreclaimBytes: meminfoBytes('00000', 'SUnreclaim'),
    });
    const list = await http().get(`/api/v1/hosts/${hostId}/snapshots`).expect(200);
    expect(list.body.total).toBe(1);
  });

  it('marks a push host degraded when sections are missing, naming them', async () => {
    const hostId = await newHost();
    await http()
      .post(`/api/v1/hosts/${hostId}/snapshots`)
      .send(bundleOf('00001', '2026-11-25T09:01:00.000Z'))
      .expect(201);
    const host = await http().get(`/api/v1/hosts/${hostId}`).expect(200);
    expect(host.body.lastSuccessAt).not.toBeNull();
    // zoneinfo and pagetypeinfo were not sent: the snapshot is usable but incomplete.
    expect(host.body.state).toBe('degraded');
    expect(host.body.lastError).toMatch(/zoneinfo: unavailable \(not collected\)/);
  });

  it('marks a push host ok when every section was sent and parsed', async () => {
    const hostId = await newHost();
    const procfs = join(__dirname, '..', 'fixtures', 'procfs');
    const centos = 'centos-stream9-5.14.0-325-do-vm.txt';
    const bundle = bundleOf('00001', '2026-11-25T09:02:00.000Z');
    Object.assign(bundle.files, {
      '/proc/zoneinfo': readFileSync(join(procfs, 'zoneinfo', centos), 'utf8'),
      '/proc/pagetypeinfo': readFileSync(join(procfs, 'pagetypeinfo', centos), 'utf8'),
    });
    await http().post(`/api/v1/hosts/${hostId}/snapshots`).send(bundle).expect(201);
    const host = await http().get(`/api/v1/hosts/${hostId}`).expect(200);
    expect(host.body).toMatchObject({ state: 'ok', lastError: null });
  });

  it('rejects a file that fails to parse with 400 naming the file and line', async () => {
    const hostId = await newHost();
    const bundle = bundleOf('00000', '2026-11-25T09:00:00.000Z');
    bundle.files['/proc/slabinfo'] = breakLine(bundle.files['/proc/slabinfo'], 5, 'dentry 12 x');
    bundle.files['/proc/meminfo'] = breakLine(
      bundle.files['/proc/meminfo'],
      3,
      'MemAvailable:   lots kB',
    );
    const res = await http().post(`/api/v1/hosts/${hostId}/snapshots`).send(bundle).expect(400);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(res.body.type).toBe('urn:memfleet:problem:snapshot-rejected');
    expect(res.body.errors).toEqual([
      { field: 'files./proc/meminfo', message: expect.stringMatching(/^\/proc\/meminfo:3: /) },
      { field: 'files./proc/slabinfo', message: expect.stringMatching(/^\/proc\/slabinfo:5: /) },
    ]);
    const list = await http().get(`/api/v1/hosts/${hostId}/snapshots`).expect(200);
    expect(list.body.total).toBe(0);
  });

  it('rejects a bundle without meminfo or collectedAt, and unknown fields', async () => {
    const hostId = await newHost();
    const { collectedAt: _omitted, ...noTime } = bundleOf('00000', '2026-11-25T09:00:00.000Z');
    const res = await http()
      .post(`/api/v1/hosts/${hostId}/snapshots`)
      .send({ ...noTime, extra: 1 })
      .expect(400);
    expect((res.body.errors as { field: string }[]).map((e) => e.field).sort()).toEqual(['extra']);
    const noTimeRes = await http().post(`/api/v1/hosts/${hostId}/snapshots`).send(noTime);
    expect(noTimeRes.status).toBe(400);
    expect(noTimeRes.body.errors).toEqual([
      { field: 'collectedAt', message: expect.stringMatching(/required/) },
    ]);
    const noMeminfo = bundleOf('00000', '2026-11-25T09:00:00.000Z');
    delete (noMeminfo.files as Record<string, string>)['/proc/meminfo'];
    const res2 = await http().post(`/api/v1/hosts/${hostId}/snapshots`).send(noMeminfo);
    expect(res2.status).toBe(400);
    expect(res2.body.errors).toEqual([
      { field: 'files./proc/meminfo', message: expect.stringMatching(/required/) },
    ]);
  });

  it('answers 404 for an unknown host', async () => {
    await http()
      .post('/api/v1/hosts/7d1f7c61-2b1a-4c55-9a43-3b9b1c0e0f00/snapshots')
      .send(bundleOf('00000', '2026-11-25T09:00:00.000Z'))
      .expect(404);
  });
});

describe('GET /api/v1/hosts/{id}/snapshots', () => {
  it('lists summaries newest first within inclusive from/to, paging with a cursor', async () => {
    const hostId = await newHost();
    const times = ['00000', '00001', '00002', '00003'].map(
      (s, i) => [s, `2026-11-25T10:0${i}:00.000Z`] as const,
    );
    for (const [s, t] of times) {
      await http().post(`/api/v1/hosts/${hostId}/snapshots`).send(bundleOf(s, t)).expect(201);
    }
    const res = await http()
      .get(`/api/v1/hosts/${hostId}/snapshots`)
      .query({ from: '2026-11-25T10:01:00.000Z', to: '2026-11-25T10:02:30.000Z' })
      .expect(200);
    expect(res.body.total).toBe(2);
    expect(res.body.items.map((s: { collectedAt: string }) => s.collectedAt)).toEqual([
      '2026-11-25T10:02:00.000Z',
      '2026-11-25T10:01:00.000Z',
    ]);
    const page1 = await http().get(`/api/v1/hosts/${hostId}/snapshots?limit=3`).expect(200);
    expect(page1.body.items).toHaveLength(3);
    const page2 = await http()
      .get(`/api/v1/hosts/${hostId}/snapshots`)
      .query({ limit: 3, cursor: page1.body.nextCursor as string })
      .expect(200);
    expect(page2.body.items.map((s: { collectedAt: string }) => s.collectedAt)).toEqual([
      '2026-11-25T10:00:00.000Z',
    ]);
    expect(page2.body.nextCursor).toBeNull();
  });

  it('returns one snapshot in full, and 404 for a snapshot of another host', async () => {
    const hostId = await newHost();
    const other = await newHost();
    const created = await http()
      .post(`/api/v1/hosts/${hostId}/snapshots`)
      .send(bundleOf('00002', '2026-11-25T11:00:00.000Z'))
      .expect(201);
    const id = created.body.id as string;
    const res = await http().get(`/api/v1/hosts/${hostId}/snapshots/${id}`).expect(200);
    expect(res.body.meminfo).toMatchObject({
      status: 'ok',
      value: { fields: { MemTotal: meminfoBytes('00002', 'MemTotal') } },
    });
    expect(res.body.zoneinfo).toEqual({ status: 'unavailable', reason: 'not collected' });
    const pgmajfault = /^pgmajfault (\d+)$/m.exec(read('00002', 'vmstat'))?.[1];
    expect(res.body.vmstat.value.pgmajfault).toBe(pgmajfault);
    expect(res.body.pageSize).toBe(4096);
    await http().get(`/api/v1/hosts/${other}/snapshots/${id}`).expect(404);
    await http().get(`/api/v1/hosts/${hostId}/snapshots/999999999999`).expect(404);
    await http().get(`/api/v1/hosts/${hostId}/snapshots/abc`).expect(404);
  });

  it('rejects a range whose from is after to', async () => {
    const hostId = await newHost();
    const res = await http()
      .get(`/api/v1/hosts/${hostId}/snapshots`)
      .query({ from: '2026-11-25T10:00:00Z', to: '2026-11-25T09:00:00Z' })
      .expect(400);
    expect(res.body.errors).toEqual([{ field: 'from', message: 'from must not be after to' }]);
  });
});
