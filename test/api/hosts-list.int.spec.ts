import request from 'supertest';
import { randomBytes } from 'node:crypto';
import { startApi, uniqueName, type RunningApi } from './api-harness';

let api: RunningApi;
beforeAll(async () => {
  api = await startApi();
});
afterAll(() => api.close());

const http = () => request(api.url);
type Page = { items: { id: string; name: string }[]; total: number; nextCursor: string | null };

/** Each test tags its hosts with its own `run` label: the database is shared. */
async function createTagged(run: string, count: number, extra: Record<string, string> = {}) {
  const ids: string[] = [];
  for (let i = 0; i < count; i += 1) {
    const res = await http()
      .post('/api/v1/hosts')
      .send({ name: uniqueName('l'), collection: 'push', labels: { run, ...extra } })
      .expect(201);
    ids.push(res.body.id as string);
  }
  return ids;
}

const newRun = () => randomBytes(6).toString('hex');

describe('GET /api/v1/hosts', () => {
  it('pages with limit and cursor, every host exactly once, total over all pages', async () => {
    const run = newRun();
    const ids = await createTagged(run, 5);
    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const query: Record<string, string | number> = { label: `run=${run}`, limit: 2 };
      if (cursor) query.cursor = cursor;
      const res = await http().get('/api/v1/hosts').query(query).expect(200);
      const page = res.body as Page;
      expect(page.total).toBe(5);
      expect(page.items.length).toBeLessThanOrEqual(2);
      seen.push(...page.items.map((h) => h.id));
      cursor = page.nextCursor;
      pages += 1;
    } while (cursor !== null && pages < 10);
    expect(pages).toBe(3);
    expect(seen.sort()).toEqual([...ids].sort());
  });

  it('filters on every given label, in both query spellings', async () => {
    const run = newRun();
    const dbs = await createTagged(run, 2, { role: 'db' });
    await createTagged(run, 1, { role: 'web' });
    const a = await http().get(`/api/v1/hosts?label=run=${run}&label=role=db`).expect(200);
    const b = await http().get(`/api/v1/hosts?labels[run]=${run}&labels[role]=db`).expect(200);
    for (const res of [a, b]) {
      expect((res.body as Page).total).toBe(2);
      expect((res.body as Page).items.map((h) => h.id).sort()).toEqual([...dbs].sort());
    }
  });

  it('filters on state', async () => {
    const run = newRun();
    await createTagged(run, 2);
    const fresh = await http()
      .get(`/api/v1/hosts?label=run=${run}&state=never_collected`)
      .expect(200);
    expect((fresh.body as Page).total).toBe(2);
    const ok = await http().get(`/api/v1/hosts?label=run=${run}&state=ok`).expect(200);
    expect((ok.body as Page).total).toBe(0);
  });

  it('defaults limit to 50 and refuses more than 500', async () => {
    const res = await http().get('/api/v1/hosts').expect(200);
    expect((res.body as Page).items.length).toBeLessThanOrEqual(50);
    const bad = await http().get('/api/v1/hosts?limit=501&state=happy&label=novalue').expect(400);
    expect((bad.body.errors as { field: string }[]).map((e) => e.field).sort()).toEqual([
      'limit',
      'state',
    ]);
  });

  it('answers 400 naming the cursor when it was not issued by this list', async () => {
    const res = await http().get('/api/v1/hosts?cursor=not-a-cursor!').expect(400);
    expect(res.body.errors).toEqual([{ field: 'cursor', message: expect.any(String) }]);
  });

  it('names a label filter without "=" as invalid', async () => {
    const bad = await http().get('/api/v1/hosts?label=novalue').expect(400);
    expect(bad.body.errors).toEqual([
      { field: 'label', message: '"novalue" must look like key=value' },
    ]);
  });
});
