import { failed, ok, type Parsed } from './parse-result';
import { readNodeZone } from './node-zone';
import { Scanner, numberProblem } from './scan';
import type { FragIndex, FragIndexZone } from './types';

/**
 * debugfs `extfrag/unusable_index` and `extfrag/extfrag_index` (mm/vmstat.c): `Node %d, zone %8s `
 * then one `%d.%03d ` per order. The kernel computes each index as an integer in thousandths, so
 * it is read back as that integer (`milli`), exact; extfrag_index prints -1.000 where an order
 * could be allocated without compaction. These files let analysis code check its own index
 * arithmetic against the kernel's for the same buddyinfo.
 */
export function parseFragIndex(
  text: string,
  file = '/sys/kernel/debug/extfrag/unusable_index',
): Parsed<FragIndex> {
  const s = new Scanner(text);
  if (s.end === 0) return failed(file, 1, 'empty: no zones');
  const zones: FragIndexZone[] = [];
  let orders = -1;
  while (s.nextLine()) {
    if (s.isLineBlank()) continue;
    const head = readNodeZone(s);
    if (typeof head === 'string') return failed(file, s.line, head);
    const milli: number[] = [];
    while (!s.isLineBlank()) {
      const negative = s.accept('-');
      const whole = s.digits();
      if (whole < 0)
        return failed(file, s.line, numberProblem(whole, `index of order ${milli.length}`));
      const dot = s.peek() === 46; /* . */
      if (dot) s.pos++;
      const start = s.pos;
      const frac = dot ? s.uint() : -1;
      if (frac < 0 || s.pos - start !== 3) {
        return failed(file, s.line, `index of order ${milli.length} is not d.ddd: ${s.lineText()}`);
      }
      const v = whole * 1000 + frac;
      milli.push(negative ? -v : v);
    }
    if (orders >= 0 && milli.length !== orders) {
      return failed(
        file,
        s.line,
        `zone ${head.zone} has ${milli.length} orders, earlier rows ${orders}`,
      );
    }
    orders = milli.length;
    zones.push({ node: head.node, zone: head.zone, milli });
  }
  return ok({ zones });
}
