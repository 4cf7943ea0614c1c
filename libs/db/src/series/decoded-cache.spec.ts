import type { SnapshotContent } from '../snapshots/codec';
import { DecodedCache } from './decoded-cache';

const content = (pageSize: number) => ({ pageSize }) as unknown as SnapshotContent;
const key = DecodedCache.keyOf({ sections: ['slabinfo'] });
const host = '00000000-0000-4000-8000-000000000001';

describe('DecodedCache', () => {
  it('evicts the least recently used entry past its capacity', () => {
    const cache = new DecodedCache(2);
    cache.set(key, host, 1n, 1, content(1));
    cache.set(key, host, 2n, 2, content(2));
    expect(cache.get(key, host, 1n, 1)).toEqual(content(1)); // 1 is now the most recent
    cache.set(key, host, 3n, 3, content(3));
    expect(cache.size).toBe(2);
    expect(cache.get(key, host, 2n, 2)).toBeUndefined();
    expect(cache.get(key, host, 1n, 1)).toEqual(content(1));
    expect(cache.get(key, host, 3n, 3)).toEqual(content(3));
  });

  it('keys on selection, host, row id and seq together', () => {
    const cache = new DecodedCache(8);
    cache.set(key, host, 1n, 1, content(1));
    expect(cache.get(DecodedCache.keyOf({ sections: ['vmstat'] }), host, 1n, 1)).toBeUndefined();
    expect(cache.get(key, '00000000-0000-4000-8000-000000000002', 1n, 1)).toBeUndefined();
    expect(cache.get(key, host, 2n, 1)).toBeUndefined();
    expect(cache.get(key, host, 1n, 2)).toBeUndefined();
    expect(cache.get(key, host, 1n, 1)).toEqual(content(1));
  });
});
