import { failed, ok, type Parsed } from './parse-result';
import { readNodeZone } from './node-zone';
import { Scanner, numberProblem } from './scan';
import type { BuddyZone, Buddyinfo } from './types';

/**
 * /proc/buddyinfo (mm/vmstat.c frag_show_print): `Node %d, zone %8s ` then `%6lu ` per order.
 * The number of orders is the kernel's MAX_ORDER(+1): 11 on most x86/arm, fewer or more with other
 * page sizes, so it is read from the file; every row of one file must agree. Columns are minimum
 * widths, so 6+ digit counts leave a single space, and the trailing space may or may not survive
 * a copy.
 */
export function parseBuddyinfo(text: string, file = '/proc/buddyinfo'): Parsed<Buddyinfo> {
  const s = new Scanner(text);
  if (s.end === 0)
    return failed(
      file,
      1,
      'empty: buddyinfo is world-readable, so an empty read means a broken capture',
    );
  const zones: BuddyZone[] = [];
  let orders = -1;
  let ordersLine = 0;
  while (s.nextLine()) {
    if (s.isLineBlank()) continue;
    const zone = readNodeZone(s);
    if (typeof zone === 'string') return failed(file, s.line, zone);
    const freeBlocks: number[] = [];
    while (!s.isLineBlank()) {
      const v = s.uint();
      if (v < 0)
        return failed(
          file,
          s.line,
          numberProblem(v, `free block count of order ${freeBlocks.length}`),
        );
      freeBlocks.push(v);
    }
    if (freeBlocks.length === 0)
      return failed(file, s.line, `zone ${zone.zone} has no free block counts`);
    if (orders < 0) {
      orders = freeBlocks.length;
      ordersLine = s.line;
    } else if (freeBlocks.length !== orders) {
      return failed(
        file,
        s.line,
        `zone ${zone.zone} has ${freeBlocks.length} orders but line ${ordersLine} has ${orders}`,
      );
    }
    zones.push({ node: zone.node, zone: zone.zone, freeBlocks });
  }
  return ok({ zones });
}
