import { failed, ok, type Parsed } from './parse-result';
import { Scanner } from './scan';
import type { Vmstat } from './types';

/**
 * /proc/vmstat: `name value` per line. The key set changes with every kernel (43 keys on 2.6.16,
 * ~190 on 6.x), so every key is kept. Event counters (pgfault, compact_free_scanned) pass 2^32
 * within days and could pass 2^53, so values are bigint.
 */
export function parseVmstat(text: string, file = '/proc/vmstat'): Parsed<Vmstat> {
  const s = new Scanner(text);
  if (s.end === 0)
    return failed(
      file,
      1,
      'empty: vmstat is world-readable, so an empty read means a broken capture',
    );
  const counters = new Map<string, bigint>();
  while (s.nextLine()) {
    if (s.isLineBlank()) continue;
    const name = s.token();
    const v = s.bigUint();
    if (v === undefined || !s.isLineBlank()) {
      return failed(
        file,
        s.line,
        `expected 'name value' with an unsigned integer: ${s.lineText()}`,
      );
    }
    const before = counters.size;
    counters.set(name, v); // one hash operation per line: a repeat shows as an unchanged size
    if (counters.size === before) return failed(file, s.line, `duplicate counter ${name}`);
  }
  return ok({ counters });
}
