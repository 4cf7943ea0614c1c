import { failed, ok, unavailable, type Parsed } from './parse-result';
import { Scanner, numberProblem } from './scan';
import { readNodeZone } from './node-zone';
import type { PagetypeBlocks, PagetypeCount, PagetypeFree, Pagetypeinfo } from './types';

const enum Section {
  None,
  Free,
  Blocks,
  Skipped,
}

/**
 * /proc/pagetypeinfo (mm/vmstat.c pagetypeinfo_show). Root-only since 5.4, so an empty read means
 * "not allowed", not "broken". The header block (`Page block order`, `Pages per block`, the free
 * table, the `Number of blocks type` table) is printed once per node. Since 5.4 a free count
 * above 100000 is printed as `>100000` (the walk is capped to keep zone->lock short); it is kept
 * with `overflow: true`. Migrate type names and their order come from the table headers.
 * `Number of mixed blocks` (CONFIG_PAGE_OWNER) rows are skipped.
 */
export function parsePagetypeinfo(text: string, file = '/proc/pagetypeinfo'): Parsed<Pagetypeinfo> {
  const s = new Scanner(text);
  if (s.end === 0) {
    return unavailable(
      'empty: /proc/pagetypeinfo is root-only (mode 0400 since 5.4); read it as root or with sudo',
    );
  }
  let pageBlockOrder = -1;
  let pagesPerBlock = -1;
  let orders = 0;
  let types: string[] = [];
  let section = Section.None;
  const free: PagetypeFree[] = [];
  const blocks: PagetypeBlocks[] = [];
  while (s.nextLine()) {
    if (s.isLineBlank()) continue;
    const isOrder = s.accept('Page block order:');
    if (isOrder || s.accept('Pages per block:')) {
      const v = s.uint();
      if (v < 0) return failed(file, s.line, numberProblem(v, s.lineText()));
      if (!s.isLineBlank()) return failed(file, s.line, `unexpected text: ${s.lineText()}`);
      const prev = isOrder ? pageBlockOrder : pagesPerBlock;
      if (prev >= 0 && prev !== v)
        return failed(file, s.line, `${s.lineText()} differs from an earlier node's`);
      if (isOrder) pageBlockOrder = v;
      else pagesPerBlock = v;
      section = Section.None;
    } else if (s.accept('Free pages count per migrate type at order')) {
      orders = 0;
      while (!s.isLineBlank()) {
        if (s.uint() !== orders)
          return failed(file, s.line, `expected order ${orders} in the header: ${s.lineText()}`);
        orders++;
      }
      section = Section.Free;
    } else if (s.accept('Number of blocks type')) {
      types = [];
      while (!s.isLineBlank()) types.push(s.token());
      section = Section.Blocks;
    } else if (s.accept('Number of mixed blocks')) {
      section = Section.Skipped;
    } else if (section === Section.Free) {
      const head = readNodeZone(s);
      if (typeof head === 'string') return failed(file, s.line, head);
      if (!s.accept(',') || !s.accept('type'))
        return failed(file, s.line, `expected ', type NAME': ${s.lineText()}`);
      const type = s.token();
      const counts: PagetypeCount[] = [];
      while (!s.isLineBlank()) {
        const overflow = s.peek() === 62; /* > */
        if (overflow) s.pos++;
        const v = s.uint();
        if (v < 0)
          return failed(file, s.line, numberProblem(v, `${type} count of order ${counts.length}`));
        counts.push({ value: v, overflow });
      }
      if (counts.length !== orders) {
        return failed(file, s.line, `${type} has ${counts.length} counts for ${orders} orders`);
      }
      free.push({ node: head.node, zone: head.zone, type, counts });
    } else if (section === Section.Blocks) {
      const head = readNodeZone(s);
      if (typeof head === 'string') return failed(file, s.line, head);
      const byType = Object.create(null) as Record<string, number>;
      let i = 0;
      while (!s.isLineBlank()) {
        const v = s.uint();
        if (v < 0) return failed(file, s.line, numberProblem(v, 'block count'));
        const type = types[i++];
        if (type === undefined)
          return failed(file, s.line, `more block counts than the ${types.length} types`);
        byType[type] = v;
      }
      if (i !== types.length)
        return failed(file, s.line, `${i} block counts for ${types.length} types`);
      blocks.push({ node: head.node, zone: head.zone, blocks: byType });
    } else if (section !== Section.Skipped) {
      return failed(file, s.line, `unexpected line: ${s.lineText()}`);
    }
  }
  if (pageBlockOrder < 0 || pagesPerBlock < 0)
    return failed(file, s.line, 'missing Page block order / Pages per block');
  return ok({ pageBlockOrder, pagesPerBlock, free, blocks });
}
