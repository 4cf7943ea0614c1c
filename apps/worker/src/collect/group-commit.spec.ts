import { HostNotFoundError } from '@memfleet/db';
import { GroupCommit } from './group-commit';

/** A store that records its batches and can be told which items are bad. */
function recordingStore(bad: (item: string) => Error | undefined = () => undefined) {
  const batches: string[][] = [];
  const ingestMany = async (items: readonly string[]) => {
    batches.push([...items]);
    await new Promise((r) => setTimeout(r, 5));
    const failure = items.map(bad).find((e) => e !== undefined);
    if (failure) throw failure;
    return items.map((i) => `stored ${i}`);
  };
  return { batches, ingestMany };
}

describe('GroupCommit', () => {
  it('writes the first item at once and the ones arriving meanwhile in one batch', async () => {
    const store = recordingStore();
    const gc = new GroupCommit(store.ingestMany);
    const results = await Promise.all(['a', 'b', 'c', 'd'].map((i) => gc.ingest(i)));
    expect(results).toEqual(['stored a', 'stored b', 'stored c', 'stored d']);
    expect(store.batches).toEqual([['a'], ['b', 'c', 'd']]);
  });

  it('never writes more than maxBatch items at once', async () => {
    const store = recordingStore();
    const gc = new GroupCommit(store.ingestMany, 2);
    await Promise.all(['a', 'b', 'c', 'd', 'e'].map((i) => gc.ingest(i)));
    expect(store.batches.map((b) => b.length)).toEqual([1, 2, 2]);
  });

  it('isolates an item whose host is gone, storing the rest of its batch', async () => {
    const store = recordingStore((i) => (i === 'gone' ? new HostNotFoundError(i) : undefined));
    const gc = new GroupCommit(store.ingestMany);
    const settled = await Promise.allSettled(['a', 'b', 'gone', 'c'].map((i) => gc.ingest(i)));
    expect(settled.map((s) => s.status)).toEqual([
      'fulfilled',
      'fulfilled',
      'rejected',
      'fulfilled',
    ]);
    expect(settled[2]).toMatchObject({ reason: expect.any(HostNotFoundError) });
  });

  it('fails every item of a batch when the database is down, and recovers afterwards', async () => {
    let down = true;
    const store = recordingStore(() => (down ? new Error('connection refused') : undefined));
    const gc = new GroupCommit(store.ingestMany);
    const settled = await Promise.allSettled(['a', 'b', 'c'].map((i) => gc.ingest(i)));
    expect(settled.every((s) => s.status === 'rejected')).toBe(true);
    expect(store.batches).toEqual([['a'], ['b', 'c']]);
    down = false;
    await expect(gc.ingest('d')).resolves.toBe('stored d');
  });
});
